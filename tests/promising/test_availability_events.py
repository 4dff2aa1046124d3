"""`availability.changed` is announced once per SKU per interval, however often stock moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.core.tables import domain_event_table
from ordnung.inventory.service import StockMove
from ordnung.orchestration.stock_actions import adjust_stock
from ordnung.worker import run_once
from tests.promising.shop import seed_network

START = datetime(2026, 6, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def fixed_clock(db: Database) -> Iterator[clock.FixedClock]:
    fixed = clock.FixedClock(START)
    previous = clock.use_clock(fixed)
    yield fixed
    clock.use_clock(previous)


def _announced(db: Database) -> list[dict]:
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(domain_event_table.c.payload)
            .where(domain_event_table.c.type == "availability.changed")
            .order_by(domain_event_table.c.id)
        ).all()
    return [row.payload for row in rows]


def test_a_burst_of_stock_changes_is_announced_once_per_interval(
    db: Database, settings: Settings, fixed_clock: clock.FixedClock
) -> None:
    seed_network(db)
    worker_settings = settings.model_copy(update={"availability_event_seconds": 60.0})
    for delta in (5, -1, 3):
        adjust_stock(db, "MUG-1", "store-muc", StockMove(delta, "Inventur"))
    run_once(db, worker_settings)  # dispatch marks MUG-1; the announcement follows
    run_once(db, worker_settings)
    first = _announced(db)
    assert [(p["sku"], p["on_hand"], p["available"]) for p in first] == [("MUG-1", 9, 9)]

    adjust_stock(db, "MUG-1", "store-muc", StockMove(-4, "Bruch"))
    fixed_clock.set(START + timedelta(seconds=30))
    run_once(db, worker_settings)
    run_once(db, worker_settings)
    assert len(_announced(db)) == 1  # within the interval: held back, still pending

    fixed_clock.set(START + timedelta(seconds=61))
    run_once(db, worker_settings)
    announced = _announced(db)
    assert [(p["sku"], p["available"]) for p in announced] == [("MUG-1", 9), ("MUG-1", 5)]
