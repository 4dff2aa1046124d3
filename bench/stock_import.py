"""How long one stock import of the largest allowed size takes (in-process, no HTTP): a
snapshot of 50,000 lines over 25,000 positions at two locations — half the lines change a
count, a few are refused — and the same as a delta. The figure justifies the documented limit
(one import = one transaction that holds the write lock for this long).

    .venv/bin/python bench/stock_import.py                      # SQLite (temp file)
    .venv/bin/python bench/stock_import.py --pg-url postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import UTC, datetime

from sqlalchemy import create_engine, insert, text

from ordnung.catalog.tables import product_table
from ordnung.core.db import Database, sqlalchemy_url
from ordnung.core.migrate import upgrade_database
from ordnung.inventory.stock_sync import DELTA, MAX_LINES, SNAPSHOT, SyncBatch, SyncLine
from ordnung.inventory.tables import location_table
from ordnung.orchestration.stock_operations import import_stock


def _seed(db: Database, skus: int) -> None:
    now = datetime.now(UTC)
    address = {
        "street": "Hafenstraße 1",
        "postal_code": "20457",
        "city": "Hamburg",
        "country": "DE",
    }
    with db.engine.begin() as connection:
        for code in ("nord", "sued"):
            connection.execute(
                insert(location_table).values(
                    code=code,
                    name=code,
                    type="warehouse",
                    address=address,
                    capabilities=["ship"],
                    priority=1,
                    created_at=now,
                )
            )
        rows = [
            {
                "sku": f"B-{i:06d}",
                "name": f"Artikel {i}",
                "tax_class": "standard",
                "created_at": now,
                "updated_at": now,
            }
            for i in range(skus)
        ]
        connection.execute(insert(product_table), rows)


def _lines(skus: int, *, change: int) -> list[SyncLine]:
    lines = []
    for i in range(skus):
        for code in ("nord", "sued"):
            quantity = 10 + (change if i % 2 else 0)
            lines.append(SyncLine(len(lines) + 2, f"B-{i:06d}", code, quantity))
    lines[-1] = SyncLine(lines[-1].line_number, "UNKNOWN-1", "nord", 1)
    return lines[:MAX_LINES]


def run(url: str) -> None:
    upgrade_database(url)
    db = Database(url)
    skus = MAX_LINES // 2
    _seed(db, skus)
    import_stock(db, SyncBatch("bench", SNAPSHOT, _lines(skus, change=0)))  # opening stock
    for label, batch in (
        ("snapshot", SyncBatch("bench", SNAPSHOT, _lines(skus, change=3))),
        (
            "delta",
            SyncBatch(
                "bench",
                DELTA,
                [SyncLine(n.line_number, n.sku, n.location, -1) for n in _lines(skus, change=0)],
            ),
        ),
    ):
        started = time.perf_counter()
        outcome = import_stock(db, batch)
        seconds = time.perf_counter() - started
        print(
            f"{db.engine.dialect.name:10} {label:8} {len(batch.lines):6} lines: {seconds:6.2f} s "
            f"({len(batch.lines) / seconds:,.0f} lines/s; changed {outcome.changed}, "
            f"refused {outcome.refused})"
        )
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg-url", help="PostgreSQL server; a database ordnung_bench_import")
    args = parser.parse_args()
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as directory:
        run(f"sqlite:///{directory}/bench.db")
    if args.pg_url:
        admin = create_engine(sqlalchemy_url(args.pg_url), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS ordnung_bench_import"))
            connection.execute(text("CREATE DATABASE ordnung_bench_import"))
        try:
            run(args.pg_url.rsplit("/", 1)[0] + "/ordnung_bench_import")
        finally:
            with admin.connect() as connection:
                connection.execute(text("DROP DATABASE IF EXISTS ordnung_bench_import"))
            admin.dispose()


if __name__ == "__main__":
    main()
