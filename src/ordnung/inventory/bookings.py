"""Write-offs and returns to stock inside the caller's unit of work: one conditional UPDATE
each plus its ledger row (kind `write_off` or `return`, a cause from the kind's list, the
note). A write-off never takes units orders hold; a return puts units back on sale."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from ordnung.core import clock
from ordnung.core.db import UnitOfWork
from ordnung.inventory.model import MAX_ON_HAND, invalid
from ordnung.inventory.operations import RETURN, WRITE_OFF, check_cause, check_note, check_units
from ordnung.inventory.service import (
    _RETURNED,
    StockChange,
    _below_reserved,
    _open_position,
    _stock_position,
)
from ordnung.inventory.stock import Movement, record_movements
from ordnung.inventory.tables import stock_position_table as position


@dataclass(frozen=True, slots=True)
class StockBooking:
    """Units written off (damaged, lost, expired) or returned to sellable stock."""

    kind: str
    quantity: int
    cause: str
    note: str = ""


def book_stock(uow: UnitOfWork, sku: str, location_code: str, booking: StockBooking) -> StockChange:
    """A write-off takes units off the shelf (409 with the figures if orders hold them); a
    return puts units back."""
    if booking.kind not in (WRITE_OFF, RETURN):
        raise invalid("kind", f"must be {WRITE_OFF} or {RETURN}")
    quantity = check_units(booking.quantity)
    cause = check_cause(booking.kind, booking.cause)
    note = check_note(booking.note)
    delta = -quantity if booking.kind == WRITE_OFF else quantity
    now = clock.now()
    target = _open_position(uow.connection, sku, location_code, now)
    row = uow.connection.execute(
        update(position)
        .where(
            position.c.id == target.id,
            position.c.on_hand + delta >= position.c.reserved,
            position.c.on_hand + delta <= MAX_ON_HAND,
        )
        .values(on_hand=position.c.on_hand + delta, updated_at=now)
        .returning(*_RETURNED)
    ).first()
    if row is None:
        if delta > 0:
            raise invalid("quantity", f"a position holds at most {MAX_ON_HAND} units")
        raise _below_reserved(uow.connection, target, f"writing off {quantity}")
    reason = f"{cause}: {note}" if note else cause
    record_movements(
        uow.connection,
        [Movement(target.id, booking.kind, delta, 0, note, cause=cause)],
        actor=uow.actor,
        now=now,
    )
    return StockChange(_stock_position(row, sku, location_code), booking.kind, delta, reason)
