"""Two counter clerks hand over the same click & collect order with its code at the same
moment (PostgreSQL): exactly one hands it over, the other gets the same answer as a repeat,
and the stock is booked out once.

As in test_lock_order.py, both transactions meet at a barrier right after their first lock:
with the order locked first the second queues behind the first (the barrier breaks) and sees
it picked up. The negative control hands over without the locks and the status check under
them: both clerks see the order ready, and the store's stock is booked out twice — the
second booking eats another customer's reservation.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from sqlalchemy import select, update

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.fulfillment import pickup, service
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table
from ordnung.orchestration import pickup_actions
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.pickup_actions import PickedUp, hand_over_pickup
from ordnung.orders import repository
from tests.concurrency.test_lock_order import MEETING_SECONDS, _meeting_after, _run_together
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world


@pytest.fixture
def counter(db: Database) -> dict[str, Any]:
    """Store C holds 3 × SKU-1; two click & collect orders of 1 unit each, the first ready."""
    if db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time; races are a PostgreSQL matter")
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["C"], 3)
    placed = []
    for _ in range(2):
        order = OrderIn.model_validate(order_payload([("SKU-1", 1)], pickup_location="C"))
        placed.append(place_order(db, order.to_model(), actor="test").order)
    fo_id = placed[0]["fulfillment_orders"][0]["id"]
    ready = pickup.mark_ready(db, fo_id, actor="test", days=7)
    return {"store": ids["C"], "fo_id": fo_id, "code": ready.pickup_code}


def test_two_clerks_handing_over_at_once_book_the_stock_out_once(
    db: Database, counter: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = threading.Barrier(2)
    monkeypatch.setattr(
        pickup_actions, "load_order", _meeting_after(repository.load_order, meeting)
    )
    answers: list[PickedUp] = []

    def clerk() -> None:
        answers.append(hand_over_pickup(db, counter["fo_id"], counter["code"], actor="test"))

    errors = _run_together(clerk, clerk)
    assert errors == []
    assert meeting.broken  # the second clerk queued behind the first
    assert sorted(answer.is_repeat for answer in answers) == [False, True]
    stock = position(db, "SKU-1", counter["store"])
    assert (stock["on_hand"], stock["reserved"]) == (2, 1)  # one unit left; one still held
    assert read_world(db).violations == []


def _hand_over_without_locks(db: Database, fo_id: int, meeting: threading.Barrier) -> None:
    """The hand-over as it must not be written: the status read without a lock, checked,
    then the stock booked out and the status set unconditionally."""

    def work(uow: UnitOfWork) -> None:
        fo = dict(
            uow.connection.execute(
                select(
                    fo_table.c.id, fo_table.c.order_id, fo_table.c.location_id, fo_table.c.status
                ).where(fo_table.c.id == fo_id)
            )
            .one()
            ._mapping
        )
        assert fo["status"] == "ready_for_pickup"
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(MEETING_SECONDS)
        service.book_out(uow, fo, clock.now())
        uow.connection.execute(
            update(fo_table).where(fo_table.c.id == fo_id).values(status="picked_up")
        )

    db.write(work, actor="test")


def test_negative_control_without_the_locks_both_clerks_book_the_stock_out(
    db: Database, counter: dict[str, Any]
) -> None:
    meeting = threading.Barrier(2)
    errors = _run_together(
        lambda: _hand_over_without_locks(db, counter["fo_id"], meeting),
        lambda: _hand_over_without_locks(db, counter["fo_id"], meeting),
    )
    assert errors == []
    assert not meeting.broken  # both saw the order ready at the same moment
    stock = position(db, "SKU-1", counter["store"])
    # A 1-unit order left the store twice: the other customer's unit is gone.
    assert (stock["on_hand"], stock["reserved"]) == (1, 0)
