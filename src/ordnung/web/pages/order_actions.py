"""What staff can do from the order page: cancel the order, release a hold, and accept, ship
or reject a fulfilment order.

Each action is a POST that answers with a redirect back to the order and a flash message
(Post/Redirect/Get), so reloading the page never repeats it. Input is checked here as the API
checks it; what the services refuse comes back as their readable detail inside a translated
sentence. Edits of the order carry the version the page showed, so a stale page is refused
instead of overwriting what a colleague just did.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import NotFoundError, OrdnungError, StaleVersionError
from ordnung.fulfillment import model as fulfillment_model
from ordnung.fulfillment.queries import check_location_access, get_fulfillment_order
from ordnung.fulfillment.service import ShipmentDraft, accept_fulfillment_order
from ordnung.orchestration.fulfillment_actions import (
    reject_fulfillment_order,
    ship_fulfillment_order,
)
from ordnung.orchestration.order_actions import cancel_order, release_hold
from ordnung.orders import model as order_model
from ordnung.orders.changes import CANCEL_REASON_CODES, CancelReason
from ordnung.staff.model import FULFILLMENT_WRITE, ORDERS_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.security import (
    LoginRequiredError,
    PageNotFoundError,
    checked_form,
    current_staff,
    database,
    ensure_permission,
)

router = APIRouter(include_in_schema=False)

# The carriers the warehouse picks from; the API accepts more (see fulfillment.model.CARRIERS).
CARRIER_CHOICES = ("dhl", "dpd", "hermes", "gls", "ups", "other")
# The same rule as the API's ShipIn.tracking_number.
TRACKING_NUMBER = re.compile(r"^[A-Za-z0-9-]{3,80}$")
# Length limits as in the API bodies (CancelIn, ReleaseHoldIn, RejectIn).
CANCEL_REASON_MAX = 500
RELEASE_NOTE_MAX = 1000
REJECT_REASON_MAX = 300
# Fulfilment orders that can still be shipped or rejected from the page.
SHIPPABLE_STATUSES = frozenset(
    {
        fulfillment_model.RELEASED,
        fulfillment_model.ACCEPTED,
        fulfillment_model.PICKING,
        fulfillment_model.PACKED,
    }
)
REJECTABLE_STATUSES = fulfillment_model.allowed_sources(fulfillment_model.REJECTED)

# What an action reports on success: a message key and its values.
Outcome = tuple[str, dict[str, object]]


class InvalidInputError(Exception):
    """A form field the page cannot pass on; `key` names the message shown to the reader."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def action_context(order: dict[str, Any]) -> dict[str, Any]:
    """What the detail template needs to decide which forms to show."""
    has_shipped = any(line["shipped"] for line in order["lines"])
    is_cancelled = order["status"] == order_model.CANCELLED
    return {
        "can_cancel": not is_cancelled and not has_shipped,
        # A hold on a cancelled order stops nothing any more; releasing it would only add noise.
        "can_release_holds": not is_cancelled,
        "carriers": CARRIER_CHOICES,
        "shippable_statuses": SHIPPABLE_STATUSES,
        "rejectable_statuses": REJECTABLE_STATUSES,
        "acceptable_statuses": fulfillment_model.allowed_sources(fulfillment_model.ACCEPTED),
        "limits": {
            "cancel_reason": CANCEL_REASON_MAX,
            "release_note": RELEASE_NOTE_MAX,
            "reject_reason": REJECT_REASON_MAX,
        },
    }


def acting_staff(request: Request, order_id: int) -> StaffUser:
    """Like `current_staff`, but after signing in the reader comes back to the order page:
    the action's own URL only answers POST."""
    try:
        return current_staff(request)
    except LoginRequiredError as error:
        raise LoginRequiredError(_order_path(order_id)) from error


def order_editor(request: Request, order_id: int) -> StaffUser:
    """Cancelling and releasing holds need `orders:write`."""
    staff = acting_staff(request, order_id)
    ensure_permission(staff, ORDERS_WRITE)
    return staff


def fulfillment_worker(request: Request, order_id: int, fo_id: int) -> StaffUser:
    """Accepting, shipping and rejecting need `fulfillment:write`; a location-bound worker
    acts only on their location's fulfilment orders (others answer 404)."""
    staff = acting_staff(request, order_id)
    ensure_permission(staff, FULFILLMENT_WRITE)
    try:
        check_location_access(database(request), fo_id, staff.location_id)
    except NotFoundError:
        raise PageNotFoundError("error.fulfillment_order_not_found", fo_id) from None
    return staff


@router.post("/orders/{order_id}/cancel")
def cancel(
    request: Request,
    order_id: int,
    staff: StaffUser = Depends(order_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        reason = _required_text(form, "reason", CANCEL_REASON_MAX)
        code = str(form.get("reason_code", "other"))
        if code not in CANCEL_REASON_CODES:
            raise InvalidInputError("changes.flash.field_invalid", field="reason_code")
        version = _version(form)
        detail = cancel_order(
            database(request),
            order_id,
            reason=CancelReason(code, reason),
            actor=_actor(staff),
            expected_version=version,
        )
        # Units a location is picking wait for its answer (fulfilment exceptions).
        if detail["status"] != order_model.CANCELLED:
            return "flash.cancellation_requested", {}
        return "flash.order_cancelled", {}

    return _perform(request, order_id, act, failure_key="flash.cancel_failed")


@router.post("/orders/{order_id}/holds/{hold_id}/release")
def release(
    request: Request,
    order_id: int,
    hold_id: int,
    staff: StaffUser = Depends(order_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        note = _required_text(form, "note", RELEASE_NOTE_MAX)
        version = _version(form)
        release_hold(
            database(request),
            order_id,
            hold_id,
            note=note,
            actor=_actor(staff),
            expected_version=version,
        )
        return "flash.hold_released", {}

    return _perform(request, order_id, act, failure_key="flash.release_failed")


@router.post("/orders/{order_id}/fulfillment-orders/{fo_id}/accept")
def accept(
    request: Request,
    order_id: int,
    fo_id: int,
    staff: StaffUser = Depends(fulfillment_worker),
    _form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        _check_belongs_to_order(request, order_id, fo_id)
        accept_fulfillment_order(database(request), fo_id, actor=_actor(staff))
        return "flash.fulfillment_accepted", {"id": fo_id}

    return _perform(request, order_id, act, failure_key="flash.accept_failed")


@router.post("/orders/{order_id}/fulfillment-orders/{fo_id}/ship")
def ship(
    request: Request,
    order_id: int,
    fo_id: int,
    staff: StaffUser = Depends(fulfillment_worker),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        carrier = str(form.get("carrier", "")).strip()
        if carrier not in CARRIER_CHOICES:
            raise InvalidInputError("flash.unknown_carrier")
        tracking_number = str(form.get("tracking_number", "")).strip()
        if not TRACKING_NUMBER.fullmatch(tracking_number):
            raise InvalidInputError("flash.bad_tracking_number")
        _check_belongs_to_order(request, order_id, fo_id)
        shipment = ShipmentDraft(carrier, tracking_number)
        ship_fulfillment_order(database(request), fo_id, shipment, actor=_actor(staff))
        return "flash.fulfillment_shipped", {"id": fo_id, "tracking_number": tracking_number}

    return _perform(request, order_id, act, failure_key="flash.ship_failed")


@router.post("/orders/{order_id}/fulfillment-orders/{fo_id}/reject")
def reject(
    request: Request,
    order_id: int,
    fo_id: int,
    staff: StaffUser = Depends(fulfillment_worker),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        reason = _required_text(form, "reason", REJECT_REASON_MAX)
        _check_belongs_to_order(request, order_id, fo_id)
        reject_fulfillment_order(database(request), fo_id, reason=reason, actor=_actor(staff))
        return "flash.fulfillment_rejected", {"id": fo_id}

    return _perform(request, order_id, act, failure_key="flash.reject_failed")


def _perform(
    request: Request, order_id: int, act: Callable[[], Outcome], *, failure_key: str
) -> Response:
    """Runs the action and leaves its outcome as a flash message; always back to the order."""
    try:
        key, values = act()
    except InvalidInputError as error:
        leave_flash(request, "error", error.key, **error.values)
    except StaleVersionError as error:
        leave_flash(request, "error", "flash.stale_version", detail=error.detail)
    except OrdnungError as error:
        leave_flash(request, "error", failure_key, detail=error.detail)
    else:
        leave_flash(request, "success", key, **values)
    return RedirectResponse(_order_path(order_id), status_code=303)


def _check_belongs_to_order(request: Request, order_id: int, fo_id: int) -> None:
    """The fulfilment services know only the fulfilment order; a form posted for one order
    must not act on another order's shipment."""
    if get_fulfillment_order(database(request), fo_id)["order_id"] != order_id:
        raise NotFoundError(f"Fulfilment order {fo_id} does not belong to this order.")


def _required_text(form: FormData, name: str, max_length: int) -> str:
    value = str(form.get(name, "")).strip()
    if not value:
        raise InvalidInputError(f"flash.{name}_required")
    if len(value) > max_length:
        raise InvalidInputError("flash.too_long", max=max_length)
    return value


def _version(form: FormData) -> int:
    """The order version the page was rendered with; without it an edit could overwrite."""
    try:
        return int(str(form.get("version", "")))
    except ValueError:
        raise InvalidInputError("flash.form_outdated") from None


def _actor(staff: StaffUser) -> str:
    # The same `kind:name` shape as core.auth.Principal.actor; the e-mail is unique per person.
    return f"staff:{staff.email}"


def _order_path(order_id: int) -> str:
    return f"/orders/{order_id}"
