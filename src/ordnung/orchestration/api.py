"""The actions that move an order across capabilities, over HTTP: take an order in, cancel it,
release a hold, ship or reject a fulfilment order, count or receive stock.

Reads of each capability are in its own `api.py`; these writes live here beside their
services (`orchestration/`), so no capability's router calls up into another.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from ordnung.core.auth import Principal
from ordnung.core.batching import BatchWriter
from ordnung.core.db import Database
from ordnung.core.errors import ValidationError
from ordnung.core.http import (
    get_db,
    idempotent,
    json_answer,
    json_body,
    parse_json_body,
    require,
    respond,
    version_from_if_match,
)
from ordnung.core.idempotency import Answer
from ordnung.fulfillment.queries import check_location_access
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.inventory.model import MAX_REASON_LENGTH
from ordnung.inventory.service import StockCount, StockMove
from ordnung.orchestration import fulfillment_actions, intake, order_actions, stock_actions
from ordnung.orchestration.fulfillment_actions import (
    RejectedFulfillmentOrder,
    ShippedFulfillmentOrder,
)
from ordnung.orchestration.intake import PlacedOrder
from ordnung.orders.draft import Address, ExpectedTotals, NewOrder, NewOrderLine

router = APIRouter()


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# Money travels as strings ("19.99"); a JSON number would invite binary floating point.
MoneyString = Annotated[
    str, Field(pattern=r"^-?\d{1,12}(\.\d{1,6})?$", examples=["19.99"], max_length=20)
]
RateString = Annotated[str, Field(pattern=r"^\d{1,2}(\.\d{1,2})?$", examples=["19"])]
Text = Annotated[str, Field(min_length=1, max_length=200)]
OptionalText = Annotated[str, Field(max_length=200)]


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

    def to_model(self) -> Address:
        return Address(**self.model_dump())


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

    def to_model(self) -> NewOrder:
        if self.placed_at is not None and self.placed_at.tzinfo is None:
            raise ValidationError("placed_at needs a UTC offset.", field="placed_at")
        billing = self.billing_address.to_model()
        expected = self.totals or TotalsIn()
        return NewOrder(
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
                NewOrderLine(
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
            expected=ExpectedTotals(
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


class ShipIn(Strict):
    carrier: Annotated[str, Field(min_length=1, max_length=40, examples=["dhl"])]
    tracking_number: Annotated[str, Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9-]+$")]
    service: Annotated[str, Field(max_length=60)] = ""


class RejectIn(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=300)]


# Stock figures are counts of physical units; a billion is far beyond any real position and
# keeps sums well inside 64-bit integers.
MAX_UNITS = 1_000_000_000
Reason = Annotated[str, Field(min_length=1, max_length=MAX_REASON_LENGTH)]


class StockSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on_hand: int = Field(ge=0, le=MAX_UNITS)
    safety_stock: int | None = Field(None, ge=0, le=MAX_UNITS)
    reason: Reason


class StockAdjust(BaseModel):
    model_config = ConfigDict(extra="forbid")

    delta: int = Field(ge=-MAX_UNITS, le=MAX_UNITS)
    reason: Reason
    kind: Literal["receipt", "adjustment"] = "adjustment"


# -- answers ---------------------------------------------------------------------------------

OK = json_answer(200)


def placed_answer(placed: PlacedOrder) -> Answer:
    """201 with the order for a new one, 200 with the stored one for a repeat."""
    return json_answer(201 if placed.is_new else 200)(placed.order)


def shipped_answer(shipped: ShippedFulfillmentOrder) -> Answer:
    return json_answer(201)({**asdict(shipped.shipment), "order_status": shipped.order_status})


def rejected_answer(rejected: RejectedFulfillmentOrder) -> Answer:
    body = {
        "id": rejected.fulfillment_order_id,
        "status": rejected.status,
        "order_status": rejected.order_status,
    }
    return json_answer(200)(body)


# -- orders ----------------------------------------------------------------------------------

IntakeWriter = BatchWriter[intake.IntakeRequest, PlacedOrder]


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
    tags=["orders"],
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
    keyed = idempotent(request, principal, body, placed_answer)
    job = intake.IntakeRequest(body.to_model(), principal.actor, keyed)
    writer: IntakeWriter = request.app.state.order_intake
    return respond(await writer.submit(job), placed_answer, keyed)


@router.post(
    "/orders/{order_id}/cancel", tags=["orders"], summary="Cancel an order before shipment"
)
def cancel_order(
    order_id: int,
    request: Request,
    body: CancelIn | None = None,
    if_match: Annotated[str | None, Header()] = None,
    principal: Principal = Depends(require("orders:write")),
    db: Database = Depends(get_db),
) -> Response:
    body = body or CancelIn()
    keyed = idempotent(request, principal, body.model_dump(mode="json"), OK)
    detail = order_actions.cancel_order(
        db,
        order_id,
        reason=body.reason,
        actor=principal.actor,
        expected_version=version_from_if_match(if_match),
        idempotency=keyed,
    )
    return respond(detail, OK, keyed)


@router.post(
    "/orders/{order_id}/holds/{hold_id}/release",
    tags=["orders"],
    summary="Release a hold with a note",
)
def release_hold(
    order_id: int,
    hold_id: int,
    body: ReleaseHoldIn,
    if_match: Annotated[str | None, Header()] = None,
    principal: Principal = Depends(require("orders:write")),
    db: Database = Depends(get_db),
) -> Response:
    detail = order_actions.release_hold(
        db,
        order_id,
        hold_id,
        note=body.note,
        actor=principal.actor,
        expected_version=version_from_if_match(if_match),
    )
    return respond(detail, OK)


# -- fulfilment ------------------------------------------------------------------------------


@router.post(
    "/fulfillment-orders/{fo_id}/ship",
    status_code=201,
    tags=["fulfillment"],
    summary="Ship everything still reserved: stock leaves, a shipment is recorded",
)
def ship(
    fo_id: int,
    body: ShipIn,
    request: Request,
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    check_location_access(db, fo_id, principal.location_id)
    keyed = idempotent(request, principal, body, shipped_answer)
    draft = ShipmentDraft(body.carrier.lower(), body.tracking_number, body.service)
    shipped = fulfillment_actions.ship_fulfillment_order(
        db, fo_id, draft, actor=principal.actor, idempotency=keyed
    )
    return respond(shipped, shipped_answer, keyed)


@router.post(
    "/fulfillment-orders/{fo_id}/reject",
    tags=["fulfillment"],
    summary="The location cannot ship: reservations are released and the lines sourced again",
)
def reject(
    fo_id: int,
    body: RejectIn,
    request: Request,
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    check_location_access(db, fo_id, principal.location_id)
    keyed = idempotent(request, principal, body, rejected_answer)
    rejected = fulfillment_actions.reject_fulfillment_order(
        db, fo_id, reason=body.reason, actor=principal.actor, idempotency=keyed
    )
    return respond(rejected, rejected_answer, keyed)


# -- stock -----------------------------------------------------------------------------------


@router.post("/stock/{sku}/{location_code}/set", tags=["inventory"])
def set_stock(
    sku: str,
    location_code: str,
    body: StockSet,
    request: Request,
    principal: Principal = Depends(require("inventory:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Books a stock count: on hand becomes the given number; new units go to the orders
    waiting for them."""
    keyed = idempotent(request, principal, body.model_dump(mode="json"), OK)
    count = StockCount(body.on_hand, body.reason, body.safety_stock)
    position = stock_actions.set_stock(
        db, sku, location_code, count, actor=principal.actor, idempotency=keyed
    )
    return respond(position, OK, keyed)


@router.post("/stock/{sku}/{location_code}/adjust", tags=["inventory"])
def adjust_stock(
    sku: str,
    location_code: str,
    body: StockAdjust,
    request: Request,
    principal: Principal = Depends(require("inventory:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Adds or removes units; send an Idempotency-Key so a retried receipt counts once."""
    keyed = idempotent(request, principal, body.model_dump(mode="json"), OK)
    move = StockMove(body.delta, body.reason, body.kind)
    position = stock_actions.adjust_stock(
        db, sku, location_code, move, actor=principal.actor, idempotency=keyed
    )
    return respond(position, OK, keyed)
