"""Fulfilment over HTTP: what a location must ship, and accept / ship / reject."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, idempotency_claim, require, stored_response
from ordnung.fulfillment import queries, service

router = APIRouter(tags=["fulfillment"])


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ShipIn(Strict):
    carrier: Annotated[str, Field(min_length=1, max_length=40, examples=["dhl"])]
    tracking_number: Annotated[str, Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9-]+$")]
    service: Annotated[str, Field(max_length=60)] = ""


class RejectIn(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=300)]


class FulfillmentListQuery(Strict):
    location: Annotated[str | None, Field(max_length=40)] = None
    status: Annotated[str | None, Field(max_length=24)] = None
    cursor: Annotated[str | None, Field(max_length=40)] = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


@router.get("/fulfillment-orders", summary="Fulfilment orders, filterable by location and status")
def list_fulfillment_orders(
    params: Annotated[FulfillmentListQuery, Query()],
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    page = queries.list_fulfillment_orders(
        db,
        location_code=params.location,
        status=params.status,
        cursor=params.cursor,
        limit=params.limit,
        only_location_id=principal.location_id,
    )
    return JSONResponse(page)


@router.get("/fulfillment-orders/{fo_id}", summary="One fulfilment order with its lines")
def read_fulfillment_order(
    fo_id: int,
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    return JSONResponse(
        queries.get_fulfillment_order(db, fo_id, only_location_id=principal.location_id)
    )


@router.post("/fulfillment-orders/{fo_id}/accept", summary="The location accepts the work")
def accept(
    fo_id: int,
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    _check_location(db, fo_id, principal)
    return JSONResponse(service.accept_fulfillment_order(db, fo_id, actor=principal.actor))


@router.post(
    "/fulfillment-orders/{fo_id}/ship",
    status_code=201,
    summary="Ship everything still reserved: stock leaves, a shipment is recorded",
)
def ship(
    fo_id: int,
    body: ShipIn,
    request: Request,
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    _check_location(db, fo_id, principal)
    claim = idempotency_claim(request, principal, body)
    stored = service.ship_fulfillment_order(
        db,
        fo_id,
        carrier=body.carrier.lower(),
        tracking_number=body.tracking_number,
        service=body.service,
        actor=principal.actor,
        idempotency=claim,
    )
    return stored_response(stored)


@router.post(
    "/fulfillment-orders/{fo_id}/reject",
    summary="The location cannot ship: reservations are released and the lines sourced again",
)
def reject(
    fo_id: int,
    body: RejectIn,
    request: Request,
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    _check_location(db, fo_id, principal)
    claim = idempotency_claim(request, principal, body)
    stored = service.reject_fulfillment_order(
        db, fo_id, reason=body.reason, actor=principal.actor, idempotency=claim
    )
    return stored_response(stored)


def _check_location(db: Database, fo_id: int, principal: Principal) -> None:
    """A location-bound key may only act on its own location's fulfilment orders; others
    answer 404. The location of a fulfilment order never changes, so checking before the
    action's own transaction leaves no gap."""
    if principal.location_id is not None:
        queries.get_fulfillment_order(db, fo_id, only_location_id=principal.location_id)
