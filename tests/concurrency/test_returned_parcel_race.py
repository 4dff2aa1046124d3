"""Two people process the same returned parcel at the same moment (PostgreSQL): exactly one
books its units, the other gets 409, and the stock is booked once.

As in test_lock_order.py, both transactions meet at a barrier right after their first lock:
with the parcel locked first the second queues behind the first (the barrier breaks) and sees
it processed. The negative control processes without the lock and the status check under
it: both see the parcel waiting, and its units are put back on the shelf twice.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError
from ordnung.fulfillment import returned_parcel_model as rules
from ordnung.fulfillment.tables import returned_parcel_table as parcel
from ordnung.inventory import bookings
from ordnung.inventory.bookings import StockBooking
from ordnung.orchestration import returned_parcel_actions
from ordnung.orchestration.returned_parcel_actions import (
    ParcelSettlement,
    process_returned_parcel,
)
from tests.concurrency.test_lock_order import MEETING_SECONDS, _meeting_after, _run_together
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world


@pytest.fixture
def returned(client: TestClient, db: Database) -> dict[str, Any]:
    """A 2-unit parcel of SKU-1 back at A, waiting; A's shelf is empty."""
    if db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time; races are a PostgreSQL matter")
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 2)
    order = client.post("/api/v1/orders", json=order_payload([("SKU-1", 2)])).json()
    fo_id = order["fulfillment_orders"][0]["id"]
    shipment = client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/ship",
        json={"carrier": "DHL", "tracking_number": "00340434161094042557"},
    ).json()
    recorded = client.post(
        f"/api/v1/shipments/{shipment['id']}/returned-to-sender", json={"reason": "refused"}
    ).json()
    parcel_id = recorded["returned_parcel_id"]
    line_id = client.get(f"/api/v1/returned-parcels/{parcel_id}").json()["lines"][0]["id"]
    return {"location": ids["A"], "parcel_id": parcel_id, "line_id": line_id}


def test_two_people_processing_at_once_book_the_parcel_once(
    db: Database, returned: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = threading.Barrier(2)
    monkeypatch.setattr(
        returned_parcel_actions,
        "lock_waiting_parcel",
        _meeting_after(returned_parcel_actions.lock_waiting_parcel, meeting),
    )
    settlement = ParcelSettlement([rules.LineSettlement(returned["line_id"], 2, 0)])

    def person() -> None:
        process_returned_parcel(db, returned["parcel_id"], settlement, actor="test")

    errors = _run_together(person, person)
    assert meeting.broken  # the second person queued behind the first
    assert len(errors) == 1 and isinstance(errors[0], ConflictError)
    stock = position(db, "SKU-1", returned["location"])
    assert (stock["on_hand"], stock["reserved"]) == (2, 0)
    assert read_world(db).violations == []


def _process_without_lock(db: Database, parcel_id: int, meeting: threading.Barrier) -> None:
    """Processing as it must not be written: the status read without a lock, checked, then
    the units booked and the status set unconditionally."""

    def work(uow: UnitOfWork) -> None:
        status = uow.connection.execute(
            select(parcel.c.status).where(parcel.c.id == parcel_id)
        ).scalar_one()
        assert status == rules.WAITING
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(MEETING_SECONDS)
        bookings.book_stock(uow, "SKU-1", "A", StockBooking("return", 2, "returned_to_sender"))
        uow.connection.execute(
            update(parcel)
            .where(parcel.c.id == parcel_id)
            .values(status=rules.PROCESSED, processed_at=clock.now())
        )

    db.write(work, actor="test")


def test_negative_control_without_the_lock_both_put_the_units_back(
    db: Database, returned: dict[str, Any]
) -> None:
    meeting = threading.Barrier(2)
    errors = _run_together(
        lambda: _process_without_lock(db, returned["parcel_id"], meeting),
        lambda: _process_without_lock(db, returned["parcel_id"], meeting),
    )
    assert errors == []
    assert not meeting.broken  # both saw the parcel waiting at the same moment
    # Two units came back; four are on the shelf.
    assert position(db, "SKU-1", returned["location"])["on_hand"] == 4
