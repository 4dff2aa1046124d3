"""What happens to a purchase order, as events: one per transition, named after the status
it reaches (`STATUS_EVENTS`), plus its creation. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ordnung.core.events import DomainEvent
from ordnung.purchasing import model


@dataclass(frozen=True, slots=True)
class PurchaseOrderEvent(DomainEvent):
    aggregate_type: ClassVar[str] = "purchase_order"

    number: str
    supplier: str
    from_status: str
    to_status: str


@dataclass(frozen=True, slots=True)
class PurchaseOrderCreated(PurchaseOrderEvent):
    type: ClassVar[str] = "purchase_order.created"


@dataclass(frozen=True, slots=True)
class PurchaseOrderSent(PurchaseOrderEvent):
    type: ClassVar[str] = "purchase_order.sent"


@dataclass(frozen=True, slots=True)
class PurchaseOrderConfirmed(PurchaseOrderEvent):
    type: ClassVar[str] = "purchase_order.confirmed"


@dataclass(frozen=True, slots=True)
class PurchaseOrderPartiallyReceived(PurchaseOrderEvent):
    """Goods arrived, more are still open; `lines` names what came: sku and quantity."""

    type: ClassVar[str] = "purchase_order.partially_received"

    lines: list[dict[str, object]]


@dataclass(frozen=True, slots=True)
class PurchaseOrderReceived(PurchaseOrderEvent):
    """The last open units arrived."""

    type: ClassVar[str] = "purchase_order.received"

    lines: list[dict[str, object]]


@dataclass(frozen=True, slots=True)
class PurchaseOrderShipped(PurchaseOrderEvent):
    """A drop-ship supplier sent the parcel to the customer."""

    type: ClassVar[str] = "purchase_order.shipped"

    carrier: str
    tracking_number: str


@dataclass(frozen=True, slots=True)
class PurchaseOrderCancelled(PurchaseOrderEvent):
    type: ClassVar[str] = "purchase_order.cancelled"

    reason: str


STATUS_EVENTS: dict[str, type[PurchaseOrderEvent]] = {
    model.SENT: PurchaseOrderSent,
    model.CONFIRMED: PurchaseOrderConfirmed,
    model.PARTIALLY_RECEIVED: PurchaseOrderPartiallyReceived,
    model.RECEIVED: PurchaseOrderReceived,
    model.SHIPPED: PurchaseOrderShipped,
    model.CANCELLED: PurchaseOrderCancelled,
}
