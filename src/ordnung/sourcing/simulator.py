"""What a rule version would have done: the channel's last N orders planned again under it
and under the active version, against the stock available now. Pure planning on one read;
nothing is reserved or written.

Each side gets its own `StockPlanner` over the same stock, so the orders compete for it in
their order of arrival (oldest first), as intake would have let them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection

from ordnung.channels.service import get_channel
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.inventory import stock
from ordnung.orders.replay import ReplayedOrder, last_orders
from ordnung.sourcing.decisions import load_context
from ordnung.sourcing.model import Need, StockPlanner
from ordnung.sourcing.routing import ALLOCATED, UNFULFILLABLE, Ruling, route
from ordnung.sourcing.rule_versions import active_rulings, get_rule_version
from ordnung.sourcing.rules import FilterContext, ShipTo, parse_rules


@dataclass(frozen=True, slots=True)
class Outcome:
    """One rule set replayed: orders, how many were fully allocated, unfulfillable; units
    wanted and planned; shipments; split orders; total cost in cents."""

    label: str
    orders: int
    allocated: int
    unfulfillable: int
    units_wanted: int
    units_planned: int
    shipments: int
    split_orders: int
    cost_cents: int

    @property
    def split_rate(self) -> float:
        planned = self.orders - self.unfulfillable
        return self.split_orders / planned if planned else 0.0


def simulate(db: Database, channel_code: str, number: int, count: int) -> list[Outcome]:
    """The draft (or any version) `number` against the channel's active rules (or none)."""
    channel = get_channel(db, channel_code)
    candidate = get_rule_version(db, channel_code, number)

    def read(connection: Connection) -> list[Outcome]:
        orders = list(reversed(last_orders(connection, channel.id, count)))
        skus = {sku for order in orders for _, sku, _ in order.lines}
        rows = stock.available_stock(connection, skus, lock=False)
        active = active_rulings(connection, [channel.id]).get(channel.id, Ruling())
        tried = Ruling(parse_rules(candidate["rules"]), candidate["number"])
        outcomes = []
        for label, ruling in (("active", active), ("candidate", tried)):
            context = load_context(connection, [ruling], skus, clock.now(), with_weights=True)
            planner = StockPlanner(rows)
            outcomes.append(_replay(label, orders, planner, ruling, context))
        return outcomes

    return db.read(read)


def _replay(
    label: str,
    orders: list[ReplayedOrder],
    planner: StockPlanner,
    ruling: Ruling,
    context: FilterContext,
) -> Outcome:
    allocated = unfulfillable = wanted = planned = shipments = split = cost = 0
    for order in orders:
        needs = [Need(line, sku, units) for line, sku, units in order.lines]
        ship_to = ShipTo(order.country, order.postal_code)
        plan, decision = route(planner, needs, ruling, ship_to, context)
        wanted += sum(need.quantity for need in needs)
        planned += sum(a.quantity for a in plan)
        allocated += decision.outcome == ALLOCATED
        unfulfillable += decision.outcome == UNFULFILLABLE
        used = len({a.location_id for a in plan})
        shipments += used
        split += used > 1
        cost += decision.details["cost_cents"] or 0
    return Outcome(
        label, len(orders), allocated, unfulfillable, wanted, planned, shipments, split, cost
    )
