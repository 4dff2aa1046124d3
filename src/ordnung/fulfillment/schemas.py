"""What the API answers about fulfilment orders and shipments, for the OpenAPI document."""

from __future__ import annotations

from datetime import date, datetime
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


class ServiceLevel(StrEnum):
    """How fast the parcel must go (`fulfillment/queue.py` SERVICE_LEVELS)."""

    STANDARD = "standard"
    EXPRESS = "express"
    SAME_DAY = "same_day"


class Priority(StrEnum):
    """How urgent the work is: a queue shows urgent work first."""

    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"


class SlaMarker(StrEnum):
    """Against the promised ship date, in the location's time zone."""

    LATE = "late"
    DUE_TODAY = "due_today"


class DueFilter(StrEnum):
    LATE = "late"
    DUE_TODAY = "due_today"
    LATER = "later"


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
    name: str | None = Field(description="The product's name, copied at release.")
    gtin: str | None = Field(examples=["4006381333931"])
    weight_grams: int | None = Field(description="Weight of one unit in grams.")
    quantity: int
    shipped_quantity: int


class ShipToOut(ResponseModel):
    """The address the parcel goes to, copied from the order at release."""

    first_name: str
    last_name: str
    company: str
    street: str
    street2: str
    postal_code: str
    city: str
    country: str = Field(examples=["DE"])
    phone: str


class ContactOut(ResponseModel):
    """Who to ask about the parcel: the recipient."""

    name: str
    email: str
    phone: str


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
    shipping_method: str = Field(examples=["standard"])
    service_level: ServiceLevel
    priority: Priority
    promised_ship_on: date | None = Field(
        description="The earliest promised ship date of its lines; none if nothing was promised."
    )
    has_gift_note: bool


class FulfillmentOrderOut(FulfillmentOrderSummaryOut):
    """A location's work for one order: what to pick, pack and ship, where to, how fast."""

    ship_to: ShipToOut | None = Field(description="None only for work released before 0022.")
    contact: ContactOut
    gift_note: str | None
    lines: list[FulfillmentLineOut]


class QueueItemOut(FulfillmentOrderSummaryOut):
    """Open work in a location's queue, with its SLA marker."""

    sla: SlaMarker | None = Field(
        description="`late`: the promised ship date has passed at the location; `due_today`:"
        " it is today there; none: later or nothing promised."
    )


class QueuePageOut(ResponseModel):
    items: list[QueueItemOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
    today: date = Field(description="The location's calendar day the SLA markers count from.")


class FulfillmentOrderPageOut(ResponseModel):
    items: list[FulfillmentOrderSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class FulfillmentStateOut(ResponseModel):
    id: int
    status: FulfillmentStatus
