"""Routing a batch of orders under their channels' rules, and the decisions it leaves.

`load_routing` reads once per batch what the rules of the batch's channels need: the active
rule versions (one statement), and — only when some channel has rules — the locations, the
products' weights and the orders each location took today. `BatchRouting.route` then plans
each order with pure functions (sourcing/routing.py) on the batch's `StockPlanner`, and
`store_decisions` writes every decision of the batch in one statement.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ordnung.catalog.service import product_weights
from ordnung.core.db import Database
from ordnung.core.driver import driver_of
from ordnung.fulfillment.capacity import orders_per_location_since
from ordnung.inventory.locations import shipping_locations
from ordnung.orders.model import Order
from ordnung.promising.regions import postal_regions
from ordnung.sourcing.model import Allocation, Need, StockPlanner, needs_of
from ordnung.sourcing.routing import UNFULFILLABLE, Ruling, route
from ordnung.sourcing.rule_versions import active_rulings
from ordnung.sourcing.rules import FilterContext, LocationFacts, ShipTo
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

    def route(
        self,
        planner: StockPlanner,
        order: Order,
        skus: Collection[str] | None = None,
        avoided: Collection[int] = (),
    ) -> list[Allocation]:
        """Plans the order's open units (of these SKUs, if given) under its channel's rules,
        never at a location it avoids, and books the plan on the planner."""
        return self.route_needs(planner, order, needs_of(order, skus), avoided)

    def route_needs(
        self,
        planner: StockPlanner,
        order: Order,
        needs: list[Need],
        avoided: Collection[int] = (),
    ) -> list[Allocation]:
        """Plans these needs of the order (intake leaves out units a checkout hold brings and
        pre-order units before their day) under its channel's rules."""
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
        decision.details["order_number"] = order.number
        self.decided.append(
            (order, decision.outcome, orjson.Fragment(orjson.dumps(decision.details)))
        )
        return plan


def load_routing(
    connection: Connection, channel_ids: Collection[int], skus: Collection[str], now: datetime
) -> BatchRouting:
    rulings = active_rulings(connection, channel_ids)
    if not rulings:
        return BatchRouting(rulings, None)
    return BatchRouting(rulings, load_context(connection, rulings.values(), skus, now))


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
    locations = {
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
    needs_weights = with_weights or any(r.rules.needs_weights for r in rulings)
    counts_today = any(f.kind == "daily_capacity" for r in rulings for f in r.rules.filters)
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return FilterContext(
        locations,
        postal_regions(),
        product_weights(connection, skus) if needs_weights else {},
        orders_per_location_since(connection, start_of_day) if counts_today else {},
    )


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
