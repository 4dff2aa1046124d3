"""Who may use the administration screens (catalogue, stock, channels, locations).

Today every signed-in staff user may do everything. Each screen still asks through its own
dependency, named for what it guards, so that roles attach here in one place; the permission
each should need is written beside it.
"""

from __future__ import annotations

from fastapi import Request

from ordnung.staff.service import StaffUser
from ordnung.web.security import LoginRequiredError, current_staff

# The last path segment of a form's URL that names an action rather than a page.
_ACTION_SEGMENTS = frozenset({"deactivate", "reactivate", "receipt", "adjustment", "count"})


def catalogue_reader(request: Request) -> StaffUser:
    """Product list, product page, CSV export. Should need `catalog:read`."""
    return _signed_in(request)


def catalogue_editor(request: Request) -> StaffUser:
    """Create, edit, deactivate and reactivate products; CSV import. Should need
    `catalog:write`."""
    return _signed_in(request)


def stock_reader(request: Request) -> StaffUser:
    """A stock position and its ledger. Should need `inventory:read`."""
    return _signed_in(request)


def stock_keeper(request: Request) -> StaffUser:
    """Goods receipts, adjustments and counts. Should need `inventory:write`."""
    return _signed_in(request)


def channel_reader(request: Request) -> StaffUser:
    """Channel list and channel page. Should need `channels:read`."""
    return _signed_in(request)


def channel_admin(request: Request) -> StaffUser:
    """Create and edit sales channels. Should need `channels:write`."""
    return _signed_in(request)


def location_reader(request: Request) -> StaffUser:
    """Location list and location page. Should need `inventory:read`."""
    return _signed_in(request)


def location_admin(request: Request) -> StaffUser:
    """Create and edit locations (capabilities and priority steer sourcing). Should need
    `inventory:write`, or better an administrator's role of its own."""
    return _signed_in(request)


def actor_of(staff: StaffUser) -> str:
    """Who did it, for the ledger and the events: the same `kind:name` shape as
    `core.auth.Principal.actor`; the e-mail is unique per person."""
    return f"staff:{staff.email}"


def _signed_in(request: Request) -> StaffUser:
    """The signed-in staff user; after signing in, a form's sender comes back to the page the
    form was on, since an action's own URL answers only POST."""
    try:
        return current_staff(request)
    except LoginRequiredError as error:
        if request.method != "POST":
            raise
        path = request.url.path
        page, _, last = path.rpartition("/")
        raise LoginRequiredError(page if last in _ACTION_SEGMENTS else path) from error
