"""Bodies and answers of the fulfilment exception routes (short picks, cancellation
requests, start picking), for the API and its OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import MAX_BIGINT_ID, free_text
from ordnung.core.openapi import ResponseModel
from ordnung.fulfillment.schemas import FulfillmentStatus
from ordnung.orders.schemas import OrderStatus


def _strict(**example: Any) -> ConfigDict:
    return ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [example]}
    )


class MissingLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_id: Annotated[
        int,
        Field(ge=1, le=MAX_BIGINT_ID, strict=True, description="A line of this fulfilment order"),
    ]
    missing: Annotated[int, Field(ge=1, le=100_000, strict=True, description="Units not found")]


class ShortPickIn(BaseModel):
    model_config = _strict(lines=[{"line_id": 12, "missing": 1}], note="Shelf B-12 empty")

    lines: Annotated[list[MissingLineIn], Field(min_length=1, max_length=500)]
    note: Annotated[str, free_text(300, min_length=0)] = ""


class AcceptCancellationIn(BaseModel):
    model_config = _strict(note="Goods back on the shelf")

    note: Annotated[str, free_text(300, min_length=0)] = ""


class DeclineCancellationIn(BaseModel):
    model_config = _strict(note="Parcel already handed to the carrier")

    note: Annotated[str, free_text(300)]


class ShortPickedOut(ResponseModel):
    fulfillment_order_id: int
    fulfillment_order_status: FulfillmentStatus
    order_status: OrderStatus
    report_ids: list[int] = Field(description="The short-pick reports now on the order.")


class CancellationDecidedOut(ResponseModel):
    request_id: int
    fulfillment_order_id: int
    decision: str = Field(examples=["accepted"], description="`accepted` or `declined`")
    order_status: OrderStatus


class ShortPickReportOut(ResponseModel):
    """A location's report of missing units on one line, and what sourcing made of them."""

    id: int
    fulfillment_order_id: int
    order_line_id: int
    location_id: int
    sku: str
    missing: int
    resourced: int = Field(description="Units sourced again at once")
    backordered: int = Field(description="Units waiting for stock")
    outcome: str = Field(examples=["resourced"], description="`resourced` or `backordered`")
    note: str
    reported_by: str
    reported_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None


class ShortPickListOut(ResponseModel):
    items: list[ShortPickReportOut]


class CancellationRequestOut(ResponseModel):
    """A location asked to cancel work it had started; `decision` is null while open."""

    id: int
    fulfillment_order_id: int
    fulfillment_order_status: FulfillmentStatus
    location_id: int
    reason: str
    requested_by: str
    requested_at: datetime
    decision: str | None
    decided_by: str | None
    decided_at: datetime | None
    note: str | None
    order_line_id: int | None = Field(
        description="A line cancel's request names units of this order line; null: the whole"
        " fulfilment order"
    )
    quantity: int | None = Field(description="How many units of that line; null: all")
    sku: str | None = Field(description="The SKU of those units; null: all")


class CancellationRequestListOut(ResponseModel):
    items: list[CancellationRequestOut]
