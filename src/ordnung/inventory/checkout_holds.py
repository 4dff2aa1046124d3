"""Checkout holds inside a unit of work: placing, converting, ending; the only writer of the
`checkout_hold` tables (rules in `checkout_hold_model.py`).

A hold's units are reserved at their positions like an order's (one conditional update per
position, `stock.reserve_all`) with a `checkout_hold` ledger row each; ending a hold writes a
`checkout_release` row per position, so the ledger sums equal the positions (invariant 3).
When an order takes held units, the order's own `reservation` rows follow from its fulfilment
orders: the position does not move, the ledger shows the units changing hands.

Lock order: hold rows first (by id), then stock positions (by id) — every path here keeps it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from ordnung.core.db import UnitOfWork, insert_returning_ids, insert_rows
from ordnung.core.errors import NotFoundError
from ordnung.inventory import stock
from ordnung.inventory.checkout_hold_model import (
    ACTIVE,
    CONVERTED,
    CheckoutHoldConverted,
    CheckoutHoldExpired,
    CheckoutHoldPlaced,
    CheckoutHoldReleased,
    HeldUnit,
    TakenUnit,
    allowed_sources,
    check_transition,
)
from ordnung.inventory.tables import checkout_hold_line_table as hold_line
from ordnung.inventory.tables import checkout_hold_table as hold
from ordnung.inventory.tables import location_table as location

# Ledger kinds of checkout holds (design.md §4 lists the order flow's).
CHECKOUT_HOLD = "checkout_hold"
CHECKOUT_RELEASE = "checkout_release"


class HoldStockChangedError(RuntimeError):
    """A locked position changed between planning and reserving: a bug, never business."""


@dataclass(frozen=True, slots=True)
class ActiveHold:
    """A hold that can still be converted, as intake needs it."""

    id: int
    created_by: str
    units: list[HeldUnit]


def place_hold(
    uow: UnitOfWork,
    units: Sequence[HeldUnit],
    *,
    location_id: int | None,
    ttl_seconds: int,
    now: datetime,
) -> int:
    """Reserves the planned units (planned on positions the caller locked) and stores the hold."""
    quantities: dict[int, int] = defaultdict(int)
    for unit in units:
        quantities[unit.position_id] += unit.quantity
    if not stock.reserve_all(uow.connection, quantities, now):
        raise HoldStockChangedError("A locked stock position changed before it was held.")
    expires_at = now + timedelta(seconds=ttl_seconds)
    [hold_id] = insert_returning_ids(
        uow.connection,
        hold,
        [
            {
                "status": ACTIVE,
                "location_id": location_id,
                "created_by": uow.actor,
                "expires_at": expires_at,
                "created_at": now,
            }
        ],
    )
    insert_rows(
        uow.connection,
        hold_line,
        [
            {
                "hold_id": hold_id,
                "sku": u.sku,
                "position_id": u.position_id,
                "location_id": u.location_id,
                "quantity": u.quantity,
            }
            for u in units
        ],
    )
    stock.record_movements(
        uow.connection,
        [
            stock.Movement(u.position_id, CHECKOUT_HOLD, 0, u.quantity, f"hold {hold_id}")
            for u in units
        ],
        actor=uow.actor,
        now=now,
    )
    lines = [{"sku": u.sku, "quantity": u.quantity, "location_id": u.location_id} for u in units]
    uow.record(CheckoutHoldPlaced(hold_id, lines, expires_at), aggregate_id=hold_id)
    return hold_id


def lock_active_holds(
    connection: Connection, hold_ids: Collection[int], now: datetime
) -> dict[int, ActiveHold]:
    """The holds among these that are active and not yet past their time, locked (by id), with
    their units. Two statements for a whole intake batch."""
    if not hold_ids:
        return {}
    query = (
        select(hold.c.id, hold.c.created_by)
        .where(hold.c.id.in_(sorted(hold_ids)), hold.c.status == ACTIVE, hold.c.expires_at > now)
        .order_by(hold.c.id)
    )
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    owners = {int(row.id): str(row.created_by) for row in connection.execute(query)}
    units = _units_of(connection, owners)
    return {
        hold_id: ActiveHold(hold_id, owner, units[hold_id]) for hold_id, owner in owners.items()
    }


def _units_of(connection: Connection, hold_ids: Collection[int]) -> dict[int, list[HeldUnit]]:
    units: dict[int, list[HeldUnit]] = defaultdict(list)
    if not hold_ids:
        return units
    rows = connection.execute(
        select(hold_line)
        .where(hold_line.c.hold_id.in_(sorted(hold_ids)))
        .order_by(hold_line.c.hold_id, hold_line.c.id)
    )
    for row in rows:
        units[int(row.hold_id)].append(
            HeldUnit(row.position_id, row.location_id, row.sku, row.quantity)
        )
    return units


@dataclass(frozen=True, slots=True)
class Conversion:
    """A hold an order takes: the units it took (its allocation now) and the rest."""

    hold_id: int
    order_id: int
    taken: list[TakenUnit]
    leftover: list[HeldUnit]


def convert_holds(uow: UnitOfWork, conversions: Sequence[Conversion], now: datetime) -> None:
    """Marks locked, active holds converted. The taken units stay reserved (the order's
    fulfilment orders book them as `reservation`); the leftover goes back to free stock."""
    if not conversions:
        return
    changed = uow.connection.execute(
        update(hold)
        .where(hold.c.id == bindparam("h"), hold.c.status.in_(allowed_sources(CONVERTED)))
        .values(status=CONVERTED, order_id=bindparam("o"), ended_at=now),
        [{"h": c.hold_id, "o": c.order_id} for c in conversions],
    )
    if changed.rowcount != len(conversions):
        raise HoldStockChangedError("A locked checkout hold changed before it was converted.")
    movements = []
    for c in conversions:
        for t in c.taken:
            movements.append(_release_row(t.unit, c.hold_id, c.order_id))
        movements += [_release_row(u, c.hold_id, c.order_id) for u in c.leftover]
    _give_back(uow.connection, [u for c in conversions for u in c.leftover], now)
    stock.record_movements(uow.connection, movements, actor=uow.actor, now=now)
    for c in conversions:
        taken = sum(t.unit.quantity for t in c.taken)
        given_back = sum(u.quantity for u in c.leftover)
        uow.record(
            CheckoutHoldConverted(c.hold_id, c.order_id, taken, given_back),
            aggregate_id=c.hold_id,
            order_id=c.order_id,
        )


def _release_row(unit: HeldUnit, hold_id: int, order_id: int | None = None) -> stock.Movement:
    return stock.Movement(
        unit.position_id, CHECKOUT_RELEASE, 0, -unit.quantity, f"hold {hold_id}", order_id
    )


def _give_back(connection: Connection, units: Sequence[HeldUnit], now: datetime) -> None:
    for unit in sorted(units, key=lambda u: u.position_id):
        stock.release(connection, unit.position_id, unit.quantity, now)


def find_hold(connection: Connection, hold_id: int, actor: str, *, lock: bool) -> dict[str, Any]:
    """One hold of this caller (another caller's answers 404, as if it did not exist)."""
    query = select(hold).where(hold.c.id == hold_id, hold.c.created_by == actor)
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update()
    row = connection.execute(query).mappings().first()
    if row is None:
        raise NotFoundError(f"No checkout hold {hold_id}.")
    return dict(row)


def hold_skus(connection: Connection, hold_ids: Collection[int]) -> set[str]:
    return {u.sku for units in _units_of(connection, hold_ids).values() for u in units}


def due_hold_ids(connection: Connection, now: datetime, limit: int) -> list[int]:
    """Active holds past their time, oldest first, locked; on PostgreSQL holds another worker
    has locked are skipped (`SKIP LOCKED`), so several workers share the expiry."""
    query = (
        select(hold.c.id)
        .where(hold.c.status == ACTIVE, hold.c.expires_at <= now)
        .order_by(hold.c.id)
        .limit(limit)
    )
    if connection.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [int(hold_id) for hold_id in connection.execute(query).scalars()]


def end_holds(uow: UnitOfWork, hold_ids: Sequence[int], target: str, now: datetime) -> set[str]:
    """Ends locked holds (`expired` or `released`) and gives their units back; the caller has
    locked the positions of their SKUs. Returns the SKUs that got units back."""
    if not hold_ids:
        return set()
    for hold_id in hold_ids:
        check_transition(hold_id, ACTIVE, target)
    ended = uow.connection.execute(
        update(hold)
        .where(hold.c.id.in_(sorted(hold_ids)), hold.c.status.in_(allowed_sources(target)))
        .values(status=target, ended_at=now)
    )
    if ended.rowcount != len(hold_ids):
        raise HoldStockChangedError("A locked checkout hold changed before it ended.")
    units = _units_of(uow.connection, hold_ids)
    _give_back(uow.connection, [u for us in units.values() for u in us], now)
    stock.record_movements(
        uow.connection,
        [_release_row(u, hold_id) for hold_id in hold_ids for u in units[hold_id]],
        actor=uow.actor,
        now=now,
    )
    event = CheckoutHoldExpired if target == "expired" else CheckoutHoldReleased
    for hold_id in hold_ids:
        given_back = sum(u.quantity for u in units[hold_id])
        uow.record(event(hold_id, given_back), aggregate_id=hold_id)
    return {u.sku for us in units.values() for u in us}


def hold_detail(connection: Connection, hold_id: int, actor: str) -> dict[str, Any]:
    """A hold as the API shows it."""
    row = find_hold(connection, hold_id, actor, lock=False)
    codes = {row.id: row.code for row in connection.execute(select(location.c.id, location.c.code))}
    lines = [
        {"sku": u.sku, "quantity": u.quantity, "location": codes.get(u.location_id, "")}
        for u in _units_of(connection, [hold_id])[hold_id]
    ]
    return {
        "id": row["id"],
        "status": row["status"],
        "location": None if row["location_id"] is None else codes.get(row["location_id"]),
        "order_id": row["order_id"],
        "expires_at": row["expires_at"],
        "created_at": row["created_at"],
        "ended_at": row["ended_at"],
        "lines": lines,
    }


def active_holds(connection: Connection, limit: int) -> list[dict[str, Any]]:
    """Active holds, those running out first first, with their lines (the back office's
    list; every caller's, for staff)."""
    rows = (
        connection.execute(
            select(hold)
            .where(hold.c.status == ACTIVE)
            .order_by(hold.c.expires_at, hold.c.id)
            .limit(limit)
        )
        .mappings()
        .all()
    )
    units = _units_of(connection, [int(row["id"]) for row in rows])
    codes = {row.id: row.code for row in connection.execute(select(location.c.id, location.c.code))}
    return [
        {
            **dict(row),
            "lines": [
                {"sku": u.sku, "quantity": u.quantity, "location": codes.get(u.location_id, "")}
                for u in units[int(row["id"])]
            ],
        }
        for row in rows
    ]
