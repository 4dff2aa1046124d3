"""Orders over HTTP: read one, list and search. (Taking orders in, cancelling and releasing
holds are actions across capabilities: `orchestration/api.py`.)"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import MAX_BIGINT_ID, SINGLE_LINE, AwareTime
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError
from ordnung.core.http import JSONResponse, get_db, require
from ordnung.core.openapi import answers
from ordnung.core.paging import (
    DEFAULT_PAGE_SIZE,
    MAX_CURSOR_LENGTH,
    legacy_position,
    page_answers,
    page_from_legacy,
    page_request,
)
from ordnung.orders import queries
from ordnung.orders.schemas import OrderOut, OrderPageOut, OrderStatus

router = APIRouter(tags=["orders"])

# An order is named by its id or by its number, as people read it off a screen or an e-mail.
ORDER_REFERENCE = r"^([0-9]{1,19}|[Oo][Rr][Dd]-[0-9]{1,19})$"


def order_in_path() -> Any:
    """The order in a path, by id or number (a new declaration per route)."""
    return Path(
        pattern=ORDER_REFERENCE,
        max_length=23,
        description="The order's id (`321`) or its number (`ORD-000321`).",
        examples=["ORD-000321"],
    )


ETAG_HEADER = {
    "ETag": {
        "description": 'The order\'s version, for If-Match on the next change (`"3"`).',
        "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
    }
}


def order_id_from_reference(db: Database, reference: str) -> int:
    """The id of the order named by `reference` (see ORDER_REFERENCE); 404 if none."""
    if reference.isdigit():
        order_id = int(reference)
        if 0 < order_id <= MAX_BIGINT_ID:
            return order_id
    else:
        found = queries.find_order_id_by_number(db, reference.upper())
        if found is not None:
            return found
    raise NotFoundError(f"Order {reference} does not exist.")


def version_etag(version: int) -> str:
    return f'"{version}"'


@router.get(
    "/orders/{order_ref}",
    summary="One order with lines, fulfilment and timeline",
    responses=answers(OrderOut, 404, headers=ETAG_HEADER),
)
def read_order(
    order_ref: str = order_in_path(),
    _: Principal = Depends(require("orders:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Everything about one order: its lines with their price snapshots, holds, which
    location ships which units, shipments and the timeline of what happened. The ETag header
    is the order's version: send it as If-Match when you cancel or release a hold, so a
    change by someone else in between is refused (409) instead of overwritten."""
    detail = queries.get_order(db, order_id_from_reference(db, order_ref))
    return JSONResponse(detail, headers={"ETag": version_etag(detail["version"])})


class OrderListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: OrderStatus | None = None
    channel: Annotated[
        str | None,
        Field(max_length=40, pattern=SINGLE_LINE, description="Channel code"),
    ] = None
    created_from: Annotated[
        AwareTime | None,
        Field(
            description="Created at or after (ISO 8601 with offset)",
            examples=["2026-03-01T00:00:00+01:00"],
        ),
    ] = None
    created_to: Annotated[
        AwareTime | None,
        Field(description="Created before (ISO 8601 with offset)"),
    ] = None
    q: Annotated[
        str | None,
        Field(
            max_length=200,
            pattern=SINGLE_LINE,
            description=(
                "Words the order must all contain, anywhere in its number (also a part: "
                "`321`), external id, customer names (ASCII spelling finds umlauts), e-mail "
                "(also a part or the domain), phone, SKUs, tags or tracking numbers"
            ),
            examples=["mustermann"],
        ),
    ] = None
    tag: Annotated[
        str | None,
        Field(max_length=60, pattern=SINGLE_LINE, description="Only orders with this tag"),
    ] = None
    cursor: Annotated[str | None, Field(min_length=1, max_length=MAX_CURSOR_LENGTH)] = None
    limit: Annotated[int, Field(ge=1, description="Capped at the largest page size")] = (
        DEFAULT_PAGE_SIZE
    )


@router.get(
    "/orders",
    summary="List and search orders",
    responses=page_answers(OrderPageOut),
)
def list_orders(
    request: Request,
    params: Annotated[OrderListQuery, Query()],
    _: Principal = Depends(require("orders:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Orders, newest first: filter by status, channel and creation time, or search by
    order number, external id, e-mail, customer name or tracking number."""
    page = page_request(request, params.cursor, params.limit)
    filters = queries.OrderFilter(
        None if params.status is None else params.status.value,
        params.channel,
        params.created_from,
        params.created_to,
        params.q,
        params.tag,
    )
    result: dict[str, Any] = queries.list_orders(db, filters, legacy_position(page), page.limit)
    return page_from_legacy(page, result)
