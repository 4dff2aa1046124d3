"""Read side of fulfilment: the work list of a location and one fulfilment order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError, ValidationError
from ordnung.fulfillment.model import FULFILLMENT_STATUSES
from ordnung.fulfillment.queue import contact_of
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line_table
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table
from ordnung.fulfillment.tables import shipment_table
from ordnung.inventory.tables import location_table


def summary_query() -> Any:
    return select(
        fo_table.c.id,
        fo_table.c.order_id,
        fo_table.c.location_id,
        fo_table.c.status,
        fo_table.c.reject_reason,
        fo_table.c.created_at,
        fo_table.c.updated_at,
        location_table.c.code.label("location_code"),
        location_table.c.name.label("location_name"),
        fo_table.c.order_number,
        fo_table.c.shipping_method,
        fo_table.c.service_level,
        fo_table.c.priority,
        fo_table.c.promised_ship_on,
        fo_table.c.gift_note,
    ).join(location_table, location_table.c.id == fo_table.c.location_id)


def summary_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "order_id": row.order_id,
        "order_number": row.order_number,
        "location": {"code": row.location_code, "name": row.location_name},
        "status": row.status,
        "reject_reason": row.reject_reason,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "shipping_method": row.shipping_method,
        "service_level": row.service_level,
        "priority": row.priority,
        "promised_ship_on": _iso_date(row.promised_ship_on),
        "has_gift_note": bool(row.gift_note),
    }


def _iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def list_fulfillment_orders(
    db: Database,
    *,
    location_code: str | None,
    status: str | None,
    cursor: str | None,
    limit: int,
    only_location_id: int | None = None,
) -> dict[str, Any]:
    """Newest first. `only_location_id` confines the list to one location's work (a
    location-bound API key), whatever else the filters say."""
    if status is not None and status not in FULFILLMENT_STATUSES:
        raise ValidationError(f"Unknown status {status!r}.", field="status")
    if cursor and not cursor.isdigit():
        raise ValidationError("The cursor is not valid; use the one a list gave.", field="cursor")
    query = summary_query()
    if location_code:
        query = query.where(location_table.c.code == location_code)
    if status:
        query = query.where(fo_table.c.status == status)
    if only_location_id is not None:
        query = query.where(fo_table.c.location_id == only_location_id)
    if cursor:
        query = query.where(fo_table.c.id < int(cursor))
    query = query.order_by(fo_table.c.id.desc()).limit(limit + 1)
    rows = db.read(lambda connection: connection.execute(query).all())
    items = [summary_dict(row) for row in rows[:limit]]
    return {"items": items, "next_cursor": str(items[-1]["id"]) if len(rows) > limit else None}


def fulfillment_order_in(
    connection: Connection, fo_id: int, *, only_location_id: int | None = None
) -> dict[str, Any]:
    """One fulfilment order with its lines, read inside the caller's transaction."""
    query = summary_query().add_columns(fo_table.c.ship_to, fo_table.c.contact_email)
    row = connection.execute(query.where(fo_table.c.id == fo_id)).first()
    # Another location's work answers as if it did not exist (design.md §8).
    if row is None or only_location_id not in (None, row.location_id):
        raise NotFoundError(f"Fulfilment order {fo_id} does not exist.")
    lines = connection.execute(
        select(fo_line_table)
        .where(fo_line_table.c.fulfillment_order_id == fo_id)
        .order_by(fo_line_table.c.id)
    ).mappings()
    detail = summary_dict(row)
    detail["ship_to"] = row.ship_to
    detail["contact"] = contact_of(row.ship_to, row.contact_email)
    detail["gift_note"] = row.gift_note
    detail["lines"] = [
        {
            "id": line["id"],
            "order_line_id": line["order_line_id"],
            "sku": line["sku"],
            "name": line["name"],
            "gtin": line["gtin"],
            "weight_grams": line["weight_grams"],
            "quantity": line["quantity"],
            "shipped_quantity": line["shipped_quantity"],
        }
        for line in lines
    ]
    return detail


def location_id_of(connection: Connection, fo_id: int) -> int | None:
    """The location a fulfilment order was released to (it never changes)."""
    found = connection.execute(
        select(fo_table.c.location_id).where(fo_table.c.id == fo_id)
    ).scalar()
    return None if found is None else int(found)


def last_tracking(connection: Connection, fo_id: int) -> tuple[str, str] | None:
    """Carrier and tracking number of the fulfilment order's latest shipment, if any."""
    row = connection.execute(
        select(shipment_table.c.carrier, shipment_table.c.tracking_number)
        .where(shipment_table.c.fulfillment_order_id == fo_id)
        .order_by(shipment_table.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (str(row.carrier), str(row.tracking_number))


def get_fulfillment_order(
    db: Database, fo_id: int, *, only_location_id: int | None = None
) -> dict[str, Any]:
    return db.read(
        lambda connection: fulfillment_order_in(
            connection, fo_id, only_location_id=only_location_id
        )
    )


def check_location_access(db: Database, fo_id: int, only_location_id: int | None) -> None:
    """A location-bound key may only act on its own location's fulfilment orders; others
    answer 404 (design.md §8). The location of a fulfilment order never changes, so checking
    before the action's own transaction leaves no gap."""
    if only_location_id is not None:
        get_fulfillment_order(db, fo_id, only_location_id=only_location_id)


def location_access_check(
    fo_id: int, only_location_id: int | None
) -> Callable[[Connection], None] | None:
    """`check_location_access` as a step of a batched write (`core/db.py` `WriteJob.check`),
    or None for a key bound to no location."""
    if only_location_id is None:
        return None

    def check(connection: Connection) -> None:
        fulfillment_order_in(connection, fo_id, only_location_id=only_location_id)

    return check
