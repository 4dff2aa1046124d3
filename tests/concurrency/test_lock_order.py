"""One lock order for every action (README: Architecture): an order first, then stock positions
in id order, and a fulfilment order only under its order's lock. Shipping and cancelling the
same order at the same moment therefore queue; they cannot deadlock.

Each test makes both transactions meet at a barrier right after their first lock, the moment
an inverted order deadlocks. The negative control ships the way the code did before (the
fulfilment order locked first, then the order): PostgreSQL then reports a deadlock
(SQLSTATE 40P01), which `Database.write` absorbs by running one transaction again — counted
in `Database.retries`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError
from ordnung.fulfillment import service as fulfillment
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.fulfillment.tables import fulfillment_order_table
from ordnung.orchestration import fulfillment_actions, order_actions
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.intake import place_order
from ordnung.orders import repository
from tests.factories import order_payload, put_stock, standard_setup

DRAFT = ShipmentDraft("dhl", "00340434161094042557")
# How long the first transaction waits for the second to reach its first lock. With the
# right lock order the second never gets there (it queues on the first's lock).
MEETING_SECONDS = 1.5


@pytest.fixture
def split_order(db: Database) -> dict[str, Any]:
    if db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time; lock order is a PostgreSQL matter")
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 5)
    put_stock(db, "SKU-1", ids["B"], 5)
    order = OrderIn.model_validate(order_payload([("SKU-1", 6)])).to_model()
    placed = place_order(db, order, actor="test").order
    assert len(placed["fulfillment_orders"]) == 2  # 5 from A and 1 from B
    return placed


def _meeting_after(first_lock: Callable[..., Any], meeting: threading.Barrier) -> Any:
    def locked_then_wait(*args: Any, **kwargs: Any) -> Any:
        result = first_lock(*args, **kwargs)
        # Broken: the other transaction queues behind this one, so go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(MEETING_SECONDS)
        return result

    return locked_then_wait


def _run_together(*actions: Callable[[], object]) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(action: Callable[[], object]) -> None:
        try:
            action()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _ship_locking_the_fulfillment_order_first(db: Database, fo_id: int) -> None:
    """Shipping as it was before this lock order: fulfilment order, then the order."""

    def work(uow: UnitOfWork) -> None:
        uow.connection.execute(
            select(fulfillment_order_table.c.id)
            .where(fulfillment_order_table.c.id == fo_id)
            .with_for_update()
        ).one()
        order = repository.load_order(
            uow.connection, fulfillment.order_id_of(uow.connection, fo_id)
        )
        shipped = fulfillment.ship(uow, fo_id, DRAFT)
        order.ship(order.units_by_line_number(shipped.units_by_line_id))
        repository.save_order(uow, order, order.updated_at)

    db.write(work, actor="test")


def test_shipping_and_cancelling_one_order_at_once_queue_instead_of_deadlocking(
    db: Database, split_order: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = threading.Barrier(2)
    for module in (fulfillment_actions, order_actions):
        monkeypatch.setattr(module, "load_order", _meeting_after(repository.load_order, meeting))
    fo_id = split_order["fulfillment_orders"][0]["id"]
    deadlocks = db.retries["40P01"]

    errors = _run_together(
        lambda: fulfillment_actions.ship_fulfillment_order(db, fo_id, DRAFT, actor="test"),
        lambda: order_actions.cancel_order(db, split_order["id"], reason="x", actor="test"),
    )

    assert db.retries["40P01"] == deadlocks
    # Whichever came second saw the first's result: a shipped order cannot be cancelled,
    # a cancelled fulfilment order cannot ship.
    assert len(errors) == 1 and isinstance(errors[0], ConflictError), errors


def test_negative_control_locking_the_fulfillment_order_before_the_order_deadlocks(
    db: Database, split_order: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = threading.Barrier(2)
    # The old shipping asks for the fulfilment order's order right after locking it.
    monkeypatch.setattr(
        fulfillment, "order_id_of", _meeting_after(fulfillment.order_id_of, meeting)
    )
    monkeypatch.setattr(order_actions, "load_order", _meeting_after(repository.load_order, meeting))
    fo_id = split_order["fulfillment_orders"][0]["id"]
    deadlocks = db.retries["40P01"]

    _run_together(
        lambda: _ship_locking_the_fulfillment_order_first(db, fo_id),
        lambda: order_actions.cancel_order(db, split_order["id"], reason="x", actor="test"),
    )

    assert db.retries["40P01"] > deadlocks
