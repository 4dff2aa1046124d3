"""A burst of concurrent cancellations: every unit they free goes to the orders waiting for
it, none stays idle — with a negative control that shows the burst leaves units idle when
cancellations do not hand them on (the defect found from outside: 1–4 units available while
54–57 waited)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from ordnung.core.db import Database
from ordnung.orchestration import order_actions
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.intake import IntakeRequest, place_orders
from ordnung.orders.tables import order_line_table, sales_order_table
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world

STOCK = 30
WAITING = 20
CANCELLED = 12
THREADS = 6


def _place(db: Database, count: int) -> list[int]:
    requests = [
        IntakeRequest(OrderIn.model_validate(order_payload([("SKU-1", 1)])).to_model(), "test")
        for _ in range(count)
    ]
    ids = []
    for result in place_orders(db, requests):
        assert not isinstance(result, Exception), result
        ids.append(int(result.order["id"]))
    return ids


def _cancel_concurrently(db: Database, order_ids: list[int]) -> None:
    start = threading.Barrier(THREADS, timeout=30)

    def cancel(order_id: int) -> None:
        if order_ids.index(order_id) < THREADS:
            start.wait()
        order_actions.cancel_order(db, order_id, reason="Kunde storniert", actor="test")

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(cancel, order_ids))


def _waiting_units(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(
            connection.execute(
                select(func.coalesce(func.sum(order_line_table.c.open_quantity), 0))
                .join(sales_order_table, sales_order_table.c.id == order_line_table.c.order_id)
                .where(sales_order_table.c.status != "on_hold")
            ).scalar_one()
        )


def _burst(db: Database) -> tuple[int, int]:
    """(units available, units waiting) after cancelling some of the allocated orders."""
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], STOCK)
    allocated = _place(db, STOCK)
    waiting = _place(db, WAITING)
    assert _waiting_units(db) == len(waiting)
    _cancel_concurrently(db, allocated[:CANCELLED])
    stock = position(db, "SKU-1", ids["A"])
    return stock["on_hand"] - stock["reserved"], _waiting_units(db)


def test_every_unit_a_burst_of_cancellations_frees_goes_to_a_waiting_order(db: Database) -> None:
    deadlocks = db.retries["40P01"]
    available, waiting = _burst(db)
    assert (available, waiting) == (0, WAITING - CANCELLED)
    assert read_world(db).violations == []
    assert db.retries["40P01"] == deadlocks


def test_negative_control_without_handing_freed_units_on_they_stay_idle(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(order_actions, "allocate_backorders", lambda *_a, **_k: 0)
    available, waiting = _burst(db)
    assert (available, waiting) == (CANCELLED, WAITING)
