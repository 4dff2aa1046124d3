"""Packing over HTTP: put units of a fulfilment order into packages, ship one package at a
time, print its delivery note. A key bound to a location sees and works only its own
location's fulfilment orders and packages: another's answer 404."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ordnung.core.api_fields import record_id
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, idempotent, json_answer, require, respond
from ordnung.core.idempotency import Answer
from ordnung.core.openapi import REPLAYED_HEADER, answers, idempotent_operation, problems
from ordnung.fulfillment import package_queries, packages
from ordnung.fulfillment.package_model import Measures, PackedUnits, Packing
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.orchestration import package_actions
from ordnung.orchestration.package_schemas import (
    PackageCreatedOut,
    PackageIn,
    PackageOut,
    PackageRemovedOut,
    PackageShippedOut,
    PackingOut,
)
from ordnung.orchestration.schemas import ShipIn

router = APIRouter(tags=["packing"])

CREATED = json_answer(201)
PDF_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The delivery note, A4, in the order's language",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    },
    **problems(404),
}


def _fo_id() -> Any:
    return record_id("The fulfilment order's id", example=7)


def _package_id() -> Any:
    return record_id("The package's id", example=5)


def _created(result: Any) -> Answer:
    return CREATED(asdict(result))


@router.post(
    "/fulfillment-orders/{fo_id}/packages",
    summary="Put units into a new package",
    status_code=201,
    responses=answers(
        PackageCreatedOut, 404, 409, status=201, description="Packed", headers=REPLAYED_HEADER
    ),
    openapi_extra=idempotent_operation(),
)
def create_package(
    body: PackageIn,
    request: Request,
    fo_id: int = _fo_id(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Packs units of the fulfilment order's lines into one package (type, weight in grams,
    optional dimensions in mm). At most the units still to ship that are in no other
    package (else 422). An accepted fulfilment order starts picking; once every unit still
    to ship is in a package it is `packed`. Only accepted, picking or packed work can be
    packed (else 409). Send an Idempotency-Key: a retry packs once."""
    keyed = idempotent(request, principal, body, _created)
    units = [PackedUnits(line.line_id, line.quantity) for line in body.lines]
    measures = Measures(
        body.package_type.value, body.weight_grams, body.length_mm, body.width_mm, body.height_mm
    )
    created = packages.pack(
        db,
        fo_id,
        Packing(units, measures),
        actor=principal.actor,
        only_location_id=principal.location_id,
        idempotency=keyed,
    )
    return respond(created, _created, keyed)


@router.get(
    "/fulfillment-orders/{fo_id}/packages",
    summary="A fulfilment order's packing: lines left to pack and packages",
    responses=answers(PackingOut, 404),
)
def list_packages(
    fo_id: int = _fo_id(),
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Each line with its units shipped, packed (in unshipped packages) and still unpacked,
    and the packages, oldest first, with their lines and shipment."""
    return JSONResponse(
        package_queries.packing_state(db, fo_id, only_location_id=principal.location_id)
    )


@router.get(
    "/packages/{package_id}",
    summary="One package",
    responses=answers(PackageOut, 404),
)
def read_package(
    package_id: int = _package_id(),
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The package with its lines, and its shipment once shipped."""
    return JSONResponse(
        package_queries.get_package(db, package_id, only_location_id=principal.location_id)
    )


@router.delete(
    "/packages/{package_id}",
    summary="Take an unshipped package apart",
    responses=answers(PackageRemovedOut, 404, 409),
)
def delete_package(
    package_id: int = _package_id(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Its units are unpacked again; a `packed` fulfilment order goes back to `picking`. A
    shipped package cannot be removed (409); a removed one answers 404."""
    removed = packages.remove_package(
        db, package_id, actor=principal.actor, only_location_id=principal.location_id
    )
    return JSONResponse(asdict(removed))


@router.post(
    "/packages/{package_id}/ship",
    summary="Ship one package",
    status_code=201,
    responses=answers(
        PackageShippedOut, 404, 409, status=201, description="Shipped", headers=REPLAYED_HEADER
    ),
    openapi_extra=idempotent_operation(),
)
def ship_package(
    body: ShipIn,
    request: Request,
    package_id: int = _package_id(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Exactly the package's units leave the location's stock with their own shipment
    (carrier, service, tracking number) and count as shipped on the order. The fulfilment
    order is `shipped` when no unit is left to ship; otherwise it stays (a partial shipment).
    An open cancellation request of the fulfilment order is declined: the goods have left.
    A shipped package is a 409. Send an Idempotency-Key: a retry ships once."""
    keyed = idempotent(request, principal, body, _created)
    draft = ShipmentDraft(body.carrier.lower(), body.tracking_number, body.service)
    shipped = package_actions.ship_package(
        db,
        package_id,
        draft,
        actor=principal.actor,
        only_location_id=principal.location_id,
        idempotency=keyed,
    )
    return respond(shipped, _created, keyed)


@router.get(
    "/packages/{package_id}/delivery-note.pdf",
    summary="The package's delivery note as a PDF",
    response_class=Response,
    responses=PDF_ANSWER,
)
def delivery_note(
    package_id: int = _package_id(),
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """A4 delivery note ("Lieferschein") in the order's language (`de` or `en`): sender,
    ship-to, order and package number, date, the package's lines with SKU, name, quantity
    and GTIN, the gift note, and the package number as a Code 128 barcode."""
    pdf, number = package_actions.delivery_note_pdf(
        db, package_id, only_location_id=principal.location_id
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{number}.pdf"'},
    )
