"""Reading transfers: the list, one transfer with its lines, and the units in transit per SKU
and destination (for availability and the position page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.engine import Connection

from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError
from ordnung.inventory.operations import IN_TRANSIT
from ordnung.inventory.operations_tables import stock_transfer_line_table as transfer_line
from ordnung.inventory.operations_tables import stock_transfer_table as transfer
from ordnung.inventory.tables import location_table as location

Rows = Row[*tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class InTransit:
    sku: str
    to_location_id: int
    quantity: int
    shipped_at: datetime


def in_transit(
    connection: Connection, skus: list[str] | set[str] | tuple[str, ...]
) -> list[InTransit]:
    """Units on the way per SKU and destination, for availability: (sku, to_location_id,
    quantity, shipped_at), one row per open transfer line, oldest first."""
    if not skus:
        return []
    left = transfer_line.c.quantity - transfer_line.c.received_quantity
    rows = connection.execute(
        select(
            transfer_line.c.sku,
            transfer.c.to_location_id,
            left.label("left"),
            transfer.c.shipped_at,
        )
        .join(transfer, transfer.c.id == transfer_line.c.transfer_id)
        .where(
            transfer.c.status == IN_TRANSIT, transfer_line.c.sku.in_(sorted(set(skus))), left > 0
        )
        .order_by(transfer.c.shipped_at, transfer.c.id, transfer_line.c.sku)
    )
    return [InTransit(row.sku, row.to_location_id, int(row.left), row.shipped_at) for row in rows]


def units_on_the_way(db: Database, sku: str, to_location_id: int) -> int:
    """Units of a SKU in transit to one location (the position page shows them)."""
    rows = db.read(lambda connection: in_transit(connection, [sku]))
    return sum(row.quantity for row in rows if row.to_location_id == to_location_id)


def transfer_id_for_number(db: Database, number: str) -> int:
    found = db.read(
        lambda c: c.execute(select(transfer.c.id).where(transfer.c.number == number)).scalar()
    )
    if found is None:
        raise NotFoundError(f"No transfer {number}.")
    return int(found)


def _summary_query() -> Any:
    source = location.alias("source")
    destination = location.alias("destination")
    units = (
        select(
            transfer_line.c.transfer_id,
            func.sum(transfer_line.c.quantity).label("units"),
            func.sum(transfer_line.c.received_quantity).label("received_units"),
            func.count().label("line_count"),
        )
        .group_by(transfer_line.c.transfer_id)
        .subquery()
    )
    return (
        select(
            transfer,
            source.c.code.label("from_location"),
            source.c.name.label("from_location_name"),
            destination.c.code.label("to_location"),
            destination.c.name.label("to_location_name"),
            units.c.units,
            units.c.received_units,
            units.c.line_count,
        )
        .join(source, source.c.id == transfer.c.from_location_id)
        .join(destination, destination.c.id == transfer.c.to_location_id)
        .join(units, units.c.transfer_id == transfer.c.id)
    )


def _summary(row: Rows) -> dict[str, Any]:
    return {
        "id": row.id,
        "number": row.number,
        "status": row.status,
        "from_location": row.from_location,
        "from_location_name": row.from_location_name,
        "to_location": row.to_location,
        "to_location_name": row.to_location_name,
        "cause": row.cause,
        "note": row.note,
        "created_by": row.created_by,
        "shipped_at": row.shipped_at,
        "received_at": row.received_at,
        "cancelled_at": row.cancelled_at,
        "version": row.version,
        "units": int(row.units),
        "received_units": int(row.received_units),
        "in_transit_units": 0 if row.status != IN_TRANSIT else int(row.units - row.received_units),
        "line_count": int(row.line_count),
    }


def list_transfers(
    db: Database,
    *,
    status: str | None = None,
    location_code: str | None = None,
    after_id: int | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """Transfers newest first, optionally by status or by a location they leave or reach."""
    query = _summary_query()
    if status is not None:
        query = query.where(transfer.c.status == status)
    if location_code is not None:
        query = query.where(
            (query.selected_columns.from_location == location_code)
            | (query.selected_columns.to_location == location_code)
        )
    if after_id is not None:
        query = query.where(transfer.c.id < after_id)
    rows = db.read(lambda c: list(c.execute(query.order_by(transfer.c.id.desc()).limit(limit + 1))))
    items = [_summary(row) for row in rows[:limit]]
    return {"items": items, "next_after_id": items[-1]["id"] if len(rows) > limit else None}


def get_transfer(db: Database, transfer_id: int) -> dict[str, Any]:
    """A transfer with its lines: sent, received and still on the way."""
    return db.read(lambda connection: read_transfer(connection, transfer_id))


def read_transfer(connection: Connection, transfer_id: int) -> dict[str, Any]:
    """As `get_transfer`, inside the caller's transaction (the answer to a write)."""
    row = connection.execute(_summary_query().where(transfer.c.id == transfer_id)).first()
    if row is None:
        raise NotFoundError(f"No transfer with id {transfer_id}.")
    lines = connection.execute(
        select(transfer_line)
        .where(transfer_line.c.transfer_id == transfer_id)
        .order_by(transfer_line.c.id)
    )
    is_open = row.status == IN_TRANSIT
    return {
        **_summary(row),
        "lines": [
            {
                "sku": line.sku,
                "quantity": line.quantity,
                "received_quantity": line.received_quantity,
                "in_transit": line.quantity - line.received_quantity if is_open else 0,
            }
            for line in lines
        ],
    }
