"""Fresh databases, seed data and request bodies for the intake benchmark.

Everything here talks to 127.0.0.1 only (the PostgreSQL URL is checked) and cleans up what it
created: SQLite files live in a temporary directory, PostgreSQL databases are dropped.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson
import psycopg
from sqlalchemy import event, insert, select
from sqlalchemy.engine import Connection

from ordnung.catalog.tables import product_table
from ordnung.channels.tables import sales_channel_table
from ordnung.core import clock
from ordnung.core.auth import hash_api_key, new_api_key
from ordnung.core.db import Database
from ordnung.core.migrate import upgrade_database
from ordnung.core.tables import api_key_table
from ordnung.inventory import stock
from ordnung.inventory.tables import location_table, stock_position_table

PRODUCT_COUNT = 50
LINES_PER_ORDER = 3
LOCATION_CODES = (("A", 1), ("B", 2), ("C", 3))
# Plenty: 3,000 orders x 3 lines x up to 3 units never come close to it.
ON_HAND = 10_000_000
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Seeded:
    url: str
    api_key: str
    # (sku, location code) -> stock position id, for the raw-SQL floor.
    positions: dict[tuple[str, str], int]
    location_ids: dict[str, int]
    channel_id: int


def require_local_postgres(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"--pg-url must point at 127.0.0.1, not {host!r}")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@contextmanager
def fresh_database(backend: str, pg_url: str, name: str) -> Iterator[str]:
    """A migrated, empty database; removed again afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="ordnung-bench-") as directory:
            url = f"sqlite:///{os.path.join(directory, name + '.db')}"
            upgrade_database(url)
            yield url
        return
    require_local_postgres(pg_url)
    _drop_create(pg_url, name, create=True)
    try:
        url = _with_database(pg_url, name)
        upgrade_database(url)
        yield url
    finally:
        _drop_create(pg_url, name, create=False)


def _drop_create(admin_url: str, name: str, *, create: bool) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def sku(index: int) -> str:
    return f"BENCH-{index:03d}"


def seed(url: str) -> Seeded:
    """Channel `webshop`, warehouses A/B/C, 50 products with stock everywhere, an admin key."""
    db = Database(url)
    now = clock.now()
    try:
        with db.engine.begin() as connection:
            channel_id = connection.execute(
                insert(sales_channel_table)
                .values(
                    code="webshop", name="Webshop", type="webshop", currency="EUR", created_at=now
                )
                .returning(sales_channel_table.c.id)
            ).scalar_one()
            location_ids = {
                code: _add_location(connection, code, prio) for code, prio in LOCATION_CODES
            }
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
                    for i in range(PRODUCT_COUNT)
                ],
            )
            positions = _add_stock(connection, location_ids)
            token = new_api_key()
            connection.execute(
                insert(api_key_table).values(
                    name="bench",
                    prefix=token[:8],
                    key_hash=hash_api_key(token),
                    scopes=["admin"],
                    created_at=now,
                )
            )
    finally:
        db.dispose()
    return Seeded(url, token, positions, location_ids, int(channel_id))


def _add_location(connection: Connection, code: str, priority: int) -> int:
    address = {
        "street": "Hafenstraße 1",
        "postal_code": "20457",
        "city": "Hamburg",
        "country": "DE",
    }
    return int(
        connection.execute(
            insert(location_table)
            .values(
                code=code,
                name=f"Lager {code}",
                type="warehouse",
                address=address,
                capabilities=["ship"],
                priority=priority,
                created_at=clock.now(),
            )
            .returning(location_table.c.id)
        ).scalar_one()
    )


def _add_stock(connection: Connection, location_ids: dict[str, int]) -> dict[tuple[str, str], int]:
    now = clock.now()
    connection.execute(
        insert(stock_position_table),
        [
            {
                "sku": sku(i),
                "location_id": location_id,
                "on_hand": ON_HAND,
                "reserved": 0,
                "safety_stock": 0,
                "updated_at": now,
            }
            for location_id in location_ids.values()
            for i in range(PRODUCT_COUNT)
        ],
    )
    code_of = {location_id: code for code, location_id in location_ids.items()}
    rows = connection.execute(
        select(
            stock_position_table.c.id,
            stock_position_table.c.sku,
            stock_position_table.c.location_id,
        )
    ).all()
    stock.record_movements(
        connection,
        [stock.Movement(row.id, stock.RECEIPT, ON_HAND, 0, "bench receipt") for row in rows],
        actor="bench",
        now=now,
    )
    return {(row.sku, code_of[row.location_id]): row.id for row in rows}


def order_lines(index: int) -> list[tuple[str, int]]:
    """Three distinct SKUs and small quantities, spread over the catalogue."""
    first = (index * 7) % PRODUCT_COUNT
    skus = [sku((first + step * 17) % PRODUCT_COUNT) for step in range(LINES_PER_ORDER)]
    return [(line_sku, 1 + (index + n) % 3) for n, line_sku in enumerate(skus)]


def order_payload(index: int, run: str) -> dict[str, Any]:
    """A valid order body like tests/factories.order_payload: 19.99 EUR gross, 19 % VAT.
    Each customer lives at an address of their own (as in a real shop: thousands of orders
    to one address within a day is what the fraud rules look for, not everyday traffic)."""
    address = {
        "first_name": "Erika",
        "last_name": "Mustermann",
        "street": f"Heidestraße {index % 997 + 1}",
        "postal_code": f"{50000 + index % 9973:05d}",
        "city": "Köln",
        "country": "DE",
    }
    return {
        "channel": "webshop",
        "external_id": f"{run}-{index:07d}",
        "currency": "EUR",
        "customer": {
            "email": f"kunde{index}@example.de",
            "first_name": "Erika",
            "last_name": "Mustermann",
        },
        "billing_address": address,
        "shipping_amount": "4.90",
        "lines": [
            {"sku": line_sku, "quantity": quantity, "unit_price": "19.99", "tax_rate": "19"}
            for line_sku, quantity in order_lines(index)
        ],
    }


def encoded_payload(index: int, run: str) -> bytes:
    return orjson.dumps(order_payload(index, run))


def count_statements(url: str) -> tuple[int, Counter[str]]:
    """Places one order in-process and counts the SQL statements it sends (incl. BEGIN):
    those SQLAlchemy runs and those the intake sends straight through the driver
    (`core/driver.py`); an executemany counts once."""
    from ordnung.orchestration.schemas import OrderIn
    from ordnung.orchestration.intake import place_order

    db = Database(url)
    seen: Counter[str] = Counter()

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen[_statement_kind(statement)] += 1

    try:
        event.listen(db.engine, "before_cursor_execute", on_execute)
        with _counting_driver(seen):
            order = OrderIn.model_validate(order_payload(20_000_000, "count")).to_model()
            place_order(db, order, actor="api_key:bench")
    finally:
        db.dispose()
    return sum(seen.values()), seen


@contextmanager
def _counting_driver(seen: Counter[str]) -> Iterator[None]:
    """Counts what goes through the driver's methods while the block runs."""
    from ordnung.core.driver import Driver

    def counting(method: Any, kind: Any) -> Any:
        def wrapper(driver: Driver, first: Any, *rest: Any, **options: Any) -> Any:
            is_empty_batch = kind is not _sql_kind and not rest[0]  # sends nothing
            for statement in [] if is_empty_batch else kind(driver, first):
                seen[statement] += 1
            return method(driver, first, *rest, **options)

        return wrapper

    kinds = {
        "fetch_all": _sql_kind,
        "execute": _sql_kind,
        "execute_many": _many_kind,
        "insert": _insert_kind,
        "append": _append_kind,
    }
    originals = {name: getattr(Driver, name) for name in kinds}
    try:
        for name, method in originals.items():
            setattr(Driver, name, counting(method, kinds[name]))
        yield
    finally:
        for name, method in originals.items():
            setattr(Driver, name, method)


def _sql_kind(_driver: Any, sql: str) -> list[str]:
    return [_statement_kind(sql)]


def _many_kind(_driver: Any, sql: str) -> list[str]:
    # Its own function: an executemany of no rows sends nothing and is not counted.
    return [_statement_kind(sql)]


def _insert_kind(driver: Any, table: Any) -> list[str]:
    # On SQLite an insert whose ids are needed also asks for last_insert_rowid().
    ids = [] if driver.is_postgresql else ["SELECT last_insert_rowid()"]
    return [f"INSERT {table.name}", *ids]


def _append_kind(_driver: Any, table: Any) -> list[str]:
    return [f"INSERT {table.name}"]


def _statement_kind(statement: str) -> str:
    words = statement.split()
    verb = words[0].upper() if words else "?"
    target = ""
    upper = [w.upper() for w in words]
    for keyword in ("INTO", "FROM", "UPDATE"):
        if keyword in upper:
            position = upper.index(keyword)
            if position + 1 < len(words):
                target = words[position + 1].strip('"(')
                break
    if verb == "BEGIN":
        return " ".join(words).upper()
    if "nextval" in statement:
        return "SELECT nextval(order_number_seq)"
    return f"{verb} {target}".strip()


def machine_facts(pg_url: str | None) -> dict[str, str]:
    facts = {
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "load average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    if pg_url:
        require_local_postgres(pg_url)
        with psycopg.connect(pg_url, autocommit=True) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            sync = connection.execute("SHOW synchronous_commit").fetchone()
        facts["postgresql"] = (
            f"{row[0] if row else '?'} (synchronous_commit={sync[0] if sync else '?'})"
        )
    return facts


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
