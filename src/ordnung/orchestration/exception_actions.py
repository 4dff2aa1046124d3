"""When fulfilment does not go to plan: a location reports a short pick, or decides on a
cancellation request; and the part of an order cancel that asks the locations picking it.
One transaction each, in the system's lock order: the order, then every stock position of its
SKUs in id order, then its fulfilment orders (README: Architecture).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.idempotency import IdempotentRequest
from ordnung.fulfillment import cancellation_requests, short_picks
from ordnung.fulfillment import service as fulfillment
from ordnung.fulfillment.model import MissingUnits
from ordnung.fulfillment.service import GivenBack, cancel_open_fulfillment_orders
from ordnung.orders.changes import CancelReason
from ordnung.orders.model import Order
from ordnung.orders.repository import load_order, save_order
from ordnung.sourcing.service import allocate_backorders, lock_stock, source_order


@dataclass(frozen=True, slots=True)
class ShortPickOutcome:
    fulfillment_order_id: int
    fulfillment_order_status: str
    order_status: str
    report_ids: list[int]


@dataclass(frozen=True, slots=True)
class DecidedCancellation:
    request_id: int
    fulfillment_order_id: int
    decision: str
    order_status: str


def cancel_or_ask_locations(uow: UnitOfWork, order: Order, why: CancelReason) -> GivenBack | None:
    """The fulfilment side of an order cancel (the order and its stock are locked): work not
    started on is cancelled, work being picked or packed is asked to stop, and the order
    cancels every unit but those. None when there was nothing left to do: every unit not
    shipped already waits for a location's answer."""
    assert order.id is not None
    requested = cancellation_requests.request_cancellations(uow, order.id, reason=why.text)
    given_back = cancel_open_fulfillment_orders(uow, order.id)
    is_noop = (
        requested.units_by_line_id
        and not requested.new_request_ids
        and not given_back.units_by_line_id
        and not order.open_units()
    )
    if is_noop:
        return None
    kept = order.units_by_line_number(requested.units_by_line_id)
    order.cancel_except(kept, why.text, reason_code=why.code, note=why.note)
    return given_back


def report_short_pick(
    db: Database,
    fo_id: int,
    missing: Sequence[MissingUnits],
    *,
    note: str,
    actor: str,
    idempotency: IdempotentRequest[ShortPickOutcome] | None = None,
) -> ShortPickOutcome:
    """The location found units missing: they leave its stock and the fulfilment order, the
    order's units open again and sourcing places them at once where stock is, or they wait
    (backordered). The order carries a short-pick marker until an agent acknowledges it."""

    def work(uow: UnitOfWork) -> ShortPickOutcome:
        return short_pick_within(uow, fo_id, missing, note=note)

    return db.write(work, actor=actor, idempotency=idempotency)


def short_pick_within(
    uow: UnitOfWork, fo_id: int, missing: Sequence[MissingUnits], *, note: str
) -> ShortPickOutcome:
    """`report_short_pick` inside the caller's transaction (a pick wave's short pick, which
    also counts the units on the wave)."""
    order = load_order(uow.connection, fulfillment.order_id_of(uow.connection, fo_id))
    lock_stock(uow, order.skus())
    picked = short_picks.short_pick(uow, fo_id, missing)
    open_before = {line.id: line.buckets.open for line in order.lines}
    order.deallocate(order.units_by_line_number(picked.units_by_line_id))
    source_order(uow, order)
    save_order(uow, order, clock.now())
    waiting = {
        line.id: line.buckets.open - open_before[line.id]
        for line in order.lines
        if line.id is not None
    }
    report_ids = short_picks.record_reports(uow, picked, waiting, note=note)
    return ShortPickOutcome(fo_id, picked.status, order.status, report_ids)


def accept_cancellation_request(
    db: Database,
    fo_id: int,
    *,
    note: str,
    actor: str,
    idempotency: IdempotentRequest[DecidedCancellation] | None = None,
) -> DecidedCancellation:
    """The location stops picking: its fulfilment order is cancelled, the reservations go
    back (to the orders waiting for them), and the order's units are cancelled — the order
    is cancelled once no unit is left."""

    def work(uow: UnitOfWork) -> DecidedCancellation:
        order = load_order(uow.connection, fulfillment.order_id_of(uow.connection, fo_id))
        lock_stock(uow, order.skus())
        decided = cancellation_requests.accept_cancellation(uow, fo_id, note=note)
        given_back = decided.given_back
        order.cancel_allocated(
            order.units_by_line_number(given_back.units_by_line_id), decided.reason
        )
        save_order(uow, order, clock.now())
        assert order.id is not None
        allocate_backorders(uow, given_back.skus, skip_order_ids={order.id})
        return DecidedCancellation(decided.request_id, fo_id, decided.decision, order.status)

    return db.write(work, actor=actor, idempotency=idempotency)


def decline_cancellation_request(
    db: Database,
    fo_id: int,
    *,
    note: str,
    actor: str,
    idempotency: IdempotentRequest[DecidedCancellation] | None = None,
) -> DecidedCancellation:
    """The location goes on and ships; the agent sees the note on the order."""

    def work(uow: UnitOfWork) -> DecidedCancellation:
        order = load_order(uow.connection, fulfillment.order_id_of(uow.connection, fo_id))
        decided = cancellation_requests.decline_cancellation(uow, fo_id, note=note)
        return DecidedCancellation(decided.request_id, fo_id, decided.decision, order.status)

    return db.write(work, actor=actor, idempotency=idempotency)
