"""The raw-SQL floor of the fulfilment cycle: each step's work through the plain driver.

Into a second fresh database of the same schema, with the same number of client threads (one
connection and one transaction per step each, as Ordnung does):

- intake: `intake_raw.place_raw` (reservations, customer, order, lines, fulfilment order,
  ledger rows, events);
- worklist: the location's released fulfilment orders, newest first (the list's query);
- accept / pick: a compare-and-set status update plus its event row;
- ship: the order row locked, the fulfilment order's open lines read, a compare-and-set on
  its status, per line a conditional on_hand/reserved decrement, lines marked shipped, ledger
  rows, shipment + shipment lines, the order lines' shipped quantities, the order's status
  (shipped unless units are still open), three events and the tracking number added to the
  order's search key.

What it leaves out is what a hand-written path can skip: the framework, validation, loading
the whole order aggregate, rebuilding the search key from scratch and shaping the answer.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import psycopg

from intake_client import LoadResult
from intake_raw import Order, place_raw
from intake_setup import Seeded

ACTOR = "api_key:bench"
SHIPPABLE_FROM = ("released", "accepted", "picking", "packed")
# (status reached, the only status it may come from, event type) for the status-only steps.
STATUS_STEPS = {
    "accept": ("accepted", "released", "fulfillment_order.accepted"),
    "pick": ("picking", "accepted", "fulfillment_order.picking_started"),
}


@dataclass
class Client:
    """One connection of the floor, with the dialect's placeholder and transaction."""

    connection: Any
    cursor: Any
    dialect: str

    def sql(self, statement: str) -> str:
        return statement if self.dialect == "sqlite" else statement.replace("?", "%s")

    def now(self) -> Any:
        moment = datetime.now(UTC)
        if self.dialect == "sqlite":
            return moment.replace(tzinfo=None).isoformat(sep=" ")
        return moment

    def transaction(self, work: Callable[[Any], Any]) -> Any:
        if self.dialect == "postgresql":
            with self.connection.transaction():
                return work(self.cursor)
        self.cursor.execute("BEGIN IMMEDIATE")
        try:
            result = work(self.cursor)
        except BaseException:
            self.cursor.execute("ROLLBACK")
            raise
        self.cursor.execute("COMMIT")
        return result


def open_client(seeded: Seeded) -> Client:
    if seeded.url.startswith("sqlite"):
        path = seeded.url.removeprefix("sqlite:///")
        connection = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=30
        )
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=FULL",  # Ordnung's default, as in intake_raw
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=30000",
        ):
            connection.execute(pragma)
        return Client(connection, connection.cursor(), "sqlite")
    connection = psycopg.connect(seeded.url)
    return Client(connection, connection.cursor(), "postgresql")


# -- the steps -----------------------------------------------------------------------------


def intake(client: Client, seeded: Seeded, order: Order) -> list[int]:
    """Places the order; returns its fulfilment order ids."""
    now = client.now()
    _, fo_id = client.transaction(
        lambda cursor: place_raw(cursor, order, seeded, client.dialect, now)
    )
    return [fo_id]


def worklist(client: Client, location_code: str) -> list[Any]:
    rows = client.cursor.execute(
        client.sql(
            "SELECT f.id, f.order_id, f.location_id, f.status, f.reject_reason, f.created_at,"
            " f.updated_at, l.code, l.name, f.order_number FROM fulfillment_order f"
            " JOIN location l ON l.id = f.location_id WHERE l.code = ? AND f.status = ?"
            " ORDER BY f.id DESC LIMIT 21"
        ),
        (location_code, "released"),
    ).fetchall()
    if client.dialect == "postgresql":
        client.connection.commit()  # end the read's transaction, as Ordnung's db.read does
    return list(rows)


def change_status(client: Client, step: str, fo_id: int) -> None:
    target, source, event = STATUS_STEPS[step]

    def work(cursor: Any) -> None:
        now = client.now()
        row = cursor.execute(
            client.sql(
                "UPDATE fulfillment_order SET status = ?, updated_at = ?"
                " WHERE id = ? AND status = ? RETURNING order_id, location_id"
            ),
            (target, now, fo_id, source),
        ).fetchone()
        if row is None:
            raise RuntimeError(f"fulfilment order {fo_id} is not {source}")
        payload = {"from": source, "to": target, "location_id": row[1]}
        _events(client, [(event, "fulfillment_order", fo_id, row[0], payload)], now)

    client.transaction(work)


@dataclass
class _Shipping:
    fo_id: int
    tracking_number: str
    now: Any
    order: Any = None
    fo_status: str = ""
    lines: list[Any] = field(default_factory=list)


def ship(client: Client, fo_id: int, tracking_number: str) -> str:
    """Ships every open unit of the fulfilment order; returns the order's new status."""

    def work(cursor: Any) -> str:
        shipping = _Shipping(fo_id, tracking_number, client.now())
        _lock_and_read(client, cursor, shipping)
        _move_stock(client, cursor, shipping)
        shipment_id = _record_shipment(client, cursor, shipping)
        return _update_order(client, cursor, shipping, shipment_id)

    return str(client.transaction(work))


def _lock_and_read(client: Client, cursor: Any, shipping: _Shipping) -> None:
    lock = " FOR UPDATE OF o" if client.dialect == "postgresql" else ""
    shipping.order = cursor.execute(
        client.sql(
            "SELECT o.id, o.number, o.status FROM sales_order o JOIN fulfillment_order f"
            f" ON f.order_id = o.id WHERE f.id = ?{lock}"
        ),
        (shipping.fo_id,),
    ).fetchone()
    rows = cursor.execute(
        client.sql(
            "SELECT f.status, f.location_id, l.id, l.order_line_id, l.position_id, l.sku,"
            " l.quantity - l.shipped_quantity FROM fulfillment_order f"
            " JOIN fulfillment_order_line l ON l.fulfillment_order_id = f.id"
            " WHERE f.id = ? AND l.shipped_quantity < l.quantity ORDER BY l.position_id"
        ),
        (shipping.fo_id,),
    ).fetchall()
    if shipping.order is None or not rows or rows[0][0] not in SHIPPABLE_FROM:
        raise RuntimeError(f"fulfilment order {shipping.fo_id} cannot ship")
    shipping.fo_status, shipping.lines = rows[0][0], rows
    changed = cursor.execute(
        client.sql(
            "UPDATE fulfillment_order SET status = 'shipped', updated_at = ?"
            " WHERE id = ? AND status = ?"
        ),
        (shipping.now, shipping.fo_id, shipping.fo_status),
    )
    if changed.rowcount != 1:
        raise RuntimeError(f"fulfilment order {shipping.fo_id} changed meanwhile")


def _move_stock(client: Client, cursor: Any, shipping: _Shipping) -> None:
    for line in shipping.lines:  # in position id order
        units, position_id = line[6], line[4]
        cursor.execute(
            client.sql(
                "UPDATE stock_position SET on_hand = on_hand - ?, reserved = reserved - ?,"
                " updated_at = ? WHERE id = ? AND reserved >= ?"
            ),
            (units, units, shipping.now, position_id, units),
        )
        if cursor.rowcount != 1:
            raise RuntimeError(f"position {position_id} holds fewer than {units} reserved")
    cursor.execute(
        client.sql(
            "UPDATE fulfillment_order_line SET shipped_quantity = quantity"
            " WHERE fulfillment_order_id = ?"
        ),
        (shipping.fo_id,),
    )
    order_id = shipping.order[0]
    cursor.executemany(
        client.sql(
            "INSERT INTO stock_movement (position_id, kind, on_hand_delta, reserved_delta,"
            " reason, order_id, fulfillment_order_id, actor, created_at)"
            f" VALUES (?, 'shipment', ?, ?, '', ?, ?, '{ACTOR}', ?)"
        ),
        [
            (line[4], -line[6], -line[6], order_id, shipping.fo_id, shipping.now)
            for line in shipping.lines
        ],
    )


def _record_shipment(client: Client, cursor: Any, shipping: _Shipping) -> int:
    shipment_id = int(
        cursor.execute(
            client.sql(
                "INSERT INTO shipment (fulfillment_order_id, order_id, carrier, service,"
                " tracking_number, status, shipped_at)"
                " VALUES (?, ?, 'dhl', '', ?, 'shipped', ?) RETURNING id"
            ),
            (shipping.fo_id, shipping.order[0], shipping.tracking_number, shipping.now),
        ).fetchone()[0]
    )
    cursor.executemany(
        client.sql(
            "INSERT INTO shipment_line (shipment_id, fulfillment_order_line_id, quantity)"
            " VALUES (?, ?, ?)"
        ),
        [(shipment_id, line[2], line[6]) for line in shipping.lines],
    )
    return shipment_id


def _update_order(client: Client, cursor: Any, shipping: _Shipping, shipment_id: int) -> str:
    order_id, number, _ = shipping.order
    cursor.executemany(
        client.sql(
            "UPDATE order_line SET shipped_quantity = shipped_quantity + ?,"
            " allocated_quantity = allocated_quantity - ? WHERE id = ?"
        ),
        [(line[6], line[6], line[3]) for line in shipping.lines],
    )
    status = cursor.execute(
        client.sql(
            "UPDATE sales_order SET status = CASE WHEN EXISTS (SELECT 1 FROM order_line"
            " WHERE order_id = ? AND open_quantity + allocated_quantity > 0)"
            " THEN 'partially_shipped' ELSE 'shipped' END, version = version + 1,"
            " updated_at = ? WHERE id = ? RETURNING status"
        ),
        (order_id, shipping.now, order_id),
    ).fetchone()[0]
    lines = [{"sku": line[5], "quantity": line[6]} for line in shipping.lines]
    fo_payload = {"from": shipping.fo_status, "to": "shipped", "location_id": shipping.lines[0][1]}
    shipment = {"id": shipment_id, "tracking_number": shipping.tracking_number, "lines": lines}
    fo_event = "fulfillment_order.shipped"
    _events(
        client,
        [
            (fo_event, "fulfillment_order", shipping.fo_id, order_id, fo_payload),
            ("shipment.shipped", "shipment", shipment_id, order_id, shipment),
            (f"order.{status}", "order", order_id, order_id, {"number": number, "to": status}),
        ],
        shipping.now,
    )
    # The tracking number becomes part of what the order is found by.
    cursor.execute(
        client.sql(
            "INSERT INTO order_search (order_id, text) VALUES (?, ?) ON CONFLICT (order_id)"
            " DO UPDATE SET text = order_search.text || ' ' || excluded.text"
        ),
        (order_id, shipping.tracking_number.lower()),
    )
    return str(status)


def _events(client: Client, rows: Sequence[tuple[str, str, int, int, Any]], now: Any) -> None:
    cast = "" if client.dialect == "sqlite" else "::json"
    client.cursor.executemany(
        client.sql(
            "INSERT INTO domain_event (type, aggregate_type, aggregate_id, order_id, actor,"
            f" payload, occurred_at) VALUES (?, ?, ?, ?, '{ACTOR}', ?{cast}, ?)"
        ),
        [
            (kind, aggregate, aggregate_id, order_id, orjson.dumps(payload).decode(), now)
            for kind, aggregate, aggregate_id, order_id, payload in rows
        ],
    )


# -- driving the threads ---------------------------------------------------------------------


Results = dict[str, LoadResult]


class Recorder:
    """Per-step latencies and errors from many threads."""

    def __init__(self) -> None:
        self.results: Results = {}
        self.lock = threading.Lock()

    def timed(self, step: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        status, value = 200, None
        try:
            value = work()
        except Exception as error:  # counted and reported, like a non-2xx answer
            status = 500
            with self.lock:
                result = self.results.setdefault(step, LoadResult())
                result.first_error = result.first_error or repr(error)
        latency = time.perf_counter() - started
        with self.lock:
            result = self.results.setdefault(step, LoadResult())
            result.latencies.append(latency)
            result.statuses[status] = result.statuses.get(status, 0) + 1
        return value


def run_threads(
    clients: list[Client],
    items: Sequence[Any],
    job: Callable[[Client, Any, Recorder], Any],
    progress: Callable[[int], None] | None = None,
) -> tuple[Results, float, dict[Any, Any]]:
    """Runs `job` for every item, item i on client i mod C; returns the per-step results,
    the seconds taken and what the job returned per item."""
    recorder = Recorder()
    outputs: dict[Any, Any] = {}
    done = [0]

    def drive(client: Client, share: Sequence[Any]) -> None:
        for item in share:
            value = job(client, item, recorder)
            with recorder.lock:
                outputs[item] = value
                done[0] += 1

    threads = len(clients)
    pool = [
        threading.Thread(target=drive, args=(client, items[i::threads]), daemon=True)
        for i, client in enumerate(clients)
    ]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        while thread.is_alive() and time.perf_counter() - started < 900:
            thread.join(timeout=2)
            if progress:
                progress(done[0])
    elapsed = time.perf_counter() - started
    for result in recorder.results.values():
        result.elapsed = elapsed
    return recorder.results, elapsed, outputs


# -- the steps as jobs (one item each), and the whole cycle ------------------------------------


def step_jobs(seeded: Seeded, run: str) -> dict[str, Callable[[Client, Any, Recorder], Any]]:
    """Per step name: the job for one item (an order index for intake and worklist, a
    fulfilment order id for the others)."""

    def intake_job(client: Client, index: int, recorder: Recorder) -> Any:
        order = Order(index, run, seeded)
        return recorder.timed("intake", lambda: intake(client, seeded, order))

    def status_job(step: str) -> Callable[[Client, Any, Recorder], Any]:
        return lambda client, fo_id, recorder: recorder.timed(
            step, lambda: change_status(client, step, fo_id)
        )

    return {
        "intake": intake_job,
        "worklist": lambda client, _, recorder: recorder.timed(
            "worklist", lambda: worklist(client, "A")
        ),
        "accept": status_job("accept"),
        "pick": status_job("pick"),
        "ship": lambda client, fo_id, recorder: recorder.timed(
            "ship", lambda: ship(client, fo_id, tracking_number(run, fo_id))
        ),
    }


def cycle_job(
    jobs: dict[str, Callable[[Client, Any, Recorder], Any]], steps: Sequence[str]
) -> Callable[[Client, Any, Recorder], Any]:
    """One order through every step in `steps` (intake first)."""

    def job(client: Client, index: int, recorder: Recorder) -> Any:
        fo_ids = jobs["intake"](client, index, recorder) or []
        for step in steps:
            if step == "worklist":
                jobs[step](client, index, recorder)
        for fo_id in fo_ids:
            for step in steps:
                if step not in ("intake", "worklist"):
                    jobs[step](client, fo_id, recorder)
        return fo_ids

    return job


def tracking_number(run: str, fo_id: int) -> str:
    return f"{run}-{fo_id:09d}"
