"""Fulfilment over HTTP: what a location must ship, and accepting it. (Shipping and rejecting
change the order too: `orchestration/api.py`.)"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, require
from ordnung.fulfillment import queries, service

router = APIRouter(tags=["fulfillment"])


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
    queries.check_location_access(db, fo_id, principal.location_id)
    return JSONResponse(service.accept_fulfillment_order(db, fo_id, actor=principal.actor))
