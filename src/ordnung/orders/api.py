"""Orders over HTTP: read one, list and search. (Taking orders in, cancelling and releasing
holds are actions across capabilities: `orchestration/api.py`.)"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, require
from ordnung.orders import queries

router = APIRouter(tags=["orders"])


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


@router.get("/orders/{order_id}", summary="One order with lines, fulfilment and timeline")
def read_order(
    order_id: int,
    principal: Principal = Depends(require("orders:read")),
    db: Database = Depends(get_db),
) -> Response:
    return JSONResponse(queries.get_order(db, order_id))


class OrderListQuery(Strict):
    status: str | None = None
    channel: Annotated[str | None, Field(max_length=40)] = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: Annotated[str | None, Field(max_length=200)] = None
    cursor: Annotated[str | None, Field(max_length=40)] = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


@router.get("/orders", summary="List and search orders (newest first, cursor pagination)")
def list_orders(
    params: Annotated[OrderListQuery, Query()],
    principal: Principal = Depends(require("orders:read")),
    db: Database = Depends(get_db),
) -> Response:
    filters = queries.OrderFilter(
        params.status, params.channel, params.created_from, params.created_to, params.q
    )
    page: dict[str, Any] = queries.list_orders(db, filters, params.cursor, params.limit)
    return JSONResponse(page)
