"""Sourcing v0: which location ships which units. Pure Python, no database.

Ship-complete from the highest-priority location that holds every line; otherwise line by line
in priority order (a whole line from the first location that has it all, else split across
locations); units that nowhere have stock stay open (the order is backordered).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stock position that could ship: `available` units of `sku` at `location_id`."""

    position_id: int
    location_id: int
    priority: int
    sku: str
    available: int


@dataclass(frozen=True, slots=True)
class Need:
    line_key: int  # order line id, or the line's index before the line is stored
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Allocation:
    line_key: int
    sku: str
    location_id: int
    position_id: int
    quantity: int


def plan_allocations(needs: list[Need], candidates: list[Candidate]) -> list[Allocation]:
    if not needs:
        return []
    stock = _StockView(candidates)
    complete = _ship_complete(needs, stock)
    if complete is not None:
        return complete
    allocations: list[Allocation] = []
    for need in needs:
        allocations.extend(_allocate_line(need, stock))
    return allocations


class _StockView:
    """Remaining availability while a plan is being made (the same SKU may be on two lines)."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.locations = sorted(
            {(c.priority, c.location_id) for c in candidates}, key=lambda item: item
        )
        self.by_key = {(c.location_id, c.sku): c for c in candidates}
        self.remaining = {(c.location_id, c.sku): max(c.available, 0) for c in candidates}

    def available(self, location_id: int, sku: str) -> int:
        return self.remaining.get((location_id, sku), 0)

    def take(self, need: Need, location_id: int, quantity: int) -> Allocation:
        key = (location_id, need.sku)
        self.remaining[key] -= quantity
        candidate = self.by_key[key]
        return Allocation(need.line_key, need.sku, location_id, candidate.position_id, quantity)


def _ship_complete(needs: list[Need], stock: _StockView) -> list[Allocation] | None:
    wanted: dict[str, int] = defaultdict(int)
    for need in needs:
        wanted[need.sku] += need.quantity
    for _priority, location_id in stock.locations:
        if all(stock.available(location_id, sku) >= qty for sku, qty in wanted.items()):
            return [stock.take(need, location_id, need.quantity) for need in needs]
    return None


def _allocate_line(need: Need, stock: _StockView) -> list[Allocation]:
    for _priority, location_id in stock.locations:
        if stock.available(location_id, need.sku) >= need.quantity:
            return [stock.take(need, location_id, need.quantity)]
    allocations = []
    missing = need.quantity
    for _priority, location_id in stock.locations:
        units = min(missing, stock.available(location_id, need.sku))
        if units > 0:
            allocations.append(stock.take(need, location_id, units))
            missing -= units
        if missing == 0:
            break
    return allocations
