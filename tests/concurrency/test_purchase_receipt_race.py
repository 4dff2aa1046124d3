"""Concurrent receipts of the same purchase order line never book more than was ordered —
and a negative control showing the race the conditional update closes.

All threads read the line before any of them writes (a barrier forces the worst
interleaving), so the outcome does not depend on timing luck."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select, update

from ordnung.core.db import Database
from ordnung.core.errors import ValidationError
from ordnung.inventory.service import list_movements
from ordnung.orchestration.purchase_receipts import receive_purchase_order
from ordnung.purchasing.model import OpenLine
from ordnung.purchasing.service import get_purchase_order, raise_received
from ordnung.purchasing.tables import purchase_order_line_table as lines
from ordnung.purchasing.tables import purchase_order_table as orders
from tests.factories import position, standard_setup
from tests.purchasing.supply import add_supplier, sent_order

CLIENTS = 16
ORDERED = 10


def _run_together(work: Callable[[threading.Barrier], bool]) -> int:
    barrier = threading.Barrier(CLIENTS, timeout=60)
    results: list[bool] = []
    lock = threading.Lock()

    def one() -> None:
        outcome = work(barrier)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=one) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(results)


@pytest.fixture
def order(db: Database) -> tuple[str, int, int]:
    """(number, order id, location id) of a sent order for 10 units of SKU-1."""
    if db.is_sqlite:
        pytest.skip("row-lock races are a PostgreSQL matter; SQLite serialises writers")
    locations = standard_setup(db)
    add_supplier(db)
    number = sent_order(db, [("SKU-1", ORDERED)])
    with db.engine.connect() as connection:
        order_id = connection.execute(
            select(orders.c.id).where(orders.c.number == number)
        ).scalar_one()
    return number, int(order_id), locations["A"]


def test_read_then_write_over_receives_and_loses_the_count(
    db: Database, order: tuple[str, int, int]
) -> None:
    _, order_id, _ = order

    def naive(barrier: threading.Barrier) -> bool:
        with db.engine.connect() as connection, connection.begin():
            row = connection.execute(
                select(lines).where(lines.c.purchase_order_id == order_id)
            ).one()
            barrier.wait()  # everyone has seen "10 still open"
            if row.received_quantity + 1 > row.quantity:
                return False
            connection.execute(
                update(lines)
                .where(lines.c.id == row.id)
                .values(received_quantity=row.received_quantity + 1)  # what we forbid
            )
            return True

    believed = _run_together(naive)
    # Every client would have booked its unit into stock: more than was ordered ...
    assert believed > ORDERED
    with db.engine.connect() as connection:
        counted = connection.execute(
            select(lines.c.received_quantity).where(lines.c.purchase_order_id == order_id)
        ).scalar_one()
    # ... while lost updates leave the line's count far below what arrived.
    assert counted < believed


def test_the_conditional_update_receives_exactly_what_was_ordered(
    db: Database, order: tuple[str, int, int]
) -> None:
    _, order_id, _ = order
    line = OpenLine(1, "SKU-1", ORDERED, 0)

    def guarded(barrier: threading.Barrier) -> bool:
        with db.engine.connect() as connection, connection.begin():
            connection.execute(select(lines.c.id).where(lines.c.purchase_order_id == order_id))
            barrier.wait()
            try:
                raise_received(connection, order_id, line, 1)
            except ValidationError:
                return False
            return True

    assert _run_together(guarded) == ORDERED


def test_concurrent_receipts_through_the_action_never_over_receive(
    db: Database, order: tuple[str, int, int]
) -> None:
    number, _, location_id = order

    def receive(barrier: threading.Barrier) -> bool:
        barrier.wait()
        try:
            receive_purchase_order(db, number, {1: 3}, actor="test")
        except ValidationError:
            return False
        return True

    # 3 + 3 + 3 fit into 10; a fourth receipt of 3 would be one too many.
    assert _run_together(receive) == 3
    assert get_purchase_order(db, number)["lines"][0]["received_quantity"] == 9
    assert position(db, "SKU-1", location_id)["on_hand"] == 9
    receipts = [m for m in list_movements(db, "SKU-1", "A")["items"] if m["kind"] == "receipt"]
    assert sum(m["on_hand_delta"] for m in receipts) == 9
