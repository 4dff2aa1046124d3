"""The worker's use cases: dispatch outbox events, claim due deliveries, record their results.

Each is one short transaction. Sending happens between `claim_due_deliveries` and
`record_delivery_result`, outside any transaction (conventions §4). On PostgreSQL several
workers share the work with `FOR UPDATE SKIP LOCKED`; on SQLite `BEGIN IMMEDIATE` serialises
them (and SQLAlchemy drops the row-lock clause there).
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ordnung.automation.delivery import DeliveryResult, OutgoingWebhook
from ordnung.automation.model import (
    DELIVERED,
    PENDING,
    after_failed_attempt,
    webhook_message,
)
from ordnung.automation.reactions import DispatchBatch, DispatchedEvent, handlers_for
from ordnung.automation.tables import webhook_delivery_table as delivery
from ordnung.automation.tables import webhook_subscription_table as subscription
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.tables import domain_event_table as domain_event

EVENT_BATCH_SIZE = 200
DELIVERY_BATCH_SIZE = 16
WORKER_ACTOR = "system:worker"


def dispatch_events(db: Database, *, batch_size: int | None = None) -> int:
    """Runs the registered reactions for the oldest undispatched events and marks them
    dispatched, all in one transaction; returns how many events were dispatched."""
    limit = batch_size or EVENT_BATCH_SIZE

    def work(uow: UnitOfWork) -> int:
        connection = uow.connection
        rows = connection.execute(
            select(domain_event.c.id, domain_event.c.type, domain_event.c.aggregate_id)
            .where(domain_event.c.dispatched_at.is_(None))
            .order_by(domain_event.c.id)
            .limit(limit)
            # Another worker's batch is skipped, not waited for; its rows are its own.
            .with_for_update(skip_locked=True)
        ).all()
        if not rows:
            return 0
        batch = DispatchBatch(connection, clock.now(), uow)
        for row in rows:
            event = DispatchedEvent(row.id, row.type, row.aggregate_id)
            for handler in handlers_for(event.type):
                handler(batch, event)
        batch.flush()
        connection.execute(
            update(domain_event)
            .where(domain_event.c.id.in_([row.id for row in rows]))
            .values(dispatched_at=batch.now)
        )
        return len(rows)

    return db.write(work, actor=WORKER_ACTOR)


def claim_due_deliveries(
    db: Database, *, lease: timedelta, batch_size: int | None = None
) -> list[OutgoingWebhook]:
    """Takes due pending deliveries and leases them: their next attempt moves `lease` ahead,
    so no other worker sends them meanwhile, and a crashed worker's claim simply expires."""

    def work(uow: UnitOfWork) -> list[OutgoingWebhook]:
        now = clock.now()
        claimed = _due_deliveries(uow.connection, batch_size or DELIVERY_BATCH_SIZE)
        if claimed:
            uow.connection.execute(
                update(delivery)
                .where(delivery.c.id.in_([webhook.delivery_id for webhook in claimed]))
                .values(next_attempt_at=now + lease)
            )
        return claimed

    return db.write(work, actor=WORKER_ACTOR)


def _due_deliveries(connection: Connection, batch_size: int) -> list[OutgoingWebhook]:
    rows = connection.execute(
        select(
            delivery.c.id,
            delivery.c.event_id,
            delivery.c.attempts,
            subscription.c.url,
            subscription.c.secret,
            domain_event.c.type,
            domain_event.c.payload,
            domain_event.c.occurred_at,
            domain_event.c.order_id,
        )
        .select_from(
            delivery.join(subscription, subscription.c.id == delivery.c.subscription_id).join(
                domain_event, domain_event.c.id == delivery.c.event_id
            )
        )
        .where(
            delivery.c.status == PENDING,
            delivery.c.next_attempt_at <= clock.now(),
            subscription.c.is_active,
        )
        .order_by(delivery.c.next_attempt_at, delivery.c.id)
        .limit(batch_size)
        .with_for_update(of=delivery, skip_locked=True)
    ).all()
    return [
        OutgoingWebhook(
            delivery_id=row.id,
            event_id=row.event_id,
            attempts=row.attempts,
            url=row.url,
            secret=row.secret,
            message=webhook_message(row.type, row.occurred_at, row.payload, row.order_id),
        )
        for row in rows
    ]


def record_delivery_result(
    db: Database,
    webhook: OutgoingWebhook,
    result: DeliveryResult,
    rng: random.Random | None = None,
) -> str | None:
    """Stores how an attempt went; returns the new status, or None when the delivery changed
    meanwhile (replayed, or deactivated) and this late result no longer applies."""
    now = clock.now()
    if result.is_success:
        values: dict[str, object] = {"status": DELIVERED, "delivered_at": now, "last_error": None}
        values["attempts"] = webhook.attempts + 1
    else:
        outcome = after_failed_attempt(webhook.attempts, now, rng)
        values = {
            "status": outcome.status,
            "attempts": outcome.attempts,
            "next_attempt_at": outcome.next_attempt_at,
            "last_error": result.error,
        }
    values["last_status_code"] = result.status_code

    def work(uow: UnitOfWork) -> str | None:
        # Compare-and-set on the attempt count claimed: a replay in between wins.
        updated = uow.connection.execute(
            update(delivery)
            .where(
                delivery.c.id == webhook.delivery_id,
                delivery.c.status == PENDING,
                delivery.c.attempts == webhook.attempts,
            )
            .values(**values)
        )
        return str(values["status"]) if updated.rowcount == 1 else None

    return db.write(work, actor=WORKER_ACTOR)
