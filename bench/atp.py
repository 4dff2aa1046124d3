"""Available-to-promise: GET /api/v1/availability for 10 SKUs over 100 locations against a
real server, next to the raw-SQL floor of the same read through the bare driver.

    .venv/bin/python bench/atp.py [--locations 100] [--skus 1000] [--requests 2000]
        [--concurrency 8] [--workers 2] [--backend sqlite|postgresql|both]
        [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]

For each backend: a fresh database is migrated and seeded set-wise (L locations spread over
the German postal-code regions, each with promise settings; S products with a stock position
at every location — L × S positions; a web shop channel with a store buffer; an admin key);
the server is started with uvicorn like bench/intake.py; R requests, each for 10 random SKUs
with a random postal code, go first over one connection (the latency of one request, which the
target is about) and then over C keep-alive connections at once (the server saturated: each
request also waits for the ones ahead of it). Printed: p50/p95/p99 over HTTP and requests/s,
and p50/p99 of the same reads (locations, promise settings, sell scope, the positions of the
10 SKUs) through the driver with one client. Target: p99 ≤ 20 ms for one request.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from typing import Any
from urllib.parse import urlencode

import psycopg
from sqlalchemy import insert

from intake import _peak_rss_mb, running_server
from intake_client import LoadResult, run_load
from intake_setup import fresh_database, machine_facts
from ordnung.catalog.tables import product_table
from ordnung.channels.tables import sales_channel_table
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.inventory.tables import location_table, stock_position_table
from ordnung.promising.regions import postal_regions
from ordnung.promising.tables import channel_sell_scope_table, location_promise_setting_table
from ordnung.staff.service import create_api_key

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SKUS_PER_REQUEST = 10
TARGET_P99_MS = 20.0
STATES = ("BY", "NW", "HH", "BE", "HE", "BW", "NI", "SN")
INSERT_CHUNK = 5000


def sku(index: int) -> str:
    return f"ATP-{index:05d}"


def seed(url: str, locations: int, skus: int) -> str:
    """Seeds the network set-wise; returns an admin API key."""
    db = Database(url)
    now = clock.now()
    regions = sorted(postal_regions())
    rng = random.Random(5)
    with db.engine.begin() as connection:
        connection.execute(
            insert(sales_channel_table),
            [
                {
                    "code": "web",
                    "name": "Web",
                    "type": "webshop",
                    "currency": "EUR",
                    "created_at": now,
                }
            ],
        )
        location_rows = [
            {
                "code": f"loc-{i:03d}",
                "name": f"Standort {i:03d}",
                "type": "store" if i % 4 == 3 else "warehouse",
                "address": {
                    "street": "Hauptstraße 1",
                    "postal_code": f"{regions[i % len(regions)]}{i % 1000:03d}",
                    "city": "Stadt",
                    "country": "DE",
                },
                "capabilities": ["ship", "ship_from_store"] if i % 4 == 3 else ["ship"],
                "priority": i,
                "created_at": now,
            }
            for i in range(locations)
        ]
        ids = [
            row.id
            for row in connection.execute(
                insert(location_table).returning(location_table.c.id), location_rows
            )
        ]
        connection.execute(
            insert(location_promise_setting_table),
            [
                {
                    "location_id": location_id,
                    "federal_state": STATES[n % len(STATES)],
                    "time_zone": "Europe/Berlin",
                    "cutoff": "14:00",
                    "handling_days": n % 2,
                    "working_weekdays": [1, 2, 3, 4, 5],
                    "version": 1,
                    "updated_at": now,
                    "updated_by": "bench",
                }
                for n, location_id in enumerate(ids)
            ],
        )
        connection.execute(
            insert(channel_sell_scope_table),
            [
                {
                    "channel_id": 1,
                    "location_ids": [],
                    "store_buffer": 2,
                    "is_safety_stock_held": True,
                    "version": 1,
                    "updated_at": now,
                    "updated_by": "bench",
                }
            ],
        )
        connection.execute(
            insert(product_table),
            [
                {
                    "sku": sku(i),
                    "name": f"Artikel {i}",
                    "tax_class": "standard",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(skus)
            ],
        )
    _seed_positions(db, ids, skus, rng)
    db.refresh_statistics()
    _key_id, token = create_api_key(db, "atp-bench", ["admin"])
    db.dispose()
    return token


def _seed_positions(db: Database, ids: list[int], skus: int, rng: random.Random) -> None:
    now = clock.now()
    total = len(ids) * skus
    started = time.monotonic()
    rows: list[dict[str, Any]] = []
    done = 0
    for i in range(skus):
        for location_id in ids:
            on_hand = 0 if rng.random() < 0.3 else rng.randint(1, 40)
            rows.append(
                {
                    "sku": sku(i),
                    "location_id": location_id,
                    "on_hand": on_hand,
                    "reserved": rng.randint(0, on_hand // 3) if on_hand else 0,
                    "safety_stock": rng.choice((0, 0, 1, 2)),
                    "updated_at": now,
                }
            )
        if len(rows) >= INSERT_CHUNK or i == skus - 1:
            with db.engine.begin() as connection:
                connection.execute(insert(stock_position_table), rows)
            done += len(rows)
            rows = []
            rate = done / max(time.monotonic() - started, 1e-6)
            print(
                f"\r  positions {done:,}/{total:,} ({rate:,.0f}/s, "
                f"ETA {(total - done) / rate:.0f} s)",
                end="",
                flush=True,
            )
    print()


def _question(rng: random.Random, skus: int) -> dict[str, str]:
    regions = sorted(postal_regions())
    chosen = rng.sample(range(skus), SKUS_PER_REQUEST)
    return {
        "skus": ",".join(sku(i) for i in chosen),
        "channel": "web",
        "postal_code": f"{rng.choice(regions)}{rng.randint(0, 999):03d}",
    }


def _get(params: dict[str, str], api_key: str) -> bytes:
    path = "/api/v1/availability?" + urlencode(params)
    head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {api_key}\r\n\r\n"
    return head.encode()


_FLOOR_READS = (
    "SELECT id, code, name, type, capabilities, address, priority FROM location",
    "SELECT * FROM location_promise_setting",
    "SELECT * FROM channel_sell_scope WHERE channel_id = 1",
)


def _floor_ms(url: str, made: list[dict[str, str]]) -> tuple[float, float]:
    """The same reads as one availability request, through the bare driver, one client, in
    one read transaction each: what the database itself needs."""
    is_sqlite = url.startswith("sqlite")
    connection: Any = (
        sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        if is_sqlite
        else psycopg.connect(url, autocommit=True)
    )
    timings = []
    for params in made:
        skus = params["skus"].split(",")
        marks = ", ".join(["?" if is_sqlite else "%s"] * len(skus))
        positions = (
            "SELECT sku, location_id, on_hand, reserved, safety_stock FROM stock_position"
            f" WHERE sku IN ({marks})"
        )
        started = time.perf_counter()
        cursor = connection.cursor()
        cursor.execute("BEGIN")
        for sql in _FLOOR_READS:
            cursor.execute(sql)
            cursor.fetchall()
        cursor.execute(positions, skus)
        cursor.fetchall()
        cursor.execute("COMMIT")
        timings.append(time.perf_counter() - started)
    connection.close()
    timings.sort()
    return timings[len(timings) // 2] * 1000, timings[int(len(timings) * 0.99) - 1] * 1000


def bench_backend(backend: str, args: argparse.Namespace) -> None:
    rng = random.Random(17)
    name = "ordnung_atp_bench"
    with fresh_database(backend, args.pg_url, name) as url, tempfile.TemporaryDirectory() as logs:
        print(f"\n== {backend}: {args.locations} locations × {args.skus:,} SKUs ==", flush=True)
        started = time.monotonic()
        api_key = seed(url, args.locations, args.skus)
        print(f"  seeded in {time.monotonic() - started:.0f} s", flush=True)
        with running_server(url, args.workers, logs, "ordnung.api:create_app") as server:
            warm = [_get(_question(rng, args.skus), api_key) for _ in range(100)]
            run_load(server.port, warm, args.concurrency)
            print(f"  warmed up; {args.requests} requests over {args.concurrency} clients …")
            made = [_question(rng, args.skus) for _ in range(args.requests)]
            alone = made[: max(len(made) // 4, 1)]
            result = run_load(server.port, [_get(p, api_key) for p in alone], 1)
            _report("full answer (per location)", result, 1)
            result = run_load(server.port, [_get(p, api_key) for p in made], args.concurrency)
            floor = _floor_ms(url, made[: min(len(made), 500)])
            _report("full answer (per location)", result, args.concurrency)
            lean = [{**p, "per_location": "false"} for p in made]
            result = run_load(server.port, [_get(p, api_key) for p in lean], args.concurrency)
            _report("per_location=false", result, args.concurrency)
            print(
                f"  raw-SQL floor (driver, one client): p50 {floor[0]:.2f} ms, "
                f"p99 {floor[1]:.2f} ms"
            )
            rss = [_peak_rss_mb(pid) for pid in server.worker_pids()]
        print(f"  peak RSS per worker: {', '.join(f'{mb:.0f} MB' for mb in rss)}")


def _report(kind: str, result: LoadResult, concurrency: int) -> None:
    p99 = result.percentile_ms(0.99)
    if concurrency == 1:
        verdict = "meets" if p99 <= TARGET_P99_MS else "MISSES"
        verdict += f" the p99 target of {TARGET_P99_MS:.0f} ms"
    else:
        verdict = "saturated: the target is for one request"
    errors = f"  {result.errors} errors: {result.first_error[:120]}" if result.errors else ""
    print(
        f"  {kind}, HTTP ({concurrency} clients): p50 {result.percentile_ms(0.5):.1f} ms, "
        f"p95 {result.percentile_ms(0.95):.1f} ms, p99 {p99:.1f} ms, "
        f"{result.throughput:.0f} requests/s — {verdict}{errors}"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--locations", type=int, default=100)
    parser.add_argument("--skus", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=2000)
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
