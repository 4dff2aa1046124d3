"""What an agent does to an order: cancel it, release a hold. One transaction each.

Locks follow the system's order (README: Architecture): the order first, then every stock
position of its SKUs in id order, then its fulfilment orders' rows.
"""

from __future__ import annotations

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.idempotency import IdempotentRequest
from ordnung.orchestration.exception_actions import cancel_or_ask_locations
from ordnung.orders.changes import CancelReason
from ordnung.orders.model import CANCELLED
from ordnung.orders.queries import OrderView, load_order_detail
from ordnung.orders.repository import load_order, save_order
from ordnung.sourcing.service import allocate_backorders, lock_stock, source_order


def cancel_order(
    db: Database,
    order_id: int,
    *,
    reason: str | CancelReason,
    actor: str,
    expected_version: int | None = None,
    idempotency: IdempotentRequest[OrderView] | None = None,
) -> OrderView:
    """Cancels every unit not yet shipped and gives its stock back — to the orders waiting
    for it, oldest first. Only before anything shipped; cancelling twice changes nothing.
    The reason's code and note go on the timeline (a bare text is a note, code `other`)."""
    why = reason if isinstance(reason, CancelReason) else CancelReason("other", reason)

    def work(uow: UnitOfWork) -> OrderView:
        order = load_order(uow.connection, order_id)
        if order.status == CANCELLED:
            return load_order_detail(uow.connection, order_id)
        order.check_version(expected_version)
        lock_stock(uow, order.skus())
        # Work a location has started picking is asked, not cancelled (fulfilment exceptions).
        given_back = cancel_or_ask_locations(uow, order, why)
        if given_back is None:  # every unit left already awaits a location's answer
            return load_order_detail(uow.connection, order_id)
        save_order(uow, order, clock.now())
        allocate_backorders(uow, given_back.skus, skip_order_ids={order_id})
        return load_order_detail(uow.connection, order_id)

    return db.write(work, actor=actor, idempotency=idempotency)


def release_hold(
    db: Database,
    order_id: int,
    hold_id: int,
    *,
    note: str,
    actor: str,
    expected_version: int | None = None,
) -> OrderView:
    """A person releases a hold with a note; with no hold left, the order is sourced."""

    def work(uow: UnitOfWork) -> OrderView:
        now = clock.now()
        order = load_order(uow.connection, order_id, expected_version=expected_version)
        order.release_hold(hold_id, note=note, by=actor, at=now)
        if order.can_be_sourced:
            lock_stock(uow, order.skus())
            source_order(uow, order)
        save_order(uow, order, now)
        return load_order_detail(uow.connection, order_id)

    return db.write(work, actor=actor)
