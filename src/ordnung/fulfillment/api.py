"""Fulfilment over HTTP: what a location must ship, and accepting it. (Shipping and rejecting
change the order too: `orchestration/api.py`.)"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import SINGLE_LINE, key_in_path, record_id
from ordnung.core.auth import Principal
from ordnung.core.batching import JobWriter
from ordnung.core.db import Database, WriteJob
from ordnung.core.http import JSONResponse, get_db, require
from ordnung.core.openapi import answers
from ordnung.core.paging import (
    DEFAULT_PAGE_SIZE,
    MAX_CURSOR_LENGTH,
    encode_cursor,
    legacy_position,
    page_answers,
    page_from_legacy,
    page_request,
)
from ordnung.fulfillment import queries, queue_queries, service
from ordnung.fulfillment.schemas import (
    DueFilter,
    FulfillmentOrderOut,
    FulfillmentOrderPageOut,
    FulfillmentStateOut,
    FulfillmentStatus,
    QueuePageOut,
    ServiceLevel,
)

router = APIRouter(tags=["fulfillment"])


def fulfillment_order_id() -> Any:
    return record_id("The fulfilment order's id", example=7)


class FulfillmentListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    location: Annotated[
        str | None, Field(max_length=40, pattern=SINGLE_LINE, examples=["lager-nord"])
    ] = None
    status: FulfillmentStatus | None = None
    cursor: Annotated[str | None, Field(min_length=1, max_length=MAX_CURSOR_LENGTH)] = None
    limit: Annotated[int, Field(ge=1, description="Capped at the largest page size")] = (
        DEFAULT_PAGE_SIZE
    )


@router.get(
    "/fulfillment-orders",
    summary="A location's work list",
    responses=page_answers(FulfillmentOrderPageOut),
)
def list_fulfillment_orders(
    request: Request,
    params: Annotated[FulfillmentListQuery, Query()],
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Fulfilment orders, newest first, filterable by location code and status. A key bound
    to a location sees only that location's work, whatever the filter says."""
    page = page_request(request, params.cursor, params.limit)
    result = queries.list_fulfillment_orders(
        db,
        location_code=params.location,
        status=None if params.status is None else params.status.value,
        cursor=legacy_position(page),
        limit=page.limit,
        only_location_id=principal.location_id,
    )
    return page_from_legacy(page, result)


@router.get(
    "/fulfillment-orders/{fo_id}",
    summary="One fulfilment order with its lines",
    responses=answers(FulfillmentOrderOut, 404),
)
def read_fulfillment_order(
    fo_id: int = fulfillment_order_id(),
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """What one location must pick and ship for one order, line by line."""
    return JSONResponse(
        queries.get_fulfillment_order(db, fo_id, only_location_id=principal.location_id)
    )


@router.post(
    "/fulfillment-orders/{fo_id}/accept",
    summary="The location accepts the work",
    responses=answers(FulfillmentStateOut, 404, 409),
)
async def accept(
    request: Request,
    fo_id: int = fulfillment_order_id(),
    principal: Principal = Depends(require("fulfillment:write")),
) -> Response:
    """The location confirms it will ship this work; no stock moves. Only a released
    fulfilment order can be accepted (otherwise 409)."""
    # Committed with the location's other answers of the moment (group commit, see
    # orchestration/api.py `create_location_work_writer`).
    job = WriteJob(
        lambda uow: service.accept(uow, fo_id),
        principal.actor,
        check=queries.location_access_check(fo_id, principal.location_id),
    )
    writer: JobWriter = request.app.state.location_work
    return JSONResponse(await writer.submit(job))


class OpenStatus(StrEnum):
    """The statuses of work still in a location's queue."""

    RELEASED = "released"
    ACCEPTED = "accepted"
    PICKING = "picking"
    PACKED = "packed"
    READY_FOR_PICKUP = "ready_for_pickup"


class QueueQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: OpenStatus | None = None
    service_level: ServiceLevel | None = None
    due: Annotated[
        DueFilter | None,
        Field(
            description="`late`: promised ship date before the location's today; `due_today`;"
            " `later`: after today or nothing promised."
        ),
    ] = None
    q: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=40,
            pattern=SINGLE_LINE,
            description="Part of the order number.",
            examples=["ORD-0003"],
        ),
    ] = None
    cursor: Annotated[str | None, Field(min_length=1, max_length=MAX_CURSOR_LENGTH)] = None
    limit: Annotated[int, Field(ge=1, description="Capped at the largest page size")] = (
        DEFAULT_PAGE_SIZE
    )


@router.get(
    "/locations/{code}/queue",
    summary="A location's queue of open work",
    responses=page_answers(QueuePageOut, 404),
)
def location_queue(
    request: Request,
    params: Annotated[QueueQuery, Query()],
    code: str = key_in_path("The location's code", max_length=40, example="lager-nord"),
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The location's open fulfilment orders (released, accepted, picking, packed, ready for
    pickup): urgent first, then by promised ship date (undated last), then oldest first. Each
    item carries an SLA marker counted in the location's time zone (`late`, `due_today` or
    none); `today` says which day that is. A key bound to another location gets 404."""
    page = page_request(request, params.cursor, params.limit)
    filters = queue_queries.QueueFilter(
        status=None if params.status is None else params.status.value,
        service_level=None if params.service_level is None else params.service_level.value,
        due=None if params.due is None else params.due.value,
        q=params.q,
    )
    result = queue_queries.location_queue(
        db,
        code,
        filters,
        after_id=page.after_id,
        limit=page.limit,
        only_location_id=principal.location_id,
    )
    return JSONResponse(
        {
            "items": result["items"],
            "next_cursor": None
            if result["next_after_id"] is None
            else encode_cursor(result["next_after_id"]),
            "today": result["today"],
        },
        headers=page.headers,
    )
