"""Sourcing decision time: one order of 1–5 lines routed over 10, 100 and 1,000 locations,
in-process — the stock read plus the pure planning — next to the floor of the stock read
alone through the bare driver (sqlite3).

    .venv/bin/python bench/sourcing.py [--orders 300] [--skus 50] [--locations 10,100,1000]

For each network size a fresh SQLite database is migrated and seeded like bench/atp.py
(locations spread over the German postal-code regions, a quarter of them stores; every SKU
at every location, 30 % of the positions empty). Each order has 1–5 random lines of 1–3
units and a random German postal code. Timed per order, for each rule set:

- `priority`: a channel without rules (the foundation's behaviour);
- `nearest+filters`: capability, max distance 600 km, no bulky items from stores, keep 1,
  nearest first, at most 2 shipments;
- `cheapest`: the HiGHS optimiser (20 ms budget) with greedy fallback.

The stock read is `inventory.stock.available_stock` without locks (as a look; intake reads
the same rows locked, once per batch). Target: p99 ≤ 50 ms at 100 locations.

    .venv/bin/python bench/sourcing.py --replay 10000 [--locations 100]

replays N generated orders one after another on one network's stock (each order takes what
it is given, as in a day of intake), once routed by priority (greedy) and once by the
optimiser (`cheapest`), both priced with the same cost function (handling per location,
shipping by zone and weight, a split penalty), and prints total cost, shipments, units left
open and the saving in percent, with progress and an ETA.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import time
from collections.abc import Callable

from atp import seed, sku
from intake_setup import fresh_database, machine_facts
from ordnung.core.db import Database
from ordnung.inventory import stock
from ordnung.inventory.locations import shipping_locations
from ordnung.promising.regions import postal_regions
from ordnung.sourcing.model import Need, StockPlanner
from ordnung.sourcing.routing import Ruling, route
from ordnung.sourcing.rules import FilterContext, LocationFacts, ShipTo, parse_rules

TARGET_P99_MS = 50.0
RULE_SETS = {
    "priority": Ruling(),
    "nearest+filters": Ruling(
        parse_rules(
            {
                "filters": [
                    {"kind": "capability", "capability": "ship"},
                    {"kind": "max_distance", "km": 600},
                    {"kind": "no_store_for_bulky", "grams": 20000},
                    {"kind": "keep_units", "units": 1},
                ],
                "strategy": "nearest",
                "split": {"policy": "max_shipments", "max_shipments": 2},
            }
        ),
        1,
    ),
    "cheapest": Ruling(parse_rules({"strategy": "cheapest"}), 1),
}

Order = tuple[list[Need], ShipTo]


def _orders(count: int, skus: int, rng: random.Random) -> list[Order]:
    regions = sorted(postal_regions())
    orders = []
    for _ in range(count):
        lines = rng.sample(range(skus), rng.randint(1, 5))
        needs = [Need(n + 1, sku(i), rng.randint(1, 3)) for n, i in enumerate(lines)]
        postal_code = f"{rng.choice(regions)}{rng.randint(0, 999):03d}"
        orders.append((needs, ShipTo("DE", postal_code)))
    return orders


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _context(db: Database, skus: int) -> FilterContext:
    rows = db.read(shipping_locations)
    locations = {
        r["id"]: LocationFacts(
            r["id"],
            r["code"],
            r["type"],
            r["country"],
            r["postal_code"],
            r["capabilities"],
            r["priority"],
        )
        for r in rows
    }
    weights = {sku(i): (25000 if i % 10 == 0 else 800) for i in range(skus)}
    return FilterContext(locations, postal_regions(), weights)


def _time(orders: list[Order], decide: Callable[[Order], object]) -> list[float]:
    samples = []
    for order in orders:
        started = time.perf_counter()
        decide(order)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run(locations: int, skus: int, count: int) -> None:
    rng = random.Random(locations)
    with fresh_database("sqlite", "", f"sourcing_{locations}") as url:
        seed(url, locations, skus)
        db = Database(url)
        context = _context(db, skus)
        orders = _orders(count, skus, rng)
        raw = sqlite3.connect(url.removeprefix("sqlite:///"))
        floor_sql = (
            "SELECT p.id, p.location_id, p.sku, p.on_hand - p.reserved - p.safety_stock,"
            " l.priority, l.capabilities FROM stock_position p JOIN location l"
            " ON l.id = p.location_id WHERE p.sku IN ({})"
            " AND p.on_hand - p.reserved - p.safety_stock > 0 ORDER BY p.id"
        )

        def floor(order: Order) -> object:
            skus_of = [need.sku for need in order[0]]
            sql = floor_sql.format(",".join("?" * len(skus_of)))
            return raw.execute(sql, skus_of).fetchall()

        floor_p50, floor_p99 = _percentiles(_time(orders, floor))
        print(
            f"{locations:>5} locations  stock read floor (sqlite3):  p50 {floor_p50:6.2f} ms"
            f"  p99 {floor_p99:6.2f} ms"
        )
        for name, ruling in RULE_SETS.items():

            def decide(order: Order, ruling: Ruling = ruling) -> object:
                needs, ship_to = order
                rows = db.read(
                    lambda c, needs=needs: stock.available_stock(
                        c, {n.sku for n in needs}, lock=False
                    )
                )
                planner = StockPlanner(rows)
                with_rules = context if ruling.version is not None else None
                return route(planner, needs, ruling, ship_to, with_rules)

            decide(orders[0])  # warm caches (regions, compiled statements)
            p50, p99 = _percentiles(_time(orders, decide))
            mark = " ✓" if locations != 100 or p99 <= TARGET_P99_MS else " ✗ target"
            print(
                f"{locations:>5} locations  {name:<16} read + plan:  p50 {p50:6.2f} ms"
                f"  p99 {p99:6.2f} ms{mark}"
            )
        raw.close()


def replay(locations: int, skus: int, count: int) -> None:
    """Greedy against the optimiser over the same stream of orders (see the module docs)."""
    rng = random.Random(count)
    orders = _orders(count, skus, rng)
    with fresh_database("sqlite", "", f"sourcing_replay_{locations}") as url:
        seed(url, locations, skus)
        db = Database(url)
        context = _context(db, skus)
        every_sku = {sku(i) for i in range(skus)}
        rows = db.read(lambda c: stock.available_stock(c, every_sku, lock=False))
        greedy = Ruling(parse_rules({"strategy": "priority"}), 1)  # priced like the optimiser
        for name, ruling in (("greedy (priority)", greedy), ("optimiser", RULE_SETS["cheapest"])):
            planner = StockPlanner(rows)  # each run starts from the same stock
            cost = shipments = open_units = 0
            started = time.monotonic()
            for index, (needs, ship_to) in enumerate(orders, start=1):
                plan, decision = route(planner, needs, ruling, ship_to, context)
                cost += int(decision.details.get("cost_cents") or 0)
                shipments += len({allocation.location_id for allocation in plan})
                open_units += sum(n.quantity for n in needs) - sum(a.quantity for a in plan)
                if index % 1000 == 0 or index == count:
                    spent = time.monotonic() - started
                    eta = spent / index * (count - index)
                    print(f"\r  {name}: {index:,}/{count:,} orders, ETA {eta:4.0f} s", end="")
            print()
            results = (cost, shipments, open_units)
            if name.startswith("greedy"):
                base = results
            print(
                f"  {name:<18} cost {cost / 100:12,.2f} EUR  shipments {shipments:,}"
                f"  units left open {open_units:,}"
            )
        saving = (base[0] - results[0]) / base[0] * 100 if base[0] else 0.0
        print(f"  saving of the optimiser against greedy: {saving:.1f} % of the cost")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--replay", type=int, default=0, help="replay N orders: greedy vs optimiser"
    )
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--skus", type=int, default=50)
    parser.add_argument("--locations", default="10,100,1000")
    args = parser.parse_args()
    for key, value in machine_facts(None).items():
        print(f"{key}: {value}")
    print(
        f"orders of 1–5 lines, {args.orders} per size; target p99 ≤ {TARGET_P99_MS:.0f} ms"
        " at 100 locations"
    )
    if args.replay:
        for locations in (int(n) for n in args.locations.split(",")):
            print(f"replay of {args.replay:,} orders over {locations} locations")
            replay(locations, args.skus, args.replay)
        return
    for locations in (int(n) for n in args.locations.split(",")):
        run(locations, args.skus, args.orders)


if __name__ == "__main__":
    main()
