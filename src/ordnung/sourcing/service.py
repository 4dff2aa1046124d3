"""Sourcing inside the caller's unit of work: plan, then reserve with conditional updates."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from ordnung.inventory import stock
from ordnung.inventory.tables import location_table as location
from ordnung.inventory.tables import stock_position_table as position
from ordnung.sourcing.model import Allocation, Candidate, Need, plan_allocations

# Locations that can send parcels: warehouses and 3PLs (`ship`), stores that ship
# (`ship_from_store`) and suppliers (`dropship`). `pickup` alone serves click & collect only.
SHIPPING_CAPABILITIES = frozenset({"ship", "ship_from_store", "dropship"})

# On PostgreSQL another transaction may take stock between our read and our conditional
# update; then we give back what this attempt reserved and plan again with fresh numbers.
_PLANNING_ATTEMPTS = 4


def reserve_stock(
    connection: Connection,
    needs: list[Need],
    *,
    now: datetime,
    excluded_location_ids: Collection[int] = (),
) -> list[Allocation]:
    """Reserves stock for `needs` and returns what was reserved where.

    Units that cannot be reserved anywhere are simply not in the result (they stay open).
    """
    needs = [need for need in needs if need.quantity > 0]
    if not needs:
        return []
    skus = sorted({need.sku for need in needs})
    for _attempt in range(_PLANNING_ATTEMPTS):
        plan = plan_allocations(needs, _candidates(connection, skus, excluded_location_ids))
        reserved = _reserve_all_or_nothing(connection, plan, now)
        if reserved is not None:
            return reserved
    # Still losing races: keep whatever can be reserved now, leave the rest open.
    plan = plan_allocations(needs, _candidates(connection, skus, excluded_location_ids))
    return [
        a
        for a in _in_lock_order(plan)
        if stock.try_reserve(connection, a.position_id, a.quantity, now)
    ]


def _in_lock_order(plan: list[Allocation]) -> list[Allocation]:
    # Rows are always touched in ascending id order so concurrent reservations cannot deadlock.
    return sorted(plan, key=lambda allocation: allocation.position_id)


def _reserve_all_or_nothing(
    connection: Connection, plan: list[Allocation], now: datetime
) -> list[Allocation] | None:
    done: list[Allocation] = []
    for allocation in _in_lock_order(plan):
        if not stock.try_reserve(connection, allocation.position_id, allocation.quantity, now):
            for undo in done:
                stock.release(connection, undo.position_id, undo.quantity, now)
            return None
        done.append(allocation)
    return plan


def _candidates(
    connection: Connection, skus: list[str], excluded_location_ids: Collection[int]
) -> list[Candidate]:
    rows = connection.execute(_CANDIDATES, {"skus": skus})
    return [
        Candidate(row.id, row.location_id, row.priority, row.sku, row.available)
        for row in rows
        if not SHIPPING_CAPABILITIES.isdisjoint(row.capabilities)
        and row.location_id not in excluded_location_ids
    ]


_AVAILABLE = position.c.on_hand - position.c.reserved - position.c.safety_stock
# Built once (no per-call statement construction on the intake hot path).
_CANDIDATES = (
    select(
        position.c.id,
        position.c.location_id,
        position.c.sku,
        _AVAILABLE.label("available"),
        location.c.priority,
        location.c.capabilities,
    )
    .join(location, location.c.id == position.c.location_id)
    .where(position.c.sku.in_(bindparam("skus", expanding=True)), _AVAILABLE > 0)
)
