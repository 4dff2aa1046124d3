"""Two agents release the same hold at the same moment (PostgreSQL; SQLite runs one writer
at a time): exactly one release is done and sources the order — one fulfilment order, one
reservation per line in the ledger, the stock reserved once — and the other is told the
order changed (`changed` in the hold queue's answer, `POST /api/v1/holds/release`), with
nothing written. Both agents either act on the version their page showed or on whatever the
order is now; either way the order's row lock makes the second wait and then see the hold
released, and the version compare-and-set on save backs that up.

The negative control takes both guards away — the order read without its row lock and saved
over whatever version is stored — and shows the race this test exists to catch: both
releases go through and the order is sourced twice (two fulfilment orders, the stock reserved
twice for one line's units).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import bindparam, func, select

from ordnung.core.db import Database, UnitOfWork
from ordnung.fulfillment.tables import fulfillment_order_table
from ordnung.inventory.tables import stock_movement_table
from ordnung.orchestration import hold_actions
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.hold_actions import CHANGED, DONE, QueueItem
from ordnung.orchestration.intake import place_order
from ordnung.orders import repository
from ordnung.orders.model import Order
from ordnung.orders.queries import get_order
from ordnung.orders.tables import sales_order_table as order_table
from tests.concurrency.test_lock_order import _meeting_after, _run_together
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world


@pytest.fixture
def held(db: Database) -> dict[str, Any]:
    """An order of 3 × SKU-1 on hold (its totals do not add up); A has 10 units."""
    if db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time; races are a PostgreSQL matter")
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    payload = order_payload([("SKU-1", 3)], totals={"total": "54.93"})
    placed = place_order(db, OrderIn.model_validate(payload).to_model(), actor="test").order
    assert placed["status"] == "on_hold"
    return {"order": placed, "location_id": ids["A"]}


def _release_at_once(
    db: Database, order: dict[str, Any], expected_version: int | None
) -> list[hold_actions.ItemOutcome]:
    """Both agents release every hold of the order from the same page, at the same moment."""
    item = QueueItem(order["id"], None, expected_version)
    outcomes: list[hold_actions.ItemOutcome] = []
    lock = threading.Lock()

    def release(agent: str) -> None:
        [outcome] = hold_actions.release_many(db, [item], note="geprüft", actor=agent)
        with lock:
            outcomes.append(outcome)

    errors = _run_together(lambda: release("staff:anna"), lambda: release("staff:ben"))
    assert errors == []
    return outcomes


def _meet_after_loading(monkeypatch: pytest.MonkeyPatch, load: Any) -> None:
    """Both transactions wait for each other right after loading the order (the moment a
    missing lock lets both see the hold still active)."""
    meeting = threading.Barrier(2)
    monkeypatch.setattr(hold_actions, "load_order", _meeting_after(load, meeting))


def _counts(db: Database, order_id: int) -> tuple[int, int, int]:
    """(fulfilment orders, reservation ledger rows, units reserved by ledger) of the order."""

    def read(connection: Any) -> tuple[int, int, int]:
        fos = connection.execute(
            select(func.count()).where(fulfillment_order_table.c.order_id == order_id)
        ).scalar_one()
        rows, units = connection.execute(
            select(func.count(), func.coalesce(func.sum(stock_movement_table.c.reserved_delta), 0))
            .where(stock_movement_table.c.order_id == order_id)
            .where(stock_movement_table.c.kind == "reservation")
        ).one()
        return int(fos), int(rows), int(units)

    return db.read(read)


@pytest.mark.parametrize("version", ["from the page", "none"])
def test_two_agents_releasing_the_same_hold_at_once_source_the_order_once(
    db: Database, held: dict[str, Any], monkeypatch: pytest.MonkeyPatch, version: str
) -> None:
    order = held["order"]
    _meet_after_loading(monkeypatch, repository.load_order)

    expected = order["version"] if version == "from the page" else None
    outcomes = _release_at_once(db, order, expected)

    assert sorted(outcome.outcome for outcome in outcomes) == sorted([DONE, CHANGED])
    [done] = [outcome for outcome in outcomes if outcome.outcome == DONE]
    assert done.order_status == "allocated"
    assert _counts(db, order["id"]) == (1, 1, 3)
    assert position(db, "SKU-1", held["location_id"])["reserved"] == 3
    assert read_world(db).violations == []
    timeline = get_order(db, order["id"])["timeline"]
    assert [e["type"] for e in timeline].count("order.hold_released") == 1


def _load_without_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    unlocked = select(order_table).where(order_table.c.id == bindparam("order_id"))
    monkeypatch.setattr(repository, "_LOCKED_ORDER", unlocked)


def _save_over_any_version(uow: UnitOfWork, order: Order, now: Any) -> None:
    """Saves as a read-modify-write would: over whatever version is stored now."""
    stored = uow.connection.execute(
        select(order_table.c.version).where(order_table.c.id == order.id)
    ).scalar_one()
    order.version = int(stored)
    repository.save_order(uow, order, now)


def test_negative_control_without_the_lock_and_the_version_check_both_release_and_source(
    db: Database, held: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    order = held["order"]
    _load_without_lock(monkeypatch)
    monkeypatch.setattr(hold_actions, "save_order", _save_over_any_version)
    _meet_after_loading(monkeypatch, repository.load_order)

    outcomes = _release_at_once(db, order, None)

    assert [outcome.outcome for outcome in outcomes] == [DONE, DONE]
    fulfillment_orders, reservations, reserved_units = _counts(db, order["id"])
    assert (fulfillment_orders, reservations, reserved_units) == (2, 2, 6)
    assert position(db, "SKU-1", held["location_id"])["reserved"] == 6  # 3 units, held twice
    assert read_world(db).violations != []
