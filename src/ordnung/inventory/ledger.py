"""A stock position's ledger as people read it: newest first, with the figures each movement
left behind (the API's `list_movements` pages oldest first, for machines that replay it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.engine import Connection

from ordnung.core.db import Database
from ordnung.inventory.tables import stock_movement_table as movement
from ordnung.inventory.tables import stock_position_table as position

Rows = Row[*tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One stock movement with the position's figures right after it."""

    id: int
    kind: str
    on_hand_delta: int
    reserved_delta: int
    on_hand_after: int
    reserved_after: int
    reason: str
    cause: str
    order_id: int | None
    actor: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class LedgerPage:
    entries: list[LedgerEntry]  # newest first
    next_before_id: int | None  # pass as `before_id` for older entries; None on the last page


def ledger_page(
    db: Database, position_id: int, *, before_id: int | None = None, limit: int = 25
) -> LedgerPage:
    """A position's ledger newest first, each entry with the figures it left behind.

    The figures come from the position as it is now minus every later movement (ledger sums
    equal positions, invariant 3), read in one statement so they agree with each other."""

    def work(connection: Connection) -> tuple[list[Rows], Rows | None]:
        query = select(movement).where(movement.c.position_id == position_id)
        if before_id is not None:
            query = query.where(movement.c.id < before_id)
        rows = list(connection.execute(query.order_by(movement.c.id.desc()).limit(limit + 1)))
        if not rows:
            return rows, None
        later = (movement.c.position_id == position_id, movement.c.id > rows[0].id)
        later_on_hand = select(func.coalesce(func.sum(movement.c.on_hand_delta), 0)).where(*later)
        later_reserved = select(func.coalesce(func.sum(movement.c.reserved_delta), 0)).where(*later)
        figures = connection.execute(
            select(
                (position.c.on_hand - later_on_hand.scalar_subquery()).label("on_hand"),
                (position.c.reserved - later_reserved.scalar_subquery()).label("reserved"),
            ).where(position.c.id == position_id)
        ).first()
        return rows, figures

    rows, figures = db.read(work)
    entries: list[LedgerEntry] = []
    on_hand, reserved = (figures.on_hand, figures.reserved) if figures is not None else (0, 0)
    for row in rows[:limit]:
        entries.append(_ledger_entry(row, on_hand, reserved))
        on_hand -= row.on_hand_delta
        reserved -= row.reserved_delta
    has_more = len(rows) > limit
    return LedgerPage(entries, entries[-1].id if has_more else None)


def _ledger_entry(row: Rows, on_hand_after: int, reserved_after: int) -> LedgerEntry:
    return LedgerEntry(
        id=row.id,
        kind=row.kind,
        on_hand_delta=row.on_hand_delta,
        reserved_delta=row.reserved_delta,
        on_hand_after=on_hand_after,
        reserved_after=reserved_after,
        reason=row.reason,
        cause=row.cause,
        order_id=row.order_id,
        actor=row.actor,
        created_at=row.created_at,
    )
