"""Sourcing: which location ships which units. Pure Python, no database.

The whole policy lives here, decided on numbers the caller read and locked:

- which locations may ship a parcel at all (`can_ship_parcels`), and which are avoided for an
  order (the locations that rejected it: `StockPlanner.plan`'s `excluded_location_ids`);
- how one order is split (`plan_allocations`): ship-complete from the highest-priority location
  that holds every line; otherwise line by line in priority order (a whole line from the first
  location that has it all, else split across locations); units that nowhere have stock stay
  open (the order is backordered);
- how stock is shared between orders (`StockPlanner`): first come, first served, in the order
  the caller asks — intake in arrival order, backorders oldest first;
- where a non-stock product's units go (`ride_along`): they take no stock, so they travel
  with the order's goods — in the fulfilment order of the first location the plan uses, or,
  when the plan uses none, of the first location by priority that may ship the order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ordnung.orders.model import Order

# Locations that can send parcels: warehouses and 3PLs (`ship`), stores that ship
# (`ship_from_store`) and suppliers (`dropship`). `pickup` alone serves click & collect only.
SHIPPING_CAPABILITIES = frozenset({"ship", "ship_from_store", "dropship"})

# How many waiting orders one change of stock may serve; the rest wait for the next change.
# It bounds the work (and the locks) one goods receipt or cancellation takes on.
BACKORDERS_PER_STOCK_CHANGE = 50


@dataclass(slots=True)  # not frozen: built per order on the intake hot path
class Candidate:
    """A stock position that could ship: `available` units of `sku` at `location_id`."""

    position_id: int
    location_id: int
    priority: int
    sku: str
    available: int


class StockRow(Protocol):
    """A stock position as inventory offers it, before the location filters."""

    @property
    def position_id(self) -> int: ...
    @property
    def location_id(self) -> int: ...
    @property
    def sku(self) -> str: ...
    @property
    def available(self) -> int: ...
    @property
    def priority(self) -> int: ...
    @property
    def capabilities(self) -> frozenset[str]: ...


@dataclass(slots=True)  # not frozen: built per order on the intake hot path
class Need:
    line_key: int  # the order line's number
    sku: str
    quantity: int


@dataclass(slots=True)  # not frozen: built per order on the intake hot path
class Allocation:
    line_key: int
    sku: str
    location_id: int
    position_id: int | None  # None: a non-stock product's units, which take no stock
    quantity: int


def needs_of(order: Order, skus: Collection[str] | None = None) -> list[Need]:
    """The order's open units (of these SKUs only, if given), as sourcing needs them."""
    return [
        Need(line_number, sku, units)
        for line_number, sku, units in order.open_units()
        if skus is None or sku in skus
    ]


def units_by_line(plan: Sequence[Allocation]) -> dict[int, int]:
    """A plan as the order takes it: units per line number."""
    units: dict[int, int] = defaultdict(int)
    for allocation in plan:
        units[allocation.line_key] += allocation.quantity
    return dict(units)


def ride_along(
    needs: Sequence[Need], plan: Sequence[Allocation], fallback_location_ids: Sequence[int]
) -> list[Allocation]:
    """Where a non-stock product's units go, whole lines at once: never waiting, never at a
    stock position. To the first location of the plan (the one that ships the order's goods,
    so a gift wrap or an engraving goes into the same parcel); if the plan takes nothing
    (only non-stock lines, or the goods wait), to the first of `fallback_location_ids` (the
    shipping locations the order may use, by priority). None at all if there is neither:
    the units stay open until the order is sourced again."""
    wanted = [need for need in needs if need.quantity > 0]
    if not wanted:
        return []
    if plan:
        location_id = plan[0].location_id
    elif fallback_location_ids:
        location_id = fallback_location_ids[0]
    else:
        return []
    return [Allocation(n.line_key, n.sku, location_id, None, n.quantity) for n in wanted]


def can_ship_parcels(capabilities: Collection[str]) -> bool:
    return not SHIPPING_CAPABILITIES.isdisjoint(capabilities)


def plan_ship_complete(needs: list[Need], candidates: list[Candidate]) -> list[Allocation]:
    """The whole order from the first location (in priority order) that holds all of it, or
    nothing: the order waits."""
    wanted = [need for need in needs if need.quantity > 0]
    return (_ship_complete(wanted, _StockView(candidates)) or []) if wanted else []


def plan_allocations(needs: list[Need], candidates: list[Candidate]) -> list[Allocation]:
    """Where one order's needs are taken from (see the module docstring)."""
    wanted = [need for need in needs if need.quantity > 0]
    if not wanted:
        return []
    stock = _StockView(candidates)
    complete = _ship_complete(wanted, stock)
    if complete is not None:
        return complete
    allocations: list[Allocation] = []
    for need in wanted:
        allocations.extend(_allocate_line(need, stock))
    return allocations


class StockPlanner:
    """Shares locked stock between several orders, first come, first served.

    Each `plan` sees what the plans before it left; `reserved` is what all plans took, per
    position — what the caller then reserves, in one conditional update per position.
    """

    def __init__(self, rows: Iterable[StockRow]) -> None:
        self._by_sku: dict[str, list[StockRow]] = defaultdict(list)
        self._remaining: dict[int, int] = {}
        # Positions at locations that ship no parcels (a pickup-only store): only an order
        # collected there may take their units (`plan_pickup`).
        self._counter_only: dict[tuple[int, str], StockRow] = {}
        for row in rows:
            if can_ship_parcels(row.capabilities):
                self._by_sku[row.sku].append(row)
                self._remaining[row.position_id] = row.available
            else:
                self._counter_only[(row.location_id, row.sku)] = row
        self.reserved: dict[int, int] = defaultdict(int)

    def plan_pickup(self, needs: list[Need], location_id: int) -> list[Allocation] | None:
        """Click & collect: every unit at the customer's store, or none (None: the store
        lacks some — the order waits there for a person, it is never sent from elsewhere)."""
        positions: dict[str, int] = {}
        for row in self._by_sku_at(location_id, {need.sku for need in needs}):
            positions[row.sku] = row.position_id
            self._remaining.setdefault(row.position_id, row.available)
        wanted: dict[str, int] = defaultdict(int)
        for need in needs:
            wanted[need.sku] += need.quantity
        for sku, quantity in wanted.items():
            if sku not in positions or self._remaining[positions[sku]] < quantity:
                return None
        plan = [
            Allocation(need.line_key, need.sku, location_id, positions[need.sku], need.quantity)
            for need in needs
        ]
        self.take(plan)
        return plan

    def _by_sku_at(self, location_id: int, skus: set[str]) -> list[StockRow]:
        found = [
            row
            for sku in skus
            for row in self._by_sku.get(sku, ())
            if row.location_id == location_id
        ]
        found += [
            row for sku in skus if (row := self._counter_only.get((location_id, sku))) is not None
        ]
        return found

    def plan(
        self, needs: list[Need], excluded_location_ids: Collection[int] = ()
    ) -> list[Allocation]:
        plan = plan_allocations(needs, self.candidates(needs, excluded_location_ids))
        self.take(plan)
        return plan

    def candidates(
        self, needs: list[Need], excluded_location_ids: Collection[int] = (), keep_units: int = 0
    ) -> list[Candidate]:
        """What is left for these needs, less `keep_units` per position (a rule that keeps
        units back at every location)."""
        remaining = self._remaining
        return [
            Candidate(r.position_id, r.location_id, r.priority, r.sku, left)
            for sku in {need.sku for need in needs}
            for r in self._by_sku.get(sku, ())
            if (left := remaining[r.position_id] - keep_units) > 0
            and r.location_id not in excluded_location_ids
        ]

    def take(self, plan: Sequence[Allocation]) -> None:
        """Books a plan made on `candidates`: later plans see what it left."""
        for allocation in plan:
            if allocation.position_id is None:  # a non-stock product's units: no stock
                continue
            self._remaining[allocation.position_id] -= allocation.quantity
            self.reserved[allocation.position_id] += allocation.quantity


class _StockView:
    """Remaining availability while a plan is being made (the same SKU may be on two lines)."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.locations = sorted({(c.priority, c.location_id) for c in candidates})
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
