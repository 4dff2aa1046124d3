"""Parcels returned to sender in the back office: recorded from the fulfilment order's
shipments, listed in the location's queue ("Rücksendungen an Absender"), and processed on
their own screen — each line's units restocked or written off. Each form calls the one
service the API calls.

A location-bound worker sees and acts only on their own location's parcels and shipments;
another's answer 404 as if they did not exist (design.md §5.7).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import NotFoundError, OrdnungError
from ordnung.core.paging import decode_cursor, encode_cursor
from ordnung.fulfillment import returned_parcel_model as rules
from ordnung.fulfillment import returned_parcel_queries as queries
from ordnung.fulfillment.returned_parcels import ParcelReturn, record_returned_to_sender
from ordnung.inventory.locations import list_locations
from ordnung.orchestration.returned_parcel_actions import (
    ParcelSettlement,
    process_returned_parcel,
)
from ordnung.staff.model import FULFILLMENT_READ, FULFILLMENT_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.rendering import query_string, render
from ordnung.web.security import PageNotFoundError, checked_form, database, require_permission

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
MAX_UNITS_DIGITS = 6


def record_form_context() -> dict[str, Any]:
    """What the fulfilment order's screen needs to offer "returned to sender" on a shipment."""
    return {
        "rts_reasons": rules.REASONS,
        "rts_sources": rules.shipment_sources(rules.RETURNED_TO_SENDER),
        "rts_note_max": rules.MAX_NOTE_LENGTH,
    }


@router.get("/queue/{code}/returned-parcels", response_class=HTMLResponse)
def parcel_list(
    request: Request,
    code: str,
    status: str = rules.WAITING,
    reason: str = "",
    cursor: str = "",
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
) -> Response:
    filters = queries.ParcelFilter(
        status=status if status in rules.PARCEL_STATUSES else None,
        reason=reason if reason in rules.REASONS else None,
    )
    try:
        after_id = decode_cursor(cursor) if cursor else None
    except OrdnungError:  # a tampered cursor: start again at the top
        after_id = None
    try:
        page = queries.list_returned_parcels(
            database(request),
            code,
            filters,
            after_id=after_id,
            limit=PAGE_SIZE,
            only_location_id=staff.location_id,
        )
    except NotFoundError:
        raise PageNotFoundError("queue.location_not_found", code) from None
    params: dict[str, str | int | None] = {"status": filters.status or "all", "reason": reason}
    next_id = page["next_after_id"]
    context = {
        "active": "queue",
        "code": code,
        "parcels": page["items"],
        "filters": filters,
        "statuses": rules.PARCEL_STATUSES,
        "reasons": rules.REASONS,
        "next_page_url": None
        if next_id is None
        else f"/queue/{code}/returned-parcels"
        + query_string({**params, "cursor": encode_cursor(next_id)}),
    }
    return render(request, "fulfillment/returned_parcels.html", context)


@router.get("/returned-parcels/{parcel_id}", response_class=HTMLResponse)
def parcel_detail(
    request: Request,
    parcel_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
) -> Response:
    parcel = _visible_parcel(request, staff, parcel_id)
    context = {
        "active": "queue",
        "parcel": parcel,
        "code": _location_code(request, parcel),
        "can_act": staff.can(FULFILLMENT_WRITE) and parcel["status"] == rules.WAITING,
        "write_off_causes": rules.WRITE_OFF_CAUSES,
        "note_max": rules.MAX_NOTE_LENGTH,
    }
    return render(request, "fulfillment/returned_parcel.html", context)


@router.post("/returned-parcels/{parcel_id}/process")
def process_form(
    request: Request,
    parcel_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_WRITE)),
    form: FormData = Depends(checked_form),
) -> Response:
    parcel = _visible_parcel(request, staff, parcel_id)
    back = RedirectResponse(f"/returned-parcels/{parcel_id}", status_code=303)
    lines = _settlements(form, parcel["lines"])
    if lines is None:
        leave_flash(request, "error", "rts.flash_bad_units")
        return back
    settlement = ParcelSettlement(
        lines, str(form.get("write_off_cause", "damaged")), str(form.get("note", ""))
    )
    try:
        done = process_returned_parcel(
            database(request),
            parcel_id,
            settlement,
            actor=f"staff:{staff.email}",
            only_location_id=staff.location_id,
        )
    except OrdnungError as error:
        leave_flash(request, "error", "rts.flash_process_failed", detail=error.detail)
    else:
        leave_flash(
            request,
            "success",
            "rts.flash_processed",
            id=parcel_id,
            restocked=done.restocked,
            written_off=done.written_off,
        )
    return back


@router.post("/shipments/{shipment_id}/returned-to-sender")
def record_form(
    request: Request,
    shipment_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_WRITE)),
    form: FormData = Depends(checked_form),
) -> Response:
    fo_id = str(form.get("fulfillment_order_id", ""))
    back = f"/fulfillment/{fo_id}" if fo_id.isdigit() else "/queue"
    parcel_return = ParcelReturn(str(form.get("reason", "")), str(form.get("note", "")))
    try:
        record_returned_to_sender(
            database(request),
            shipment_id,
            parcel_return,
            actor=f"staff:{staff.email}",
            only_location_id=staff.location_id,
        )
    except NotFoundError:
        raise PageNotFoundError("error.not_found", shipment_id) from None
    except OrdnungError as error:
        leave_flash(request, "error", "rts.flash_record_failed", detail=error.detail)
    else:
        leave_flash(request, "success", "rts.flash_recorded", id=shipment_id)
    return RedirectResponse(back, status_code=303)


def _visible_parcel(request: Request, staff: StaffUser, parcel_id: int) -> dict[str, Any]:
    try:
        return queries.get_returned_parcel(
            database(request), parcel_id, only_location_id=staff.location_id
        )
    except NotFoundError:
        raise PageNotFoundError("rts.not_found", parcel_id) from None


def _location_code(request: Request, parcel: dict[str, Any]) -> str:
    codes = {loc["id"]: loc["code"] for loc in list_locations(database(request))}
    return str(codes.get(parcel["location_id"], ""))


def _settlements(form: FormData, lines: list[dict[str, Any]]) -> list[rules.LineSettlement] | None:
    """`restock_<line id>` and `write_off_<line id>` per line; empty counts as 0. None when a
    field is not a whole number (the model checks the split itself)."""
    settled = []
    for line in lines:
        counts = []
        for prefix in ("restock_", "write_off_"):
            text = str(form.get(f"{prefix}{line['id']}", "")).strip() or "0"
            if not text.isdigit() or len(text) > MAX_UNITS_DIGITS:
                return None
            counts.append(int(text))
        settled.append(rules.LineSettlement(line["id"], counts[0], counts[1]))
    return settled
