"""Reading returned parcels: a location's list (its queue's "returned to sender" part), one
parcel with its lines, and what the order page and order list show of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError, ValidationError
from ordnung.fulfillment import returned_parcel_model as rules
from ordnung.fulfillment.tables import returned_parcel_line_table as parcel_line
from ordnung.fulfillment.tables import returned_parcel_table as parcel
from ordnung.inventory.locations import location_id_for_code

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ParcelFilter:
    status: str | None = rules.WAITING
    reason: str | None = None


def list_returned_parcels(
    db: Database,
    location_code: str,
    filters: ParcelFilter,
    *,
    after_id: int | None,
    limit: int,
    only_location_id: int | None = None,
) -> dict[str, Any]:
    """The location's returned parcels, oldest first (waiting work is done in the order it
    arrived); filterable by status and reason. Another location's caller gets 404."""
    if filters.status not in (None, *rules.PARCEL_STATUSES):
        raise ValidationError("status must be waiting or processed.", field="status")
    if filters.reason not in (None, *rules.REASONS):
        raise ValidationError(f"reason must be one of {', '.join(rules.REASONS)}.", field="reason")

    def read(connection: Connection) -> dict[str, Any]:
        location_id = location_id_for_code(connection, location_code)
        if only_location_id not in (None, location_id):
            raise NotFoundError(f"No location with code '{location_code}'.")
        query = select(parcel).where(parcel.c.location_id == location_id)
        if filters.status is not None:
            query = query.where(parcel.c.status == filters.status)
        if filters.reason is not None:
            query = query.where(parcel.c.reason == filters.reason)
        if after_id is not None:
            query = query.where(parcel.c.id > after_id)
        rows = connection.execute(query.order_by(parcel.c.id).limit(limit + 1)).mappings().all()
        items = [_with_lines(connection, dict(row)) for row in rows[:limit]]
        next_id = items[-1]["id"] if len(rows) > limit else None
        return {"items": items, "next_after_id": next_id}

    return db.read(read)


def get_returned_parcel(
    db: Database, parcel_id: int, *, only_location_id: int | None = None
) -> dict[str, Any]:
    def read(connection: Connection) -> dict[str, Any]:
        row = connection.execute(select(parcel).where(parcel.c.id == parcel_id)).mappings().first()
        if row is None or only_location_id not in (None, row["location_id"]):
            raise NotFoundError(f"Returned parcel {parcel_id} does not exist.")
        return _with_lines(connection, dict(row))

    return db.read(read)


def returned_parcels_of_order(db: Database, order_id: int) -> list[dict[str, Any]]:
    """The order page's "returned to sender" box: every parcel of the order with its lines."""

    def read(connection: Connection) -> list[dict[str, Any]]:
        rows = connection.execute(
            select(parcel).where(parcel.c.order_id == order_id).order_by(parcel.c.id)
        ).mappings()
        return [_with_lines(connection, dict(row)) for row in rows.all()]

    return db.read(read)


def order_ids_with_returned_parcels(db: Database, order_ids: Sequence[int]) -> set[int]:
    """The orders of a list page with a parcel that came back (their badge: an agent
    decides whether to ship again or refund)."""
    if not order_ids:
        return set()

    def read(connection: Connection) -> set[int]:
        found = connection.execute(
            select(parcel.c.order_id).where(parcel.c.order_id.in_(list(order_ids))).distinct()
        ).scalars()
        return {int(value) for value in found}

    return db.read(read)


def _with_lines(connection: Connection, row: Row) -> Row:
    lines = connection.execute(
        select(
            parcel_line.c.id,
            parcel_line.c.shipment_line_id,
            parcel_line.c.sku,
            parcel_line.c.name,
            parcel_line.c.units,
            parcel_line.c.restocked,
            parcel_line.c.written_off,
        )
        .where(parcel_line.c.returned_parcel_id == row["id"])
        .order_by(parcel_line.c.id)
    ).mappings()
    return {
        "id": row["id"],
        "shipment_id": row["shipment_id"],
        "fulfillment_order_id": row["fulfillment_order_id"],
        "order_id": row["order_id"],
        "order_number": row["order_number"],
        "location_id": row["location_id"],
        "tracking_number": row["tracking_number"],
        "reason": row["reason"],
        "note": row["note"],
        "status": row["status"],
        "recorded_by": row["recorded_by"],
        "recorded_at": row["recorded_at"].isoformat(),
        "processed_by": row["processed_by"],
        "processed_at": None if row["processed_at"] is None else row["processed_at"].isoformat(),
        # Plain str keys: orjson refuses the column names' str subclass as dict keys.
        "lines": [{str(key): value for key, value in line.items()} for line in lines.all()],
    }
