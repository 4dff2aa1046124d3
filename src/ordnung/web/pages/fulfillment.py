"""The fulfilment work list and a fulfilment order's page, where a location accepts, ships or
rejects its work.

A warehouse worker's account is bound to one location: their home is this list, it shows only
that location's fulfilment orders, and any other location's fulfilment order answers 404 as if
it did not exist (design.md §5.7). Operations and admins see every location and filter by one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import NotFoundError, OrdnungError, ValidationError
from ordnung.fulfillment import model as fulfillment_model
from ordnung.fulfillment.queries import (
    check_location_access,
    get_fulfillment_order,
    list_fulfillment_orders,
)
from ordnung.fulfillment.service import ShipmentDraft, accept_fulfillment_order
from ordnung.inventory.locations import list_locations
from ordnung.orchestration.fulfillment_actions import (
    reject_fulfillment_order,
    ship_fulfillment_order,
)
from ordnung.orders.queries import get_order
from ordnung.staff.model import FULFILLMENT_READ, FULFILLMENT_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.exception_context import fulfillment_orders_asked_to_cancel, work_screen_context
from ordnung.web.flash import leave_flash
from ordnung.web.pages.order_actions import (
    CARRIER_CHOICES,
    REJECT_REASON_MAX,
    REJECTABLE_STATUSES,
    SHIPPABLE_STATUSES,
    TRACKING_NUMBER,
    InvalidInputError,
)
from ordnung.web.pages.pickup import pickup_panel
from ordnung.web.pages.returned_parcels import record_form_context
from ordnung.web.rendering import query_string, render
from ordnung.web.security import (
    LoginRequiredError,
    PageNotFoundError,
    checked_form,
    current_staff,
    database,
    ensure_permission,
    require_permission,
)

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
Outcome = tuple[str, dict[str, object]]


@router.get("/fulfillment", response_class=HTMLResponse)
def work_list(
    request: Request,
    status: str = "",
    location: str = "",
    cursor: str = "",
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
) -> Response:
    db = database(request)
    status_filter = status if status in fulfillment_model.FULFILLMENT_STATUSES else ""
    # A location-bound worker's list is their location's, whatever the URL says.
    location_filter = "" if staff.is_location_bound else location
    try:
        page = _page(request, staff, status_filter, location_filter, cursor)
    except ValidationError:  # a tampered cursor: start again at the top
        page = _page(request, staff, status_filter, location_filter, "")
    params: dict[str, str | int | None] = {"status": status_filter, "location": location_filter}
    next_cursor = page["next_cursor"]
    context = {
        "active": "fulfillment",
        "items": page["items"],
        "asked_to_cancel": fulfillment_orders_asked_to_cancel(db, page["items"]),
        "statuses": fulfillment_model.FULFILLMENT_STATUSES,
        "status": status_filter,
        "location": location_filter,
        "locations": [] if staff.is_location_bound else list_locations(db),
        "is_first_page": not cursor,
        "first_page_url": "/fulfillment" + query_string(params),
        "next_page_url": None
        if next_cursor is None
        else "/fulfillment" + query_string({**params, "cursor": next_cursor}),
    }
    return render(request, "fulfillment/list.html", context)


@router.get("/fulfillment/{fo_id}", response_class=HTMLResponse)
def work_detail(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
) -> Response:
    db = database(request)
    fo = _visible_fulfillment_order(request, staff, fo_id)
    order = get_order(db, fo["order_id"])
    names = {line["id"]: line["name"] for line in order["lines"]}
    context = {
        "active": "fulfillment",
        "fo": fo,
        "line_names": names,
        # The location ships to its own copy (fulfillment/queue.py); older work has none.
        "shipping_address": fo["ship_to"] or order["shipping_address"] or order["billing_address"],
        "shipping_method": fo["shipping_method"] or order["shipping_method"],
        "shipments": [s for s in order["shipments"] if s["fulfillment_order_id"] == fo_id],
        "can_act": staff.can(FULFILLMENT_WRITE),
        "carriers": CARRIER_CHOICES,
        "shippable_statuses": SHIPPABLE_STATUSES,
        "rejectable_statuses": REJECTABLE_STATUSES,
        "acceptable_statuses": fulfillment_model.allowed_sources(fulfillment_model.ACCEPTED),
        "reject_reason_max": REJECT_REASON_MAX,
        **work_screen_context(db, fo),
        **pickup_panel(db, fo_id),  # click & collect: code, QR, ready and hand-over
        **record_form_context(),  # a shipment's parcel came back: returned to sender
    }
    return render(request, "fulfillment/detail.html", context)


def work_on_order(request: Request, staff: StaffUser, order_id: int) -> Response:
    """A location-bound worker who opens an order lands on their location's part of it; an
    order without such a part answers 404, as if it did not exist."""
    try:
        order = get_order(database(request), order_id)
    except NotFoundError:
        order = {"fulfillment_orders": []}
    theirs = [
        fo["id"] for fo in order["fulfillment_orders"] if fo["location"]["id"] == staff.location_id
    ]
    if not theirs:
        raise PageNotFoundError("error.order_not_found", order_id)
    return RedirectResponse(_path(theirs[-1]), status_code=303)


def acting_on(request: Request, fo_id: int) -> StaffUser:
    """The worker may change fulfilment orders, and this one is theirs to see. After signing
    in again they come back to the fulfilment order, since the action's URL only answers POST."""
    try:
        staff = current_staff(request)
    except LoginRequiredError as error:
        raise LoginRequiredError(_path(fo_id)) from error
    ensure_permission(staff, FULFILLMENT_WRITE)
    try:
        check_location_access(database(request), fo_id, staff.location_id)
    except NotFoundError:
        raise PageNotFoundError("error.fulfillment_order_not_found", fo_id) from None
    return staff


@router.post("/fulfillment/{fo_id}/accept")
def accept(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(acting_on),
    _form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        accept_fulfillment_order(database(request), fo_id, actor=_actor(staff))
        return "flash.fulfillment_accepted", {"id": fo_id}

    return _perform(request, fo_id, act, failure_key="flash.accept_failed")


@router.post("/fulfillment/{fo_id}/ship")
def ship(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(acting_on),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        carrier = str(form.get("carrier", "")).strip()
        if carrier not in CARRIER_CHOICES:
            raise InvalidInputError("flash.unknown_carrier")
        tracking_number = str(form.get("tracking_number", "")).strip()
        if not TRACKING_NUMBER.fullmatch(tracking_number):
            raise InvalidInputError("flash.bad_tracking_number")
        shipment = ShipmentDraft(carrier, tracking_number)
        ship_fulfillment_order(database(request), fo_id, shipment, actor=_actor(staff))
        return "flash.fulfillment_shipped", {"id": fo_id, "tracking_number": tracking_number}

    return _perform(request, fo_id, act, failure_key="flash.ship_failed")


@router.post("/fulfillment/{fo_id}/reject")
def reject(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(acting_on),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        reason = str(form.get("reason", "")).strip()
        if not reason:
            raise InvalidInputError("flash.reason_required")
        if len(reason) > REJECT_REASON_MAX:
            raise InvalidInputError("flash.too_long", max=REJECT_REASON_MAX)
        reject_fulfillment_order(database(request), fo_id, reason=reason, actor=_actor(staff))
        return "flash.fulfillment_rejected", {"id": fo_id}

    return _perform(request, fo_id, act, failure_key="flash.reject_failed")


def _page(
    request: Request, staff: StaffUser, status: str, location: str, cursor: str
) -> dict[str, Any]:
    return list_fulfillment_orders(
        database(request),
        location_code=location or None,
        status=status or None,
        cursor=cursor or None,
        limit=PAGE_SIZE,
        only_location_id=staff.location_id,
    )


def _visible_fulfillment_order(request: Request, staff: StaffUser, fo_id: int) -> dict[str, Any]:
    try:
        return get_fulfillment_order(database(request), fo_id, only_location_id=staff.location_id)
    except NotFoundError:
        raise PageNotFoundError("error.fulfillment_order_not_found", fo_id) from None


def _perform(
    request: Request, fo_id: int, act: Callable[[], Outcome], *, failure_key: str
) -> Response:
    """Runs the action and leaves its outcome as a flash message; always back to the page."""
    try:
        key, values = act()
    except InvalidInputError as error:
        leave_flash(request, "error", error.key, **error.values)
    except OrdnungError as error:
        leave_flash(request, "error", failure_key, detail=error.detail)
    else:
        leave_flash(request, "success", key, **values)
    return RedirectResponse(_path(fo_id), status_code=303)


def _actor(staff: StaffUser) -> str:
    # The same `kind:name` shape as the order page's actions.
    return f"staff:{staff.email}"


def _path(fo_id: int) -> str:
    return f"/fulfillment/{fo_id}"
