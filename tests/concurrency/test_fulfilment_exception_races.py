"""A location's short pick or its acceptance of a cancellation request, at the same moment as
the same fulfilment order ships: exactly one wins, the other is a 409-kind refusal, and the
invariants hold (PostgreSQL; SQLite runs one writer at a time).

As in test_lock_order.py, both transactions meet at a barrier right after their first lock.
With the system's lock order (the order first) the second queues behind the first and sees
its result. The negative control reports the short pick the wrong way round — the
fulfilment order locked first, then the order — and PostgreSQL finds a deadlock (40P01),
which `Database.write` absorbs by running a transaction again, counted in `retries`.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from sqlalchemy import select

from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError
from ordnung.fulfillment import service as fulfillment
from ordnung.fulfillment import short_picks
from ordnung.fulfillment.model import MissingUnits
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.fulfillment.tables import fulfillment_order_table
from ordnung.orchestration import exception_actions, fulfillment_actions, order_actions
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.intake import place_order
from ordnung.orders import repository
from tests.concurrency.test_lock_order import MEETING_SECONDS, _meeting_after, _run_together
from tests.factories import order_payload, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world

DRAFT = ShipmentDraft("dhl", "00340434161094042557")


@pytest.fixture
def picking(db: Database) -> dict[str, Any]:
    """An order of 3 × SKU-1 whose fulfilment order at A is being picked; B has stock too."""
    if db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time; races are a PostgreSQL matter")
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 5)
    put_stock(db, "SKU-1", ids["B"], 5)
    order = OrderIn.model_validate(order_payload([("SKU-1", 3)])).to_model()
    placed = place_order(db, order, actor="test").order
    fo = placed["fulfillment_orders"][0]
    fulfillment.accept_fulfillment_order(db, fo["id"], actor="test")
    fulfillment.start_picking(db, fo["id"], actor="test")
    return {"order_id": placed["id"], "fo_id": fo["id"], "line_id": fo["lines"][0]["id"]}


def _meet_after_the_order_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    meeting = threading.Barrier(2)
    for module in (fulfillment_actions, exception_actions):
        monkeypatch.setattr(module, "load_order", _meeting_after(repository.load_order, meeting))


def _one_refused(errors: list[BaseException]) -> None:
    assert len(errors) == 1 and isinstance(errors[0], ConflictError), errors


def test_a_short_pick_and_shipping_at_once_one_wins(
    db: Database, picking: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _meet_after_the_order_lock(monkeypatch)
    deadlocks = db.retries["40P01"]
    missing = [MissingUnits(picking["line_id"], 3)]
    errors = _run_together(
        lambda: fulfillment_actions.ship_fulfillment_order(
            db, picking["fo_id"], DRAFT, actor="test"
        ),
        lambda: exception_actions.report_short_pick(
            db, picking["fo_id"], missing, note="", actor="test"
        ),
    )
    _one_refused(errors)
    assert db.retries["40P01"] == deadlocks
    world = read_world(db)
    assert world.violations == []
    status = world.fulfillment_orders[picking["fo_id"]]["status"]
    # Shipped: nothing was written off; short-picked: closed and sourced again at B.
    assert status in ("shipped", "cancelled")
    assert world.orders[picking["order_id"]]["status"] == (
        "shipped" if status == "shipped" else "allocated"
    )


def test_accepting_a_cancellation_and_shipping_at_once_one_wins(
    db: Database, picking: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    order_actions.cancel_order(db, picking["order_id"], reason="doppelt", actor="test")
    _meet_after_the_order_lock(monkeypatch)
    deadlocks = db.retries["40P01"]
    errors = _run_together(
        lambda: fulfillment_actions.ship_fulfillment_order(
            db, picking["fo_id"], DRAFT, actor="test"
        ),
        lambda: exception_actions.accept_cancellation_request(
            db, picking["fo_id"], note="", actor="test"
        ),
    )
    _one_refused(errors)
    assert db.retries["40P01"] == deadlocks
    world = read_world(db)
    assert world.violations == []
    status = world.fulfillment_orders[picking["fo_id"]]["status"]
    assert world.orders[picking["order_id"]]["status"] == (
        "shipped" if status == "shipped" else "cancelled"
    )


def _short_pick_locking_the_fulfillment_order_first(
    db: Database, fo_id: int, line_id: int, meeting: threading.Barrier
) -> None:
    """A short pick written the wrong way round: fulfilment order, then the order."""

    def work(uow: UnitOfWork) -> None:
        uow.connection.execute(
            select(fulfillment_order_table.c.id)
            .where(fulfillment_order_table.c.id == fo_id)
            .with_for_update()
        ).one()
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(MEETING_SECONDS)
        order = repository.load_order(
            uow.connection, fulfillment.order_id_of(uow.connection, fo_id)
        )
        picked = short_picks.short_pick(uow, fo_id, [MissingUnits(line_id, 3)])
        order.deallocate(order.units_by_line_number(picked.units_by_line_id))
        repository.save_order(uow, order, order.updated_at)

    db.write(work, actor="test")


def test_negative_control_a_short_pick_locking_the_fulfillment_order_first_deadlocks(
    db: Database, picking: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = threading.Barrier(2)
    monkeypatch.setattr(
        fulfillment_actions, "load_order", _meeting_after(repository.load_order, meeting)
    )
    deadlocks = db.retries["40P01"]
    _run_together(
        lambda: fulfillment_actions.ship_fulfillment_order(
            db, picking["fo_id"], DRAFT, actor="test"
        ),
        lambda: _short_pick_locking_the_fulfillment_order_first(
            db, picking["fo_id"], picking["line_id"], meeting
        ),
    )
    assert db.retries["40P01"] > deadlocks
