"""Finding orders at scale: GET /api/v1/orders?q=… and the filtered list against a real
server, next to the time of the very same SQL through the bare driver in the same run.

    .venv/bin/python bench/search.py [--orders 100000] [--backend sqlite|postgresql|both]
        [--requests 400] [--concurrency 8] [--workers 2]
        [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]

For each backend: a fresh database is migrated and seeded with N orders (bench/search_seed.py,
set-wise, progress with an ETA); the server is started with uvicorn like bench/intake.py; for
each kind of query R requests with values drawn from the seeded orders go over C keep-alive
connections. Printed per kind: p50/p95/p99 over HTTP, searches/s, and p50/p99 of the same SQL
statement (compiled by the application's own query builder) run through the driver with one
client. Last: peak RSS of each server worker (VmHWM).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from intake import _peak_rss_mb, running_server
from intake_client import LoadResult, run_load
from intake_setup import fresh_database, machine_facts
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.orders import queries
from search_seed import CHANNELS, SKU_COUNT, TAGS, Samples, seed_orders

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PAGE = 50
TARGET_P99_MS = 50.0

Params = dict[str, str]


def _kinds(samples: Samples, rng: random.Random) -> dict[str, Callable[[], Params]]:
    """Each kind of query, as a maker of one request's parameters."""
    now = clock.now()

    def month() -> Params:
        start = now - timedelta(days=rng.randint(30, 360))
        return {
            "channel": rng.choice(CHANNELS),
            "created_from": start.isoformat(),
            "created_to": (start + timedelta(days=30)).isoformat(),
        }

    return {
        "number, part (5 digits)": lambda: {"q": rng.choice(samples.numbers)[-5:]},
        "number, full": lambda: {"q": rng.choice(samples.numbers)},
        "external id": lambda: {"q": rng.choice(samples.external_ids)},
        "name, ASCII spelling": lambda: {"q": _ascii_name(rng.choice(samples.names))},
        "name with umlaut": lambda: {"q": " ".join(rng.choice(samples.names))},
        "e-mail, part": lambda: {"q": rng.choice(samples.emails).split("@")[0]},
        "e-mail, domain": lambda: {"q": "@" + rng.choice(samples.emails).split("@")[1]},
        "phone": lambda: {"q": rng.choice(samples.phones)},
        "SKU": lambda: {"q": f"SKU-{rng.randrange(SKU_COUNT):05d}"},
        "tag (q=)": lambda: {"q": rng.choice(TAGS)},
        "tag (filter)": lambda: {"tag": rng.choice(TAGS)},
        "tracking number": lambda: {"q": rng.choice(samples.tracking)},
        "list: channel + 30 days": month,
        "list: status": lambda: {"status": rng.choice(("on_hold", "backordered", "shipped"))},
    }


def _ascii_name(name: tuple[str, str]) -> str:
    from search_seed import _ascii_local

    return f"{_ascii_local(name[0])} {_ascii_local(name[1])}"


def _get(params: Params, api_key: str) -> bytes:
    path = "/api/v1/orders?" + urlencode({**params, "limit": str(PAGE)})
    head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {api_key}\r\n\r\n"
    return head.encode()


def _filter(params: Params) -> queries.OrderFilter:
    from datetime import datetime

    def when(key: str) -> datetime | None:
        return datetime.fromisoformat(params[key]) if key in params else None

    return queries.OrderFilter(
        status=params.get("status"),
        channel=params.get("channel"),
        created_from=when("created_from"),
        created_to=when("created_to"),
        q=params.get("q"),
        tag=params.get("tag"),
    )


def _floor_ms(db: Database, made: list[Params]) -> tuple[float, float]:
    """p50/p99 of the application's own statements for these parameters (the list's
    `_page_rows`: the newest orders' keys, then the index if needed), run on one connection
    without HTTP and JSON: what the database itself needs."""
    dialect = "sqlite" if db.is_sqlite else "postgresql"
    timings = []
    with db.engine.connect() as connection:
        for params in made:
            started = time.perf_counter()
            queries._page_rows(connection, _filter(params), dialect, None, PAGE)
            timings.append(time.perf_counter() - started)
    timings.sort()
    return timings[len(timings) // 2] * 1000, timings[int(len(timings) * 0.99) - 1] * 1000


def bench_backend(backend: str, args: argparse.Namespace) -> None:
    rng = random.Random(11)
    name = "ordnung_search_bench"
    with fresh_database(backend, args.pg_url, name) as url, tempfile.TemporaryDirectory() as logs:
        print(f"\n== {backend}: {args.orders:,} orders ==", flush=True)
        started = time.monotonic()
        api_key, samples = seed_orders(url, args.orders)
        print(f"  seeded in {time.monotonic() - started:.0f} s", flush=True)
        kinds = _kinds(samples, rng)
        db = Database(url)
        with running_server(url, args.workers, logs, "ordnung.api:create_app") as server:
            warm = [_get(kinds[k](), api_key) for k in kinds for _ in range(10)]
            run_load(server.port, warm, args.concurrency)
            print(
                f"  {'query':<26} {'p50':>7} {'p95':>7} {'p99':>7} {'/s':>6} {'SQL p50':>8} "
                f"{'SQL p99':>8}  (ms; HTTP with {args.concurrency} clients, SQL one client)"
            )
            for kind, make in kinds.items():
                made = [make() for _ in range(args.requests)]
                result = run_load(server.port, [_get(p, api_key) for p in made], args.concurrency)
                floor = _floor_ms(db, made[: min(len(made), 200)])
                _report(kind, result, floor)
            rss = [_peak_rss_mb(pid) for pid in server.worker_pids()]
        db.dispose()
        print(f"  peak RSS per worker: {', '.join(f'{mb:.0f} MB' for mb in rss)}")


def _report(kind: str, result: LoadResult, floor: tuple[float, float]) -> None:
    flag = "" if result.percentile_ms(0.99) <= TARGET_P99_MS else "  > target"
    errors = f"  {result.errors} errors: {result.first_error[:120]}" if result.errors else ""
    print(
        f"  {kind:<26} {result.percentile_ms(0.5):7.1f} {result.percentile_ms(0.95):7.1f} "
        f"{result.percentile_ms(0.99):7.1f} {result.throughput:6.0f} {floor[0]:8.1f} "
        f"{floor[1]:8.1f}{flag}{errors}",
        flush=True,
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400, help="per kind of query")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    facts = machine_facts(args.pg_url if args.backend != "sqlite" else None)
    print("machine: " + ", ".join(f"{k} {v}" for k, v in facts.items()))
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        bench_backend(backend, args)


if __name__ == "__main__":
    main()
