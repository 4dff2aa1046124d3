"""Routing a batch of orders under their channels' rules, and the decisions it leaves.

`load_routing` reads once per batch what the rules of the batch's channels need: the active
rule versions (one statement), and — only when some channel has rules — the locations, the
products' weights and the orders each location took today. `BatchRouting.route` then plans
each order with pure functions (sourcing/routing.py) on the batch's `StockPlanner`, and
`store_decisions` writes every decision of the batch in one statement.

A non-stock product's units take no stock: `route` plans the order's other units and lets
those ride along (sourcing/model.py `ride_along`) — at the first location of the plan, else
at the first shipping location by priority that the order may use (not one that rejected
it, not one the channel's rules drop). The shipping locations are read only for a batch
that has non-stock SKUs.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ordnung.catalog.service import non_stock_skus, product_weights
from ordnung.core.db import Database
from ordnung.core.driver import driver_of
from ordnung.fulfillment.capacity import orders_per_location_since
from ordnung.inventory.locations import shipping_locations
from ordnung.orders.model import Order
from ordnung.promising.regions import postal_regions
from ordnung.sourcing.model import (
    Allocation,
    Need,
    StockPlanner,
    can_ship_parcels,
    needs_of,
    ride_along,
)
from ordnung.sourcing.routing import UNFULFILLABLE, Ruling, route
from ordnung.sourcing.rule_versions import active_rulings
from ordnung.sourcing.rules import (
    FilterContext,
    LocationFacts,
    ShipTo,
    capacity_day_start,
    drop_locations,
)
from ordnung.sourcing.tables import sourcing_decision_table as decisions

_DEFAULT = Ruling()


@dataclass(slots=True)
class BatchRouting:
    """The rules and facts of one intake batch; `decided` collects (order, decision)."""

    rulings: dict[int, Ruling]
    context: FilterContext | None
    # (order, outcome, details as JSON). Serialised at once: a batch's explanations kept as
    # dicts until the store lived long enough to be promoted by the garbage collector, and
    # the extra collections cost intake 40 % (bench/profile_place_order.py, measured).
    decided: list[tuple[Order, str, orjson.Fragment]] = field(default_factory=list)
    # Non-stock SKUs of the batch, and (only if there are any) every location by priority.
    non_stock: frozenset[str] = frozenset()
    locations: Sequence[LocationFacts] = ()

    def route(
        self,
        planner: StockPlanner,
        order: Order,
        skus: Collection[str] | None = None,
        avoided: Collection[int] = (),
    ) -> list[Allocation]:
        """Plans the order's open units (of these SKUs, if given) under its channel's rules,
        never at a location it avoids, and books the plan on the planner; its non-stock
        units, whatever `skus` says, ride along."""
        needs = [n for n in needs_of(order, skus) if n.sku not in self.non_stock]
        riding = needs_of(order, self.non_stock) if self.non_stock else []
        return self.route_needs(planner, order, needs, avoided, riding)

    def route_needs(
        self,
        planner: StockPlanner,
        order: Order,
        needs: list[Need],
        avoided: Collection[int] = (),
        riding: Sequence[Need] = (),
    ) -> list[Allocation]:
        """Plans these needs of the order (intake leaves out units a checkout hold brings and
        pre-order units before their day) under its channel's rules; the `riding` needs (a
        non-stock product's) go with the plan's first location, taking no stock."""
        address = order.shipping_address
        ruling = self.rulings.get(order.channel_id, _DEFAULT)
        plan, decision = route(
            planner,
            needs,
            ruling,
            ShipTo(address.country, address.postal_code),
            self.context if ruling.version is not None else None,
            avoided,
        )
        if riding:
            fallback = self._fallback_locations(order, ruling, riding, avoided)
            rides = ride_along(riding, plan, fallback)
            decision.details["non_stock"] = [
                {
                    "line": a.line_key,
                    "sku": a.sku,
                    "location_id": a.location_id,
                    "quantity": a.quantity,
                }
                for a in rides
            ]
            plan = plan + rides
        decision.details["order_number"] = order.number
        self.decided.append(
            (order, decision.outcome, orjson.Fragment(orjson.dumps(decision.details)))
        )
        return plan

    def _fallback_locations(
        self, order: Order, ruling: Ruling, riding: Sequence[Need], avoided: Collection[int]
    ) -> list[int]:
        """The shipping locations the order may use, by priority: those that ship parcels,
        less those it avoids and those its channel's rules drop."""
        allowed = [
            location.location_id
            for location in self.locations
            if can_ship_parcels(location.capabilities) and location.location_id not in avoided
        ]
        if ruling.version is None or self.context is None:
            return allowed
        address = order.shipping_address
        ship_to = ShipTo(address.country, address.postal_code)
        skus = {need.sku for need in riding}
        dropped = drop_locations(ruling.rules, allowed, ship_to, skus, self.context)
        dropped_ids = {d.location_id for d in dropped}
        return [location_id for location_id in allowed if location_id not in dropped_ids]


def load_routing(
    connection: Connection,
    channel_ids: Collection[int],
    skus: Collection[str],
    now: datetime,
    *,
    non_stock: Collection[str] | None = None,
) -> BatchRouting:
    """The rules of these channels and what they need; `non_stock`: those of `skus` that
    are non-stock, if the caller knows already (intake), else looked up."""
    found = frozenset(non_stock_skus(connection, skus) if non_stock is None else non_stock)
    rulings = active_rulings(connection, channel_ids)
    context = load_context(connection, rulings.values(), skus, now) if rulings else None
    locations: list[LocationFacts] = []
    if found:
        facts = context.locations.values() if context else _location_facts(connection).values()
        locations = sorted(facts, key=lambda location: (location.priority, location.location_id))
    return BatchRouting(rulings, context, non_stock=found, locations=locations)


def load_context(
    connection: Connection,
    rulings: Collection[Ruling],
    skus: Collection[str],
    now: datetime,
    *,
    with_weights: bool = False,
) -> FilterContext:
    """What these rule sets look at beyond the order, read once: the locations, the SKUs'
    weights (if a rule or the caller needs them), today's fulfilment orders per location
    (if a rule counts them)."""
    locations = _location_facts(connection)
    needs_weights = with_weights or any(r.rules.needs_weights for r in rulings)
    counts_today = any(f.kind == "daily_capacity" for r in rulings for f in r.rules.filters)
    start_of_day = capacity_day_start(now)
    return FilterContext(
        locations,
        postal_regions(),
        product_weights(connection, skus) if needs_weights else {},
        orders_per_location_since(connection, start_of_day) if counts_today else {},
    )


def _location_facts(connection: Connection) -> dict[int, LocationFacts]:
    return {
        row["id"]: LocationFacts(
            row["id"],
            row["code"],
            row["type"],
            row["country"],
            row["postal_code"],
            row["capabilities"],
            row["priority"],
        )
        for row in shipping_locations(connection)
    }


def store_decisions(connection: Connection, routing: BatchRouting, now: datetime) -> None:
    """Every decision of the batch, in one statement (the orders must be stored)."""
    rows = [
        {"order_id": order.id, "outcome": outcome, "details": details, "decided_at": now}
        for order, outcome, details in routing.decided
        if order.id is not None
    ]
    if rows:
        driver_of(connection).append(decisions, rows)  # intake's hot path: core/driver.py


def decisions_of_order(db: Database, order_id: int) -> list[dict[str, Any]]:
    """The order's sourcing decisions, newest first."""
    rows = db.read(
        lambda connection: connection.execute(
            select(decisions.c.outcome, decisions.c.details, decisions.c.decided_at)
            .where(decisions.c.order_id == order_id)
            .order_by(decisions.c.id.desc())
        ).all()
    )
    return [{"outcome": r.outcome, "details": r.details, "decided_at": r.decided_at} for r in rows]


def unfulfillable_orders(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    """Orders whose latest decision found no location the rules allow, newest first."""

    def read(connection: Connection) -> Sequence[Any]:
        latest = (
            select(func.max(decisions.c.id).label("id")).group_by(decisions.c.order_id).subquery()
        )
        return connection.execute(
            select(decisions.c.order_id, decisions.c.details, decisions.c.decided_at)
            .join(latest, latest.c.id == decisions.c.id)
            .where(decisions.c.outcome == UNFULFILLABLE)
            .order_by(decisions.c.id.desc())
            .limit(limit)
        ).all()

    return [
        {"order_id": r.order_id, "details": r.details, "decided_at": r.decided_at}
        for r in db.read(read)
    ]
