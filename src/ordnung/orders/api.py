"""Orders over HTTP: intake, read, list, cancel, release holds."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from ordnung.core.auth import Principal
from ordnung.core.batching import BatchWriter
from ordnung.core.db import Database
from ordnung.core.errors import ValidationError
from ordnung.core.http import (
    JSONResponse,
    get_db,
    idempotency_claim,
    json_body,
    parse_json_body,
    require,
    stored_response,
)
from ordnung.core.idempotency import StoredResponse
from ordnung.orders import intake, model, queries, service

router = APIRouter(tags=["orders"])

# Money travels as strings ("19.99"); a JSON number would invite binary floating point.
MoneyString = Annotated[
    str, Field(pattern=r"^-?\d{1,12}(\.\d{1,6})?$", examples=["19.99"], max_length=20)
]
RateString = Annotated[str, Field(pattern=r"^\d{1,2}(\.\d{1,2})?$", examples=["19"])]
Text = Annotated[str, Field(min_length=1, max_length=200)]
OptionalText = Annotated[str, Field(max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AddressIn(Strict):
    first_name: Text
    last_name: Text
    company: OptionalText = ""
    street: Text
    street2: OptionalText = ""
    postal_code: Annotated[str, Field(min_length=1, max_length=20)]
    city: Text
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$", examples=["DE"])]
    phone: Annotated[str, Field(max_length=40)] = ""

    def to_model(self) -> model.Address:
        return model.Address(**self.model_dump())


class CustomerIn(Strict):
    email: EmailStr
    first_name: OptionalText = ""
    last_name: OptionalText = ""
    phone: Annotated[str | None, Field(max_length=40)] = None


class OrderLineIn(Strict):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str | None, Field(max_length=300)] = None
    quantity: Annotated[int, Field(gt=0, le=100_000, strict=True)]
    unit_price: MoneyString
    discount: MoneyString = "0"
    tax_rate: RateString


class TotalsIn(Strict):
    subtotal: MoneyString | None = None
    tax: MoneyString | None = None
    total: MoneyString | None = None


class OrderIn(Strict):
    channel: Annotated[str, Field(min_length=1, max_length=40)]
    external_id: Annotated[str, Field(min_length=1, max_length=128)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])]
    placed_at: datetime | None = None
    customer: CustomerIn
    billing_address: AddressIn
    shipping_address: AddressIn | None = None
    shipping_method: Annotated[str, Field(max_length=64)] = "standard"
    shipping_amount: MoneyString = "0"
    shipping_tax_rate: RateString = "19"
    prices_include_tax: bool = True
    lines: Annotated[list[OrderLineIn], Field(min_length=1, max_length=500)]
    totals: TotalsIn | None = None

    def to_model(self) -> model.NewOrder:
        if self.placed_at is not None and self.placed_at.tzinfo is None:
            raise ValidationError("placed_at needs a UTC offset.", field="placed_at")
        billing = self.billing_address.to_model()
        expected = self.totals or TotalsIn()
        return model.NewOrder(
            channel=self.channel,
            external_id=self.external_id,
            currency=self.currency,
            email=str(self.customer.email).lower(),
            first_name=self.customer.first_name or billing.first_name,
            last_name=self.customer.last_name or billing.last_name,
            phone=self.customer.phone,
            billing_address=billing,
            shipping_address=(self.shipping_address or self.billing_address).to_model(),
            lines=tuple(
                model.NewOrderLine(
                    sku=line.sku,
                    name=line.name,
                    quantity=line.quantity,
                    unit_price=Decimal(line.unit_price),
                    discount=Decimal(line.discount),
                    tax_rate=Decimal(line.tax_rate),
                )
                for line in self.lines
            ),
            shipping_amount=Decimal(self.shipping_amount),
            shipping_tax_rate=Decimal(self.shipping_tax_rate),
            shipping_method=self.shipping_method,
            prices_include_tax=self.prices_include_tax,
            placed_at=self.placed_at,
            expected=model.ExpectedTotals(
                subtotal=_decimal(expected.subtotal),
                tax=_decimal(expected.tax),
                total=_decimal(expected.total),
            ),
        )


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


class CancelIn(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=500)] = "cancelled by request"


class ReleaseHoldIn(Strict):
    note: Annotated[str, Field(min_length=1, max_length=1000)]


def _if_match(value: str | None) -> int | None:
    """`If-Match: "3"` (or 3) carries the order version an agent saw."""
    if value is None:
        return None
    cleaned = value.strip().removeprefix("W/").strip('"')
    if not cleaned.isdigit():
        raise ValidationError("If-Match must be the order's version number.", field="If-Match")
    return int(cleaned)


IntakeWriter = BatchWriter[intake.IntakeRequest, StoredResponse]


def create_intake_writer(db: Database, *, max_batch: int) -> IntakeWriter:
    """The process's order intake writer: orders that arrive while one batch is being
    committed go into the next, in one transaction (group commit, see core/batching.py)."""
    return BatchWriter(
        lambda jobs: intake.place_orders(db, jobs),
        max_batch=max_batch,
        hold=db.intake_turn,
        name="order-intake",
    )


@router.post(
    "/orders",
    status_code=201,
    summary="Send an order (idempotent)",
    openapi_extra=json_body(OrderIn),
)
async def create_order(
    request: Request,
    principal: Principal = Depends(require("orders:write")),
) -> Response:
    # The hot path: no thread hand-off here; the body is parsed once, on the event loop, and
    # the database work runs on the intake writer's thread together with concurrent orders.
    body = await parse_json_body(request, OrderIn)
    claim = idempotency_claim(request, principal, body)
    job = intake.IntakeRequest(body.to_model(), principal.actor, claim)
    writer: IntakeWriter = request.app.state.order_intake
    return stored_response(await writer.submit(job))


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


@router.post("/orders/{order_id}/cancel", summary="Cancel an order before shipment")
def cancel_order(
    order_id: int,
    request: Request,
    body: CancelIn | None = None,
    if_match: Annotated[str | None, Header()] = None,
    principal: Principal = Depends(require("orders:write")),
    db: Database = Depends(get_db),
) -> Response:
    body = body or CancelIn()
    claim = idempotency_claim(request, principal, body.model_dump(mode="json"))
    stored = service.cancel_order(
        db,
        order_id,
        reason=body.reason,
        actor=principal.actor,
        expected_version=_if_match(if_match),
        idempotency=claim,
    )
    return stored_response(stored)


@router.post("/orders/{order_id}/holds/{hold_id}/release", summary="Release a hold with a note")
def release_hold(
    order_id: int,
    hold_id: int,
    body: ReleaseHoldIn,
    if_match: Annotated[str | None, Header()] = None,
    principal: Principal = Depends(require("orders:write")),
    db: Database = Depends(get_db),
) -> Response:
    detail = service.release_hold(
        db,
        order_id,
        hold_id,
        note=body.note,
        actor=principal.actor,
        expected_version=_if_match(if_match),
    )
    return JSONResponse(detail)
