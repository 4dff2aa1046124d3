"""Pick waves in the back office: a location's worker batches released or accepted
fulfilment orders into a wave, walks it in bin order (on screen or on the printed pick list),
confirms picks with a scan field that counts +1 on the right row, and reports a short pick.
The location's bins are set here too.

A location-bound worker sees only their location; another location's wave answers 404 as if
it did not exist (design.md §5.7). Operations and admins choose the location.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import NotFoundError, OrdnungError
from ordnung.fulfillment import model as fulfillment_model
from ordnung.fulfillment import waves
from ordnung.fulfillment.pick_list_pdf import render_pick_list
from ordnung.fulfillment.queries import list_fulfillment_orders
from ordnung.inventory import bins
from ordnung.inventory.locations import list_locations
from ordnung.orchestration.wave_actions import WaveShortPick, report_wave_short_pick
from ordnung.staff.model import FULFILLMENT_READ, FULFILLMENT_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.pages.order_actions import InvalidInputError
from ordnung.web.rendering import query_string, render
from ordnung.web.security import (
    PageNotFoundError,
    checked_form,
    database,
    ensure_permission,
    language,
    require_permission,
)

router = APIRouter(include_in_schema=False)

Outcome = tuple[str, dict[str, object]]
NOTE_MAX = 300
CANDIDATE_LIMIT = 100


def _locations(request: Request, staff: StaffUser) -> list[dict[str, Any]]:
    every = list_locations(database(request))
    return [loc for loc in every if staff.location_id in (None, loc["id"])]


def _chosen_location(request: Request, staff: StaffUser, wanted: str) -> dict[str, Any]:
    """The worker's own location; for others the one asked for, else the first."""
    locations = _locations(request, staff)
    if not locations:
        raise PageNotFoundError("error.not_found", wanted)
    return next((loc for loc in locations if loc["code"] == wanted), locations[0])


@router.get("/waves", response_class=HTMLResponse)
def wave_list(
    request: Request,
    location: str = "",
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
) -> Response:
    db = database(request)
    chosen = _chosen_location(request, staff, location)
    candidates = [
        fo
        for status in (fulfillment_model.RELEASED, fulfillment_model.ACCEPTED)
        for fo in list_fulfillment_orders(
            db,
            location_code=chosen["code"],
            status=status,
            cursor=None,
            limit=CANDIDATE_LIMIT,
            only_location_id=staff.location_id,
        )["items"]
    ]
    context = {
        "active": "waves",
        "location": chosen,
        "locations": [] if staff.is_location_bound else _locations(request, staff),
        "candidates": sorted(candidates, key=lambda fo: fo["id"]),
        "waves": waves.list_waves(db, chosen["code"], limit=30, only_location_id=staff.location_id)[
            "items"
        ],
        "bins": bins.list_bins(db, chosen["code"], only_location_id=staff.location_id),
        "can_act": staff.can(FULFILLMENT_WRITE),
    }
    return render(request, "waves/list.html", context)


@router.post("/waves")
def create(
    request: Request,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_WRITE)),
    form: FormData = Depends(checked_form),
) -> Response:
    chosen = _chosen_location(request, staff, str(form.get("location", "")))
    back = "/waves" + query_string({"location": chosen["code"]})
    values = [str(value) for value in form.getlist("fulfillment_order_id")]
    ids = [int(value) for value in values if value.isdigit() and len(value) < 19]
    if not ids:
        leave_flash(request, "error", "flash.wave_choose")
        return RedirectResponse(back, status_code=303)
    try:
        created = waves.create_wave(
            database(request),
            chosen["code"],
            ids,
            actor=_actor(staff),
            only_location_id=staff.location_id,
        )
    except OrdnungError as error:
        leave_flash(request, "error", "flash.wave_failed", detail=error.detail)
        return RedirectResponse(back, status_code=303)
    leave_flash(request, "success", "flash.wave_created", number=created.number)
    return RedirectResponse(f"/waves/{created.id}", status_code=303)


@router.post("/waves/bins")
def save_bins(
    request: Request,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_WRITE)),
    form: FormData = Depends(checked_form),
) -> Response:
    """One line per product, `SKU;bin` (an empty bin takes the product off its bin)."""
    chosen = _chosen_location(request, staff, str(form.get("location", "")))
    back = "/waves" + query_string({"location": chosen["code"]})
    try:
        changes = _bin_lines(str(form.get("bins", "")))
        done = bins.set_bins(
            database(request),
            chosen["code"],
            changes,
            actor=_actor(staff),
            only_location_id=staff.location_id,
        )
    except InvalidInputError as error:
        leave_flash(request, "error", error.key, **error.values)
    except OrdnungError as error:
        leave_flash(request, "error", "flash.bins_failed", detail=error.detail)
    else:
        leave_flash(request, "success", "flash.bins_saved", count=done.assigned + done.cleared)
    return RedirectResponse(back, status_code=303)


def _bin_lines(text: str) -> list[bins.BinChange]:
    changes = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        sku, separator, bin_ = line.partition(";")
        if not separator or not sku.strip():
            raise InvalidInputError("flash.bins_bad_line", line=number)
        changes.append(bins.BinChange(sku.strip(), bin_.strip() or None))
    if not changes:
        raise InvalidInputError("flash.bins_bad_line", line=1)
    return changes


def _wave_ref(request: Request, staff: StaffUser, wave_id: int) -> tuple[str, int]:
    try:
        return waves.wave_ref_of(database(request), wave_id, only_location_id=staff.location_id)
    except NotFoundError:
        raise PageNotFoundError("error.wave_not_found", wave_id) from None


@router.get("/waves/{wave_id}", response_class=HTMLResponse)
def wave_detail(
    request: Request,
    wave_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
) -> Response:
    ref = _wave_ref(request, staff, wave_id)
    wave = waves.get_wave(database(request), ref, only_location_id=staff.location_id)
    context = {
        "active": "waves",
        "wave": wave,
        "can_act": staff.can(FULFILLMENT_WRITE) and wave["status"] == "open",
        "note_max": NOTE_MAX,
    }
    return render(request, "waves/detail.html", context)


@router.get("/waves/{wave_id}/pick-list.pdf")
def pick_list(
    request: Request,
    wave_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
) -> Response:
    ref = _wave_ref(request, staff, wave_id)
    document = waves.pick_list_document(database(request), ref, only_location_id=staff.location_id)
    return Response(
        render_pick_list(document, language(request)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{document.wave_number}.pdf"'},
    )


@router.post("/waves/{wave_id}/scan")
def scan(
    request: Request,
    wave_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
    form: FormData = Depends(checked_form),
) -> Response:
    """A scanned (or typed, or clicked) code counts one unit on its row."""

    def act(ref: tuple[str, int]) -> Outcome:
        code = str(form.get("code", "")).strip()
        pick = waves.Pick(code[:64], 1)
        recorded = waves.record_picks(
            database(request), ref, pick, actor=_actor(staff), only_location_id=staff.location_id
        )
        return "flash.picked", {"sku": recorded.sku}

    return _perform(request, staff, wave_id, act, failure_key="flash.pick_failed")


@router.post("/waves/{wave_id}/short-pick")
def short_pick(
    request: Request,
    wave_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
    form: FormData = Depends(checked_form),
) -> Response:
    def act(ref: tuple[str, int]) -> Outcome:
        missing = _whole_number(form.get("missing"))
        fo_value = str(form.get("fulfillment_order_id", "")).strip()
        note = str(form.get("note", "")).strip()[:NOTE_MAX]
        report = WaveShortPick(
            str(form.get("sku", "")).strip()[:64],
            missing,
            int(fo_value) if fo_value.isdigit() else None,
            note,
        )
        report_wave_short_pick(
            database(request), ref, report, actor=_actor(staff), only_location_id=staff.location_id
        )
        return "flash.wave_short_picked", {"sku": report.barcode, "missing": missing}

    return _perform(request, staff, wave_id, act, failure_key="flash.wave_short_failed")


def _whole_number(value: object) -> int:
    text = str(value or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 100_000:
        raise InvalidInputError("flash.bad_number")
    return int(text)


def _perform(
    request: Request,
    staff: StaffUser,
    wave_id: int,
    act: Callable[[tuple[str, int]], Outcome],
    *,
    failure_key: str,
) -> Response:
    """Checks the worker may act on this wave, runs the action and leaves its outcome as a
    flash message; always back to the wave."""
    ensure_permission(staff, FULFILLMENT_WRITE)
    ref = _wave_ref(request, staff, wave_id)
    try:
        key, values = act(ref)
    except InvalidInputError as error:
        leave_flash(request, "error", error.key, **error.values)
    except OrdnungError as error:
        leave_flash(request, "error", failure_key, detail=error.detail)
    else:
        leave_flash(request, "success", key, **values)
    return RedirectResponse(f"/waves/{wave_id}", status_code=303)


def _actor(staff: StaffUser) -> str:
    return f"staff:{staff.email}"
