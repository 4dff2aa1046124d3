"""The packing bench in the back office: a fulfilment order's lines with the units left to
pack, a form that puts units into a new package (type, weight, dimensions), and the packages
with their delivery note, shipping (carrier and tracking number) and removal.

A location-bound worker sees only their location's fulfilment orders and packages; another
location's answer 404 as if they did not exist (design.md §5.7).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import NotFoundError, OrdnungError
from ordnung.fulfillment import package_queries, packages
from ordnung.fulfillment.package_model import (
    MAX_DIMENSION_MM,
    MAX_WEIGHT_GRAMS,
    PACKABLE,
    PACKAGE_TYPES,
    Measures,
    PackedUnits,
    Packing,
)
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.orchestration import package_actions
from ordnung.staff.model import FULFILLMENT_READ, FULFILLMENT_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.pages.order_actions import CARRIER_CHOICES, TRACKING_NUMBER, InvalidInputError
from ordnung.web.rendering import render
from ordnung.web.security import (
    PageNotFoundError,
    checked_form,
    database,
    ensure_permission,
    require_permission,
)

router = APIRouter(include_in_schema=False)

Outcome = tuple[str, dict[str, object]]


@router.get("/fulfillment/{fo_id}/packing", response_class=HTMLResponse)
def packing_screen(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
) -> Response:
    state = _state(request, staff, fo_id)
    context = {
        "active": "fulfillment",
        "packing": state,
        "can_pack": staff.can(FULFILLMENT_WRITE)
        and state["status"] in PACKABLE
        and any(line["unpacked_quantity"] for line in state["lines"]),
        "can_ship": staff.can(FULFILLMENT_WRITE) and state["status"] in PACKABLE,
        "package_types": PACKAGE_TYPES,
        "carriers": CARRIER_CHOICES,
        "max_weight": MAX_WEIGHT_GRAMS,
        "max_dimension": MAX_DIMENSION_MM,
    }
    return render(request, "packing/screen.html", context)


@router.post("/fulfillment/{fo_id}/packages")
def pack(
    request: Request,
    fo_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
    form: FormData = Depends(checked_form),
) -> Response:
    ensure_permission(staff, FULFILLMENT_WRITE)
    state = _state(request, staff, fo_id)

    def act() -> Outcome:
        units = [
            PackedUnits(line["id"], count)
            for line in state["lines"]
            if (count := _number(form.get(f"quantity_{line['id']}"), allow_zero=True))
        ]
        if not units:
            raise InvalidInputError("flash.pack_choose")
        measures = Measures(
            str(form.get("package_type", "")),
            _number(form.get("weight_grams")),
            *(_optional(form.get(name)) for name in ("length_mm", "width_mm", "height_mm")),
        )
        created = packages.pack(
            database(request),
            fo_id,
            Packing(units, measures),
            actor=_actor(staff),
            only_location_id=staff.location_id,
        )
        return "flash.packed", {"number": created.number}

    return _perform(request, fo_id, act, failure_key="flash.pack_failed")


@router.post("/packages/{package_id}/ship")
def ship(
    request: Request,
    package_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
    form: FormData = Depends(checked_form),
) -> Response:
    ensure_permission(staff, FULFILLMENT_WRITE)
    package = _package(request, staff, package_id)

    def act() -> Outcome:
        carrier = str(form.get("carrier", "")).strip()
        if carrier not in CARRIER_CHOICES:
            raise InvalidInputError("flash.unknown_carrier")
        tracking_number = str(form.get("tracking_number", "")).strip()
        if not TRACKING_NUMBER.fullmatch(tracking_number):
            raise InvalidInputError("flash.bad_tracking_number")
        package_actions.ship_package(
            database(request),
            package_id,
            ShipmentDraft(carrier, tracking_number),
            actor=_actor(staff),
            only_location_id=staff.location_id,
        )
        return "flash.package_shipped", {"number": package["number"]}

    return _perform(
        request, package["fulfillment_order_id"], act, failure_key="flash.package_ship_failed"
    )


@router.post("/packages/{package_id}/remove")
def remove(
    request: Request,
    package_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
    _form: FormData = Depends(checked_form),
) -> Response:
    ensure_permission(staff, FULFILLMENT_WRITE)
    package = _package(request, staff, package_id)

    def act() -> Outcome:
        packages.remove_package(
            database(request), package_id, actor=_actor(staff), only_location_id=staff.location_id
        )
        return "flash.package_removed", {"number": package["number"]}

    return _perform(
        request, package["fulfillment_order_id"], act, failure_key="flash.package_remove_failed"
    )


@router.get("/packages/{package_id}/delivery-note.pdf")
def delivery_note(
    request: Request,
    package_id: int,
    staff: StaffUser = Depends(require_permission(FULFILLMENT_READ)),
) -> Response:
    try:
        pdf, number = package_actions.delivery_note_pdf(
            database(request), package_id, only_location_id=staff.location_id
        )
    except NotFoundError:
        raise PageNotFoundError("error.package_not_found", package_id) from None
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{number}.pdf"'},
    )


def _state(request: Request, staff: StaffUser, fo_id: int) -> dict[str, Any]:
    try:
        return package_queries.packing_state(
            database(request), fo_id, only_location_id=staff.location_id
        )
    except NotFoundError:
        raise PageNotFoundError("error.fulfillment_order_not_found", fo_id) from None


def _package(request: Request, staff: StaffUser, package_id: int) -> dict[str, Any]:
    try:
        return package_queries.get_package(
            database(request), package_id, only_location_id=staff.location_id
        )
    except NotFoundError:
        raise PageNotFoundError("error.package_not_found", package_id) from None


def _number(value: object, *, allow_zero: bool = False) -> int:
    text = str(value or "").strip() or ("0" if allow_zero else "")
    if not text.isdigit() or len(text) > 9:
        raise InvalidInputError("flash.bad_number")
    return int(text)


def _optional(value: object) -> int | None:
    return None if not str(value or "").strip() else _number(value)


def _perform(
    request: Request, fo_id: int, act: Callable[[], Outcome], *, failure_key: str
) -> Response:
    """Runs the action and leaves its outcome as a flash message; back to the bench."""
    try:
        key, values = act()
    except InvalidInputError as error:
        leave_flash(request, "error", error.key, **error.values)
    except OrdnungError as error:
        leave_flash(request, "error", failure_key, detail=error.detail)
    else:
        leave_flash(request, "success", key, **values)
    return RedirectResponse(f"/fulfillment/{fo_id}/packing", status_code=303)


def _actor(staff: StaffUser) -> str:
    return f"staff:{staff.email}"
