"""Orders taken in one batch (one transaction) answer exactly as if each had come alone."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ordnung.core import idempotency
from ordnung.core.db import Database
from ordnung.core.driver import driver_of
from ordnung.core.errors import IdempotencyKeyReusedError, ValidationError
from ordnung.core.http import forget_cached_keys
from ordnung.core.idempotency import IdempotencyClaim, IdempotentRequest, ReplayedAnswer
from ordnung.core.tables import domain_event_table, idempotency_key_table
from ordnung.inventory.tables import stock_movement_table
from ordnung.orchestration.api import OrderIn, placed_answer
from ordnung.orchestration.intake import IntakeRequest, IntakeResult, PlacedOrder, place_orders
from ordnung.orders import repository
from ordnung.orders.queries import get_order
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world


def _request(
    lines: list[tuple[str, int]],
    *,
    actor: str = "api_key:shop",
    key: str | None = None,
    **body: Any,
) -> IntakeRequest:
    order = OrderIn.model_validate(order_payload(lines, **body)).to_model()
    keyed = None
    if key is not None:
        claim = IdempotencyClaim("api_key#1", key, f"fp-{key}-{body}")
        keyed = IdempotentRequest(claim, placed_answer)
    return IntakeRequest(order, actor, keyed)


def _body(result: IntakeResult) -> dict[str, Any]:
    assert isinstance(result, PlacedOrder), result
    return result.order


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 3)
    put_stock(db, "SKU-2", ids["A"], 50)
    return ids


def test_a_batch_stores_each_order_with_its_own_number_stock_and_answer(
    db: Database, locations: dict[str, int]
) -> None:
    results = place_orders(db, [_request([("SKU-1", 1), ("SKU-2", 2)]) for _ in range(5)])

    bodies = [_body(result) for result in results]
    assert [r.is_new for r in results if isinstance(r, PlacedOrder)] == [True] * 5
    assert len({body["number"] for body in bodies}) == 5
    # First come, first served: three units of SKU-1 for the first three orders.
    assert [body["status"] for body in bodies] == ["allocated"] * 3 + ["backordered"] * 2
    assert position(db, "SKU-1", locations["A"])["reserved"] == 3
    assert position(db, "SKU-2", locations["A"])["reserved"] == 10
    for body in bodies:  # each answer, built from memory, equals what a read returns
        assert get_order(db, body["id"]) == body
    assert read_world(db).violations == []


def test_an_invalid_order_gets_its_own_error_and_writes_nothing_not_even_its_key(
    db: Database, locations: dict[str, int]
) -> None:
    results = place_orders(
        db,
        [
            _request([("SKU-2", 1)]),
            _request([("SKU-2", 1)], key="k-bad", channel="no-such-channel"),
            _request([("SKU-2", 1)], shipping_amount="4.999"),
            _request([("SKU-2", 1)]),
        ],
    )

    assert _body(results[0])["status"] == _body(results[3])["status"] == "allocated"
    assert isinstance(results[1], ValidationError) and results[1].extra == {"field": "channel"}
    assert isinstance(results[2], ValidationError)
    with db.engine.connect() as connection:
        keys = connection.execute(select(idempotency_key_table.c.key)).scalars().all()
    assert keys == []
    assert position(db, "SKU-2", locations["A"])["reserved"] == 2
    assert read_world(db).violations == []


def test_the_same_order_twice_in_one_batch_is_stored_once(
    db: Database, locations: dict[str, int]
) -> None:
    first, repeat = place_orders(
        db,
        [_request([("SKU-2", 4)], external_id="A-1"), _request([("SKU-2", 4)], external_id="A-1")],
    )

    assert isinstance(first, PlacedOrder) and isinstance(repeat, PlacedOrder)
    assert (first.is_new, repeat.is_new) == (True, False)
    assert _body(repeat)["id"] == _body(first)["id"]
    assert position(db, "SKU-2", locations["A"])["reserved"] == 4


def test_a_repeated_key_in_one_batch_replays_or_is_refused_for_another_body(
    db: Database, locations: dict[str, int]
) -> None:
    same = _request([("SKU-2", 1)], key="k-1", external_id="B-1")
    again = _request([("SKU-2", 1)], key="k-1", external_id="B-1")
    other_body = _request([("SKU-2", 9)], key="k-1", external_id="B-2")
    first, replay, refused = place_orders(db, [same, again, other_body])

    assert isinstance(first, PlacedOrder) and isinstance(replay, ReplayedAnswer)
    assert same.idempotency is not None
    sent = same.idempotency.answer_for(first)
    assert replay.answer.is_replay and not sent.is_replay
    assert (replay.answer.status_code, replay.answer.body) == (sent.status_code, sent.body)
    assert isinstance(refused, IdempotencyKeyReusedError)
    assert position(db, "SKU-2", locations["A"])["reserved"] == 1


def test_events_and_ledger_rows_name_the_caller_of_each_order(
    db: Database, locations: dict[str, int]
) -> None:
    results = place_orders(
        db,
        [
            _request([("SKU-2", 1)], actor="api_key:shop"),
            _request([("SKU-2", 1)], actor="channel:x"),
        ],
    )

    ids = [_body(result)["id"] for result in results]
    with db.engine.connect() as connection:
        event_actors = {
            (row.order_id, row.actor)
            for row in connection.execute(
                select(domain_event_table.c.order_id, domain_event_table.c.actor)
            )
        }
        ledger_actors = {
            (row.order_id, row.actor)
            for row in connection.execute(
                select(stock_movement_table.c.order_id, stock_movement_table.c.actor).where(
                    stock_movement_table.c.kind == "reservation"
                )
            )
        }
    assert event_actors == {(ids[0], "api_key:shop"), (ids[1], "channel:x")}
    assert ledger_actors == event_actors


@pytest.mark.postgres_only
def test_concurrent_batches_of_the_same_customers_and_articles_neither_deadlock_nor_oversell(
    db: Database, locations: dict[str, int]
) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time; lock order is a PostgreSQL matter")
    errors: list[BaseException] = []
    barrier = threading.Barrier(4, timeout=30)

    def placer(worker: int) -> None:
        barrier.wait()
        for round_ in range(5):
            # Every batch holds the same customers and articles in a different order.
            batch = [
                _request(
                    [("SKU-2", 1), ("SKU-1", 1)][:: 1 if (worker + i) % 2 else -1],
                    customer={"email": f"kunde{(worker + i) % 3}@example.de"},
                    external_id=f"W{worker}-R{round_}-{i}",
                )
                for i in range(4)
            ]
            errors.extend(r for r in place_orders(db, batch) if isinstance(r, BaseException))

    threads = [threading.Thread(target=placer, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert position(db, "SKU-1", locations["A"])["reserved"] == 3  # the last 3 units, no more
    assert position(db, "SKU-2", locations["A"])["reserved"] == 50
    assert read_world(db).violations == []


def test_the_api_answers_concurrent_orders_each_with_its_own_order(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    forget_cached_keys()
    responses: list[Any] = []
    lock = threading.Lock()

    def post(index: int) -> None:
        response = client.post(
            "/api/v1/orders", json=order_payload([("SKU-2", 1)], external_id=f"C-{index}")
        )
        with lock:
            responses.append(response)

    threads = [threading.Thread(target=post, args=(index,)) for index in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(r.status_code for r in responses) == [201] * 12
    assert sorted(r.json()["external_id"] for r in responses) == sorted(
        f"C-{index}" for index in range(12)
    )
    assert position(db, "SKU-2", locations["A"])["reserved"] == 12


def test_repeats_are_looked_up_by_index_not_by_scanning_every_order(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("SQLite's planner is the one that scans for row-value IN lists")

    def plan(uow: Any, name: str, columns: tuple[str, str], query: str) -> str:
        driver = driver_of(uow.connection)
        wanted, parameters = driver.with_rows(name, columns, [(1, "a"), (1, "b")], ("", ""))
        rows = driver.fetch_all("EXPLAIN QUERY PLAN " + wanted + query, parameters)
        return " | ".join(str(row[-1]) for row in rows)

    order_plan = db.write(
        lambda uow: plan(uow, "wanted", ("channel_id", "external_id"), repository.EXISTING_ORDERS)
    )
    key_plan = db.write(lambda uow: plan(uow, "wanted", ("scope", "key"), idempotency._FIND_KEYS))
    assert "SEARCH o USING COVERING INDEX sqlite_autoindex_sales_order_1" in order_plan
    assert "SCAN o" not in order_plan
    assert "SEARCH k USING INDEX sqlite_autoindex_idempotency_key_1" in key_plan
    assert "SCAN k" not in key_plan
