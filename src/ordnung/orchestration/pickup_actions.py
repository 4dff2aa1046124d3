"""Click & collect actions that change the order too: the hand-over at the counter, and the
worker's sweep of orders nobody collected. One transaction each, in the system's lock
order: the order, then its stock positions, then the fulfilment order (README: Architecture).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, ValidationError
from ordnung.fulfillment import pickup
from ordnung.fulfillment import service as fulfillment
from ordnung.fulfillment.model import PICKED_UP
from ordnung.fulfillment.pickup_model import MAX_WRONG_CODES
from ordnung.orchestration.exception_actions import cancel_or_ask_locations
from ordnung.orders.changes import CancelReason
from ordnung.orders.repository import load_order, save_order
from ordnung.sourcing.service import allocate_backorders, lock_stock

log = logging.getLogger("ordnung.pickup")


@dataclass(frozen=True, slots=True)
class PickedUp:
    fulfillment_order_id: int
    status: str
    picked_up_at: datetime
    order_status: str
    is_repeat: bool


def hand_over_pickup(db: Database, fo_id: int, code: str, *, actor: str) -> PickedUp:
    """The customer shows the code: the right one hands the order over (stock leaves the
    store, the order's units count as shipped: for a collected order that is the end). A
    retry with the same code answers the same and books nothing twice. A wrong code is 422
    and counted; after MAX_WRONG_CODES the hand-over is locked for a while (409)."""

    def work(uow: UnitOfWork) -> PickedUp | pickup.CodeRefused:
        order = load_order(uow.connection, fulfillment.order_id_of(uow.connection, fo_id))
        outcome = pickup.hand_over(uow, fo_id, code)
        if isinstance(outcome, pickup.CodeRefused):
            return outcome  # the count of wrong codes is committed, then refused below
        if outcome.units_by_line_id:
            order.ship(order.units_by_line_number(outcome.units_by_line_id))
            save_order(uow, order, clock.now())
        return PickedUp(fo_id, PICKED_UP, outcome.picked_up_at, order.status, outcome.is_repeat)

    result = db.write(work, actor=actor)
    if isinstance(result, pickup.CodeRefused):
        raise _refusal(result)
    return result


def _refusal(refused: pickup.CodeRefused) -> ConflictError | ValidationError:
    if refused.locked_until is not None:
        return ConflictError(
            f"{MAX_WRONG_CODES} wrong pickup codes: the hand-over is locked until"
            f" {refused.locked_until.isoformat(timespec='minutes')}.",
            locked_until=refused.locked_until.isoformat(),
        )
    left = MAX_WRONG_CODES - refused.wrong_codes
    return ValidationError(
        f"This is not the pickup code of this order; {left} more tries before the hand-over"
        " is locked.",
        field="code",
        tries_left=left,
    )


def expire_uncollected_pickups(db: Database, *, limit: int = 100) -> int:
    """The worker's sweep: orders ready for pickup and not collected by their deadline are
    cancelled — the fulfilment order cancelled, its stock back to the store (and to orders
    waiting for it), the customer told (`fulfillment_order.pickup_expired`). Safe with
    several workers: each order is decided under its lock, and the pickup row moves by
    compare-and-set. Returns how many expired."""
    expired = 0
    for fo_id in pickup.due_for_expiry(db, limit=limit):
        try:
            expired += db.write(partial(_expire, fo_id=fo_id), actor="system:pickup")
        except ConflictError:  # collected or cancelled meanwhile: nothing to expire
            log.info("pickup of fulfilment order %s changed meanwhile; skipped", fo_id)
    return expired


def _expire(uow: UnitOfWork, *, fo_id: int) -> int:
    order = load_order(uow.connection, fulfillment.order_id_of(uow.connection, fo_id))
    lock_stock(uow, order.skus())
    if not pickup.expire(uow, fo_id):
        return 0
    why = CancelReason("other", "Not collected at the store in time (click & collect).")
    given_back = cancel_or_ask_locations(uow, order, why)
    save_order(uow, order, clock.now())
    if given_back is not None and order.id is not None:
        allocate_backorders(uow, given_back.skus, skip_order_ids={order.id})
    return 1
