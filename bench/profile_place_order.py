"""In-process cost of the order intake service, without HTTP: time and cProfile of place_orders.

    .venv/bin/python bench/profile_place_order.py [--backend sqlite|postgresql] [--orders 500]
        [--batch 1] [--by-statement] [--rules nearest|cheapest]

Places orders one batch after another (no contention; `--batch` orders per transaction, as
the API's intake writer groups them) into a fresh seeded database, first timed,
then under cProfile, and prints milliseconds per order plus the most expensive functions.
`--by-statement` instead times each statement intake sends through the driver (wall time per
batch: the client's work plus the database's).
Together with intake.py's "CPU per order" it splits the server's cost into the service and
the HTTP layer around it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from intake_setup import fresh_database, order_payload, seed
from ordnung.core.db import Database
from ordnung.core.driver import Driver
from ordnung.orchestration.intake import IntakeRequest, place_orders
from ordnung.orchestration.schemas import OrderIn
from ordnung.sourcing.rule_versions import activate_rule_version, create_rule_draft
from ordnung.sourcing.rules import parse_rules

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Sourcing rules to run intake under (`--rules`): every filter and a strategy each.
_FILTERS = [
    {"kind": "capability", "capability": "ship"},
    {"kind": "max_distance", "km": 800},
    {"kind": "no_store_for_bulky", "grams": 20000},
    {"kind": "keep_units", "units": 0},
    {"kind": "daily_capacity", "orders": 1_000_000},
]
RULES: dict[str, dict[str, Any]] = {
    "nearest": {"filters": _FILTERS, "strategy": "nearest"},
    "cheapest": {"filters": _FILTERS, "strategy": "cheapest"},
}


def _place_many(db: Database, start: int, count: int, run: str, batch: int) -> None:
    orders = [
        OrderIn.model_validate(order_payload(index, run)).to_model()
        for index in range(start, start + count)
    ]
    for first in range(0, count, batch):
        requests = [
            IntakeRequest(order, "api_key:bench") for order in orders[first : first + batch]
        ]
        for result in place_orders(db, requests):
            if isinstance(result, Exception):
                raise result


@contextmanager
def _timing_statements() -> Iterator[Counter[str]]:
    """Wall seconds per statement kind while the block runs (the driver's methods wrapped)."""
    seconds: Counter[str] = Counter()
    originals = {
        name: getattr(Driver, name)
        for name in ("fetch_all", "execute", "execute_many", "insert", "append")
    }

    def timed(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(driver: Driver, first: Any, *rest: Any, **options: Any) -> Any:
            kind = getattr(first, "name", None) or " ".join(str(first).split()[:5])
            started = time.perf_counter()
            try:
                return method(driver, first, *rest, **options)
            finally:
                seconds[f"{name}: {kind}"] += time.perf_counter() - started

        return wrapper

    for name, method in originals.items():
        setattr(Driver, name, timed(name, method))
    try:
        yield seconds
    finally:
        for name, method in originals.items():
            setattr(Driver, name, method)


def _print_by_statement(db: Database, args: argparse.Namespace) -> None:
    with _timing_statements() as seconds:
        started = time.perf_counter()
        _place_many(db, 0, args.orders, "by-statement", args.batch)
        total = time.perf_counter() - started
    batches = -(-args.orders // args.batch)
    print(f"per batch of {args.batch}: {total * 1000 / batches:.2f} ms wall in all")
    for kind, spent in seconds.most_common():
        print(f"  {spent * 1000 / batches:6.2f} ms  {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--batch", type=int, default=1, help="orders per intake transaction")
    parser.add_argument("--by-statement", action="store_true", help="time each statement")
    parser.add_argument(
        "--rules",
        choices=sorted(RULES),
        help="activate these sourcing rules on the channel first (docs/sourcing.md)",
    )
    args = parser.parse_args()
    with fresh_database(args.backend, args.pg_url, "ordnung_bench_profile") as url:
        seed(url)
        db = Database(url)
        if args.rules:
            draft = create_rule_draft(db, "webshop", parse_rules(RULES[args.rules]), actor="bench")
            activate_rule_version(db, "webshop", draft["number"], actor="bench")
        try:
            _place_many(db, 0, 50, "warm", args.batch)
            started = time.perf_counter()
            cpu_started = time.process_time()
            _place_many(db, 0, args.orders, "timed", args.batch)
            wall = (time.perf_counter() - started) * 1000 / args.orders
            cpu = (time.process_time() - cpu_started) * 1000 / args.orders
            print(
                f"{args.backend}, {args.batch} per batch: {wall:.2f} ms wall,"
                f" {cpu:.2f} ms CPU per order"
            )
            if args.by_statement:
                _print_by_statement(db, args)
                return
            profiler = cProfile.Profile()
            profiler.enable()
            _place_many(db, 0, args.orders, "profiled", args.batch)
            profiler.disable()
        finally:
            db.dispose()
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
