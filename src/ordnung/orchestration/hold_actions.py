"""The hold queue's actions: release or cancel many held orders at once, with one note.

Each order is its own transaction (one business action per order), so one order that changed
meanwhile or cannot be cancelled does not stop the others; the answer says per order what
happened. Releasing an order's holds is one transaction too: with no hold left the order is
sourced once, not once per hold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ordnung.core import clock, idempotency
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import NotFoundError, OrdnungError, StaleVersionError
from ordnung.core.idempotency import IdempotentRequest, ReplayedAnswer
from ordnung.orchestration.order_actions import cancel_order
from ordnung.orders.queries import OrderView, load_order_detail
from ordnung.orders.repository import load_order, save_order
from ordnung.sourcing.service import lock_stock, source_order

T = TypeVar("T")

DONE = "done"
CHANGED = "changed"  # the order changed since the person saw it (version, hold released)
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One held order picked in the queue: which of its holds (None: every active one), and
    the version the person saw (None: act on whatever the order is now)."""

    order_id: int
    hold_ids: tuple[int, ...] | None = None
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    order_id: int
    outcome: str
    detail: str = ""
    order_number: str | None = None
    order_status: str | None = None


def release_holds(
    db: Database,
    order_id: int,
    hold_ids: tuple[int, ...] | None,
    *,
    note: str,
    actor: str,
    expected_version: int | None = None,
) -> OrderView:
    """Releases these holds of one order (or every active one) with a note; with no hold
    left, the order is sourced — once."""

    def work(uow: UnitOfWork) -> OrderView:
        now = clock.now()
        order = load_order(uow.connection, order_id, expected_version=expected_version)
        active = [hold.id for hold in order.holds if hold.is_active and hold.id is not None]
        wanted = active if hold_ids is None else list(hold_ids)
        if not wanted:
            raise NotFoundError(f"Order {order.number} has no active hold.")
        for hold_id in wanted:
            order.release_hold(hold_id, note=note, by=actor, at=now)
        if order.can_be_sourced:
            lock_stock(uow, order.skus())
            source_order(uow, order)
        save_order(uow, order, now)
        return load_order_detail(uow.connection, order_id)

    return db.write(work, actor=actor)


def release_many(
    db: Database, items: Sequence[QueueItem], *, note: str, actor: str
) -> list[ItemOutcome]:
    """Releases the picked holds order by order; one outcome per order."""

    def release(item: QueueItem) -> OrderView:
        return release_holds(
            db,
            item.order_id,
            item.hold_ids,
            note=note,
            actor=actor,
            expected_version=item.expected_version,
        )

    return [_attempt(item, release) for item in items]


def cancel_many(
    db: Database, items: Sequence[QueueItem], *, note: str, actor: str
) -> list[ItemOutcome]:
    """Cancels the picked orders one by one, the note as the reason; one outcome per order."""

    def cancel(item: QueueItem) -> OrderView:
        return cancel_order(
            db, item.order_id, reason=note, actor=actor, expected_version=item.expected_version
        )

    return [_attempt(item, cancel) for item in items]


def _attempt(item: QueueItem, act: Callable[[QueueItem], OrderView]) -> ItemOutcome:
    try:
        order = act(item)
    except StaleVersionError as error:
        return ItemOutcome(item.order_id, CHANGED, error.detail)
    except NotFoundError as error:
        # A hold someone released meanwhile, or an order that does not exist.
        return ItemOutcome(
            item.order_id, CHANGED if "hold" in error.detail else FAILED, error.detail
        )
    except OrdnungError as error:
        return ItemOutcome(item.order_id, FAILED, error.detail)
    return ItemOutcome(item.order_id, DONE, "", order["number"], order["status"])


def with_idempotency_key(
    db: Database, keyed: IdempotentRequest[T] | None, act: Callable[[], T], *, actor: str
) -> T:
    """Runs a bulk action under an Idempotency-Key. The bulk is many transactions, so the
    key is claimed in its own transaction first (a concurrent repeat gets 409 "still
    running"), and the answer is stored once every item is done; a later repeat gets it
    again without acting a second time."""
    if keyed is None:
        return act()
    claim = keyed.claim
    stored = db.write(
        lambda uow: idempotency.claim(uow.connection, claim, clock.now()), actor=actor
    )
    if stored is not None:
        raise ReplayedAnswer(stored)
    result = act()
    answer = keyed.answer_for(result)
    db.write(lambda uow: idempotency.store(uow.connection, claim, answer, clock.now()), actor=actor)
    return result
