"""Use cases for webhook subscriptions and their deliveries; one transaction each.

Results are plain dicts shaped for the API. The signing secret leaves only once, in the answer
to the creation; reads never show it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import Select, insert, select, update
from sqlalchemy.engine import Connection, Row

from ordnung.automation.delivery import ensure_public_destination
from ordnung.automation.model import (
    DEAD,
    PENDING,
    ensure_replayable,
    new_secret,
    normalise_event_types,
    validate_url,
)
from ordnung.automation.tables import webhook_delivery_table as delivery
from ordnung.automation.tables import webhook_subscription_table as subscription
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, NotFoundError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.core.tables import domain_event_table as domain_event

AnyRow: TypeAlias = Row[*tuple[Any, ...]]

_SUBSCRIPTION_COLUMNS = (
    subscription.c.id,
    subscription.c.url,
    subscription.c.event_types,
    subscription.c.description,
    subscription.c.is_active,
    subscription.c.created_at,
)


@dataclass(frozen=True, slots=True)
class NewSubscription:
    url: str
    event_types: list[str]
    description: str = ""


def create_subscription(
    db: Database,
    request: NewSubscription,
    *,
    allow_private: bool,
    actor: str = "system",
    idempotency: IdempotentRequest[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Validates and stores a subscription; the result carries its secret, once. A repeat of
    a request that already created it raises `ReplayedAnswer`."""
    url = validate_url(request.url)
    event_types = normalise_event_types(request.event_types)
    if not allow_private:
        # Resolved before the transaction opens: DNS is network I/O (conventions §4).
        ensure_public_destination(url)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        secret = new_secret()
        values = {
            "url": url,
            "secret": secret,
            "event_types": event_types,
            "description": request.description,
            "is_active": True,
            "created_at": clock.now(),
        }
        new_id = uow.connection.execute(
            insert(subscription).values(**values).returning(subscription.c.id)
        ).scalar_one()
        body = _subscription_body(_subscription_row(uow.connection, new_id))
        return {**body, "secret": secret}

    return db.write(work, actor=actor, idempotency=idempotency)


def list_subscriptions(db: Database, *, after_id: int | None, limit: int) -> list[dict[str, Any]]:
    """Subscriptions in id order, active and deactivated, starting after `after_id`."""
    query = select(*_SUBSCRIPTION_COLUMNS).order_by(subscription.c.id).limit(limit)
    if after_id is not None:
        query = query.where(subscription.c.id > after_id)
    rows = db.read(lambda connection: connection.execute(query).all())
    return [_subscription_body(row) for row in rows]


def get_subscription(db: Database, subscription_id: int) -> dict[str, Any]:
    return _subscription_body(
        db.read(lambda connection: _subscription_row(connection, subscription_id))
    )


def deactivate_subscription(
    db: Database, subscription_id: int, *, actor: str = "system"
) -> dict[str, Any]:
    """Stops new deliveries; the ones still waiting die visibly instead of lingering."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        connection = uow.connection
        _subscription_row(connection, subscription_id)
        connection.execute(
            update(subscription).where(subscription.c.id == subscription_id).values(is_active=False)
        )
        connection.execute(
            update(delivery)
            .where(delivery.c.subscription_id == subscription_id, delivery.c.status == PENDING)
            .values(status=DEAD, last_error="The subscription was deactivated.")
        )
        return _subscription_body(_subscription_row(connection, subscription_id))

    return db.write(work, actor=actor)


def list_deliveries(
    db: Database,
    subscription_id: int,
    *,
    status: str | None,
    before_id: int | None,
    limit: int,
) -> list[dict[str, Any]]:
    """A subscription's deliveries, newest first."""

    def work(connection: Connection) -> list[dict[str, Any]]:
        _subscription_row(connection, subscription_id)
        query = (
            _delivery_query()
            .where(delivery.c.subscription_id == subscription_id)
            .order_by(delivery.c.id.desc())
            .limit(limit)
        )
        if status is not None:
            query = query.where(delivery.c.status == status)
        if before_id is not None:
            query = query.where(delivery.c.id < before_id)
        return [_delivery_body(row) for row in connection.execute(query).all()]

    return db.read(work)


def replay_delivery(
    db: Database,
    delivery_id: int,
    *,
    actor: str = "system",
    idempotency: IdempotentRequest[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A dead delivery goes back to pending, due now, with the full retry schedule again.
    A repeat of a request that already replayed it raises `ReplayedAnswer`."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        connection = uow.connection
        row = _delivery_row(connection, delivery_id)
        ensure_replayable(row.status)
        if not row.is_active:
            raise ConflictError("The subscription is deactivated; create a new one instead.")
        connection.execute(
            update(delivery)
            .where(delivery.c.id == delivery_id, delivery.c.status == DEAD)
            .values(status=PENDING, attempts=0, next_attempt_at=clock.now())
        )
        return _delivery_body(_delivery_row(connection, delivery_id))

    return db.write(work, actor=actor, idempotency=idempotency)


def _subscription_row(connection: Connection, subscription_id: int) -> AnyRow:
    row = connection.execute(
        select(*_SUBSCRIPTION_COLUMNS).where(subscription.c.id == subscription_id)
    ).first()
    if row is None:
        raise NotFoundError(f"There is no webhook subscription {subscription_id}.")
    return row


def _subscription_body(row: AnyRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "event_types": list(row.event_types),
        "description": row.description,
        "is_active": row.is_active,
        "created_at": row.created_at.isoformat(),
    }


def _delivery_query() -> Select[*tuple[Any, ...]]:
    return select(
        delivery,
        domain_event.c.type.label("event_type"),
        subscription.c.is_active,
    ).select_from(
        delivery.join(domain_event, domain_event.c.id == delivery.c.event_id).join(
            subscription, subscription.c.id == delivery.c.subscription_id
        )
    )


def _delivery_row(connection: Connection, delivery_id: int) -> AnyRow:
    row = connection.execute(_delivery_query().where(delivery.c.id == delivery_id)).first()
    if row is None:
        raise NotFoundError(f"There is no webhook delivery {delivery_id}.")
    return row


def _delivery_body(row: AnyRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "subscription_id": row.subscription_id,
        "event_id": row.event_id,
        "event_type": row.event_type,
        "status": row.status,
        "attempts": row.attempts,
        "last_status_code": row.last_status_code,
        "last_error": row.last_error,
        # Only a pending delivery has a next attempt; for the others the column is history.
        "next_attempt_at": row.next_attempt_at.isoformat() if row.status == PENDING else None,
        "created_at": row.created_at.isoformat(),
        "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
    }
