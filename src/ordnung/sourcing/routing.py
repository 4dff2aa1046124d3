"""One order routed under its channel's rules, with the explanation of the decision. Pure.

`route` takes the stock left for the order (`StockPlanner.candidates`), drops locations by
the rule set's filters (sourcing/rules.py), ranks the rest by the strategy, bounds the
shipments by the split policy and returns the plan with a `Decision`: the candidates
considered, the locations dropped and by which filter, the allocation, its cost, the outcome.
A channel without rules gets `priority` with splits allowed — the foundation's behaviour,
through the same `plan_allocations`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ordnung.promising.zones import NATIONAL
from ordnung.sourcing.model import (
    Allocation,
    Candidate,
    Need,
    StockPlanner,
    plan_allocations,
    plan_ship_complete,
)
from ordnung.sourcing.optimiser import (
    DEFAULT_HANDLING_CENTS,
    HANDLING_CENTS,
    Lane,
    cheapest_plan,
    plan_cost,
)
from ordnung.sourcing.rules import (
    DEFAULT_RULES,
    FilterContext,
    RuleSet,
    ShipTo,
    distance_km,
    drop_locations,
    zone_to,
)

# Explanations stay small at a thousand locations: this many entries per list, and a count.
EXPLAINED_LOCATIONS = 30

ALLOCATED = "allocated"
PARTIAL = "partially_allocated"
WAITING = "waiting_for_stock"
UNFULFILLABLE = "unfulfillable"


@dataclass(frozen=True, slots=True)
class Ruling:
    """A channel's active rule set and its version (None: the channel has no rules)."""

    rules: RuleSet = DEFAULT_RULES
    version: int | None = None


@dataclass(slots=True)
class Decision:
    outcome: str
    details: dict[str, Any]


def route(
    planner: StockPlanner,
    needs: list[Need],
    ruling: Ruling,
    ship_to: ShipTo,
    context: FilterContext | None,
    excluded_location_ids: Collection[int] = (),
) -> tuple[list[Allocation], Decision]:
    """Plans one order on what the planner has left (never at a location that rejected it:
    `excluded_location_ids`), books the plan, and explains it."""
    rules = ruling.rules
    candidates = planner.candidates(needs, excluded_location_ids, rules.keep_units)
    location_ids = sorted({c.location_id for c in candidates})
    skus = {need.sku for need in needs}
    dropped = drop_locations(rules, location_ids, ship_to, skus, context) if context else []
    dropped_ids = {d.location_id for d in dropped}
    kept = [c for c in candidates if c.location_id not in dropped_ids]
    plan, cost, solver = _plan(needs, kept, rules, ship_to, context)
    planner.take(plan)
    decision = _explain(needs, candidates, kept, plan, ruling)
    decision.details["dropped"] = [
        {"location_id": d.location_id, "filter": d.filter, "detail": d.detail}
        for d in dropped[:EXPLAINED_LOCATIONS]
    ]
    decision.details["dropped_count"] = len(dropped)
    decision.details["cost_cents"] = cost
    decision.details["solver"] = solver
    if context is not None and plan:
        for location_id in {a.location_id for a in plan}:
            context.orders_today[location_id] = context.orders_today.get(location_id, 0) + 1
    return plan, decision


def _plan(
    needs: list[Need],
    kept: list[Candidate],
    rules: RuleSet,
    ship_to: ShipTo,
    context: FilterContext | None,
) -> tuple[list[Allocation], int | None, str]:
    ranked = _ranked(needs, kept, rules.strategy, ship_to, context)

    def greedy() -> list[Allocation]:
        if rules.split == "ship_complete":
            return plan_ship_complete(needs, ranked)
        plan = plan_allocations(needs, ranked)
        if rules.split == "max_shipments":
            plan = _at_most(needs, ranked, plan, rules.max_shipments)
        return plan

    if context is None:
        return greedy(), None, "greedy"
    lanes = _lanes(kept, ship_to, context)
    if rules.strategy == "cheapest" and rules.split != "ship_complete":
        limit = rules.max_shipments if rules.split == "max_shipments" else None
        solved = cheapest_plan(needs, ranked, lanes, context.weights, greedy, max_shipments=limit)
        return solved.plan, solved.cost_cents, solved.solver
    if rules.strategy == "cheapest":  # ship complete: the cheapest single location first
        ranked = _by_rank(ranked, {loc: lane.fixed_cents for loc, lane in lanes.items()})
    plan = greedy()
    return plan, plan_cost(plan, lanes, context.weights), "greedy"


def _lanes(candidates: list[Candidate], ship_to: ShipTo, context: FilterContext) -> dict[int, Lane]:
    lanes = {}
    for location_id in {c.location_id for c in candidates}:
        location = context.locations.get(location_id)
        if location is None:
            lanes[location_id] = Lane(DEFAULT_HANDLING_CENTS, NATIONAL)
            continue
        zone = zone_to(location, ship_to, context.regions, context.zones)
        handling = HANDLING_CENTS.get(location.type, DEFAULT_HANDLING_CENTS)
        lanes[location_id] = Lane(handling, NATIONAL if zone is None else zone.name)
    return lanes


def _ranked(
    needs: list[Need],
    candidates: list[Candidate],
    strategy: str,
    ship_to: ShipTo,
    context: FilterContext | None,
) -> list[Candidate]:
    """The candidates with `priority` replaced by the strategy's rank (lower asks first)."""
    if strategy in ("priority", "cheapest") or not candidates:
        return candidates
    score: dict[int, float] = defaultdict(float)
    if strategy == "nearest" and context is not None:
        for location_id in {c.location_id for c in candidates}:
            location = context.locations.get(location_id)
            km = (
                distance_km(location, ship_to, context.regions, context.zones) if location else None
            )
            score[location_id] = km if km is not None else 1e9
    elif strategy in ("fewest_shipments", "balance_stock"):
        wanted: dict[str, int] = defaultdict(int)
        for need in needs:
            wanted[need.sku] += need.quantity
        for c in candidates:
            # fewest shipments: the location covering most of the order first;
            # balance stock: the location with most units on the shelf first.
            covered = min(c.available, wanted[c.sku])
            score[c.location_id] -= covered if strategy == "fewest_shipments" else c.available
    return _by_rank(candidates, score)


def _by_rank(candidates: list[Candidate], score: Mapping[int, float]) -> list[Candidate]:
    order = sorted({(score.get(c.location_id, 0.0), c.priority, c.location_id) for c in candidates})
    rank = {location_id: index for index, (_, _, location_id) in enumerate(order)}
    return [replace(c, priority=rank[c.location_id]) for c in candidates]


def _at_most(
    needs: list[Need], ranked: list[Candidate], plan: list[Allocation], shipments: int
) -> list[Allocation]:
    """The plan again from the `shipments` locations that carried most of it, if it used
    more: fewer units may go now, the rest waits."""
    carried: dict[int, int] = defaultdict(int)
    for allocation in plan:
        carried[allocation.location_id] += allocation.quantity
    if len(carried) <= shipments:
        return plan
    chosen = sorted(carried, key=lambda location: (-carried[location], location))[:shipments]
    return plan_allocations(needs, [c for c in ranked if c.location_id in chosen])


def _explain(
    needs: list[Need],
    candidates: list[Candidate],
    kept: list[Candidate],
    plan: list[Allocation],
    ruling: Ruling,
) -> Decision:
    wanted = sum(need.quantity for need in needs)
    planned = sum(a.quantity for a in plan)
    offered = {c.sku for c in candidates}
    kept_skus = {c.sku for c in kept}
    if planned >= wanted:
        outcome = ALLOCATED
    elif any(n.sku in offered and n.sku not in kept_skus for n in needs):
        outcome = UNFULFILLABLE  # stock exists, but every location holding it was dropped
    elif planned:
        outcome = PARTIAL
    else:
        outcome = WAITING
    considered: dict[int, dict[str, int]] = defaultdict(dict)
    for c in candidates:
        considered[c.location_id][c.sku] = c.available
    return Decision(
        outcome,
        {
            "rules_version": ruling.version,
            "strategy": ruling.rules.strategy,
            "split": ruling.rules.split,
            "max_shipments": ruling.rules.max_shipments or None,
            "candidates": [
                {"location_id": location_id, "available": units}
                for location_id, units in sorted(considered.items())[:EXPLAINED_LOCATIONS]
            ],
            "candidate_count": len(considered),
            "allocation": [
                {
                    "line": a.line_key,
                    "sku": a.sku,
                    "location_id": a.location_id,
                    "quantity": a.quantity,
                }
                for a in plan
            ],
            "shipments": len({a.location_id for a in plan}),
        },
    )
