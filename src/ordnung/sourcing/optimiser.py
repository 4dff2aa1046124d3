"""What a shipment costs, and the cheapest way to ship one order (HiGHS via `highspy`).

The cost of a plan (euro cents) is, per location that ships: its handling cost (by location
type) + the parcel's base price by zone (promising/zones.py: regional, near, national) + a
price per kilogram by zone; and a split penalty per shipment beyond the first. Unknown
weights count as 1 kg per unit. The figures are defaults to be tuned per merchant.

`cheapest_plan` chooses locations for all lines at once as a small mixed-integer programme,
within a time budget; it serves exactly the units the greedy plan serves and keeps the greedy
plan whenever the solver has nothing better (or no answer in time) — so it never costs more
than greedy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ordnung.sourcing.model import Allocation, Candidate, Need

if TYPE_CHECKING:
    import highspy

HANDLING_CENTS: Mapping[str, int] = {"warehouse": 150, "3pl": 200, "supplier": 250, "store": 350}
DEFAULT_HANDLING_CENTS = 200
ZONE_BASE_CENTS: Mapping[str, int] = {"regional": 390, "near": 450, "national": 520}
ZONE_PER_KG_CENTS: Mapping[str, int] = {"regional": 20, "near": 30, "national": 45}
SPLIT_PENALTY_CENTS = 250
UNKNOWN_WEIGHT_GRAMS = 1000
TIME_BUDGET_SECONDS = 0.02


@dataclass(frozen=True, slots=True)
class Lane:
    """What shipping from one location to this order's customer costs."""

    handling_cents: int
    zone: str

    @property
    def fixed_cents(self) -> int:
        return self.handling_cents + ZONE_BASE_CENTS[self.zone]

    def per_unit_cents(self, grams: int | None) -> float:
        kilograms = (grams if grams is not None else UNKNOWN_WEIGHT_GRAMS) / 1000
        return ZONE_PER_KG_CENTS[self.zone] * kilograms


def plan_cost(
    plan: Sequence[Allocation], lanes: Mapping[int, Lane], weights: Mapping[str, int | None]
) -> int:
    """The plan's cost in cents (see the module docstring)."""
    by_location: dict[int, float] = defaultdict(float)
    for allocation in plan:
        lane = lanes[allocation.location_id]
        by_location[allocation.location_id] += allocation.quantity * lane.per_unit_cents(
            weights.get(allocation.sku)
        )
    total = sum(lanes[location].fixed_cents + units for location, units in by_location.items())
    total += SPLIT_PENALTY_CENTS * max(len(by_location) - 1, 0)
    return round(total)


@dataclass(frozen=True, slots=True)
class Solved:
    plan: list[Allocation]
    cost_cents: int
    solver: str  # "highs", "single" (proven without the solver) or "greedy"


def _best_single_location(
    stock: Mapping[int, Mapping[str, Candidate]],
    wanted: Mapping[str, int],
    lanes: Mapping[int, Lane],
    weights: Mapping[str, int | None],
) -> tuple[float, int] | None:
    """(cost, location) of the cheapest location that holds the whole order, if any."""
    best: tuple[float, int] | None = None
    for location_id, held in stock.items():
        if all(sku in held and held[sku].available >= n for sku, n in wanted.items()):
            lane = lanes[location_id]
            cost = lane.fixed_cents + sum(
                n * lane.per_unit_cents(weights.get(sku)) for sku, n in wanted.items()
            )
            if best is None or cost < best[0]:
                best = (cost, location_id)
    return best


def _proven_single_shipment(
    needs: Sequence[Need],
    candidates: Sequence[Candidate],
    lanes: Mapping[int, Lane],
    weights: Mapping[str, int | None],
    served: Mapping[str, int],
) -> list[Allocation] | None:
    """The cheapest plan from one location, when it serves every unit and costs no more
    than the least any plan of two or more shipments could (two cheapest fixed costs, the
    split penalty, each unit at its cheapest lane): then it is optimal. Else None."""
    wanted: dict[str, int] = defaultdict(int)
    for need in needs:
        wanted[need.sku] += need.quantity
    if any(served.get(sku, 0) < units for sku, units in wanted.items()):
        return None
    stock: dict[int, dict[str, Candidate]] = defaultdict(dict)
    cheapest_unit: dict[str, float] = {}
    for c in candidates:
        if c.location_id in lanes and c.available > 0:
            stock[c.location_id][c.sku] = c
            unit = lanes[c.location_id].per_unit_cents(weights.get(c.sku))
            cheapest_unit[c.sku] = min(unit, cheapest_unit.get(c.sku, unit))
    best = _best_single_location(stock, wanted, lanes, weights)
    if best is None:
        return None
    fixed = sorted(lanes[location].fixed_cents for location in stock)
    split_floor: float = float("inf")  # one location: nothing to split between
    if len(fixed) > 1:
        split_floor = fixed[0] + fixed[1] + SPLIT_PENALTY_CENTS
        split_floor += sum(n * cheapest_unit[sku] for sku, n in wanted.items())
    if best[0] > split_floor:
        return None
    location_id = best[1]
    return [
        Allocation(
            need.line_key,
            need.sku,
            location_id,
            stock[location_id][need.sku].position_id,
            need.quantity,
        )
        for need in needs
        if need.quantity > 0
    ]


def cheapest_plan(  # noqa: PLR0913 — the order, its stock, its costs and its bounds
    needs: Sequence[Need],
    candidates: Sequence[Candidate],
    lanes: Mapping[int, Lane],
    weights: Mapping[str, int | None],
    greedy: Callable[[], list[Allocation]],
    *,
    max_shipments: int | None = None,
    time_budget: float = TIME_BUDGET_SECONDS,
) -> Solved:
    """The cheapest plan serving the units greedy serves, or greedy's own plan."""
    fallback = greedy()
    fallback_cost = plan_cost(fallback, lanes, weights)
    if len({a.location_id for a in fallback}) <= 1 and len(fallback) <= 1:
        return Solved(fallback, fallback_cost, "greedy")  # one position: nothing to choose
    served: dict[str, int] = defaultdict(int)
    for allocation in fallback:
        served[allocation.sku] += allocation.quantity
    single = _proven_single_shipment(needs, candidates, lanes, weights, served)
    if single is not None:  # no split can beat it: no programme needed (the usual case)
        cost = plan_cost(single, lanes, weights)
        if cost < fallback_cost:
            return Solved(single, cost, "single")
        return Solved(fallback, fallback_cost, "greedy")
    found = _solve(needs, candidates, lanes, weights, served, max_shipments, time_budget)
    if found is not None:
        cost = plan_cost(found, lanes, weights)
        if cost < fallback_cost:
            return Solved(found, cost, "highs")
    return Solved(fallback, fallback_cost, "greedy")


def _solve(  # noqa: PLR0913, C901 — one small programme, built in one place
    needs: Sequence[Need],
    candidates: Sequence[Candidate],
    lanes: Mapping[int, Lane],
    weights: Mapping[str, int | None],
    served: Mapping[str, int],
    max_shipments: int | None,
    time_budget: float,
) -> list[Allocation] | None:
    # Imported here: HiGHS adds about 20 MB to a process, and only channels whose rules ask
    # for the cheapest plan ever call it (most workers never load it).
    import highspy

    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)  # one order is small; intake runs on few cores
    highs.setOptionValue("time_limit", time_budget)
    by_sku: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        if candidate.available > 0 and candidate.location_id in lanes:
            by_sku[candidate.sku].append(candidate)
    opened = {
        location: highs.addBinary(obj=lanes[location].fixed_cents + SPLIT_PENALTY_CENTS)
        for location in sorted({c.location_id for cs in by_sku.values() for c in cs})
    }
    units: dict[tuple[int, int], tuple[Candidate, highspy.highs_var]] = {}
    for index, need in enumerate(needs):
        for candidate in by_sku.get(need.sku, ()):
            bound = min(need.quantity, candidate.available)
            cost = lanes[candidate.location_id].per_unit_cents(weights.get(need.sku))
            var = highs.addVariable(lb=0, ub=bound, obj=cost, type=highspy.HighsVarType.kInteger)
            highs.addConstr(var - bound * opened[candidate.location_id] <= 0)
            units[index, candidate.location_id] = (candidate, var)
    for index, need in enumerate(needs):
        line = [var for (i, _), (_, var) in units.items() if i == index]
        if line:
            highs.addConstr(highs.qsum(line) <= need.quantity)
    for sku, candidates_of_sku in by_sku.items():
        lines = [i for i, need in enumerate(needs) if need.sku == sku]
        total = highs.qsum(units[i, c.location_id][1] for i in lines for c in candidates_of_sku)
        highs.addConstr(total == served.get(sku, 0))
        for c in candidates_of_sku:
            shared = [units[i, c.location_id][1] for i in lines]
            highs.addConstr(highs.qsum(shared) <= c.available)
    if max_shipments is not None and opened:
        highs.addConstr(highs.qsum(opened.values()) <= max_shipments)
    highs.minimize()
    if highs.getInfo().primal_solution_status != 2:  # 2: a feasible solution exists
        return None
    plan = []
    for (index, _location), (candidate, var) in units.items():
        quantity = round(highs.val(var))
        if quantity > 0:
            need = needs[index]
            plan.append(
                Allocation(
                    need.line_key,
                    need.sku,
                    candidate.location_id,
                    candidate.position_id,
                    quantity,
                )
            )
    return plan
