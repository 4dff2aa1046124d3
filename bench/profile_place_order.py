"""In-process cost of the order intake service, without HTTP: time and cProfile of place_orders.

    .venv/bin/python bench/profile_place_order.py [--backend sqlite|postgresql] [--orders 500]
        [--batch 1]

Places orders one batch after another (no contention; `--batch` orders per transaction, as
the API's intake writer groups them) into a fresh seeded database, first timed,
then under cProfile, and prints milliseconds per order plus the most expensive functions.
Together with intake.py's "CPU per order" it splits the server's cost into the service and
the HTTP layer around it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time

from intake_setup import fresh_database, order_payload, seed
from ordnung.core.db import Database
from ordnung.orders.api import OrderIn
from ordnung.orders.intake import IntakeRequest, place_orders

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--batch", type=int, default=1, help="orders per intake transaction")
    args = parser.parse_args()
    with fresh_database(args.backend, args.pg_url, "ordnung_bench_profile") as url:
        seed(url)
        db = Database(url)
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
