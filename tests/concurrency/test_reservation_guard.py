"""The conditional reservation update, and a negative control that shows the race it closes.

All threads read the stock before any of them writes (a barrier forces the worst
interleaving), so the result does not depend on timing luck.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.inventory import stock
from ordnung.inventory.tables import stock_position_table as positions
from tests.factories import position, put_stock, standard_setup

CLIENTS = 32


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
def last_ten(db: Database) -> int:
    if db.is_sqlite:
        pytest.skip("row-lock races are a PostgreSQL matter; SQLite serialises writers")
    locations = standard_setup(db)
    return put_stock(db, "SKU-1", locations["A"], 10)


def test_read_then_write_oversells_and_only_the_check_constraint_stops_it(
    db: Database, last_ten: int
) -> None:
    def naive(barrier: threading.Barrier) -> bool:
        with db.engine.connect() as connection, connection.begin():
            row = connection.execute(select(positions).where(positions.c.id == last_ten)).one()
            barrier.wait()  # everyone has seen "10 available"
            if row.on_hand - row.reserved - row.safety_stock < 1:
                return False
            try:
                connection.execute(
                    update(positions)
                    .where(positions.c.id == last_ten)
                    .values(reserved=row.reserved + 1)  # the read-modify-write we forbid
                )
            except IntegrityError:
                return False
            return True

    believed = _run_together(naive)
    # Every client believed it got a unit, but lost updates leave reserved far below that:
    assert believed > 10
    assert position(db, "SKU-1", _location_of(db, last_ten))["reserved"] < believed


def test_the_conditional_update_reserves_exactly_what_is_there(db: Database, last_ten: int) -> None:
    def guarded(barrier: threading.Barrier) -> bool:
        with db.engine.connect() as connection, connection.begin():
            connection.execute(select(positions.c.id).where(positions.c.id == last_ten)).one()
            barrier.wait()
            return stock.try_reserve(connection, last_ten, 1, clock.now())

    assert _run_together(guarded) == 10
    assert position(db, "SKU-1", _location_of(db, last_ten))["reserved"] == 10


def _location_of(db: Database, position_id: int) -> int:
    with db.engine.connect() as connection:
        return int(
            connection.execute(
                select(positions.c.location_id).where(positions.c.id == position_id)
            ).scalar_one()
        )
