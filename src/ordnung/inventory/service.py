"""Inventory use cases: manual stock changes, stock and availability queries.

Manual changes follow conventions §5: each is one conditional UPDATE whose row count or
RETURNING says whether it happened, plus a ledger row in the same transaction (invariant 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.service import product_exists
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.errors import ConflictError, InsufficientStockError, NotFoundError
from ordnung.core.events import DomainEvent
from ordnung.core.idempotency import IdempotencyClaim, Outcome, StoredResponse
from ordnung.fulfillment.service import allocate_backorders
from ordnung.inventory.locations import location_id_for_code
from ordnung.inventory.model import (
    available,
    check_manual_change,
    check_reason,
    invalid,
)
from ordnung.inventory.stock import ADJUSTMENT, Movement, record_movements
from ordnung.inventory.tables import location_table as location
from ordnung.inventory.tables import stock_movement_table as movement
from ordnung.inventory.tables import stock_position_table as position

_POSITION_COLUMNS = (
    position.c.id,
    position.c.sku,
    location.c.code.label("location"),
    position.c.on_hand,
    position.c.reserved,
    position.c.safety_stock,
    position.c.updated_at,
)

Rows = Row[*tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class _Position:
    id: int
    sku: str
    location_code: str


def _require_product(connection: Connection, sku: str) -> None:
    if not product_exists(connection, sku):
        raise NotFoundError(f"No product with SKU '{sku}'; create it in the catalogue first.")


def _open_position(
    connection: Connection, sku: str, location_code: str, now: datetime
) -> _Position:
    """The position's id, created empty if this SKU was never stocked at this location."""
    _require_product(connection, sku)
    location_id = location_id_for_code(connection, location_code)
    insert = dialect_insert(connection)
    # Insert-or-nothing, then look up: two first receipts at once both end on the same row.
    connection.execute(
        insert(position)
        .values(sku=sku, location_id=location_id, updated_at=now)
        .on_conflict_do_nothing(index_elements=["sku", "location_id"])
    )
    position_id = connection.execute(
        select(position.c.id).where(position.c.sku == sku, position.c.location_id == location_id)
    ).scalar_one()
    return _Position(int(position_id), sku, location_code)


def _position_dict(row: Rows, sku: str, location_code: str) -> dict[str, Any]:
    return {
        "id": row.id,
        "sku": sku,
        "location": location_code,
        "on_hand": row.on_hand,
        "reserved": row.reserved,
        "safety_stock": row.safety_stock,
        "available": available(row.on_hand, row.reserved, row.safety_stock),
        "updated_at": row.updated_at,
    }


_RETURNED = (
    position.c.id,
    position.c.on_hand,
    position.c.reserved,
    position.c.safety_stock,
    position.c.updated_at,
)


def _below_reserved(connection: Connection, target: _Position, change: str) -> ConflictError:
    row = connection.execute(
        select(position.c.on_hand, position.c.reserved).where(position.c.id == target.id)
    ).one()
    if row.reserved == 0:
        return InsufficientStockError(
            f"Only {row.on_hand} units of {target.sku} are on hand at {target.location_code}; "
            f"{change} would go below zero.",
            on_hand=row.on_hand,
            reserved=0,
        )
    return InsufficientStockError(
        f"{row.reserved} units of {target.sku} are reserved for orders at "
        f"{target.location_code}; {change} would leave fewer on hand. "
        "Release or ship those reservations first.",
        on_hand=row.on_hand,
        reserved=row.reserved,
    )


def _set_on_hand(
    connection: Connection, target: _Position, on_hand: int, safety_stock: int | None, now: datetime
) -> tuple[int, Rows]:
    """Sets on_hand and returns (delta, new row) so the ledger row can carry the difference.

    The first UPDATE only touches `updated_at`: it takes the row lock (PostgreSQL; SQLite holds
    the database write lock already) and returns on_hand as last committed. A plain SELECT
    would not lock, so a shipment committing in between would make the booked delta wrong.
    """
    before = connection.execute(
        update(position)
        .where(position.c.id == target.id)
        .values(updated_at=now)
        .returning(position.c.on_hand)
    ).scalar_one()
    values: dict[str, Any] = {"on_hand": on_hand, "updated_at": now}
    if safety_stock is not None:
        values["safety_stock"] = safety_stock
    row = connection.execute(
        update(position)
        .where(position.c.id == target.id, position.c.reserved <= on_hand)
        .values(**values)
        .returning(*_RETURNED)
    ).first()
    if row is None:
        raise _below_reserved(connection, target, f"setting on hand to {on_hand}")
    return on_hand - before, row


def _book(
    uow: UnitOfWork, target: _Position, row: Rows, change: dict[str, Any], now: datetime
) -> Outcome:
    """Ledger row (unless on_hand did not move) and `stock.changed` event for a manual change;
    units that became available go to backordered orders at once."""
    if change["delta"]:
        record_movements(
            uow.connection,
            [Movement(target.id, change["kind"], change["delta"], 0, change["reason"])],
            actor=uow.actor,
            now=now,
        )
    if available(row.on_hand, row.reserved, row.safety_stock) > 0 and allocate_backorders(
        uow, target.sku
    ):
        row = uow.connection.execute(select(*_RETURNED).where(position.c.id == target.id)).one()
    body = _position_dict(row, target.sku, target.location_code)
    uow.record(
        DomainEvent("stock.changed", "stock_position", target.id, payload={**body, **change})
    )
    return Outcome(body, created=False)


def set_stock(
    db: Database,
    sku: str,
    location_code: str,
    *,
    on_hand: int,
    reason: str,
    safety_stock: int | None = None,
    actor: str = "system",
    claim: IdempotencyClaim | None = None,
) -> StoredResponse:
    """Books a stock count: on_hand becomes `on_hand` (409 if fewer than are reserved)."""
    if on_hand < 0:
        raise invalid("on_hand", "must not be negative")
    if safety_stock is not None and safety_stock < 0:
        raise invalid("safety_stock", "must not be negative")
    why = check_reason(reason)

    def work(uow: UnitOfWork) -> Outcome:
        now = clock.now()
        target = _open_position(uow.connection, sku, location_code, now)
        delta, row = _set_on_hand(uow.connection, target, on_hand, safety_stock, now)
        change = {"kind": ADJUSTMENT, "delta": delta, "reason": why}
        return _book(uow, target, row, change, now)

    return db.write_idempotent(work, claim=claim, actor=actor)


def adjust_stock(
    db: Database,
    sku: str,
    location_code: str,
    *,
    delta: int,
    reason: str,
    kind: str = ADJUSTMENT,
    actor: str = "system",
    claim: IdempotencyClaim | None = None,
) -> StoredResponse:
    """Adds or removes units (receipt, correction); 409 if it would cut into reservations."""
    check_manual_change(kind, delta)
    why = check_reason(reason)

    def work(uow: UnitOfWork) -> Outcome:
        now = clock.now()
        target = _open_position(uow.connection, sku, location_code, now)
        # The guard lives in the WHERE: concurrent reservations cannot slip in between.
        row = uow.connection.execute(
            update(position)
            .where(position.c.id == target.id, position.c.on_hand + delta >= position.c.reserved)
            .values(on_hand=position.c.on_hand + delta, updated_at=now)
            .returning(*_RETURNED)
        ).first()
        if row is None:
            raise _below_reserved(uow.connection, target, f"changing on hand by {delta}")
        change = {"kind": kind, "delta": delta, "reason": why}
        return _book(uow, target, row, change, now)

    return db.write_idempotent(work, claim=claim, actor=actor)


def _after(query: Select[Any], column: Any, after_id: int | None, limit: int) -> Select[Any]:
    query = query.order_by(column).limit(limit + 1)
    return query if after_id is None else query.where(column > after_id)


def _page(items: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    has_more = len(items) > limit
    page = items[:limit]
    return {"items": page, "next_after_id": page[-1]["id"] if has_more else None}


def list_stock(
    db: Database,
    *,
    sku: str | None = None,
    location_code: str | None = None,
    after_id: int | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """Stock positions by id, optionally of one SKU and/or one location."""
    query = select(*_POSITION_COLUMNS).join(location, location.c.id == position.c.location_id)
    if sku is not None:
        query = query.where(position.c.sku == sku)
    if location_code is not None:
        query = query.where(location.c.code == location_code)
    query = _after(query, position.c.id, after_id, limit)
    rows = db.read(lambda connection: connection.execute(query).all())
    return _page([_position_dict(row, row.sku, row.location) for row in rows], limit)


def availability(db: Database, sku: str) -> dict[str, Any]:
    """Available-to-promise of one SKU per location (in sourcing order) and in total."""

    def work(connection: Connection) -> list[Rows]:
        _require_product(connection, sku)
        query = (
            select(
                *_POSITION_COLUMNS,
                location.c.name,
                location.c.type,
                location.c.capabilities,
                location.c.priority,
            )
            .join(location, location.c.id == position.c.location_id)
            .where(position.c.sku == sku)
            .order_by(location.c.priority, location.c.code)
        )
        return list(connection.execute(query).all())

    locations = [
        {
            **_position_dict(row, sku, row.location),
            "location_name": row.name,
            "location_type": row.type,
            "capabilities": row.capabilities,
            "priority": row.priority,
        }
        for row in db.read(work)
    ]
    return {
        "sku": sku,
        "on_hand": sum(entry["on_hand"] for entry in locations),
        "reserved": sum(entry["reserved"] for entry in locations),
        "available": sum(entry["available"] for entry in locations),
        "locations": locations,
    }


def list_movements(
    db: Database, sku: str, location_code: str, *, after_id: int | None = None, limit: int = 50
) -> dict[str, Any]:
    """The ledger of one position, oldest first: running sums give the position's history."""

    def work(connection: Connection) -> list[Rows]:
        _require_product(connection, sku)
        location_id = location_id_for_code(connection, location_code)
        query = (
            select(movement)
            .join(position, position.c.id == movement.c.position_id)
            .where(position.c.sku == sku, position.c.location_id == location_id)
        )
        return list(connection.execute(_after(query, movement.c.id, after_id, limit)).all())

    items = [
        {
            "id": row.id,
            "kind": row.kind,
            "on_hand_delta": row.on_hand_delta,
            "reserved_delta": row.reserved_delta,
            "reason": row.reason,
            "order_id": row.order_id,
            "fulfillment_order_id": row.fulfillment_order_id,
            "actor": row.actor,
            "created_at": row.created_at,
        }
        for row in db.read(work)
    ]
    return _page(items, limit)
