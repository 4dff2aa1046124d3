"""The raw-SQL floor: the same per-order work as Ordnung's intake, through the plain driver.

One transaction per order into the same schema (a separate fresh database): conditional
reservation UPDATEs with a row-count check (in position id order, as Ordnung does), customer
upsert, order number, order, 3 lines, fulfilment order + lines, 3 ledger rows and the outbox
rows Ordnung writes (order.received, order.allocated, fulfillment_order.released). What it
leaves out is what a hand-written path can skip: the framework, validation, the catalogue and
candidate reads (positions are known up front) and reading the order back for the response.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson
import psycopg

from intake_client import LoadResult
from intake_setup import Seeded, order_lines

UNIT_PRICE = 1999  # minor units, 19.99 EUR gross
SHIPPING = 490
ADDRESS = {
    "first_name": "Erika",
    "last_name": "Mustermann",
    "company": "",
    "street": "Heidestraße 17",
    "street2": "",
    "postal_code": "51147",
    "city": "Köln",
    "country": "DE",
    "phone": "",
}
ADDRESS_JSON = orjson.dumps(ADDRESS).decode()

_ORDER_COLUMNS = (
    "number, channel_id, external_id, customer_id, email, customer_name, status, currency,"
    " prices_include_tax, billing_address, shipping_address, shipping_method, shipping_amount,"
    " shipping_tax_rate, subtotal_amount, tax_amount, total_amount, placed_at, created_at,"
    " updated_at, version"
)
_LINE_COLUMNS = (
    "order_id, line_number, sku, name, quantity, unit_price, discount_amount, tax_rate,"
    " line_total, open_quantity, allocated_quantity, shipped_quantity, cancelled_quantity"
)


def _sql(statement: str, placeholder: str) -> str:
    return statement.replace("?", placeholder)


class Order:
    """What one order writes, computed before the transaction starts (as Ordnung does)."""

    def __init__(self, index: int, run: str, seeded: Seeded) -> None:
        self.index = index
        self.external_id = f"{run}-{index:07d}"
        self.email = f"kunde{index}@example.de"
        self.lines = order_lines(index)
        self.positions = [seeded.positions[(line_sku, "A")] for line_sku, _ in self.lines]
        self.subtotal = sum(UNIT_PRICE * quantity for _, quantity in self.lines)
        self.total = self.subtotal + SHIPPING
        self.tax = round(self.total * 19 / 119)


def _order_row(
    order: Order, number: Any, channel_id: int, customer_id: int, now: Any
) -> tuple[Any, ...]:
    return (
        number,
        channel_id,
        order.external_id,
        customer_id,
        order.email,
        "Erika Mustermann",
        "allocated",
        "EUR",
        1,
        ADDRESS_JSON,
        ADDRESS_JSON,
        "standard",
        SHIPPING,
        "19",
        order.subtotal,
        order.tax,
        order.total,
        now,
        now,
        now,
        1,
    )


def _line_rows(order: Order, order_id: int) -> list[Any]:
    values: list[Any] = []
    for number, (line_sku, quantity) in enumerate(order.lines, start=1):
        values += [order_id, number, line_sku, f"Artikel {line_sku}", quantity, UNIT_PRICE, 0]
        values += ["19", UNIT_PRICE * quantity, 0, quantity, 0, 0]
    return values


def _events(
    order: Order, order_id: int, number: str, fo_id: int, location_id: int
) -> list[tuple[str, str, int, int, dict[str, Any]]]:
    lines = [{"sku": s, "quantity": q} for s, q in order.lines]
    return [
        ("order.received", "order", order_id, order_id, {"number": number, "channel": "webshop"}),
        ("order.allocated", "order", order_id, order_id, {"number": number, "to": "allocated"}),
        (
            "fulfillment_order.released",
            "fulfillment_order",
            fo_id,
            order_id,
            {"location_id": location_id, "lines": lines},
        ),
    ]


def place_raw(cursor: Any, order: Order, seeded: Seeded, dialect: str, now: Any) -> tuple[int, int]:
    """One order's statements inside the caller's transaction; raises if stock runs short.
    Returns the order's id and its fulfilment order's id."""
    p = "?" if dialect == "sqlite" else "%s"
    location_id = seeded.location_ids["A"]
    for position_id, (_, quantity) in sorted(zip(order.positions, order.lines, strict=True)):
        cursor.execute(
            _sql(
                "UPDATE stock_position SET reserved = reserved + ?, updated_at = ?"
                " WHERE id = ? AND on_hand - reserved - safety_stock >= ?",
                p,
            ),
            (quantity, now, position_id, quantity),
        )
        if cursor.rowcount != 1:
            raise RuntimeError(f"out of stock at position {position_id}")
    customer_id = cursor.execute(
        _sql(
            "INSERT INTO customer (email, first_name, last_name, phone, created_at, updated_at)"
            " VALUES (?, 'Erika', 'Mustermann', NULL, ?, ?) ON CONFLICT (email)"
            " DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
            p,
        ),
        (order.email, now, now),
    ).fetchone()[0]
    if dialect == "sqlite":
        value = cursor.execute(
            "INSERT INTO counter (name, value) VALUES ('order_number', 1)"
            " ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value"
        ).fetchone()[0]
    else:
        value = cursor.execute("SELECT nextval('order_number_seq')").fetchone()[0]
    number = f"ORD-{int(value):06d}"
    json_cast = "" if dialect == "sqlite" else "::json"
    marks = _order_marks(p, json_cast)
    order_id = cursor.execute(
        f"INSERT INTO sales_order ({_ORDER_COLUMNS}) VALUES ({marks}) RETURNING id",
        _order_row(order, number, seeded.channel_id, customer_id, now),
    ).fetchone()[0]
    row_marks = "(" + ", ".join([p] * 13) + ")"
    line_ids = [
        row[0]
        for row in cursor.execute(
            f"INSERT INTO order_line ({_LINE_COLUMNS}) VALUES "
            + ", ".join([row_marks] * len(order.lines))
            + " RETURNING id",
            _line_rows(order, order_id),
        ).fetchall()
    ]
    fo_id = cursor.execute(
        _sql(
            "INSERT INTO fulfillment_order (order_id, order_number, location_id, status,"
            " created_at, updated_at) VALUES (?, ?, ?, 'released', ?, ?) RETURNING id",
            p,
        ),
        (order_id, number, location_id, now, now),
    ).fetchone()[0]
    items = list(zip(sorted(line_ids), order.positions, order.lines, strict=True))
    cursor.executemany(
        _sql(
            "INSERT INTO fulfillment_order_line (fulfillment_order_id, order_line_id, position_id,"
            " sku, quantity, shipped_quantity) VALUES (?, ?, ?, ?, ?, 0)",
            p,
        ),
        [(fo_id, line_id, pos, s, q) for line_id, pos, (s, q) in items],
    )
    cursor.executemany(
        _sql(
            "INSERT INTO stock_movement (position_id, kind, on_hand_delta, reserved_delta, reason,"
            " order_id, fulfillment_order_id, actor, created_at)"
            " VALUES (?, 'reservation', 0, ?, '', ?, ?, 'api_key:bench', ?)",
            p,
        ),
        [(pos, q, order_id, fo_id, now) for _, pos, (_, q) in items],
    )
    cursor.executemany(
        _sql(
            "INSERT INTO domain_event (type, aggregate_type, aggregate_id, order_id, actor,"
            f" payload, occurred_at) VALUES (?, ?, ?, ?, 'api_key:bench', ?{json_cast}, ?)",
            p,
        ),
        [
            (kind, aggregate, aggregate_id, oid, orjson.dumps(payload).decode(), now)
            for kind, aggregate, aggregate_id, oid, payload in _events(
                order, order_id, number, fo_id, location_id
            )
        ],
    )
    return int(order_id), int(fo_id)


def _order_marks(p: str, json_cast: str) -> str:
    marks = [p] * 21
    # billing_address and shipping_address (columns 10 and 11) are JSON.
    marks[9] = marks[10] = p + json_cast
    return ", ".join(marks)


def _sqlite_worker(path: str, seeded: Seeded, opened: list[Any]) -> Callable[[Order], None]:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    opened.append(connection)
    for pragma in (
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",  # Ordnung's default (Database(sqlite_synchronous="FULL"))
        "PRAGMA foreign_keys=ON",
        "PRAGMA busy_timeout=30000",
    ):
        connection.execute(pragma)
    cursor = connection.cursor()

    def place(order: Order) -> None:
        now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
        cursor.execute("BEGIN IMMEDIATE")
        try:
            place_raw(cursor, order, seeded, "sqlite", now)
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")

    return place


def _postgres_worker(url: str, seeded: Seeded, opened: list[Any]) -> Callable[[Order], None]:
    connection = psycopg.connect(url)
    opened.append(connection)
    cursor = connection.cursor()

    def place(order: Order) -> None:
        with connection.transaction():
            place_raw(cursor, order, seeded, "postgresql", datetime.now(UTC))

    return place


def run_floor(seeded: Seeded, orders: int, threads: int, run: str, warmup: int = 100) -> LoadResult:
    """Places `orders` orders with `threads` threads, one connection and transaction each."""
    opened: list[Any] = []
    try:
        if seeded.url.startswith("sqlite"):
            path = seeded.url.removeprefix("sqlite:///")
            workers = [_sqlite_worker(path, seeded, opened) for _ in range(threads)]
        else:
            workers = [_postgres_worker(seeded.url, seeded, opened) for _ in range(threads)]
        return _drive_all(workers, seeded, orders, run, warmup)
    finally:
        for connection in opened:
            connection.close()


def _drive_all(
    workers: list[Callable[[Order], None]], seeded: Seeded, orders: int, run: str, warmup: int
) -> LoadResult:
    threads = len(workers)
    for index in range(warmup):
        workers[0](Order(index, run + "w", seeded))
    prepared = [Order(index, run, seeded) for index in range(orders)]
    result = LoadResult()
    lock = threading.Lock()

    def drive(place: Callable[[Order], None], share: list[Order]) -> None:
        for order in share:
            started = time.perf_counter()
            status = 201
            try:
                place(order)
            except Exception as error:  # counted and reported, like a non-2xx answer
                status = 500
                if not result.first_error:
                    result.first_error = repr(error)
            latency = time.perf_counter() - started
            with lock:
                result.latencies.append(latency)
                result.statuses[status] = result.statuses.get(status, 0) + 1

    pool = [
        threading.Thread(target=drive, args=(place, prepared[i::threads]), daemon=True)
        for i, place in enumerate(workers)
    ]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=900)
    result.elapsed = time.perf_counter() - started
    return result
