"""`availability.changed`, debounced: a stock change marks its SKU; the worker announces each
marked SKU at most once per interval, with the network figures as they are then.

Marking happens as a reaction to `stock.changed` (automation/reactions.py), inside the
transaction that dispatches that event; announcing is a worker step of its own
(`announce_availability_changes`), so a burst of changes to one SKU becomes one event.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.tables import domain_event_table as domain_event
from ordnung.inventory.tables import stock_position_table as position
from ordnung.promising.events import AvailabilityChanged
from ordnung.promising.tables import availability_signal_table as signal

ANNOUNCE_BATCH = 500
WORKER_ACTOR = "worker"


def mark_changed_by_events(
    connection: Connection, event_ids: Collection[int], now: datetime
) -> int:
    """Marks the SKUs named by these `stock.changed` events; returns how many SKUs."""
    payloads = connection.execute(
        select(domain_event.c.payload).where(domain_event.c.id.in_(sorted(event_ids)))
    ).scalars()
    skus = sorted({str(payload["sku"]) for payload in payloads if payload.get("sku")})
    mark_changed(connection, skus, now)
    return len(skus)


def mark_changed(connection: Connection, skus: Collection[str], now: datetime) -> None:
    if not skus:
        return
    insert = dialect_insert(connection)
    statement = insert(signal).values(
        [{"sku": sku, "is_pending": True, "changed_at": now} for sku in sorted(skus)]
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["sku"],
            set_={"is_pending": True, "changed_at": statement.excluded.changed_at},
        )
    )


def announce_availability_changes(db: Database, *, every_seconds: float) -> int:
    """Records one `availability.changed` per marked SKU not announced within the last
    `every_seconds`; returns how many."""

    def work(uow: UnitOfWork) -> int:
        now = clock.now()
        due = now - timedelta(seconds=every_seconds)
        rows = uow.connection.execute(
            select(signal.c.id, signal.c.sku)
            .where(
                signal.c.is_pending,
                or_(signal.c.announced_at.is_(None), signal.c.announced_at <= due),
            )
            .order_by(signal.c.id)
            .limit(ANNOUNCE_BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        if not rows:
            return 0
        figures = network_figures(uow.connection, [row.sku for row in rows])
        for row in rows:
            on_hand, reserved, available, places = figures.get(row.sku, (0, 0, 0, 0))
            uow.record(
                AvailabilityChanged(row.sku, on_hand, reserved, available, places, now),
                aggregate_id=row.id,
            )
        uow.connection.execute(
            update(signal)
            .where(signal.c.id.in_([row.id for row in rows]))
            .values(is_pending=False, announced_at=now)
        )
        return len(rows)

    return db.write(work, actor=WORKER_ACTOR)


def network_figures(
    connection: Connection, skus: Collection[str]
) -> dict[str, tuple[int, int, int, int]]:
    """SKU → (on hand, reserved, available, locations with something available)."""
    free = position.c.on_hand - position.c.reserved - position.c.safety_stock
    available = case((free > 0, free), else_=0)
    rows = connection.execute(
        select(
            position.c.sku,
            func.sum(position.c.on_hand),
            func.sum(position.c.reserved),
            func.sum(available),
            func.sum(case((free > 0, 1), else_=0)),
        )
        .where(position.c.sku.in_(sorted(skus)))
        .group_by(position.c.sku)
    ).all()
    return {row[0]: (int(row[1]), int(row[2]), int(row[3]), int(row[4])) for row in rows}
