"""Order list (filters, search, cursor pages) and the order detail page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ordnung.channels.service import list_channels
from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError, ValidationError
from ordnung.fulfillment.package_queries import order_packages
from ordnung.orders.model import ORDER_STATUSES
from ordnung.orders.queries import OrderFilter, get_order, list_orders
from ordnung.purchasing.dropship import dropship_orders_of_order
from ordnung.staff.model import FULFILLMENT_WRITE, ORDERS_READ, ORDERS_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.exception_context import (
    order_page_context,
    orders_with_returned_parcels,
    orders_with_short_pick_marker,
)
from ordnung.web.i18n import DISPLAY_TIMEZONE
from ordnung.web.pages.fulfillment import work_on_order
from ordnung.web.pages.holds import order_check_context
from ordnung.web.pages.order_actions import action_context
from ordnung.web.pages.order_changes import change_context
from ordnung.web.pages.order_notes import notes_context
from ordnung.web.pages.sourcing import sourcing_context
from ordnung.web.rendering import query_string, render
from ordnung.web.security import current_staff, database, ensure_permission, require_permission

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class ListForm:
    """The list's query parameters as typed in, so the form shows them back unchanged."""

    status: str = ""
    channel: str = ""
    created_from: str = ""
    created_to: str = ""
    q: str = ""
    tag: str = ""

    def as_params(self) -> dict[str, str | int | None]:
        return {
            "status": self.status,
            "channel": self.channel,
            "created_from": self.created_from,
            "created_to": self.created_to,
            "q": self.q,
            "tag": self.tag,
        }


def list_form(
    status: str = "",
    channel: str = "",
    created_from: str = "",
    created_to: str = "",
    q: str = "",
    tag: str = "",
) -> ListForm:
    """The list's filters as the form sent them (query parameters)."""
    return ListForm(
        status, channel, created_from.strip(), created_to.strip(), q.strip(), tag.strip()
    )


@router.get("/orders", response_class=HTMLResponse)
def order_list(
    request: Request,
    form: ListForm = Depends(list_form),
    cursor: str = "",
    _staff: StaffUser = Depends(require_permission(ORDERS_READ)),
) -> Response:
    db = database(request)
    page, errors = _load_page(db, form, cursor)
    channels = list_channels(db)
    next_cursor = page["next_cursor"]
    context = {
        "active": "orders",
        "form": form,
        "orders": page["items"],
        "statuses": ORDER_STATUSES,
        "channels": channels,
        "channel_names": {channel["code"]: channel["name"] for channel in channels},
        "errors": errors,
        "short_pick_orders": orders_with_short_pick_marker(db, page["items"]),
        "returned_parcel_orders": orders_with_returned_parcels(db, page["items"]),
        "is_first_page": not cursor,
        "first_page_url": "/orders" + query_string(form.as_params()),
        "next_page_url": None
        if next_cursor is None
        else "/orders" + query_string({**form.as_params(), "cursor": next_cursor}),
    }
    return render(request, "orders/list.html", context)


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_detail(
    request: Request, order_id: int, staff: StaffUser = Depends(current_staff)
) -> Response:
    if staff.is_location_bound:  # their own location's part of it, or "no such order"
        return work_on_order(request, staff, order_id)
    ensure_permission(staff, ORDERS_READ)
    try:
        order = get_order(database(request), order_id)
    except NotFoundError:
        context = {"active": "orders", "message_key": "error.order_not_found", "id": order_id}
        return render(request, "not_found.html", context, status_code=404)
    context = {"active": "orders", "order": order, **action_context(order)}
    context.update(notes_context(request, order, staff))
    context.update(order_check_context(database(request), order_id))
    context.update(change_context(order, staff))
    context.update(sourcing_context(database(request), order_id))
    context.update(order_page_context(database(request), order, staff))
    context["dropship_by_fo"] = dropship_orders_of_order(database(request), order_id)
    context["order_packages"] = order_packages(database(request), order_id)
    # Forms for what the role may not do are not shown (the actions check again).
    if not staff.can(ORDERS_WRITE):
        context.update(can_cancel=False, can_release_holds=False)
    if not staff.can(FULFILLMENT_WRITE):
        context.update(
            shippable_statuses=frozenset(),
            rejectable_statuses=frozenset(),
            acceptable_statuses=frozenset(),
        )
    return render(request, "orders/detail.html", context)


def _load_page(db: Database, form: ListForm, cursor: str) -> tuple[dict[str, Any], list[str]]:
    """One page of orders plus the message keys of whatever input had to be ignored."""
    errors: list[str] = []
    try:
        filters = _order_filter(form)
    except ValueError:
        errors.append("error.invalid_date")
        filters = _order_filter(ListForm(form.status, form.channel, "", "", form.q, form.tag))
    try:
        return list_orders(db, filters, cursor or None, PAGE_SIZE), errors
    except ValidationError:  # a tampered or outdated cursor: start again at the top
        errors.append("error.invalid_cursor")
        return list_orders(db, filters, None, PAGE_SIZE), errors


def _order_filter(form: ListForm) -> OrderFilter:
    """Raises ValueError for a malformed date; unknown statuses are simply not filtered on."""
    return OrderFilter(
        status=form.status if form.status in ORDER_STATUSES else None,
        channel=form.channel or None,
        created_from=_start_of_day(form.created_from),
        # "to 3 May" includes all of 3 May: the query's upper bound is exclusive.
        created_to=_start_of_day(form.created_to, plus_days=1),
        q=form.q or None,
        tag=form.tag or None,
    )


def _start_of_day(text: str, plus_days: int = 0) -> datetime | None:
    """A date from the form, read as a day in the merchant's time zone, as UTC.

    Days are added to the date, not to the instant, so a day with a DST switch stays whole.
    """
    if not text:
        return None
    day = date.fromisoformat(text) + timedelta(days=plus_days)
    return datetime.combine(day, time.min, tzinfo=DISPLAY_TIMEZONE).astimezone(UTC)
