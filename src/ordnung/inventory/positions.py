"""Positions for stock operations, set-wise inside the caller's unit of work: opened empty
where a SKU was never stocked at a location, then locked in id order (stock.lock_positions)
before anything changes, so concurrent transactions queue instead of deadlocking."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.engine import Connection

from ordnung.core.db import dialect_insert
from ordnung.inventory.stock import lock_positions
from ordnung.inventory.tables import location_table as location
from ordnung.inventory.tables import stock_position_table as position

Key = tuple[str, int]  # (sku, location id)
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class LockedPosition:
    id: int
    on_hand: int
    reserved: int


def location_ids(connection: Connection, codes: Collection[str]) -> dict[str, int]:
    """Location code → id for the codes that exist."""
    if not codes:
        return {}
    rows = connection.execute(
        select(location.c.code, location.c.id).where(location.c.code.in_(sorted(set(codes))))
    )
    return {code: int(location_id) for code, location_id in rows}


def open_positions(connection: Connection, keys: Iterable[Key], now: datetime) -> None:
    """Creates the missing positions empty (insert-or-nothing: two at once end on one row)."""
    rows = [{"sku": sku, "location_id": where, "updated_at": now} for sku, where in sorted(keys)]
    insert = dialect_insert(connection)
    for start in range(0, len(rows), _CHUNK):
        connection.execute(
            insert(position)
            .values(rows[start : start + _CHUNK])
            .on_conflict_do_nothing(index_elements=["sku", "location_id"])
        )


def locked_positions(connection: Connection, keys: Collection[Key]) -> dict[Key, LockedPosition]:
    """The existing positions of these keys with their figures, after locking every position
    of their SKUs in id order (PostgreSQL; SQLite's BEGIN IMMEDIATE holds the database)."""
    lock_positions(connection, {sku for sku, _ in keys})
    found: dict[Key, LockedPosition] = {}
    ordered = sorted(set(keys))
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        rows = connection.execute(
            select(
                position.c.id,
                position.c.sku,
                position.c.location_id,
                position.c.on_hand,
                position.c.reserved,
            ).where(tuple_(position.c.sku, position.c.location_id).in_(chunk))
        )
        for row in rows:
            found[(row.sku, row.location_id)] = LockedPosition(row.id, row.on_hand, row.reserved)
    return found


def positions_at(connection: Connection, location_ids: Collection[int]) -> dict[Key, int]:
    """Every position of these locations that holds units: (sku, location id) → on hand."""
    if not location_ids:
        return {}
    rows = connection.execute(
        select(position.c.sku, position.c.location_id, position.c.on_hand).where(
            position.c.location_id.in_(sorted(location_ids)), position.c.on_hand > 0
        )
    )
    return {(row.sku, row.location_id): row.on_hand for row in rows}
