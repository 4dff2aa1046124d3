"""Changes to an order after intake: shipping address or method, cancelling or adding units,
replacing a line's SKU, correcting a price, cancelling the whole order with a reason code.
Pure Python (no database, no HTTP).

Each change is one function here that checks its preconditions on the aggregate, changes the
lines (the buckets keep every unit in exactly one place, invariant 3) and records exactly one
event with before → after and the reason; the actor is stored with every event. The services
(`orchestration/order_changes.py`) give stock back or take it before and after, and save.

These live beside `model.py` rather than in it so that the aggregate's file stays about its
lifecycle; they use only its public surface (`line`, `buckets`, `record`, `settle_status`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ordnung.core.errors import ConflictError, ValidationError
from ordnung.orders import events
from ordnung.orders.draft import Address
from ordnung.orders.holds import HoldContext, holds_for
from ordnung.orders.model import (
    CANCELLED,
    COMPLETED,
    DELIVERED,
    SHIPPED,
    LineBuckets,
    Order,
    OrderLine,
)

# Why a whole order was cancelled, as the timeline, reports and webhooks show it.
CANCEL_REASON_CODES = (
    "customer_request",
    "out_of_stock",
    "fraud",
    "duplicate",
    "payment_failed",
    "address_invalid",
    "other",
)
# Orders whose lines may still change: nothing final has happened to all of them.
_FINISHED = frozenset({CANCELLED, SHIPPED, DELIVERED, COMPLETED})
MAX_LINES = 500
# Holds that a rule puts on and a change can take off again: the rule looks at the order
# alone (a totals mismatch compares with the channel's totals, which are not kept).
_SELF_RESOLVING_HOLDS = frozenset({"unknown_sku"})


@dataclass(frozen=True, slots=True)
class NewLine:
    """A line added after intake; amounts in minor units."""

    sku: str
    name: str
    quantity: int
    unit_price: int
    discount: int
    tax_rate: Decimal


@dataclass(frozen=True, slots=True)
class CancelReason:
    """Why a whole order is cancelled: a code from CANCEL_REASON_CODES and a person's note."""

    code: str
    note: str = ""

    def __post_init__(self) -> None:
        if self.code not in CANCEL_REASON_CODES:
            raise ValidationError(
                f"Unknown cancel reason {self.code!r}.",
                field="reason_code",
                known=list(CANCEL_REASON_CODES),
            )

    @property
    def text(self) -> str:
        """The reason in one text, as the `reason` field has always carried it."""
        return self.note or self.code.replace("_", " ")


def check_changeable(order: Order) -> None:
    """Lines change only while something of the order is still to ship."""
    if order.status in _FINISHED:
        raise ConflictError(
            f"Order {order.number} is {order.status}; its lines can no longer change.",
            current_status=order.status,
        )


# -- shipping -----------------------------------------------------------------------------


def change_shipping(
    order: Order,
    *,
    address: Address | None,
    method: str | None,
    reason: str,
    fulfillment_order_ids: list[int],
) -> None:
    """New shipping address and/or method, while nothing of the order has shipped. One event
    per thing changed; `fulfillment_order_ids` are the open ones whose location must follow."""
    if order.status == CANCELLED or order.has_shipped_units:
        raise ConflictError(
            f"Order {order.number} has shipped or is cancelled; where it goes can no longer "
            "change.",
            current_status=order.status,
        )
    is_new_address = address is not None and address != order.shipping_address
    is_new_method = method is not None and method != order.shipping_method
    if not (is_new_address or is_new_method):
        raise ValidationError("The order already ships so; nothing to change.", field="body")
    if address is not None and is_new_address:
        before = order.shipping_address
        order.shipping_address = address
        order.record(
            events.OrderShippingAddressChanged(
                order.number, before.as_dict(), address.as_dict(), reason, fulfillment_order_ids
            )
        )
    if method is not None and is_new_method:
        before_method, order.shipping_method = order.shipping_method, method
        order.record(
            events.OrderShippingMethodChanged(
                order.number, before_method, method, reason, fulfillment_order_ids
            )
        )


# -- lines --------------------------------------------------------------------------------


def allocated_units_to_free(order: Order, line_number: int, units: int) -> int:
    """How many of `units` to cancel are reserved at a location (open ones go first: they
    cost nothing to take back). Checks the cancellation is possible at all."""
    check_changeable(order)
    line = order.line(line_number)
    if units <= 0 or units > line.buckets.unshipped:
        raise ValidationError(
            f"Line {line_number} has {line.buckets.unshipped} units still to ship; "
            f"{units} cannot be cancelled.",
            field="units",
            line=line_number,
        )
    return max(0, units - line.buckets.open)


def cancel_line_units(
    order: Order, line_number: int, units: int, reason: str, *, requested: int = 0
) -> None:
    """Cancels `units` of a line that are not shipped. The caller has given back the stock of
    `allocated_units_to_free(...)` of them but `requested`: those sit with a location picking
    or packing them, which has been asked for them; they stay allocated until it decides.
    The rest wait no more, then are cancelled. One event, naming both counts."""
    to_free = allocated_units_to_free(order, line_number, units)
    if not 0 <= requested <= to_free:
        raise ValueError(f"{requested} units asked for, but only {to_free} are reserved")
    buckets = order.line(line_number).buckets
    before = buckets.unshipped
    if to_free - requested:
        buckets.deallocate(to_free - requested)
    if units - requested:
        buckets.cancel_open(units - requested)
    order.record(
        events.OrderLineCancelled(
            order.number,
            line_number,
            order.line(line_number).sku,
            units - requested,
            before,
            buckets.unshipped,
            reason,
            requested,
        )
    )


def add_line(order: Order, new: NewLine, reason: str) -> int:
    """A line the customer wants besides; it waits open until sourcing finds stock.
    Returns its line number."""
    check_changeable(order)
    if len(order.lines) >= MAX_LINES:
        raise ValidationError(f"An order has at most {MAX_LINES} lines.", field="sku")
    _check_discount(new.unit_price, new.quantity, new.discount)
    number = max((line.line_number for line in order.lines), default=0) + 1
    order.lines.append(
        OrderLine(
            line_number=number,
            sku=new.sku,
            name=new.name,
            unit_price=new.unit_price,
            discount=new.discount,
            tax_rate=new.tax_rate,
            buckets=LineBuckets(new.quantity, open=new.quantity),
        )
    )
    order.record(
        events.OrderLineAdded(
            order.number, number, new.sku, new.quantity, new.unit_price, str(new.tax_rate), reason
        )
    )
    return number


def check_replaceable(order: Order, line_number: int, sku: str) -> OrderLine:
    """A line's SKU changes only while none of it shipped (what left was that SKU) and some
    of it is still to ship."""
    check_changeable(order)
    line = order.line(line_number)
    if line.buckets.shipped:
        raise ConflictError(
            f"Line {line_number} has shipped units; cancel the rest and add a line instead.",
            line=line_number,
        )
    if not line.buckets.unshipped:
        raise ConflictError(f"Line {line_number} has nothing left to ship.", line=line_number)
    if sku == line.sku:
        raise ValidationError(f"Line {line_number} is already {sku}.", field="sku")
    return line


@dataclass(frozen=True, slots=True)
class Replacement:
    sku: str
    name: str
    unit_price: int | None  # None: the price stays
    is_substitute: bool = False


def replace_sku(order: Order, line_number: int, replacement: Replacement, reason: str) -> None:
    """The line's units to ship become units of another SKU. The caller has given back the
    stock of its allocated units; all of them wait open for the new SKU's stock."""
    line = check_replaceable(order, line_number, replacement.sku)
    price = line.unit_price if replacement.unit_price is None else replacement.unit_price
    _check_discount(price, line.quantity, line.discount)
    if line.buckets.allocated:
        line.buckets.deallocate(line.buckets.allocated)
    before_sku, before_price = line.sku, line.unit_price
    line.sku, line.name, line.unit_price = replacement.sku, replacement.name, price
    order.record(
        events.OrderLineSkuReplaced(
            order.number,
            line_number,
            before_sku,
            replacement.sku,
            line.buckets.unshipped,
            before_price,
            price,
            reason,
            replacement.is_substitute,
        )
    )


def correct_price(
    order: Order,
    line_number: int,
    *,
    unit_price: int | None,
    discount: int | None,
    reason: str,
) -> None:
    """A wrong unit price or discount, corrected before anything of the line shipped (what
    shipped is invoiced; correcting it is a credit note's job)."""
    check_changeable(order)
    line = order.line(line_number)
    if line.buckets.shipped:
        raise ConflictError(
            f"Line {line_number} has shipped units; its price is corrected by a credit note.",
            line=line_number,
        )
    price = line.unit_price if unit_price is None else unit_price
    new_discount = line.discount if discount is None else discount
    if (price, new_discount) == (line.unit_price, line.discount):
        raise ValidationError("The line already has this price and discount.", field="unit_price")
    _check_discount(price, line.quantity, new_discount)
    event = events.OrderLinePriceCorrected(
        order.number, line_number, line.unit_price, price, line.discount, new_discount, reason
    )
    line.unit_price, line.discount = price, new_discount
    order.record(event)


def _check_discount(unit_price: int, quantity: int, discount: int) -> None:
    if discount > unit_price * quantity:
        raise ValidationError("The discount is larger than the line's amount.", field="discount")


# -- holds --------------------------------------------------------------------------------


def recheck_holds(order: Order, context: HoldContext, *, note: str, by: str, at: datetime) -> None:
    """Runs the hold rules on the changed order: a rule that fires now puts its hold on (once);
    a self-resolving hold whose rule no longer fires is released with `note`."""
    decisions = holds_for(order, context)
    active = {hold.reason for hold in order.holds if hold.is_active}
    for decision in decisions:
        if decision.reason not in active:
            order.hold(decision.reason, decision.detail, at=at)
    fired = {decision.reason for decision in decisions}
    for hold in list(order.holds):
        resolved = hold.reason in _SELF_RESOLVING_HOLDS and hold.reason not in fired
        if hold.is_active and resolved and hold.id is not None:
            order.release_hold(hold.id, note=note, by=by, at=at)
