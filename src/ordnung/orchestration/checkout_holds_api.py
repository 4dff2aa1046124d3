"""HTTP interface of checkout holds (`/reservations`): a shop holds a cart's units while the
shopper pays; the order that follows names the hold (`reservation_id`) and takes its units."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import SINGLE_LINE, record_id
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, idempotent, json_answer, require, respond
from ordnung.core.openapi import ResponseModel, answers, idempotent_operation
from ordnung.inventory.checkout_hold_model import (
    DEFAULT_TTL_SECONDS,
    MAX_TTL_SECONDS,
    MIN_TTL_SECONDS,
)
from ordnung.orchestration import checkout_holds
from ordnung.orchestration.checkout_holds import Cart, CartLine

router = APIRouter(tags=["checkout holds"])

# The shop that places orders holds carts for them.
READ = "orders:read"
WRITE = "orders:write"
MAX_CART_LINES = 100
MAX_UNITS = 100_000

SkuText = Annotated[str, Field(min_length=1, max_length=64, pattern=SINGLE_LINE)]


class CartLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: SkuText
    quantity: Annotated[int, Field(ge=1, le=MAX_UNITS, strict=True)]


class CheckoutHoldIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"lines": [{"sku": "OD-0001", "quantity": 2}], "ttl_seconds": 900}]
        },
    )

    lines: list[CartLineIn] = Field(min_length=1, max_length=MAX_CART_LINES)
    location: Annotated[str, Field(min_length=1, max_length=40, pattern=SINGLE_LINE)] | None = (
        Field(None, description="Hold every unit at this location only")
    )
    ttl_seconds: Annotated[int, Field(ge=MIN_TTL_SECONDS, le=MAX_TTL_SECONDS, strict=True)] = (
        DEFAULT_TTL_SECONDS
    )


class HeldLineOut(ResponseModel):
    sku: str
    quantity: int
    location: str


class CheckoutHoldOut(ResponseModel):
    id: int
    status: Literal["active", "converted", "expired", "released"]
    location: str | None
    order_id: int | None = Field(description="The order that took the hold over")
    expires_at: datetime
    created_at: datetime
    ended_at: datetime | None
    lines: list[HeldLineOut]


def hold_in_path() -> Any:
    return record_id("The checkout hold's id")


@router.post(
    "/reservations",
    status_code=201,
    summary="Hold stock for a cart",
    responses=answers(CheckoutHoldOut, 409, status=201, description="The hold, active"),
    openapi_extra=idempotent_operation(),
)
def place_checkout_hold(
    body: CheckoutHoldIn,
    request: Request,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Holds every unit of the cart for `ttl_seconds` (60–3600), or nothing: when a SKU is
    short the answer is 409 `insufficient-stock` with `skus`. Send the hold's `id` as the
    order's `reservation_id` and the order takes the held units; otherwise the hold runs out
    and the units are free again."""
    render = json_answer(201)
    keyed = idempotent(request, principal, body, render)
    cart = Cart(
        tuple(CartLine(line.sku, line.quantity) for line in body.lines),
        body.ttl_seconds,
        body.location,
    )
    placed = checkout_holds.place_checkout_hold(db, cart, actor=principal.actor, idempotency=keyed)
    return respond(placed, render, keyed)


@router.get(
    "/reservations/{hold_id}",
    summary="One checkout hold",
    responses=answers(CheckoutHoldOut, 404),
)
def get_checkout_hold(
    hold_id: int = hold_in_path(),
    principal: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """A hold of this API key's caller (anyone else's answers 404)."""
    return JSONResponse(checkout_holds.find_checkout_hold(db, hold_id, actor=principal.actor))


@router.delete(
    "/reservations/{hold_id}",
    summary="Let a checkout hold go",
    responses=answers(CheckoutHoldOut, 404, 409, description="The hold, released"),
)
def release_checkout_hold(
    hold_id: int = hold_in_path(),
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Gives an active hold's units back (orders waiting for them take them at once). A hold
    already converted into an order, expired or released is a 409 `invalid-transition`."""
    released = checkout_holds.release_checkout_hold(db, hold_id, actor=principal.actor)
    return JSONResponse(released)
