"""Sourcing inside the caller's unit of work: read and lock the stock, plan with
`sourcing/model.py`, reserve, and hand the reserved units to the locations.

Every moment stock meets orders comes through here: new orders (`stock_planner` and
`commit_plans`, driven by intake one batch at a time), an order whose last hold was released
or whose location rejected it (`source_order`), and units that became free — a goods receipt,
a count, a cancellation, a rejection — given to the orders waiting for them, oldest first
(`allocate_backorders`). Held orders are never sourced (`Order.can_be_sourced`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from ordnung.catalog.service import unreleased_preorder_skus
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.fulfillment.service import (
    Release,
    Released,
    ReleasedUnit,
    ShippingDetails,
    rejected_location_ids,
    release_fulfillment_orders,
)
from ordnung.inventory import stock
from ordnung.orders.model import Order
from ordnung.orders.repository import load_order, save_order, waiting_lines, waiting_order_ids
from ordnung.sourcing.decisions import BatchRouting, load_routing, store_decisions
from ordnung.sourcing.line_promises import LineDating, promise_lines
from ordnung.sourcing.model import (
    BACKORDERS_PER_STOCK_CHANGE,
    Allocation,
    StockPlanner,
    can_ship_parcels,
    needs_of,
    units_by_line,
)
from ordnung.sourcing.routing import ALLOCATED, PARTIAL


class StockChangedError(RuntimeError):
    """A locked stock position changed under us: a bug, never a business outcome."""


@dataclass(slots=True)  # not frozen: built per order on the intake hot path
class SourcedOrder:
    """An order and the units sourcing found for it (`actor`: who sent it, at intake)."""

    order: Order
    plan: list[Allocation]
    actor: str | None = None


def lock_stock(uow: UnitOfWork, skus: Collection[str]) -> None:
    """Locks every position of these SKUs in id order, before a transaction gives units
    back or takes them (see inventory.stock.lock_positions)."""
    stock.lock_positions(uow.connection, skus)


def stock_planner(uow: UnitOfWork, skus: Collection[str]) -> StockPlanner:
    """A planner over the available stock of these SKUs, read with row locks in id order: the
    plans are made on numbers nobody can change before the commit."""
    return StockPlanner(stock.available_stock(uow.connection, skus))


def commit_plans(
    uow: UnitOfWork, planner: StockPlanner, sourced: Sequence[SourcedOrder]
) -> Released:
    """Reserves what the planner handed out — one conditional update per position, the guard
    against oversell (invariant 2) whatever the plan said — and releases a fulfilment order
    per order and location. The orders must be stored (their lines have ids)."""
    if not stock.reserve_all(uow.connection, planner.reserved, clock.now()):
        raise StockChangedError("A locked stock position changed before it was reserved.")
    return release_fulfillment_orders(
        uow,
        [
            Release(
                item.order.id,
                item.order.number,
                _released_units(item),
                item.actor,
                _shipping_details(item.order),
            )
            for item in sourced
            if item.plan and item.order.id is not None
        ],
    )


def _released_units(item: SourcedOrder) -> list[ReleasedUnit]:
    units = []
    for a in item.plan:
        line = item.order.line(a.line_key)
        assert line.id is not None, "the order must be stored before its units are released"
        units.append(
            ReleasedUnit(
                order_line_id=line.id,
                sku=a.sku,
                location_id=a.location_id,
                position_id=a.position_id,
                quantity=a.quantity,
                name=line.name,
                promised_ship_on=line.promised_ship_on,
            )
        )
    return units


def _shipping_details(order: Order) -> ShippingDetails:
    """What the location gets of the order, as it is at this release."""
    return ShippingDetails(
        ship_to=order.shipping_address.as_dict(),
        contact_email=order.email,
        shipping_method=order.shipping_method,
        service_level=order.service_level,
        priority=order.priority,
        gift_note=order.gift_note,
    )


def source_order(uow: UnitOfWork, order: Order) -> Released | None:
    """Sources the order's open units again — after its last hold was released, or a
    location rejected it — avoiding every location that rejected it. The caller saves it."""
    if not order.can_be_sourced or order.id is None:
        return None
    skus = {need.sku for need in needs_of(order)}
    avoided = rejected_location_ids(uow.connection, [order.id])[order.id]
    now = clock.now()
    routing = load_routing(uow.connection, [order.channel_id], skus, now)
    planner = stock_planner(uow, skus)
    plan = routing.route(planner, order, avoided=avoided)
    order.allocate(units_by_line(plan))
    promise_lines(LineDating(uow.connection, now, skus), order, plan)
    released = commit_plans(uow, planner, [SourcedOrder(order, plan)])
    store_decisions(uow.connection, routing, now)
    return released


def allocate_backorders(
    uow: UnitOfWork, skus: Collection[str], *, skip_order_ids: Collection[int] = ()
) -> int:
    """Gives available units of these SKUs to the orders waiting for them, oldest first, in
    the caller's unit of work (so the stock and the orders it frees move together). Orders
    another transaction is working on are skipped (they are not waited for); `skip_order_ids`
    are orders the caller holds itself. Returns how many orders got stock."""
    if skus:  # a pre-order's units wait for its release day, whatever stock arrives
        skus = set(skus) - unreleased_preorder_skus(uow.connection, skus, clock.now().date())
    if not skus:
        return 0
    limit = BACKORDERS_PER_STOCK_CHANGE + len(skip_order_ids)
    waiting = [
        order_id
        for order_id in waiting_order_ids(uow.connection, skus, limit)
        if order_id not in skip_order_ids
    ]
    if not waiting:
        return 0
    avoided = rejected_location_ids(uow.connection, waiting)
    orders = [load_order(uow.connection, order_id) for order_id in waiting]
    orders = [order for order in orders if order.can_be_sourced]
    now = clock.now()
    routing = load_routing(uow.connection, {order.channel_id for order in orders}, skus, now)
    planner = stock_planner(uow, skus)
    dating = LineDating(uow.connection, now, skus)
    sourced = []
    for order in orders:
        assert order.id is not None
        # No early stop when an order gets nothing: it may only be waiting for a location
        # it has rejected, while a younger order can take the units.
        plan = routing.route(planner, order, skus, avoided[order.id])
        if plan:
            order.allocate(units_by_line(plan))
            promise_lines(dating, order, plan)
            sourced.append(SourcedOrder(order, plan))
    commit_plans(uow, planner, sourced)
    store_decisions(uow.connection, _with_plans(routing), now)
    for item in sourced:
        save_order(uow, item.order, now)
    return len(sourced)


def _with_plans(routing: BatchRouting) -> BatchRouting:
    """Only the decisions that gave an order stock: a waiting order offered nothing again
    keeps its last decision instead of gaining one per change of stock."""
    kept = [item for item in routing.decided if item[1] in (ALLOCATED, PARTIAL)]
    return BatchRouting(routing.rulings, routing.context, kept)


def _skus_waiting_orders_could_take(connection: Connection) -> list[str]:
    """SKUs with units at a location that ships parcels and that some order waiting for them
    never rejected (a look, no locks): only for those is a write transaction worth it."""
    waiting = waiting_lines(connection)
    unreleased = unreleased_preorder_skus(
        connection, {sku for _, sku in waiting}, clock.now().date()
    )
    waiting = [(order_id, sku) for order_id, sku in waiting if sku not in unreleased]
    offered: dict[str, list[int]] = {}
    for row in stock.available_stock(connection, {sku for _, sku in waiting}, lock=False):
        if can_ship_parcels(row.capabilities):
            offered.setdefault(row.sku, []).append(row.location_id)
    avoided = rejected_location_ids(connection, sorted({order_id for order_id, _ in waiting}))
    return sorted(
        {
            sku
            for order_id, sku in waiting
            if any(location not in avoided[order_id] for location in offered.get(sku, ()))
        }
    )


# SKUs one sweep transaction takes on: bounds the locks a sweep holds at once.
_SKUS_PER_SWEEP = 20


def allocate_waiting_orders(db: Database, *, actor: str = "system:sourcing") -> int:
    """The sweep the worker runs: every SKU that orders wait for while some location has
    units of it is offered to them again, a few SKUs per transaction. Each action that frees
    stock gives it away at once; this catches what those could not take — an order another
    transaction held just then, or more waiting orders than one change serves. Returns how
    many orders got stock."""

    skus = db.read(_skus_waiting_orders_could_take)
    allocated = 0
    for start in range(0, len(skus), _SKUS_PER_SWEEP):
        chunk = skus[start : start + _SKUS_PER_SWEEP]

        def work(uow: UnitOfWork, chunk: list[str] = chunk) -> int:
            lock_stock(uow, chunk)
            return allocate_backorders(uow, chunk)

        allocated += db.write(work, actor=actor)
    return allocated
