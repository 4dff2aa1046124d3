"""Domain events: past-tense facts raised by the models and stored in the outbox.

Each event type is a frozen dataclass in the model of its capability (`orders/events.py`,
`fulfillment/events.py`, `inventory/events.py`): its fields are the payload, `type` is the
public name webhooks and the timeline carry. The unit of work stores an event together with
the aggregate it is about (the id is known only once the aggregate is stored), in the same
transaction as the change (invariant 6).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, ClassVar

# Field names that are Python keywords or read badly travel under their public name.
_WIRE_NAMES = {"from_status": "from", "to_status": "to"}


class DomainEvent:
    """Base of every event type. Subclasses are frozen dataclasses."""

    type: ClassVar[str]
    aggregate_type: ClassVar[str]

    def payload(self) -> dict[str, Any]:
        """The event as JSON-ready data, as webhooks and the timeline show it."""
        return {wire: getattr(self, name) for name, wire in _payload_names(type(self))}


_PAYLOAD_NAMES: dict[type[DomainEvent], tuple[tuple[str, str], ...]] = {}


def _payload_names(event_class: type[DomainEvent]) -> tuple[tuple[str, str], ...]:
    # Once per class: events are recorded on the hot path (three per order at intake).
    names = _PAYLOAD_NAMES.get(event_class)
    if names is None:
        names = _PAYLOAD_NAMES[event_class] = tuple(
            (item.name, _WIRE_NAMES.get(item.name, item.name))
            for item in fields(event_class)  # type: ignore[arg-type]
        )
    return names


# Every event type the system emits, so webhook subscriptions can be validated against it.
# tests/core/test_event_catalogue.py checks that it names exactly the DomainEvent subclasses
# and that each has a German and an English label.
EVENT_TYPES: frozenset[str] = frozenset(
    {
        "order.received",
        "order.held",
        "order.hold_released",
        "order.backordered",
        "order.allocated",
        "order.partially_shipped",
        "order.shipped",
        "order.cancelled",
        "order.tagged",
        "order.untagged",
        "order.commented",
        "order.shipping_address_changed",
        "order.shipping_method_changed",
        "order.line_cancelled",
        "order.line_added",
        "order.line_sku_replaced",
        "order.line_price_corrected",
        "fulfillment_order.released",
        "fulfillment_order.accepted",
        "fulfillment_order.rejected",
        "fulfillment_order.shipped",
        "fulfillment_order.cancelled",
        "fulfillment_order.picking_started",
        "fulfillment_order.cancellation_requested",
        "fulfillment_order.cancellation_accepted",
        "fulfillment_order.cancellation_declined",
        "fulfillment_order.short_picked",
        "fulfillment_order.units_picked",
        "fulfillment_order.ready_for_pickup",
        "fulfillment_order.picked_up",
        "fulfillment_order.pickup_expired",
        "fulfillment_order.packed",
        "fulfillment_order.unpacked",
        "shipment.shipped",
        "shipment.returned_to_sender",
        "returned_parcel.processed",
        "stock.changed",
        "purchase_order.created",
        "purchase_order.sent",
        "purchase_order.confirmed",
        "purchase_order.partially_received",
        "purchase_order.received",
        "purchase_order.shipped",
        "purchase_order.cancelled",
        "availability.changed",
        "stock_transfer.shipped",
        "stock_transfer.received",
        "stock_transfer.cancelled",
        "stock_import.completed",
        "checkout_hold.placed",
        "checkout_hold.converted",
        "checkout_hold.expired",
        "checkout_hold.released",
        "sourcing_rules.activated",
    }
)
