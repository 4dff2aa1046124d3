"""Fulfilment exceptions in the back office: on a location's work screen, start picking,
report a short pick, decide a cancellation request; on the order page, see the requests and
short picks and acknowledge a short pick. Each form calls the one service the API calls."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import OrdnungError
from ordnung.fulfillment import short_picks
from ordnung.fulfillment.model import MissingUnits
from ordnung.fulfillment.service import start_picking
from ordnung.orchestration.exception_actions import (
    accept_cancellation_request,
    decline_cancellation_request,
    report_short_pick,
)
from ordnung.staff.model import ORDERS_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.exception_context import NOTE_MAX
from ordnung.web.flash import leave_flash
from ordnung.web.pages.fulfillment import Outcome, _actor, _perform, acting_on
from ordnung.web.pages.order_actions import InvalidInputError, order_editor
from ordnung.web.security import checked_form, database

router = APIRouter(include_in_schema=False)


@router.post("/fulfillment/{fo_id}/start-picking")
def start_picking_form(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(acting_on),
    _form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        start_picking(database(request), fo_id, actor=_actor(staff))
        return "flash.picking_started", {"id": fo_id}

    return _perform(request, fo_id, act, failure_key="flash.picking_failed")


@router.post("/fulfillment/{fo_id}/short-pick")
def short_pick_form(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(acting_on),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        missing = _missing_units(form)
        note = _note(form, is_required=False)
        report_short_pick(database(request), fo_id, missing, note=note, actor=_actor(staff))
        return "flash.short_pick_reported", {"id": fo_id}

    return _perform(request, fo_id, act, failure_key="flash.short_pick_failed")


@router.post("/fulfillment/{fo_id}/cancellation/accept")
def accept_cancellation_form(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(acting_on),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        note = _note(form, is_required=False)
        accept_cancellation_request(database(request), fo_id, note=note, actor=_actor(staff))
        return "flash.cancellation_accepted", {"id": fo_id}

    return _perform(request, fo_id, act, failure_key="flash.cancellation_failed")


@router.post("/fulfillment/{fo_id}/cancellation/decline")
def decline_cancellation_form(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(acting_on),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        note = _note(form, is_required=True)
        decline_cancellation_request(database(request), fo_id, note=note, actor=_actor(staff))
        return "flash.cancellation_declined", {"id": fo_id}

    return _perform(request, fo_id, act, failure_key="flash.cancellation_failed")


@router.post("/orders/{order_id}/short-picks/{report_id}/acknowledge")
def acknowledge_form(
    request: Request,
    order_id: int,
    report_id: int,
    staff: StaffUser = Depends(order_editor),
    _form: FormData = Depends(checked_form),
) -> Response:
    assert staff.can(ORDERS_WRITE)
    try:
        short_picks.acknowledge_short_pick(
            database(request), order_id, report_id, actor=f"staff:{staff.email}"
        )
    except OrdnungError as error:
        leave_flash(request, "error", "flash.acknowledge_failed", detail=error.detail)
    else:
        leave_flash(request, "success", "flash.short_pick_acknowledged")
    return RedirectResponse(f"/orders/{order_id}", status_code=303)


def _missing_units(form: FormData) -> list[MissingUnits]:
    """`missing_<line id>` fields: empty or 0 means nothing missing on that line."""
    missing = []
    for name, value in form.multi_items():
        text = str(value).strip()
        if not name.startswith("missing_") or text in ("", "0"):
            continue
        line_id, count = name.removeprefix("missing_"), text
        if not (line_id.isdigit() and count.isdigit()) or len(count) > 6:
            raise InvalidInputError("flash.short_pick_nothing")
        missing.append(MissingUnits(int(line_id), int(count)))
    if not missing:
        raise InvalidInputError("flash.short_pick_nothing")
    return missing


def _note(form: FormData, *, is_required: bool) -> str:
    note = str(form.get("note", "")).strip()
    if is_required and not note:
        raise InvalidInputError("flash.note_required")
    if len(note) > NOTE_MAX:
        raise InvalidInputError("flash.too_long", max=NOTE_MAX)
    return note
