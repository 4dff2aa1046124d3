"""A location's queue in the back office: its open work, urgent and due first, with SLA
badges, filters, and accept / reject-with-a-reason right in the list.

A location-bound worker sees their own location's queue; `/queue` takes them there. Any other
location's queue, and any other location's fulfilment order acted on from here, answers 404 as
if it did not exist (design.md §5.7). Admins and operations pick a location.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import NotFoundError, OrdnungError, ValidationError
from ordnung.core.paging import decode_cursor, encode_cursor
from ordnung.fulfillment import queue
from ordnung.fulfillment.model import OPEN_STATUSES, allowed_sources
from ordnung.fulfillment.queries import check_location_access
from ordnung.fulfillment.queue_queries import QueueFilter, location_queue
from ordnung.fulfillment.service import accept_fulfillment_order
from ordnung.inventory.locations import list_locations
from ordnung.orchestration.fulfillment_actions import reject_fulfillment_order
from ordnung.staff.model import FULFILLMENT_READ, FULFILLMENT_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.pages.order_actions import REJECT_REASON_MAX, REJECTABLE_STATUSES
from ordnung.web.rendering import query_string, render
from ordnung.web.security import (
    PageNotFoundError,
    checked_form,
    database,
    require_permission,
)

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
_OPEN = sorted(OPEN_STATUSES)


@router.get("/queue", response_class=HTMLResponse)
def choose_queue(
    request: Request, staff: StaffUser = Depends(require_permission(FULFILLMENT_READ))
) -> Response:
    """A location-bound worker goes straight to their queue; others choose a location."""
    locations = list_locations(database(request))
    if staff.is_location_bound:
        code = next(loc["code"] for loc in locations if loc["id"] == staff.location_id)
        return RedirectResponse(f"/queue/{code}", status_code=303)
    context = {"active": "queue", "locations": locations, "code": None}
    return render(request, "fulfillment/queue.html", context)


def _pick(value: str, allowed: Any) -> str | None:
    return value if value in allowed else None


@router.get("/queue/{code}", response_class=HTMLResponse)
def location_queue_page(  # noqa: PLR0913 - the page's filters arrive as query parameters
    request: Request,
    code: str,
    status: str = "",
    service_level: str = "",
    due: str = "",
    q: str = "",
    cursor: str = "",
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
) -> Response:
    filters = QueueFilter(
        status=_pick(status, OPEN_STATUSES),
        service_level=_pick(service_level, queue.SERVICE_LEVELS),
        due=_pick(due, queue.DUE_FILTERS),
        q=q.strip()[:40] or None,
    )
    page = _page(request, staff, code, filters, cursor)
    params: dict[str, str | int | None] = {
        "status": filters.status,
        "service_level": filters.service_level,
        "due": filters.due,
        "q": filters.q,
    }
    next_id = page["next_after_id"]
    context = {
        "active": "queue",
        "code": code,
        "page": page,
        "filters": filters,
        "statuses": _OPEN,
        "service_levels": queue.SERVICE_LEVELS,
        "dues": queue.DUE_FILTERS,
        "locations": [] if staff.is_location_bound else list_locations(database(request)),
        "can_act": staff.can(FULFILLMENT_WRITE),
        "acceptable_statuses": allowed_sources("accepted"),
        "rejectable_statuses": REJECTABLE_STATUSES,
        "reject_reason_max": REJECT_REASON_MAX,
        "back": f"/queue/{code}" + query_string(params),
        "next_page_url": None
        if next_id is None
        else f"/queue/{code}" + query_string({**params, "cursor": encode_cursor(next_id)}),
    }
    return render(request, "fulfillment/queue.html", context)


def _page(
    request: Request, staff: StaffUser, code: str, filters: QueueFilter, cursor: str
) -> dict[str, Any]:
    db = database(request)
    try:
        after_id = decode_cursor(cursor) if cursor else None
        return location_queue(
            db,
            code,
            filters,
            after_id=after_id,
            limit=PAGE_SIZE,
            only_location_id=staff.location_id,
        )
    except ValidationError:  # a tampered cursor: start again at the top
        return location_queue(
            db, code, filters, after_id=None, limit=PAGE_SIZE, only_location_id=staff.location_id
        )
    except NotFoundError:
        raise PageNotFoundError("queue.location_not_found", code) from None


def _acting_on(request: Request, staff: StaffUser, fo_id: int) -> None:
    try:
        check_location_access(database(request), fo_id, staff.location_id)
    except NotFoundError:
        raise PageNotFoundError("error.fulfillment_order_not_found", fo_id) from None


def _back(code: str, form: FormData) -> RedirectResponse:
    """Back to the queue with the filters the worker had (only a path of this queue)."""
    back = str(form.get("back", ""))
    if not back.startswith(f"/queue/{code}") or "//" in back:
        back = f"/queue/{code}"
    return RedirectResponse(back, status_code=303)


@router.post("/queue/{code}/{fo_id}/accept")
def accept_from_queue(
    request: Request,
    code: str,
    fo_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_WRITE)),
    form: FormData = Depends(checked_form),
) -> Response:
    _acting_on(request, staff, fo_id)
    try:
        accept_fulfillment_order(database(request), fo_id, actor=f"staff:{staff.email}")
    except OrdnungError as error:
        leave_flash(request, "error", "flash.accept_failed", detail=error.detail)
    else:
        leave_flash(request, "success", "queue.accepted", id=fo_id)
    return _back(code, form)


@router.post("/queue/{code}/{fo_id}/reject")
def reject_from_queue(
    request: Request,
    code: str,
    fo_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_WRITE)),
    form: FormData = Depends(checked_form),
) -> Response:
    _acting_on(request, staff, fo_id)
    reason = str(form.get("reason", "")).strip()
    if not reason:
        leave_flash(request, "error", "flash.reason_required")
    elif len(reason) > REJECT_REASON_MAX:
        leave_flash(request, "error", "flash.too_long", max=REJECT_REASON_MAX)
    else:
        try:
            reject_fulfillment_order(
                database(request), fo_id, reason=reason, actor=f"staff:{staff.email}"
            )
        except OrdnungError as error:
            leave_flash(request, "error", "flash.reject_failed", detail=error.detail)
        else:
            leave_flash(request, "success", "queue.rejected", id=fo_id, reason=reason)
    return _back(code, form)
