"""The promise of each line sourcing touched: asked of promising, kept on the order's lines
(the orders side stores it with the order). Every path that places units comes through
here — intake, an order sourced again (hold released, location rejected, exception
re-routed, line added) and backorders given stock — so a line's promise follows its units.

Which lines get a new promise: those that got units now, and those still waiting for stock
(their promise is the earliest supply on its way, or none). Units a line got earlier keep
the promise made then: the line's promise is the later of that one and the new one. Lines
nothing happened to keep theirs. See docs/promise.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from ordnung.orders.model import Order, OrderLine
from ordnung.promising.line_dates import (
    NO_PROMISE,
    LinePromise,
    PartDates,
    later_of,
    promise_for_line,
)
from ordnung.promising.order_promises import LineDating
from ordnung.sourcing.model import Allocation

__all__ = ["LineDating", "promise_lines"]


def promise_lines(
    dating: LineDating,
    order: Order,
    plan: Sequence[Allocation],
    *,
    waiting_skus: Collection[str] = (),
) -> None:
    """Dates the lines of `order` that `plan` gave units or that still wait for stock
    (pre-orders before their release day, `waiting_skus`, get none yet)."""
    locations: dict[int, set[int]] = defaultdict(set)
    planned: dict[int, int] = defaultdict(int)
    for allocation in plan:
        locations[allocation.line_key].add(allocation.location_id)
        planned[allocation.line_key] += allocation.quantity
    postal_code = order.shipping_address.postal_code
    for line in order.lines:
        number = line.line_number
        if number not in locations and not line.buckets.open:
            continue
        if line.sku in waiting_skus:
            line.promise(None, None)
            continue
        parts = [dating.from_stock(place, postal_code) for place in sorted(locations[number])]
        promise = _new_promise(dating, line, parts, postal_code)
        if line.buckets.allocated > planned[number] and line.promised_ship_on is not None:
            earlier = LinePromise(line.promised_ship_on, line.promised_delivery_on)
            promise = later_of(earlier, promise)
        line.promise(promise.ship_on, promise.delivery_on)


def _new_promise(
    dating: LineDating, line: OrderLine, parts: list[PartDates], postal_code: str
) -> LinePromise:
    if line.buckets.open:
        arriving = dating.from_incoming(line.sku, postal_code)
        if arriving is None:
            return NO_PROMISE
        parts.append(arriving)
    return promise_for_line(parts, line.requested_delivery_on)
