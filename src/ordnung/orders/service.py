"""Order use cases after intake (`intake.py`): cancel, release a hold."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, NotFoundError
from ordnung.core.events import DomainEvent
from ordnung.core.idempotency import IdempotencyClaim, Outcome, StoredResponse
from ordnung.fulfillment.service import (
    cancel_open_fulfillment_orders,
    resource_open_lines,
)
from ordnung.orders import model
from ordnung.orders.queries import load_order_detail
from ordnung.orders.repository import load_order_state, save_order_state
from ordnung.orders.tables import order_hold_table as hold_table


def cancel_order(
    db: Database,
    order_id: int,
    *,
    reason: str,
    actor: str,
    expected_version: int | None = None,
    idempotency: IdempotencyClaim | None = None,
) -> StoredResponse:
    """Cancels every unit not yet shipped and gives its stock back. Only before shipment."""

    def work(uow: UnitOfWork) -> Outcome:
        now = clock.now()
        order = load_order_state(uow.connection, order_id)
        if order.status == model.CANCELLED:
            return Outcome(load_order_detail(uow.connection, order_id), created=False)
        if any(line.shipped for line in order.lines.values()):
            raise ConflictError(
                f"Order {order.number} has shipped units; it can no longer be cancelled whole."
            )
        cancel_open_fulfillment_orders(uow, order)
        for line in order.lines.values():
            line.cancel_unshipped()
        save_order_state(
            uow, order, now, expected_version=expected_version, event_payload={"reason": reason}
        )
        uow.flush_events(now)
        return Outcome(load_order_detail(uow.connection, order_id), created=False)

    return db.write_idempotent(work, claim=idempotency, actor=actor)


def release_hold(
    db: Database,
    order_id: int,
    hold_id: int,
    *,
    note: str,
    actor: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """A person releases a hold with a note; with no hold left, the order is sourced."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        now = clock.now()
        order = load_order_state(uow.connection, order_id)
        released = uow.connection.execute(
            update(hold_table)
            .where(
                hold_table.c.id == hold_id,
                hold_table.c.order_id == order_id,
                hold_table.c.released_at.is_(None),
            )
            .values(released_at=now, released_by=actor, release_note=note)
        )
        if released.rowcount != 1:
            raise NotFoundError(f"Order {order.number} has no active hold {hold_id}.")
        payload = {"number": order.number, "hold_id": hold_id, "note": note}
        uow.record(DomainEvent("order.hold_released", "order", order_id, order_id, payload))
        order.has_active_hold = _has_active_hold(uow.connection, order_id)
        if not order.has_active_hold and order.status != model.CANCELLED:
            resource_open_lines(uow, order)
        save_order_state(uow, order, now, expected_version=expected_version)
        uow.flush_events(now)
        return load_order_detail(uow.connection, order_id)

    return db.write(work, actor=actor)


def _has_active_hold(connection: Connection, order_id: int) -> bool:
    row = connection.execute(
        select(hold_table.c.id)
        .where(hold_table.c.order_id == order_id, hold_table.c.released_at.is_(None))
        .limit(1)
    ).first()
    return row is not None
