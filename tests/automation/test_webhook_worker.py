"""The worker against a real database and a real local HTTP receiver."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import select
from standardwebhooks import Webhook

from ordnung.automation import model, service
from ordnung.automation.tables import webhook_delivery_table
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.core.tables import domain_event_table
from ordnung.worker import run_once, run_worker

from .conftest import Receiver

Subscribe = Callable[..., dict[str, Any]]


def _deliveries(db: Database) -> list[Any]:
    return db.read(
        lambda c: (
            c.execute(select(webhook_delivery_table).order_by(webhook_delivery_table.c.id))
            .mappings()
            .all()
        )
    )


def test_a_delivered_webhook_carries_a_valid_standard_webhooks_signature(
    db: Database,
    settings: Settings,
    receiver: Receiver,
    subscribe: Subscribe,
    record_event: Callable[..., None],
) -> None:
    subscription = subscribe(receiver.url + "/hook")
    record_event("order.received", order_id=7, number="A1")

    counts = run_once(db, settings)

    assert (counts.dispatched_events, counts.delivered) == (1, 1)
    [request] = receiver.requests
    event_id = db.read(lambda c: c.execute(select(domain_event_table.c.id)).scalar_one())
    assert request.headers["webhook-id"] == f"evt_{event_id}"
    message = Webhook(subscription["secret"]).verify(request.body, request.headers)
    assert message["type"] == "order.received"
    assert message["data"] == {"number": "A1", "order_id": 7}
    assert message["timestamp"].endswith("+00:00")
    [delivery] = _deliveries(db)
    assert delivery["status"] == model.DELIVERED
    assert delivery["attempts"] == 1


def test_a_forged_signature_does_not_verify(
    db: Database, settings: Settings, receiver: Receiver, subscribe: Subscribe, record_event: Any
) -> None:
    subscribe(receiver.url)
    record_event()
    run_once(db, settings)
    [request] = receiver.requests
    try:
        Webhook(model.new_secret()).verify(request.body, request.headers)
    except Exception as error:
        assert "signature" in str(error).lower()
    else:
        raise AssertionError("a signature made with another secret was accepted")


def test_running_the_worker_again_does_not_deliver_twice(
    db: Database, settings: Settings, receiver: Receiver, subscribe: Subscribe, record_event: Any
) -> None:
    subscribe(receiver.url)
    record_event()
    record_event("order.shipped")

    first = run_once(db, settings)
    second = run_once(db, settings)

    assert first.delivered == 2
    assert second.is_idle
    assert len(receiver.requests) == 2
    assert len(_deliveries(db)) == 2
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 2


def test_only_subscribed_event_types_are_delivered(
    db: Database, settings: Settings, receiver: Receiver, subscribe: Subscribe, record_event: Any
) -> None:
    subscribe(receiver.url + "/shipped", ["order.shipped"])
    subscribe(receiver.url + "/all", ["*"])
    record_event("order.received")
    record_event("order.shipped")

    run_once(db, settings)

    paths = sorted((r.path, orjson.loads(r.body)["type"]) for r in receiver.requests)
    assert paths == [
        ("/all", "order.received"),
        ("/all", "order.shipped"),
        ("/shipped", "order.shipped"),
    ]


def test_events_before_any_subscription_are_dispatched_without_deliveries(
    db: Database, settings: Settings, receiver: Receiver, subscribe: Subscribe, record_event: Any
) -> None:
    record_event()
    assert run_once(db, settings).dispatched_events == 1
    subscribe(receiver.url)
    assert run_once(db, settings).is_idle
    assert receiver.requests == []


def test_a_failing_receiver_is_retried_with_back_off_until_the_delivery_dies(
    db: Database,
    settings: Settings,
    receiver: Receiver,
    subscribe: Subscribe,
    record_event: Any,
    fixed_clock: clock.FixedClock,
) -> None:
    receiver.statuses = [500]
    subscribe(receiver.url)
    record_event()
    waits = []
    for attempt, base in enumerate((*model.RETRY_DELAYS, None), start=1):
        counts = run_once(db, settings)
        [delivery] = _deliveries(db)
        assert delivery["attempts"] == attempt
        assert delivery["last_status_code"] == 500
        if base is None:
            assert counts.dead == 1
            break
        assert counts.retrying == 1
        wait = delivery["next_attempt_at"] - fixed_clock.now()
        assert base * 0.8 <= wait <= base * 1.2
        waits.append(wait)
        # Not due yet: a round now sends nothing.
        assert run_once(db, settings).is_idle
        fixed_clock.set(delivery["next_attempt_at"])
    assert delivery["status"] == model.DEAD
    assert len(receiver.requests) == model.MAX_ATTEMPTS
    assert timedelta(days=2) < sum(waits, timedelta()) < timedelta(days=4)
    assert run_once(db, settings).is_idle


def test_a_replayed_dead_delivery_is_delivered(
    db: Database, settings: Settings, receiver: Receiver, subscribe: Subscribe, record_event: Any
) -> None:
    receiver.statuses = [503]
    subscription = subscribe(receiver.url)
    record_event()
    run_once(db, settings)
    [delivery] = _deliveries(db)
    _kill(db, delivery["id"])
    receiver.statuses = [200]

    replayed = service.replay_delivery(db, delivery["id"])
    counts = run_once(db, settings)

    assert replayed["status"] == model.PENDING
    assert counts.delivered == 1
    [delivery] = _deliveries(db)
    assert delivery["status"] == model.DELIVERED
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    Webhook(subscription["secret"]).verify(second.body, second.headers)


def _kill(db: Database, delivery_id: int) -> None:
    """Sets a delivery dead, as the end of its retry schedule would."""
    from sqlalchemy import update

    db.write(
        lambda uow: uow.connection.execute(
            update(webhook_delivery_table)
            .where(webhook_delivery_table.c.id == delivery_id)
            .values(status=model.DEAD)
        )
    )


def test_the_worker_refuses_private_addresses_unless_allowed(
    db: Database,
    strict_settings: Settings,
    receiver: Receiver,
    subscribe: Subscribe,
    record_event: Any,
) -> None:
    # Made while allowed (or while the name still resolved publicly); checked again at send time.
    subscribe(receiver.url)
    record_event()

    counts = run_once(db, strict_settings)

    assert counts.retrying == 1
    assert receiver.requests == []
    [delivery] = _deliveries(db)
    assert "127.0.0.1" in delivery["last_error"]
    assert delivery["last_status_code"] is None


def test_an_unreachable_receiver_counts_as_a_failed_attempt(
    db: Database, settings: Settings, subscribe: Subscribe, record_event: Any
) -> None:
    subscribe("http://127.0.0.1:9/nothing-listens-here")
    record_event()
    assert run_once(db, settings).retrying == 1
    [delivery] = _deliveries(db)
    assert delivery["attempts"] == 1
    assert "ConnectError" in delivery["last_error"]


def test_deactivating_a_subscription_stops_its_deliveries(
    db: Database, settings: Settings, receiver: Receiver, subscribe: Subscribe, record_event: Any
) -> None:
    receiver.statuses = [500]
    subscription = subscribe(receiver.url)
    record_event()
    run_once(db, settings)

    service.deactivate_subscription(db, subscription["id"])
    record_event("order.shipped")
    run_once(db, settings)

    [delivery] = _deliveries(db)
    assert delivery["status"] == model.DEAD
    assert len(receiver.requests) == 1


def test_the_worker_loop_delivers_in_the_background_and_stops_when_told(
    db: Database, settings: Settings, receiver: Receiver, subscribe: Subscribe, record_event: Any
) -> None:
    subscribe(receiver.url)
    stop = threading.Event()
    thread = threading.Thread(target=run_worker, args=(db, settings, stop))
    thread.start()
    try:
        record_event()
        deadline = time.monotonic() + 10
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert len(receiver.requests) == 1
