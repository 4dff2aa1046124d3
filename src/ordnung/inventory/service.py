"""Inventory use cases: stock changes inside the caller's unit of work, stock and availability
queries.

Manual changes follow conventions §5: each is one conditional UPDATE whose row count or
RETURNING says whether it happened, plus a ledger row in the same transaction (invariant 3).
The business actions that book them — and then give new units to waiting orders — are in
`orchestration/stock_actions.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.service import non_stock_skus, product_exists
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.errors import (
    ConflictError,
    InsufficientStockError,
    NotFoundError,
    OrdnungError,
    ValidationError,
)
from ordnung.inventory.events import StockChanged
from ordnung.inventory.locations import location_id_for_code
from ordnung.inventory.model import (
    MAX_ON_HAND,
    available,
    check_manual_change,
    check_reason,
    invalid,
)
from ordnung.inventory.stock import ADJUSTMENT, Movement, lock_positions, record_movements
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
class StockPosition:
    """One SKU at one location: what is there, what orders hold, what can be promised."""

    id: int
    sku: str
    location: str
    on_hand: int
    reserved: int
    safety_stock: int
    available: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StockCount:
    """A count: on hand becomes `on_hand` (and the safety stock `safety_stock`, if given)."""

    on_hand: int
    reason: str
    safety_stock: int | None = None


@dataclass(frozen=True, slots=True)
class StockMove:
    """Units in (a receipt) or out (a correction), by hand."""

    delta: int
    reason: str
    kind: str = ADJUSTMENT


@dataclass(frozen=True, slots=True)
class StockChange:
    """What a count or a move did: the position right after it, and the change booked."""

    position: StockPosition
    kind: str
    delta: int
    reason: str


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
    """The position's id, created empty if this SKU was never stocked at this location; every
    position of the SKU is locked (stock.lock_positions) before anything changes. A
    non-stock product (a service, a digital good, made to order) has no stock to book:
    refused (422) before any row is written."""
    _require_product(connection, sku)
    if non_stock_skus(connection, [sku]):
        raise ValidationError(
            f"Product '{sku}' is non-stock (a service, a digital good or made to order): "
            "it has no stock to count, receive or book.",
            field="sku",
        )
    location_id = location_id_for_code(connection, location_code)
    insert = dialect_insert(connection)
    # Insert-or-nothing, then look up: two first receipts at once both end on the same row.
    connection.execute(
        insert(position)
        .values(sku=sku, location_id=location_id, updated_at=now)
        .on_conflict_do_nothing(index_elements=["sku", "location_id"])
    )
    lock_positions(connection, [sku])
    position_id = connection.execute(
        select(position.c.id).where(position.c.sku == sku, position.c.location_id == location_id)
    ).scalar_one()
    return _Position(int(position_id), sku, location_code)


def _stock_position(row: Rows, sku: str, location_code: str) -> StockPosition:
    return StockPosition(
        id=row.id,
        sku=sku,
        location=location_code,
        on_hand=row.on_hand,
        reserved=row.reserved,
        safety_stock=row.safety_stock,
        available=available(row.on_hand, row.reserved, row.safety_stock),
        updated_at=row.updated_at,
    )


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


def _refused_move(connection: Connection, target: _Position, delta: int) -> OrdnungError:
    """Why the guarded update of a move matched no row: too many units, or too few."""
    on_hand = connection.execute(
        select(position.c.on_hand).where(position.c.id == target.id)
    ).scalar_one()
    if on_hand + delta > MAX_ON_HAND:
        return invalid(
            "delta",
            f"{target.sku} at {target.location_code} has {on_hand} units on hand; a position "
            f"holds at most {MAX_ON_HAND}.",
        )
    return _below_reserved(connection, target, f"changing on hand by {delta}")


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
    connection: Connection, target: _Position, count: StockCount, now: datetime
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
    values: dict[str, Any] = {"on_hand": count.on_hand, "updated_at": now}
    if count.safety_stock is not None:
        values["safety_stock"] = count.safety_stock
    row = connection.execute(
        update(position)
        .where(position.c.id == target.id, position.c.reserved <= count.on_hand)
        .values(**values)
        .returning(*_RETURNED)
    ).first()
    if row is None:
        raise _below_reserved(connection, target, f"setting on hand to {count.on_hand}")
    return count.on_hand - before, row


def _book(
    uow: UnitOfWork, target: _Position, row: Rows, booked: StockMove, now: datetime
) -> StockChange:
    """The ledger row of a manual change (unless on_hand did not move)."""
    if booked.delta:
        record_movements(
            uow.connection,
            [Movement(target.id, booked.kind, booked.delta, 0, booked.reason)],
            actor=uow.actor,
            now=now,
        )
    stock = _stock_position(row, target.sku, target.location_code)
    return StockChange(stock, booked.kind, booked.delta, booked.reason)


def count_stock(uow: UnitOfWork, sku: str, location_code: str, count: StockCount) -> StockChange:
    """Books a stock count: on_hand becomes the count (409 if fewer than are reserved)."""
    if count.on_hand < 0:
        raise invalid("on_hand", "must not be negative")
    if count.safety_stock is not None and count.safety_stock < 0:
        raise invalid("safety_stock", "must not be negative")
    why = check_reason(count.reason)
    now = clock.now()
    target = _open_position(uow.connection, sku, location_code, now)
    delta, row = _set_on_hand(uow.connection, target, count, now)
    return _book(uow, target, row, StockMove(delta, why, ADJUSTMENT), now)


def move_stock(uow: UnitOfWork, sku: str, location_code: str, move: StockMove) -> StockChange:
    """Adds or removes units (receipt, correction); 409 if it would cut into reservations."""
    check_manual_change(move.kind, move.delta)
    why = check_reason(move.reason)
    now = clock.now()
    target = _open_position(uow.connection, sku, location_code, now)
    # The guard lives in the WHERE: concurrent reservations cannot slip in between.
    row = uow.connection.execute(
        update(position)
        .where(
            position.c.id == target.id,
            position.c.on_hand + move.delta >= position.c.reserved,
            position.c.on_hand + move.delta <= MAX_ON_HAND,
        )
        .values(on_hand=position.c.on_hand + move.delta, updated_at=now)
        .returning(*_RETURNED)
    ).first()
    if row is None:
        raise _refused_move(uow.connection, target, move.delta)
    return _book(uow, target, row, StockMove(move.delta, why, move.kind), now)


def announce_stock_change(uow: UnitOfWork, change: StockChange) -> StockPosition:
    """The position as the change leaves it (after whatever else the transaction did with the
    new units), recorded as a `stock.changed` event."""
    stock = change.position
    row = uow.connection.execute(select(*_RETURNED).where(position.c.id == stock.id)).one()
    now_stock = _stock_position(row, stock.sku, stock.location)
    event = StockChanged(
        **{name: getattr(now_stock, name) for name in StockPosition.__dataclass_fields__},
        kind=change.kind,
        delta=change.delta,
        reason=change.reason,
    )
    uow.record(event, aggregate_id=stock.id)
    return now_stock


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
            "cause": row.cause,
            "order_id": row.order_id,
            "fulfillment_order_id": row.fulfillment_order_id,
            "actor": row.actor,
            "created_at": row.created_at,
        }
        for row in db.read(work)
    ]
    return _page(items, limit)


def find_position(db: Database, sku: str, location_code: str) -> StockPosition | None:
    """The position of a SKU at a location, None if it was never stocked there; 404 for an
    unknown product or location. Inactive products have positions too: what is on the shelf
    is counted and written off whether or not it is still sold."""

    def work(connection: Connection) -> StockPosition | None:
        _require_product(connection, sku)
        location_id = location_id_for_code(connection, location_code)
        row = connection.execute(
            select(*_RETURNED).where(position.c.sku == sku, position.c.location_id == location_id)
        ).first()
        return None if row is None else _stock_position(row, sku, location_code)

    return db.read(work)
