"""Domain events: past-tense facts raised by the models and stored in the outbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """`type` is the public name (`order.received`); payload is JSON-serialisable."""

    type: str
    aggregate_type: str
    aggregate_id: int
    order_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


# Every event type the system emits, so webhook subscriptions can be validated against it.
EVENT_TYPES: frozenset[str] = frozenset(
    {
        "order.received",
        "order.held",
        "order.hold_released",
        "order.validated",
        "order.backordered",
        "order.allocated",
        "order.partially_shipped",
        "order.shipped",
        "order.cancelled",
        "fulfillment_order.released",
        "fulfillment_order.accepted",
        "fulfillment_order.rejected",
        "fulfillment_order.shipped",
        "fulfillment_order.cancelled",
        "shipment.shipped",
        "stock.changed",
    }
)
