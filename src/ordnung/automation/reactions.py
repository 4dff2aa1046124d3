"""The one visible registry of in-process reactions to domain events (conventions §4).

The worker hands every undispatched event to the handlers registered for its type (and for
"*") inside the transaction that marks it dispatched, so a reaction happens exactly when the
event is dispatched — never twice, never lost. Handlers only write rows (a webhook delivery, a
task, a timer); anything that talks to the outside world runs later from those rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from ordnung.automation.model import ALL_EVENTS, PENDING, is_subscribed
from ordnung.automation.tables import webhook_delivery_table as delivery
from ordnung.automation.tables import webhook_subscription_table as subscription
from ordnung.core.db import UnitOfWork
from ordnung.orchestration.dropship import (
    follow_shipped_fulfillment_order,
    open_dropship_purchase_order,
    withdraw_dropship_purchase_order,
)
from ordnung.promising.signals import mark_changed_by_events
from ordnung.purchasing.dropship import dropship_location_ids


@dataclass(frozen=True, slots=True)
class DispatchedEvent:
    id: int
    type: str
    aggregate_id: int = 0


@dataclass
class DispatchBatch:
    """What handlers share while one batch of events is dispatched in one transaction."""

    connection: Connection
    now: datetime
    # The dispatching transaction: reactions that change state record their events here, so
    # the events commit with the change (and are dispatched in a later batch).
    uow: UnitOfWork | None = None
    _subscriptions: list[tuple[int, list[str]]] | None = None
    _dropship_locations: frozenset[int] | None = None
    _deliveries: list[dict[str, Any]] = field(default_factory=list)

    def active_subscriptions(self) -> list[tuple[int, list[str]]]:
        # Loaded once per batch: a subscription made mid-batch sees events from the next one.
        if self._subscriptions is None:
            rows = self.connection.execute(
                select(subscription.c.id, subscription.c.event_types)
                .where(subscription.c.is_active)
                .order_by(subscription.c.id)
            ).all()
            self._subscriptions = [(row.id, list(row.event_types)) for row in rows]
        return self._subscriptions

    def dropship_locations(self) -> frozenset[int]:
        # Loaded once per batch; most shops have none, and then a release costs nothing.
        if self._dropship_locations is None:
            self._dropship_locations = dropship_location_ids(self.connection)
        return self._dropship_locations

    def add_delivery(self, subscription_id: int, event_id: int) -> None:
        self._deliveries.append(
            {
                "subscription_id": subscription_id,
                "event_id": event_id,
                "status": PENDING,
                "attempts": 0,
                "next_attempt_at": self.now,
                "created_at": self.now,
            }
        )

    def flush(self) -> int:
        """Writes the collected rows in one statement; returns how many."""
        count = len(self._deliveries)
        if self._deliveries:
            self.connection.execute(insert(delivery), self._deliveries)
            self._deliveries = []
        return count


EventHandler = Callable[[DispatchBatch, DispatchedEvent], None]


def fan_out_to_webhooks(batch: DispatchBatch, event: DispatchedEvent) -> None:
    """One pending delivery per active subscription that wants this event type."""
    for subscription_id, event_types in batch.active_subscriptions():
        if is_subscribed(event_types, event.type):
            batch.add_delivery(subscription_id, event.id)


def mark_availability_changed(batch: DispatchBatch, event: DispatchedEvent) -> None:
    """Stock of a SKU changed: the worker announces its availability later, debounced
    (promising/signals.py)."""
    mark_changed_by_events(batch.connection, [event.id], batch.now)


def open_dropship_order(batch: DispatchBatch, event: DispatchedEvent) -> None:
    """Work released to a supplier's drop-ship location becomes a drop-ship purchase order
    (orchestration/dropship.py says why here, and why exactly once)."""
    locations = batch.dropship_locations()
    if locations and batch.uow is not None:
        open_dropship_purchase_order(batch.uow, event.aggregate_id, locations)


def withdraw_dropship_order(batch: DispatchBatch, event: DispatchedEvent) -> None:
    """A fulfilment order cancelled or rejected past the supplier: its open drop-ship
    purchase order is cancelled (the supplier's own reject has cancelled it already)."""
    if batch.dropship_locations() and batch.uow is not None:
        withdraw_dropship_purchase_order(batch.uow, event.aggregate_id)


def follow_dropship_shipment(batch: DispatchBatch, event: DispatchedEvent) -> None:
    """A drop-ship fulfilment order shipped past the supplier route: its purchase order
    follows with the shipment's tracking (the supplier route has shipped it already)."""
    if batch.dropship_locations() and batch.uow is not None:
        follow_shipped_fulfillment_order(batch.uow, event.aggregate_id)


# Event type → handlers. "*" reacts to every event. Add reactions here, nowhere else.
REACTIONS: Mapping[str, tuple[EventHandler, ...]] = MappingProxyType(
    {
        ALL_EVENTS: (fan_out_to_webhooks,),
        "stock.changed": (mark_availability_changed,),
        "fulfillment_order.released": (open_dropship_order,),
        "fulfillment_order.shipped": (follow_dropship_shipment,),
        "fulfillment_order.cancelled": (withdraw_dropship_order,),
        "fulfillment_order.rejected": (withdraw_dropship_order,),
    }
)


def handlers_for(event_type: str) -> tuple[EventHandler, ...]:
    return REACTIONS.get(ALL_EVENTS, ()) + REACTIONS.get(event_type, ())
