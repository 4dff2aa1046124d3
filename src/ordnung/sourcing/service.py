"""Sourcing inside the caller's unit of work: read the stock, plan, reserve."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy.engine import Connection

from ordnung.core.driver import driver_of
from ordnung.inventory import stock
from ordnung.sourcing.model import Allocation, Candidate, Need, plan_allocations

# Locations that can send parcels: warehouses and 3PLs (`ship`), stores that ship
# (`ship_from_store`) and suppliers (`dropship`). `pickup` alone serves click & collect only.
SHIPPING_CAPABILITIES = frozenset({"ship", "ship_from_store", "dropship"})


class StockChangedError(RuntimeError):
    """A locked stock position changed under us: a bug, never a business outcome."""


def reserve_stock(
    connection: Connection,
    needs: list[Need],
    *,
    now: datetime,
    excluded_location_ids: Collection[int] = (),
) -> list[Allocation]:
    """Reserves stock for the needs of one order; units that cannot be reserved anywhere are
    not in the result (they stay open)."""
    plans = reserve_stock_for_orders(
        connection, [needs], now=now, excluded_location_ids=excluded_location_ids
    )
    return plans[0]


def reserve_stock_for_orders(
    connection: Connection,
    needs_per_order: Sequence[Sequence[Need]],
    *,
    now: datetime,
    excluded_location_ids: Collection[int] = (),
) -> list[list[Allocation]]:
    """Reserves stock for several orders, first come first served; one plan per order.

    The candidate positions are read with row locks (PostgreSQL; on SQLite the write
    transaction already keeps every other writer out), in ascending id order, so the plans are
    made on numbers nobody can change before the commit, and concurrent transactions queue
    instead of deadlocking. The reservation itself is still the conditional update: the guard
    against oversell does not depend on the plan being right (invariant 2).
    """
    wanted = [[need for need in needs if need.quantity > 0] for needs in needs_per_order]
    skus = sorted({need.sku for needs in wanted for need in needs})
    if not skus:
        return [[] for _ in wanted]
    by_sku: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in _locked_candidates(connection, skus, excluded_location_ids):
        by_sku[candidate.sku].append(candidate)
    remaining = {c.position_id: c.available for cs in by_sku.values() for c in cs}
    plans: list[list[Allocation]] = []
    reserved: dict[int, int] = defaultdict(int)
    for needs in wanted:
        candidates = [
            Candidate(c.position_id, c.location_id, c.priority, c.sku, remaining[c.position_id])
            for sku in {need.sku for need in needs}
            for c in by_sku[sku]
            if remaining[c.position_id] > 0
        ]
        plan = plan_allocations(needs, candidates)
        for allocation in plan:
            remaining[allocation.position_id] -= allocation.quantity
            reserved[allocation.position_id] += allocation.quantity
        plans.append(plan)
    if not stock.reserve_all(connection, reserved, now):
        raise StockChangedError("A locked stock position changed before it was reserved.")
    return plans


def _locked_candidates(
    connection: Connection, skus: list[str], excluded_location_ids: Collection[int]
) -> list[Candidate]:
    driver = driver_of(connection)
    source, parameters = driver.row_source([(sku,) for sku in skus], ("text",))
    sql = _CANDIDATES.format(skus=source)
    # Row locks on PostgreSQL; SQLite's BEGIN IMMEDIATE has already excluded other writers.
    rows = driver.fetch_all(sql + (" FOR UPDATE OF p" if driver.is_postgresql else ""), parameters)
    return [
        Candidate(position_id, location_id, priority, sku, available)
        for position_id, location_id, sku, available, priority, capabilities in rows
        if not SHIPPING_CAPABILITIES.isdisjoint(driver.json_result(capabilities))
        and location_id not in excluded_location_ids
    ]


# Positions that have something to give, in id order: every transaction that reserves locks
# them in the same order, so concurrent reservations queue instead of deadlocking.
_CANDIDATES = (
    "SELECT p.id, p.location_id, p.sku, p.on_hand - p.reserved - p.safety_stock,"
    " l.priority, l.capabilities"
    " FROM stock_position p JOIN location l ON l.id = p.location_id"
    " WHERE p.sku IN ({skus}) AND p.on_hand - p.reserved - p.safety_stock > 0"
    " ORDER BY p.id"
)
