"""Who may use the administration screens (catalogue, stock, channels, locations).

Each screen asks through its own dependency, named for what it guards; each dependency asks
the signed-in user's role for one permission (`ordnung.staff.model.ROLE_PERMISSIONS`).
"""

from __future__ import annotations

from fastapi import Request

from ordnung.staff import model as staff_model
from ordnung.staff.service import StaffUser
from ordnung.web.security import LoginRequiredError, current_staff, ensure_permission

# The last path segment of a form's URL that names an action rather than a page.
_ACTION_SEGMENTS = frozenset({"deactivate", "reactivate", "receipt", "adjustment", "count"})


def catalogue_reader(request: Request) -> StaffUser:
    """Product list, product page, CSV export."""
    return _signed_in_with(request, staff_model.CATALOG_READ)


def catalogue_editor(request: Request) -> StaffUser:
    """Create, edit, deactivate and reactivate products; CSV import."""
    return _signed_in_with(request, staff_model.CATALOG_WRITE)


def stock_reader(request: Request) -> StaffUser:
    """A stock position and its ledger."""
    return _signed_in_with(request, staff_model.STOCK_READ)


def stock_keeper(request: Request) -> StaffUser:
    """Goods receipts, adjustments and counts."""
    return _signed_in_with(request, staff_model.STOCK_WRITE)


def channel_reader(request: Request) -> StaffUser:
    """Channel list and channel page."""
    return _signed_in_with(request, staff_model.CHANNELS_READ)


def channel_admin(request: Request) -> StaffUser:
    """Create and edit sales channels."""
    return _signed_in_with(request, staff_model.CHANNELS_WRITE)


def location_reader(request: Request) -> StaffUser:
    """Location list and location page."""
    return _signed_in_with(request, staff_model.LOCATIONS_READ)


def location_admin(request: Request) -> StaffUser:
    """Create and edit locations (capabilities and priority steer sourcing)."""
    return _signed_in_with(request, staff_model.LOCATIONS_WRITE)


def actor_of(staff: StaffUser) -> str:
    """Who did it, for the ledger and the events: the same `kind:name` shape as
    `core.auth.Principal.actor`; the e-mail is unique per person."""
    return f"staff:{staff.email}"


def _signed_in_with(request: Request, permission: str) -> StaffUser:
    """The signed-in staff user, whose role must grant `permission` (else the 403 page); after
    signing in, a form's sender comes back to the page the form was on, since an action's own
    URL answers only POST."""
    try:
        staff = current_staff(request)
    except LoginRequiredError as error:
        if request.method != "POST":
            raise
        path = request.url.path
        page, _, last = path.rpartition("/")
        raise LoginRequiredError(page if last in _ACTION_SEGMENTS else path) from error
    ensure_permission(staff, permission)
    return staff
