"""Several workers on PostgreSQL share the outbox and the deliveries without sending twice."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from ordnung import worker
from ordnung.automation import dispatch
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.worker import WorkerCounts, run_once

from .conftest import Receiver, SampleOrderEvent

WORKERS = 4
EVENTS = 120


def _record_many(db: Database, count: int) -> None:
    def work(uow: Any) -> None:
        for number in range(count):
            event = SampleOrderEvent("order.received", {"n": number})
            uow.record(event, aggregate_id=number, order_id=number)

    db.write(work)


def _run_workers_together(db: Database, settings: Settings) -> list[WorkerCounts]:
    start = threading.Barrier(WORKERS)
    results: list[WorkerCounts] = []
    errors: list[BaseException] = []

    def work() -> None:
        start.wait()
        try:
            # Each thread keeps going until it finds nothing, like a real worker's loop.
            while not (counts := run_once(db, settings)).is_idle:
                results.append(counts)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return results


@pytest.fixture
def interleaving(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite runs one worker at a time; row locks are a PostgreSQL matter")
    # Small batches so the workers really interleave instead of one taking everything.
    monkeypatch.setattr(dispatch, "EVENT_BATCH_SIZE", 10)
    monkeypatch.setattr(dispatch, "DELIVERY_BATCH_SIZE", 4)


@pytest.mark.postgres_only
@pytest.mark.usefixtures("interleaving")
def test_concurrent_workers_deliver_each_event_once_per_subscription(
    db: Database,
    settings: Settings,
    receiver: Receiver,
    subscribe: Callable[..., dict[str, Any]],
) -> None:
    receiver.delay_seconds = 0.005
    subscribe(receiver.url + "/a")
    subscribe(receiver.url + "/b", ["order.received"])
    _record_many(db, EVENTS)

    rounds = _run_workers_together(db, settings)

    sent = Counter((r.path, r.headers["webhook-id"]) for r in receiver.requests)
    assert len(sent) == 2 * EVENTS
    assert max(sent.values()) == 1
    assert sum(r.delivered for r in rounds) == 2 * EVENTS
    assert sum(r.dispatched_events for r in rounds) == EVENTS


@pytest.mark.postgres_only
@pytest.mark.usefixtures("interleaving")
def test_without_the_lease_concurrent_workers_send_the_same_delivery_twice(
    db: Database,
    settings: Settings,
    receiver: Receiver,
    subscribe: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Negative control: the row lock alone ends at the claim's commit, so it is the lease
    that keeps a delivery from being claimed again while it is being sent."""
    monkeypatch.setattr(worker, "delivery_lease", lambda _settings: timedelta(0))
    receiver.delay_seconds = 0.05
    subscribe(receiver.url)
    _record_many(db, 20)

    _run_workers_together(db, settings)

    sent = Counter(r.headers["webhook-id"] for r in receiver.requests)
    assert len(sent) == 20
    assert max(sent.values()) > 1
