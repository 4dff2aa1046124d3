"""What happens to an order, as events (design.md §7). Pure Python.

Each status change records exactly one of these, named after the status it reaches
(`STATUS_EVENTS`); going on hold and being cancelled are told by the action's own event, which
carries the change. Payload fields travel as the webhooks and the timeline show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ordnung.core.events import DomainEvent


@dataclass(frozen=True, slots=True)
class OrderEvent(DomainEvent):
    aggregate_type: ClassVar[str] = "order"

    number: str


@dataclass(frozen=True, slots=True)
class OrderReceived(OrderEvent):
    type: ClassVar[str] = "order.received"

    channel: str
    external_id: str


@dataclass(frozen=True, slots=True)
class OrderHeld(OrderEvent):
    """A hold was put on; `from`/`to` are equal when the order was on hold already."""

    type: ClassVar[str] = "order.held"

    reason: str
    detail: str
    from_status: str
    to_status: str


@dataclass(frozen=True, slots=True)
class OrderHoldReleased(OrderEvent):
    type: ClassVar[str] = "order.hold_released"

    hold_id: int
    note: str


@dataclass(frozen=True, slots=True)
class OrderStatusChanged(OrderEvent):
    """The status derived from lines and holds moved on (one subclass per target status)."""

    from_status: str
    to_status: str


@dataclass(frozen=True, slots=True)
class OrderBackordered(OrderStatusChanged):
    type: ClassVar[str] = "order.backordered"


@dataclass(frozen=True, slots=True)
class OrderAllocated(OrderStatusChanged):
    type: ClassVar[str] = "order.allocated"


@dataclass(frozen=True, slots=True)
class OrderPartiallyShipped(OrderStatusChanged):
    type: ClassVar[str] = "order.partially_shipped"


@dataclass(frozen=True, slots=True)
class OrderShipped(OrderStatusChanged):
    type: ClassVar[str] = "order.shipped"


@dataclass(frozen=True, slots=True)
class OrderCancelled(OrderStatusChanged):
    type: ClassVar[str] = "order.cancelled"

    reason: str


@dataclass(frozen=True, slots=True)
class OrderTagged(OrderEvent):
    type: ClassVar[str] = "order.tagged"

    tag: str


@dataclass(frozen=True, slots=True)
class OrderUntagged(OrderEvent):
    type: ClassVar[str] = "order.untagged"

    tag: str


@dataclass(frozen=True, slots=True)
class OrderCommented(OrderEvent):
    """A person wrote a comment on the order; the timeline shows it with its author."""

    type: ClassVar[str] = "order.commented"

    comment_id: int
    body: str
