"""The statements every ship (and every step of a fulfilment order) runs, sent straight
through the driver (core/driver.py): SQLAlchemy Core spent about a quarter of a ship's time
building these statements and their cache keys (bench/profile_ship.py). Each reads or writes
only fulfilment tables; rows come back as SQLAlchemy would answer them (plain-typed columns)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy.engine import Connection

from ordnung.core.driver import driver_of
from ordnung.fulfillment import model
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line_table
from ordnung.fulfillment.tables import shipment_line_table

Row = dict[str, Any]


def fulfillment_order(connection: Connection, fo_id: int) -> Row | None:
    """Id, order, location and status, without a lock."""
    rows = driver_of(connection).fetch_all(_FULFILLMENT_ORDER_SQL, (fo_id,))
    if not rows:
        return None
    fo_id, order_id, location_id, status = rows[0]
    return {"id": fo_id, "order_id": order_id, "location_id": location_id, "status": status}


def open_lines(connection: Connection, fo_id: int) -> list[Row]:
    """The lines with units still to ship, by position id then id (the lock order)."""
    rows = driver_of(connection).fetch_all(_OPEN_LINES_SQL, (fo_id,))
    return [dict(zip(_LINE_COLUMNS, row, strict=True)) for row in rows]


def mark_lines_shipped(connection: Connection, fo_id: int) -> None:
    driver_of(connection).execute(_SHIP_LINES_SQL, (fo_id,))


def append_shipment_lines(connection: Connection, rows: Sequence[Row]) -> None:
    driver_of(connection).append(shipment_line_table, rows)


def change_status(
    connection: Connection, fo_id: int, target: str, reject_reason: str | None, now: datetime
) -> int:
    """Compare-and-set of the status from the states `target` may be reached from (and the
    reason, for a rejection); answers the rows changed (1, or 0 if it moved meanwhile)."""
    driver = driver_of(connection)
    sources = sorted(model.allowed_sources(target))
    reason = () if reject_reason is None else (reject_reason,)
    return driver.execute(
        _change_status_sql(len(sources), with_reason=reject_reason is not None),
        (target, driver.timestamp(now), *reason, fo_id, *sources),
    )


@cache
def _change_status_sql(source_count: int, *, with_reason: bool) -> str:
    reason = ", reject_reason = ?" if with_reason else ""
    sources = ", ".join(["?"] * source_count)
    return (
        f"UPDATE fulfillment_order SET status = ?, updated_at = ?{reason}"
        f" WHERE id = ? AND status IN ({sources})"
    )


_FULFILLMENT_ORDER_SQL = (
    "SELECT id, order_id, location_id, status FROM fulfillment_order WHERE id = ?"
)
_LINE_COLUMNS = tuple(column.name for column in fo_line_table.c)
_OPEN_LINES_SQL = (
    f"SELECT {', '.join(_LINE_COLUMNS)} FROM fulfillment_order_line"
    " WHERE fulfillment_order_id = ? AND shipped_quantity < quantity"
    " ORDER BY position_id, id"
)
_SHIP_LINES_SQL = (
    "UPDATE fulfillment_order_line SET shipped_quantity = quantity WHERE fulfillment_order_id = ?"
)
