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
