"""What happens to fulfilment orders and shipments, as events. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from ordnung.core.events import DomainEvent


@dataclass(frozen=True, slots=True)
class FulfillmentOrderReleased(DomainEvent):
    """A location got work: these units of the order, reserved there."""

    type: ClassVar[str] = "fulfillment_order.released"
    aggregate_type: ClassVar[str] = "fulfillment_order"

    location_id: int
    lines: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class FulfillmentOrderStatusChanged(DomainEvent):
    """A fulfilment order moved on (one subclass per target status)."""

    aggregate_type: ClassVar[str] = "fulfillment_order"

    from_status: str
    to_status: str
    location_id: int


@dataclass(frozen=True, slots=True)
class FulfillmentOrderAccepted(FulfillmentOrderStatusChanged):
    type: ClassVar[str] = "fulfillment_order.accepted"


@dataclass(frozen=True, slots=True)
class FulfillmentOrderShipped(FulfillmentOrderStatusChanged):
    type: ClassVar[str] = "fulfillment_order.shipped"


@dataclass(frozen=True, slots=True)
class FulfillmentOrderCancelled(FulfillmentOrderStatusChanged):
    type: ClassVar[str] = "fulfillment_order.cancelled"


@dataclass(frozen=True, slots=True)
class FulfillmentOrderRejected(FulfillmentOrderStatusChanged):
    type: ClassVar[str] = "fulfillment_order.rejected"

    reject_reason: str


@dataclass(frozen=True, slots=True)
class FulfillmentOrderPickingStarted(FulfillmentOrderStatusChanged):
    """The location has begun picking: from now on a cancel is a request it decides."""

    type: ClassVar[str] = "fulfillment_order.picking_started"


@dataclass(frozen=True, slots=True)
class FulfillmentOrderReadyForPickup(FulfillmentOrderStatusChanged):
    """The store has the click & collect order ready: the customer message shows the code
    (and its QR) and the day it must be collected by."""

    type: ClassVar[str] = "fulfillment_order.ready_for_pickup"

    pickup_code: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class FulfillmentOrderPickedUp(FulfillmentOrderStatusChanged):
    """The customer collected the order at the counter with its code."""

    type: ClassVar[str] = "fulfillment_order.picked_up"


@dataclass(frozen=True, slots=True)
class FulfillmentOrderPickupExpired(DomainEvent):
    """Not collected in time: the order is cancelled and its stock goes back (the
    fulfilment order's `fulfillment_order.cancelled` follows); the customer is told."""

    type: ClassVar[str] = "fulfillment_order.pickup_expired"
    aggregate_type: ClassVar[str] = "fulfillment_order"

    location_id: int
    ready_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class FulfillmentOrderCancellationRequested(DomainEvent):
    """An agent cancelled the order, or units of a line, while this location was picking
    it: the location is asked to stop and give the units back (`order_line_id` and
    `quantity` name the units of one line; null: the whole fulfilment order)."""

    type: ClassVar[str] = "fulfillment_order.cancellation_requested"
    aggregate_type: ClassVar[str] = "fulfillment_order"

    request_id: int
    location_id: int
    reason: str
    order_line_id: int | None = None
    quantity: int | None = None


@dataclass(frozen=True, slots=True)
class FulfillmentOrderCancellationAccepted(DomainEvent):
    """The location stopped: its units are cancelled (the fulfilment order's own
    `fulfillment_order.cancelled` follows)."""

    type: ClassVar[str] = "fulfillment_order.cancellation_accepted"
    aggregate_type: ClassVar[str] = "fulfillment_order"

    request_id: int
    location_id: int
    note: str


@dataclass(frozen=True, slots=True)
class FulfillmentOrderCancellationDeclined(DomainEvent):
    """The location will ship anyway (too late to stop, or it shipped meanwhile)."""

    type: ClassVar[str] = "fulfillment_order.cancellation_declined"
    aggregate_type: ClassVar[str] = "fulfillment_order"

    request_id: int
    location_id: int
    note: str


@dataclass(frozen=True, slots=True)
class FulfillmentOrderShortPicked(DomainEvent):
    """The location found fewer units than it held: per line, the SKU, how many were
    missing, and how many sourcing placed again (`resourced`) or left waiting."""

    type: ClassVar[str] = "fulfillment_order.short_picked"
    aggregate_type: ClassVar[str] = "fulfillment_order"

    location_id: int
    lines: list[dict[str, Any]]
    note: str


@dataclass(frozen=True, slots=True)
class FulfillmentOrderUnitsPicked(DomainEvent):
    """Units of the fulfilment order were taken off the shelf in a pick wave (a scan or a
    click), per SKU."""

    type: ClassVar[str] = "fulfillment_order.units_picked"
    aggregate_type: ClassVar[str] = "fulfillment_order"

    location_id: int
    pick_wave_id: int
    pick_wave_number: str
    lines: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class ShipmentShipped(DomainEvent):
    """Parcels left a location with a carrier and a tracking number."""

    type: ClassVar[str] = "shipment.shipped"
    aggregate_type: ClassVar[str] = "shipment"

    id: int
    fulfillment_order_id: int
    order_id: int
    carrier: str
    service: str
    tracking_number: str
    status: str
    shipped_at: datetime
    lines: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class FulfillmentOrderPacked(FulfillmentOrderStatusChanged):
    """Every unit still to ship is in a package (fulfillment/packages.py)."""

    type: ClassVar[str] = "fulfillment_order.packed"


@dataclass(frozen=True, slots=True)
class FulfillmentOrderUnpacked(FulfillmentOrderStatusChanged):
    """A package of a packed fulfilment order was taken apart: it is picking again."""

    type: ClassVar[str] = "fulfillment_order.unpacked"
