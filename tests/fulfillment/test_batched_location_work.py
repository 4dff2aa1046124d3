"""A location's answers (accept, start picking, ship) are committed in batches
(`Database.write_each`, group commit): each request is decided as if alone, in its own
savepoint, and answered only after the batch's one commit."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from ordnung.core import db as core_db
from ordnung.core.db import Database, UnitOfWork, WriteJob
from ordnung.core.errors import InvalidTransitionError, NotFoundError
from ordnung.core.idempotency import Answer, IdempotencyClaim, IdempotentRequest, ReplayedAnswer
from ordnung.core.tables import domain_event_table
from ordnung.fulfillment import service as fulfillment
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.fulfillment.tables import fulfillment_order_table, shipment_table
from ordnung.inventory.tables import stock_movement_table, stock_position_table
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.fulfillment_actions import ShippedFulfillmentOrder, ship_in
from ordnung.orchestration.intake import place_order
from tests.factories import order_payload, put_stock, standard_setup

DRAFT = ShipmentDraft("dhl", "00340434161094042557")
MEETING_SECONDS = 1.5


def _place(db: Database, lines: list[tuple[str, int]]) -> int:
    """Places an order; answers the id of its one fulfilment order."""
    order = OrderIn.model_validate(order_payload(lines)).to_model()
    placed = place_order(db, order, actor="test").order
    (fo,) = placed["fulfillment_orders"]
    return int(fo["id"])


def _ship(fo_id: int, idempotency: IdempotentRequest[Any] | None = None) -> WriteJob[Any]:
    return WriteJob(lambda uow: ship_in(uow, fo_id, DRAFT), "api_key:test", idempotency)


def _keyed(key: str) -> IdempotentRequest[ShippedFulfillmentOrder]:
    claim = IdempotencyClaim(scope="api_key:1", key=key, fingerprint="ship-fingerprint")
    return IdempotentRequest(
        claim, lambda shipped: Answer(201, shipped.shipment.tracking_number.encode())
    )


def _statuses(db: Database, fo_ids: list[int]) -> list[str]:
    table = fulfillment_order_table
    rows = db.read(
        lambda c: dict(
            c.execute(select(table.c.id, table.c.status).where(table.c.id.in_(fo_ids))).all()
        )
    )
    return [rows[fo_id] for fo_id in fo_ids]


def _positions_differing_from_their_ledger(db: Database) -> list[int]:
    ledger = (
        select(
            stock_movement_table.c.position_id,
            func.sum(stock_movement_table.c.on_hand_delta).label("on_hand"),
            func.sum(stock_movement_table.c.reserved_delta).label("reserved"),
        )
        .group_by(stock_movement_table.c.position_id)
        .subquery()
    )
    query = (
        select(stock_position_table.c.id)
        .join(ledger, ledger.c.position_id == stock_position_table.c.id)
        .where(
            (ledger.c.on_hand != stock_position_table.c.on_hand)
            | (ledger.c.reserved != stock_position_table.c.reserved)
        )
    )
    return list(db.read(lambda c: c.execute(query).scalars().all()))


def _count(db: Database, table: Any, *where: Any) -> int:
    return int(
        db.read(
            lambda c: c.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
        )
    )


def test_a_failing_ship_in_a_batch_leaves_the_others_shipped(db: Database) -> None:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    first, second = _place(db, [("SKU-1", 2)]), _place(db, [("SKU-1", 3)])

    outcomes = db.write_each([_ship(first), _ship(999_999), _ship(first), _ship(second)])

    assert isinstance(outcomes[0], ShippedFulfillmentOrder)
    assert isinstance(outcomes[1], NotFoundError)
    assert isinstance(outcomes[2], InvalidTransitionError)  # the first already shipped it
    assert isinstance(outcomes[3], ShippedFulfillmentOrder)
    assert _statuses(db, [first, second]) == ["shipped", "shipped"]
    assert _count(db, shipment_table) == 2
    shipped_events = domain_event_table.c.type == "shipment.shipped"
    assert _count(db, domain_event_table, shipped_events) == 2
    assert _positions_differing_from_their_ledger(db) == []


def test_an_action_that_fails_after_moving_stock_is_undone_alone(db: Database) -> None:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    first, second = _place(db, [("SKU-1", 2)]), _place(db, [("SKU-1", 3)])

    def ship_then_fail(uow: UnitOfWork) -> None:
        ship_in(uow, second, DRAFT)  # stock left, a shipment recorded …
        raise InvalidTransitionError("changed meanwhile")  # … and then a conflict

    outcomes = db.write_each([_ship(first), WriteJob(ship_then_fail, "api_key:test")])

    assert isinstance(outcomes[0], ShippedFulfillmentOrder)
    assert isinstance(outcomes[1], InvalidTransitionError)
    assert _statuses(db, [first, second]) == ["shipped", "released"]
    assert _count(db, shipment_table) == 1
    assert _positions_differing_from_their_ledger(db) == []


def test_a_retried_ship_acts_once_in_the_same_batch_and_in_a_later_one(db: Database) -> None:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    fo_id = _place(db, [("SKU-1", 2)])

    same_batch = db.write_each([_ship(fo_id, _keyed("k-1")), _ship(fo_id, _keyed("k-1"))])
    later = db.write_each([_ship(fo_id, _keyed("k-1"))])

    assert isinstance(same_batch[0], ShippedFulfillmentOrder)
    for repeat in (same_batch[1], later[0]):
        assert isinstance(repeat, ReplayedAnswer)
        assert (
            repeat.answer.status_code == 201
            and repeat.answer.body == DRAFT.tracking_number.encode()
        )
    assert _count(db, shipment_table) == 1
    assert _positions_differing_from_their_ledger(db) == []


def test_accept_and_start_picking_in_one_batch_each_decided_alone(db: Database) -> None:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    fo_id = _place(db, [("SKU-1", 2)])

    outcomes = db.write_each(
        [
            WriteJob(lambda uow: fulfillment.accept(uow, fo_id), "api_key:test"),
            WriteJob(lambda uow: fulfillment.accept(uow, fo_id), "api_key:test"),
            WriteJob(lambda uow: fulfillment.start_picking_in(uow, fo_id), "api_key:test"),
        ]
    )

    assert outcomes[0] == fulfillment.FulfillmentOrderState(fo_id, "accepted")
    assert isinstance(outcomes[1], InvalidTransitionError)
    assert outcomes[2] == fulfillment.FulfillmentOrderState(fo_id, "picking")
    assert _statuses(db, [fo_id]) == ["picking"]


def _ship_then_meet(fo_id: int, meeting: threading.Barrier) -> WriteJob[Any]:
    def work(uow: UnitOfWork) -> ShippedFulfillmentOrder:
        shipped = ship_in(uow, fo_id, DRAFT)
        # Broken or timed out: the other batch queues behind this one; go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(MEETING_SECONDS)
        return shipped

    return WriteJob(work, "api_key:test")


def _run_together(*actions: Callable[[], list[Any]]) -> list[list[Any]]:
    results: list[list[Any]] = [[] for _ in actions]

    def run(index: int) -> None:
        results[index] = actions[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _crossing_batches(db: Database) -> tuple[list[int], list[list[Any]]]:
    """Two batches that lock the same two positions in opposite order (each ship alone
    keeps id order, a batch of several cannot), meeting after their first ship."""
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    put_stock(db, "SKU-2", ids["A"], 10)
    a, d = _place(db, [("SKU-2", 1)]), _place(db, [("SKU-2", 2)])
    b, c = _place(db, [("SKU-1", 1)]), _place(db, [("SKU-1", 2)])
    meeting = threading.Barrier(2)
    results = _run_together(
        lambda: db.write_each([_ship_then_meet(a, meeting), _ship(b)]),
        lambda: db.write_each([_ship_then_meet(c, meeting), _ship(d)]),
    )
    return [a, b, c, d], results


def _all_shipped(db: Database, fo_ids: list[int], results: list[list[Any]]) -> None:
    assert all(isinstance(r, ShippedFulfillmentOrder) for batch in results for r in batch), results
    assert _statuses(db, fo_ids) == ["shipped"] * 4
    assert _count(db, shipment_table) == 4
    assert _positions_differing_from_their_ledger(db) == []


def test_batches_sharing_stock_positions_take_turns_instead_of_deadlocking(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time; deadlocks are a PostgreSQL matter")
    deadlocks = db.retries["40P01"]

    fo_ids, results = _crossing_batches(db)

    assert db.retries["40P01"] == deadlocks
    _all_shipped(db, fo_ids, results)


def test_negative_control_without_the_batch_turn_batches_deadlock_and_still_all_ship(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the turn PostgreSQL reports a deadlock (counted, so the test shows it
    happened); the batch it aborted runs again request by request, so every ship lands."""
    if db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time; deadlocks are a PostgreSQL matter")
    monkeypatch.setattr(core_db, "take_batch_turn", lambda connection: None)
    deadlocks = db.retries["40P01"]

    fo_ids, results = _crossing_batches(db)

    assert db.retries["40P01"] > deadlocks
    _all_shipped(db, fo_ids, results)
