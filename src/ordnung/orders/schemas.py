"""What the API answers about orders, as typed models for the OpenAPI document.

The routes render their answers with orjson from the query's plain data (the fast path), so
these models document the shape; `extra="forbid"` makes the contract test fail on any key
they do not name. Money is a string in the order's currency, times ISO 8601 with offset."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from ordnung.core.openapi import MoneyOut as Money
from ordnung.core.openapi import ResponseModel as Out
from ordnung.fulfillment.schemas import FulfillmentLineOut, FulfillmentStatus, ShipmentStatus


class OrderStatus(StrEnum):
    """Derived from the lines and holds; `orders/model.py` ORDER_TRANSITIONS says which
    changes are possible."""

    RECEIVED = "received"
    VALIDATED = "validated"
    ON_HOLD = "on_hold"
    BACKORDERED = "backordered"
    ALLOCATED = "allocated"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class HoldReason(StrEnum):
    """Why an order waits for a person: intake's rules set `unknown_sku` and
    `totals_mismatch`, the intake checks `address`, `contact`, `tax`, `fraud`, `duplicate`
    and `approval` (README: Checks at intake)."""

    ADDRESS = "address"
    PAYMENT = "payment"
    FRAUD = "fraud"
    CREDIT = "credit"
    TOTALS_MISMATCH = "totals_mismatch"
    UNKNOWN_SKU = "unknown_sku"
    MANUAL = "manual"
    TAX = "tax"
    DUPLICATE = "duplicate"
    APPROVAL = "approval"
    CONTACT = "contact"
    STOCK_POLICY = "stock_policy"


class EventType(StrEnum):
    """Every event the system records (the order timeline, webhooks)."""

    ORDER_RECEIVED = "order.received"
    ORDER_HELD = "order.held"
    ORDER_HOLD_RELEASED = "order.hold_released"
    ORDER_BACKORDERED = "order.backordered"
    ORDER_ALLOCATED = "order.allocated"
    ORDER_PARTIALLY_SHIPPED = "order.partially_shipped"
    ORDER_SHIPPED = "order.shipped"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_TAGGED = "order.tagged"
    ORDER_UNTAGGED = "order.untagged"
    ORDER_COMMENTED = "order.commented"
    ORDER_SHIPPING_ADDRESS_CHANGED = "order.shipping_address_changed"
    ORDER_SHIPPING_METHOD_CHANGED = "order.shipping_method_changed"
    ORDER_LINE_CANCELLED = "order.line_cancelled"
    ORDER_LINE_ADDED = "order.line_added"
    ORDER_LINE_SKU_REPLACED = "order.line_sku_replaced"
    ORDER_LINE_PRICE_CORRECTED = "order.line_price_corrected"
    FULFILLMENT_ORDER_RELEASED = "fulfillment_order.released"
    FULFILLMENT_ORDER_ACCEPTED = "fulfillment_order.accepted"
    FULFILLMENT_ORDER_REJECTED = "fulfillment_order.rejected"
    FULFILLMENT_ORDER_SHIPPED = "fulfillment_order.shipped"
    FULFILLMENT_ORDER_CANCELLED = "fulfillment_order.cancelled"
    FULFILLMENT_ORDER_PICKING_STARTED = "fulfillment_order.picking_started"
    FULFILLMENT_ORDER_CANCELLATION_REQUESTED = "fulfillment_order.cancellation_requested"
    FULFILLMENT_ORDER_CANCELLATION_ACCEPTED = "fulfillment_order.cancellation_accepted"
    FULFILLMENT_ORDER_CANCELLATION_DECLINED = "fulfillment_order.cancellation_declined"
    FULFILLMENT_ORDER_SHORT_PICKED = "fulfillment_order.short_picked"
    FULFILLMENT_ORDER_UNITS_PICKED = "fulfillment_order.units_picked"
    FULFILLMENT_ORDER_READY_FOR_PICKUP = "fulfillment_order.ready_for_pickup"
    FULFILLMENT_ORDER_PICKED_UP = "fulfillment_order.picked_up"
    FULFILLMENT_ORDER_PICKUP_EXPIRED = "fulfillment_order.pickup_expired"
    FULFILLMENT_ORDER_PACKED = "fulfillment_order.packed"
    FULFILLMENT_ORDER_UNPACKED = "fulfillment_order.unpacked"
    SHIPMENT_SHIPPED = "shipment.shipped"
    SHIPMENT_RETURNED_TO_SENDER = "shipment.returned_to_sender"
    RETURNED_PARCEL_PROCESSED = "returned_parcel.processed"
    STOCK_CHANGED = "stock.changed"
    PURCHASE_ORDER_CREATED = "purchase_order.created"
    PURCHASE_ORDER_SENT = "purchase_order.sent"
    PURCHASE_ORDER_CONFIRMED = "purchase_order.confirmed"
    PURCHASE_ORDER_PARTIALLY_RECEIVED = "purchase_order.partially_received"
    PURCHASE_ORDER_RECEIVED = "purchase_order.received"
    PURCHASE_ORDER_SHIPPED = "purchase_order.shipped"
    PURCHASE_ORDER_CANCELLED = "purchase_order.cancelled"
    AVAILABILITY_CHANGED = "availability.changed"
    STOCK_TRANSFER_SHIPPED = "stock_transfer.shipped"
    STOCK_TRANSFER_RECEIVED = "stock_transfer.received"
    STOCK_TRANSFER_CANCELLED = "stock_transfer.cancelled"
    STOCK_IMPORT_COMPLETED = "stock_import.completed"
    CHECKOUT_HOLD_PLACED = "checkout_hold.placed"
    CHECKOUT_HOLD_CONVERTED = "checkout_hold.converted"
    CHECKOUT_HOLD_EXPIRED = "checkout_hold.expired"
    CHECKOUT_HOLD_RELEASED = "checkout_hold.released"
    SOURCING_RULES_ACTIVATED = "sourcing_rules.activated"


class ChannelRefOut(Out):
    code: str
    name: str


class OrderCustomerOut(Out):
    id: int
    email: str
    name: str


class AddressOut(Out):
    first_name: str
    last_name: str
    company: str
    street: str
    street2: str
    postal_code: str
    city: str
    country: str = Field(examples=["DE"])
    phone: str


class TotalsOut(Out):
    subtotal: Money
    shipping: Money
    tax: Money
    total: Money


class HoldOut(Out):
    id: int
    reason: HoldReason
    detail: str
    created_at: datetime
    released_at: datetime | None
    released_by: str | None
    release_note: str | None
    facts: dict[str, Any] | None = Field(
        description="What the rule found, structured (`findings`: rule, message key, values)."
    )


class OrderLineOut(Out):
    """A line with its price snapshot and where its units are: open (waiting for stock),
    allocated (reserved at a location), shipped, cancelled, returned."""

    id: int
    line_number: int
    sku: str
    name: str
    quantity: int
    unit_price: Money
    discount: Money
    tax_rate: str = Field(examples=["19"], description="Percent")
    line_total: Money
    open: int
    allocated: int
    shipped: int
    cancelled: int
    returned: int
    requested_delivery_on: date | None = Field(
        description="The delivery date the channel asked for, as sent (none: not asked)."
    )
    promised_ship_on: date | None = Field(
        description="The day the line is promised to leave its location (none: no promise "
        "yet, e.g. waiting for stock with no supply on its way)."
    )
    promised_delivery_on: date | None = Field(
        description="The day the line is promised to arrive; never before a requested date "
        "that lies later than the earliest delivery (docs/promise.md)."
    )
    is_promised_after_requested: bool = Field(
        description="True when the promise is later than the requested date: the request "
        "was kept, not refused, and cannot be met."
    )


class LocationRefOut(Out):
    id: int
    code: str
    name: str


class OrderFulfillmentOrderOut(Out):
    id: int
    location: LocationRefOut
    status: FulfillmentStatus
    reject_reason: str | None
    created_at: datetime
    updated_at: datetime
    lines: list[FulfillmentLineOut]


class OrderShipmentOut(Out):
    id: int
    fulfillment_order_id: int
    carrier: str
    service: str
    tracking_number: str
    status: ShipmentStatus
    shipped_at: datetime


class TimelineEventOut(Out):
    id: int
    type: EventType
    actor: str
    occurred_at: datetime
    payload: dict[str, Any]


class OrderOut(Out):
    """One order as an agent sees it: lines, holds, where each unit is sourced, shipments
    and the timeline. `version` goes up with every change; send it back as If-Match."""

    id: int
    number: str = Field(examples=["ORD-000321"])
    channel: ChannelRefOut
    external_id: str
    status: OrderStatus
    currency: str = Field(examples=["EUR"])
    customer: OrderCustomerOut
    billing_address: AddressOut
    shipping_address: AddressOut
    shipping_method: str
    service_level: str = Field(examples=["standard"], description="standard, express, same_day")
    priority: str = Field(examples=["normal"], description="urgent, high, normal")
    gift_note: str | None
    language: str = Field(examples=["de"], description="de or en: the delivery note's language")
    prices_include_tax: bool
    totals: TotalsOut
    placed_at: datetime
    created_at: datetime
    updated_at: datetime
    version: int = Field(ge=1)
    holds: list[HoldOut]
    lines: list[OrderLineOut]
    fulfillment_orders: list[OrderFulfillmentOrderOut]
    shipments: list[OrderShipmentOut]
    timeline: list[TimelineEventOut]


class OrderSummaryOut(Out):
    """An order in a list."""

    id: int
    number: str = Field(examples=["ORD-000321"])
    channel: str = Field(description="Channel code")
    external_id: str
    status: OrderStatus
    customer_name: str
    email: str
    total: Money
    currency: str
    line_count: int
    created_at: datetime


class OrderPageOut(Out):
    items: list[OrderSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
