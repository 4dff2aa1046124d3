"""The store's pickup counter (Abholung): click & collect orders to make ready, those ready
with their age and deadline, and the hand-over against the customer's code (typed, or
scanned by a scanner that types); the pickup panel and QR on a fulfilment order's page.

A store clerk's account is bound to their store: they see and act on its orders only; any
other fulfilment order answers 404 as if it did not exist (design.md §5.7).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.errors import ConflictError, NotFoundError, OrdnungError, ValidationError
from ordnung.core.settings import Settings
from ordnung.fulfillment import model as fulfillment_model
from ordnung.fulfillment import pickup, pickup_model
from ordnung.fulfillment.pickup_qr import pickup_qr_svg
from ordnung.fulfillment.queries import check_location_access
from ordnung.orchestration.pickup_actions import hand_over_pickup
from ordnung.staff.model import FULFILLMENT_READ, FULFILLMENT_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.rendering import render
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

Outcome = tuple[str, dict[str, object]]
READY_FROM = fulfillment_model.allowed_sources(fulfillment_model.READY_FOR_PICKUP)


@router.get("/pickup", response_class=HTMLResponse)
def counter(
    request: Request, staff: StaffUser = Depends(require_permission(FULFILLMENT_READ))
) -> Response:
    now = clock.now()
    rows = pickup.counter_list(database(request), staff.location_id)
    ready = [row | _age(row, now) for row in rows if row["ready_at"] is not None]
    context = {
        "active": "pickup",
        "to_prepare": [row for row in rows if row["status"] in READY_FROM],
        "ready": [row for row in ready if row["status"] == fulfillment_model.READY_FOR_PICKUP],
        "can_act": staff.can(FULFILLMENT_WRITE),
        "now": now,
    }
    return render(request, "pickup/counter.html", context)


def _age(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    locked = row["locked_until"] is not None and row["locked_until"] > now
    return {"age_days": (now - row["ready_at"]).days, "is_locked": locked}


@router.get("/pickup/{fo_id}/qr.svg")
def qr_code(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
) -> Response:
    """The pickup code's QR for the customer's slip (only once the order is ready)."""
    row = _visible_pickup(database(request), staff, fo_id)
    if row["code"] is None:
        raise PageNotFoundError("error.pickup_not_found", fo_id)
    return Response(
        pickup_qr_svg(row["code"]),
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, no-store"},
    )


def acting_on(request: Request, fo_id: int) -> StaffUser:
    """The clerk may act, and this click & collect order is their store's (else 404)."""
    try:
        staff = current_staff(request)
    except LoginRequiredError as error:
        raise LoginRequiredError("/pickup") from error
    ensure_permission(staff, FULFILLMENT_WRITE)
    _visible_pickup(database(request), staff, fo_id)
    return staff


@router.post("/pickup/{fo_id}/ready")
def mark_ready(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(acting_on),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        settings: Settings = request.app.state.settings
        ready = pickup.mark_ready(
            database(request), fo_id, actor=_actor(staff), days=settings.pickup_days
        )
        return "flash.pickup_ready", {"id": fo_id, "code": pickup_model.shown(ready.pickup_code)}

    return _perform(request, act, _back(form, fo_id))


@router.post("/pickup/{fo_id}/hand-over")
def hand_over(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(acting_on),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        code = str(form.get("code", ""))[:40]
        hand_over_pickup(database(request), fo_id, code, actor=_actor(staff))
        return "flash.pickup_handed_over", {"id": fo_id}

    return _perform(request, act, _back(form, fo_id))


def pickup_panel(db: Database, fo_id: int) -> dict[str, Any]:
    """What the fulfilment order's page shows of its pickup (nothing if not click & collect)."""
    row = pickup.pickup_of(db, fo_id)
    if row is None:
        return {"pickup": None}
    shown = None if row["code"] is None else pickup_model.shown(row["code"])
    return {"pickup": row | {"shown": shown}, "pickup_ready_from": READY_FROM}


def _visible_pickup(db: Database, staff: StaffUser, fo_id: int) -> dict[str, Any]:
    try:
        check_location_access(db, fo_id, staff.location_id)
    except NotFoundError:
        raise PageNotFoundError("error.pickup_not_found", fo_id) from None
    row = pickup.pickup_of(db, fo_id)
    if row is None:
        raise PageNotFoundError("error.pickup_not_found", fo_id)
    return row


def _perform(request: Request, act: Callable[[], Outcome], back: str) -> Response:
    try:
        key, values = act()
    except ValidationError as error:  # a code of the wrong shape, or not this order's
        if "tries_left" in error.extra:
            leave_flash(request, "error", "flash.pickup_wrong_code", left=error.extra["tries_left"])
        else:
            leave_flash(request, "error", "flash.pickup_bad_code")
    except ConflictError as error:
        if "locked_until" in error.extra:
            leave_flash(request, "error", "flash.pickup_locked")
        else:
            leave_flash(request, "error", "flash.pickup_failed", detail=error.detail)
    except OrdnungError as error:
        leave_flash(request, "error", "flash.pickup_failed", detail=error.detail)
    else:
        leave_flash(request, "success", key, **values)
    return RedirectResponse(back, status_code=303)


def _back(form: FormData, fo_id: int) -> str:
    """Back where the clerk acted: the fulfilment order's page or the counter."""
    return f"/fulfillment/{fo_id}" if form.get("back") == "fulfillment" else "/pickup"


def _actor(staff: StaffUser) -> str:
    return f"staff:{staff.email}"
