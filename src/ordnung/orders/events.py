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
    # Why, as one of CANCEL_REASON_CODES (orders/changes.py), and a person's note.
    reason_code: str = "other"
    note: str = ""


# -- changes after intake (orders/changes.py): one event per change, with before → after, and
# the reason a person gave; the actor is stored with every event.


@dataclass(frozen=True, slots=True)
class OrderShippingAddressChanged(OrderEvent):
    """`fulfillment_order_ids`: the open fulfilment orders whose location must ship to the
    new address (their webhooks carry this event)."""

    type: ClassVar[str] = "order.shipping_address_changed"

    before: dict[str, str]
    after: dict[str, str]
    reason: str
    fulfillment_order_ids: list[int]


@dataclass(frozen=True, slots=True)
class OrderShippingMethodChanged(OrderEvent):
    type: ClassVar[str] = "order.shipping_method_changed"

    before: str
    after: str
    reason: str
    fulfillment_order_ids: list[int]


@dataclass(frozen=True, slots=True)
class OrderLineCancelled(OrderEvent):
    """Units of one line cancelled; `before`/`after` are the line's units still to ship.
    `requested` more units sit with a location picking or packing them, which was asked to
    give them back: they are cancelled when it accepts (and ship if it declines)."""

    type: ClassVar[str] = "order.line_cancelled"

    line_number: int
    sku: str
    units: int
    before: int
    after: int
    reason: str
    requested: int = 0


@dataclass(frozen=True, slots=True)
class OrderLineAdded(OrderEvent):
    type: ClassVar[str] = "order.line_added"

    line_number: int
    sku: str
    quantity: int
    unit_price: int
    tax_rate: str
    reason: str


@dataclass(frozen=True, slots=True)
class OrderLineSkuReplaced(OrderEvent):
    """The line's unshipped units are now of another SKU (`is_substitute`: a configured
    substitute product)."""

    type: ClassVar[str] = "order.line_sku_replaced"

    line_number: int
    before: str
    after: str
    units: int
    unit_price_before: int
    unit_price_after: int
    reason: str
    is_substitute: bool


@dataclass(frozen=True, slots=True)
class OrderLinePriceCorrected(OrderEvent):
    """Amounts in minor units of the order's currency."""

    type: ClassVar[str] = "order.line_price_corrected"

    line_number: int
    unit_price_before: int
    unit_price_after: int
    discount_before: int
    discount_after: int
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
