"""What the API answers about fulfilment orders and shipments, for the OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from ordnung.core.openapi import ResponseModel


class FulfillmentStatus(StrEnum):
    """Where a location stands with its part of an order (`fulfillment/model.py` declares the
    transitions)."""

    RELEASED = "released"
    ACCEPTED = "accepted"
    PICKING = "picking"
    PACKED = "packed"
    SHIPPED = "shipped"
    READY_FOR_PICKUP = "ready_for_pickup"
    PICKED_UP = "picked_up"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class ShipmentStatus(StrEnum):
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED_TO_SENDER = "returned_to_sender"


class FulfillmentLineOut(ResponseModel):
    id: int
    order_line_id: int
    sku: str
    quantity: int
    shipped_quantity: int


class FulfillmentLocationOut(ResponseModel):
    code: str
    name: str


class FulfillmentOrderSummaryOut(ResponseModel):
    """A location's work for one order, in a list."""

    id: int
    order_id: int
    order_number: str = Field(examples=["ORD-000321"])
    location: FulfillmentLocationOut
    status: FulfillmentStatus
    reject_reason: str | None
    created_at: datetime
    updated_at: datetime


class FulfillmentOrderOut(FulfillmentOrderSummaryOut):
    """A location's work for one order: what to pick, pack and ship."""

    lines: list[FulfillmentLineOut]


class FulfillmentOrderPageOut(ResponseModel):
    items: list[FulfillmentOrderSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class FulfillmentStateOut(ResponseModel):
    id: int
    status: FulfillmentStatus
