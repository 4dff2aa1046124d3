"""Stock changes inside a unit of work: conditional updates and their ledger rows.

Stock is never read, changed in Python and written back (conventions §5). Each function here is
one conditional `UPDATE` whose row count says whether it happened, plus one ledger row per
change, so the ledger sums always equal the positions (invariant 3). Callers that touch several
positions do so in ascending position id order, so concurrent transactions cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ordnung.core.driver import driver_of
from ordnung.inventory.tables import stock_movement_table as movement
from ordnung.inventory.tables import stock_position_table as position

# Ledger kinds (design.md §4).
RECEIPT = "receipt"
ADJUSTMENT = "adjustment"
RESERVATION = "reservation"
RELEASE = "release"
SHIPMENT = "shipment"
RETURN = "return"
TRANSFER = "transfer"
# A location found reserved units missing while picking: on hand and reserved both drop.
SHORT_PICK = "short_pick"
# Stock operations (inventory/operations.py holds their causes and rules).
TRANSFER_OUT = "transfer_out"
TRANSFER_IN = "transfer_in"
COUNT = "count"
WRITE_OFF = "write_off"


@dataclass(frozen=True, slots=True)
class Movement:
    position_id: int
    kind: str
    on_hand_delta: int
    reserved_delta: int
    reason: str = ""
    order_id: int | None = None
    fulfillment_order_id: int | None = None
    actor: str | None = None  # who caused it, when not the caller of record_movements
    cause: str = ""  # from the kind's fixed list (operations.CAUSES); empty for order flow


def record_movements(
    connection: Connection, movements: list[Movement], *, actor: str, now: datetime
) -> None:
    """Appends ledger rows; call it in the same transaction as the position updates."""
    if not movements:
        return
    driver_of(connection).append(
        movement,
        [
            {
                "position_id": m.position_id,
                "kind": m.kind,
                "on_hand_delta": m.on_hand_delta,
                "reserved_delta": m.reserved_delta,
                "reason": m.reason,
                "cause": m.cause,
                "order_id": m.order_id,
                "fulfillment_order_id": m.fulfillment_order_id,
                "actor": m.actor or actor,
                "created_at": now,
            }
            for m in movements
        ],
    )


@dataclass(slots=True)  # not frozen: built per order on the intake hot path
class AvailableStock:
    """A position with units to give, and what sourcing needs to know of its location."""

    position_id: int
    location_id: int
    sku: str
    available: int
    priority: int
    capabilities: frozenset[str]


def lock_positions(connection: Connection, skus: Collection[str]) -> None:
    """Locks every position of these SKUs, in id order (PostgreSQL; SQLite's write
    transaction already holds the database).

    The lock order of the whole system (README, Architecture): an order, then its fulfilment
    orders, then stock positions in id order. A transaction that will release and reserve
    units of some SKUs — a cancellation, a rejection, a stock count — takes all their
    positions at once, before it changes any, so that it never waits for a lower id while
    holding a higher one."""
    if not skus or connection.dialect.name != "postgresql":
        return
    connection.execute(
        select(position.c.id)
        .where(position.c.sku.in_(sorted(skus)))
        .order_by(position.c.id)
        .with_for_update()
    ).all()


def available_stock(
    connection: Connection, skus: Collection[str], *, lock: bool = True
) -> list[AvailableStock]:
    """The positions of these SKUs that have units to give, locked in id order (unless
    `lock` is False: a look only), with their location's priority and capabilities."""
    if not skus:
        return []
    driver = driver_of(connection)
    source, parameters = driver.row_source([(sku,) for sku in sorted(skus)], ("text",))
    sql = _AVAILABLE.format(skus=source)
    # Row locks on PostgreSQL; SQLite's BEGIN IMMEDIATE has already excluded other writers.
    is_locking = lock and driver.is_postgresql
    rows = driver.fetch_all(sql + (" FOR UPDATE OF p" if is_locking else ""), parameters)
    return [
        AvailableStock(
            position_id,
            location_id,
            sku,
            available,
            priority,
            frozenset(driver.json_result(capabilities)),
        )
        for position_id, location_id, sku, available, priority, capabilities in rows
    ]


def stock_figures(
    connection: Connection, skus: Collection[str]
) -> list[tuple[str, int, int, int, int]]:
    """(sku, location_id, on_hand, reserved, safety_stock) of every position of these SKUs,
    without locking: a look for availability answers, which read a thousand positions per
    request (10 SKUs × 100 locations) and so go through the driver."""
    if not skus:
        return []
    driver = driver_of(connection)
    source, parameters = driver.row_source([(sku,) for sku in sorted(skus)], ("text",))
    rows = driver.fetch_all(_FIGURES.format(skus=source), parameters)
    # Both drivers answer text and integer columns as str and int already: no copy per row.
    return cast(list[tuple[str, int, int, int, int]], rows)


_FIGURES = (
    "SELECT sku, location_id, on_hand, reserved, safety_stock FROM stock_position"
    " WHERE sku IN ({skus})"
)


# Positions that have something to give, in id order: every transaction that reserves locks
# them in the same order, so concurrent reservations queue instead of deadlocking.
_AVAILABLE = (
    "SELECT p.id, p.location_id, p.sku, p.on_hand - p.reserved - p.safety_stock,"
    " l.priority, l.capabilities"
    " FROM stock_position p JOIN location l ON l.id = p.location_id"
    " WHERE p.sku IN ({skus}) AND p.on_hand - p.reserved - p.safety_stock > 0"
    " ORDER BY p.id"
)


def try_reserve(connection: Connection, position_id: int, quantity: int, now: datetime) -> bool:
    """Reserves `quantity` units if that many are available; never oversells."""
    return reserve_all(connection, {position_id: quantity}, now)


def reserve_all(connection: Connection, quantities: Mapping[int, int], now: datetime) -> bool:
    """Reserves units at several positions (position id → units), each with one conditional
    update, in ascending id order. True only if every position had enough; otherwise some may
    have been reserved and the caller must roll its transaction back."""
    if not quantities:
        return True
    driver = driver_of(connection)
    parameters = [
        (quantity, driver.timestamp(now), position_id, quantity)
        for position_id, quantity in sorted(quantities.items())
    ]
    return driver.execute_many(_RESERVE_SQL, parameters) == len(parameters)


# The guard against oversell (invariant 2): the row changes only if enough is available, in
# the same statement that reads it, so no concurrent transaction can slip in between.
_RESERVE_SQL = (
    "UPDATE stock_position SET reserved = reserved + ?, updated_at = ?"
    " WHERE id = ? AND on_hand - reserved - safety_stock >= ?"
)


def release(connection: Connection, position_id: int, quantity: int, now: datetime) -> None:
    """Gives reserved units back to available stock."""
    result = connection.execute(
        update(position)
        .where(position.c.id == position_id, position.c.reserved >= quantity)
        .values(reserved=position.c.reserved - quantity, updated_at=now)
    )
    if result.rowcount != 1:
        raise RuntimeError(f"position {position_id} holds fewer than {quantity} reserved units")


def ship_out(connection: Connection, position_id: int, quantity: int, now: datetime) -> None:
    """Reserved units leave the building: on_hand and reserved both drop."""
    result = connection.execute(
        update(position)
        .where(position.c.id == position_id, position.c.reserved >= quantity)
        .values(
            on_hand=position.c.on_hand - quantity,
            reserved=position.c.reserved - quantity,
            updated_at=now,
        )
    )
    if result.rowcount != 1:
        raise RuntimeError(f"position {position_id} holds fewer than {quantity} reserved units")


def ship_out_all(connection: Connection, quantities: Mapping[int, int], now: datetime) -> None:
    """`ship_out` for several positions (position id → units) in one round trip through the
    driver, in ascending id order (the lock order): the hot path of shipping."""
    if not quantities:
        return
    driver = driver_of(connection)
    stamp = driver.timestamp(now)
    parameters = [
        (quantity, quantity, stamp, position_id, quantity)
        for position_id, quantity in sorted(quantities.items())
    ]
    if driver.execute_many(_SHIP_OUT_SQL, parameters) != len(parameters):
        raise RuntimeError(f"positions {sorted(quantities)} hold fewer units than shipped")


_SHIP_OUT_SQL = (
    "UPDATE stock_position SET on_hand = on_hand - ?, reserved = reserved - ?, updated_at = ?"
    " WHERE id = ? AND reserved >= ?"
)


def apply_counts(
    connection: Connection, changes: Sequence[tuple[int, int, int]], now: datetime
) -> bool:
    """Counted differences from a stock import: (position id, on hand as read under the lock,
    difference), each a compare-and-set on that figure that also keeps on hand at or above
    reserved. True only if every position changed; otherwise the caller rolls back."""
    if not changes:
        return True
    driver = driver_of(connection)
    parameters = [
        (difference, driver.timestamp(now), position_id, on_hand_read, difference)
        for position_id, on_hand_read, difference in sorted(changes, key=lambda change: change[0])
    ]
    return driver.execute_many(_COUNT_SQL, parameters) == len(parameters)


_COUNT_SQL = (
    "UPDATE stock_position SET on_hand = on_hand + ?, updated_at = ?"
    " WHERE id = ? AND on_hand = ? AND on_hand + ? >= reserved"
)
