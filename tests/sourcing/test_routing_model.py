"""Sourcing rules, routing and the optimiser as pure functions: no database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ordnung.core.errors import ValidationError
from ordnung.promising.regions import postal_regions
from ordnung.sourcing.model import Need, StockPlanner
from ordnung.sourcing.routing import ALLOCATED, UNFULFILLABLE, Ruling, route
from ordnung.sourcing.rules import (
    FilterContext,
    LocationFacts,
    ShipTo,
    capacity_day_start,
    parse_rules,
)

COLOGNE = ShipTo("DE", "51147")


class Row:
    def __init__(self, position_id: int, location_id: int, sku: str, available: int) -> None:
        self.position_id, self.location_id, self.sku = position_id, location_id, sku
        self.available, self.priority = available, location_id
        self.capabilities = frozenset({"ship"})


def facts(location_id: int, postal_code: str, kind: str = "warehouse") -> LocationFacts:
    return LocationFacts(
        location_id, f"L{location_id}", kind, "DE", postal_code, frozenset({"ship"}), location_id
    )


LOCATIONS = {1: facts(1, "20457"), 2: facts(2, "50667"), 3: facts(3, "80331", "store")}


def context(**extra: Any) -> FilterContext:
    return FilterContext(LOCATIONS, postal_regions(), **extra)


def test_a_bad_rule_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as refused:
        parse_rules({"filters": [{"kind": "max_distance", "km": -3}]})
    assert refused.value.extra["field"] == "filters[0].km"
    with pytest.raises(ValidationError) as refused:
        parse_rules({"strategy": "fastest"})
    assert refused.value.extra["field"] == "strategy"
    with pytest.raises(ValidationError) as refused:
        parse_rules({"split": {"policy": "max_shipments"}})
    assert refused.value.extra["field"] == "split.max_shipments"


def test_rules_survive_their_plain_form() -> None:
    plain = {
        "filters": [
            {"kind": "capability", "capability": "ship"},
            {"kind": "country", "countries": ["AT"]},
            {"kind": "max_distance", "km": 300},
            {"kind": "no_store_for_bulky", "grams": 20000},
            {"kind": "keep_units", "units": 2},
            {"kind": "daily_capacity", "orders": 50},
        ],
        "strategy": "nearest",
        "split": {"policy": "max_shipments", "max_shipments": 2},
    }
    assert parse_rules(plain).as_plain() == plain


def test_nearest_takes_the_closest_location_and_explains_the_distance_filter() -> None:
    rules = parse_rules({"filters": [{"kind": "max_distance", "km": 400}], "strategy": "nearest"})
    planner = StockPlanner([Row(1, 1, "A", 5), Row(2, 2, "A", 5), Row(3, 3, "A", 5)])
    plan, decision = route(planner, [Need(1, "A", 2)], Ruling(rules, 1), COLOGNE, context())
    assert [(a.location_id, a.quantity) for a in plan] == [(2, 2)]  # Cologne, not Hamburg
    assert decision.outcome == ALLOCATED
    assert [(d["location_id"], d["filter"]) for d in decision.details["dropped"]] == [
        (3, "max_distance")  # Munich is about 460 km from Cologne
    ]
    assert decision.details["cost_cents"] > 0


def test_an_order_whose_every_location_is_dropped_is_unfulfillable() -> None:
    rules = parse_rules({"filters": [{"kind": "max_distance", "km": 10}]})
    planner = StockPlanner([Row(1, 1, "A", 5)])
    plan, decision = route(planner, [Need(1, "A", 1)], Ruling(rules, 1), COLOGNE, context())
    assert plan == []
    assert decision.outcome == UNFULFILLABLE


def test_stores_are_not_asked_for_bulky_items_and_keep_units_holds_stock_back() -> None:
    rules = parse_rules(
        {
            "filters": [
                {"kind": "no_store_for_bulky", "grams": 10000},
                {"kind": "keep_units", "units": 2},
            ]
        }
    )
    planner = StockPlanner([Row(1, 1, "SOFA", 3), Row(3, 3, "SOFA", 9)])
    ctx = context(weights={"SOFA": 40000})
    plan, decision = route(planner, [Need(1, "SOFA", 3)], Ruling(rules, 1), COLOGNE, ctx)
    assert [(a.location_id, a.quantity) for a in plan] == [(1, 1)]  # 3 on hand − 2 kept
    assert decision.details["dropped"][0]["filter"] == "no_store_for_bulky"


def test_daily_capacity_counts_the_orders_of_the_batch_too() -> None:
    rules = parse_rules({"filters": [{"kind": "daily_capacity", "orders": 1}]})
    planner = StockPlanner([Row(1, 1, "A", 5), Row(2, 2, "A", 5)])
    ctx = context()
    first, _ = route(planner, [Need(1, "A", 1)], Ruling(rules, 1), COLOGNE, ctx)
    second, _ = route(planner, [Need(1, "A", 1)], Ruling(rules, 1), COLOGNE, ctx)
    assert [a.location_id for a in first + second] == [1, 2]


needs_strategy = st.lists(
    st.tuples(st.sampled_from("ABC"), st.integers(1, 4)), min_size=1, max_size=4
)
stock_strategy = st.lists(
    st.tuples(st.integers(1, 3), st.sampled_from("ABC"), st.integers(0, 6)),
    min_size=1,
    max_size=9,
    unique_by=lambda row: (row[0], row[1]),
)


def _planner(stock: list[tuple[int, str, int]]) -> StockPlanner:
    return StockPlanner(
        [Row(index + 1, loc, sku, units) for index, (loc, sku, units) in enumerate(stock)]
    )


def _needs(lines: list[tuple[str, int]]) -> list[Need]:
    return [Need(number + 1, sku, units) for number, (sku, units) in enumerate(lines)]


def test_a_capacity_day_starts_at_german_midnight_not_at_utc_midnight() -> None:
    # 23:30 UTC in winter is already 00:30 the next day in Berlin: a new day has begun.
    late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    assert capacity_day_start(late) == datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
    # 00:30 UTC in summer is 02:30 in Berlin: the day began at 22:00 UTC the evening before.
    summer = datetime(2026, 7, 2, 0, 30, tzinfo=UTC)
    assert capacity_day_start(summer) == datetime(2026, 7, 1, 22, 0, tzinfo=UTC)


@settings(max_examples=60, deadline=None)
@given(lines=needs_strategy, stock=stock_strategy, weights=st.integers(100, 30000))
def test_the_optimiser_never_costs_more_than_greedy(
    lines: list[tuple[str, int]], stock: list[tuple[int, str, int]], weights: int
) -> None:
    ctx = context(weights=dict.fromkeys("ABC", weights))
    greedy_plan, greedy = route(
        _planner(stock), _needs(lines), Ruling(parse_rules({}), 1), COLOGNE, ctx
    )
    cheapest_plan, cheapest = route(
        _planner(stock),
        _needs(lines),
        Ruling(parse_rules({"strategy": "cheapest"}), 1),
        COLOGNE,
        ctx,
    )
    assert cheapest.details["cost_cents"] <= greedy.details["cost_cents"]
    assert sum(a.quantity for a in cheapest_plan) == sum(a.quantity for a in greedy_plan)


@settings(max_examples=60, deadline=None)
@given(
    lines=needs_strategy,
    stock=stock_strategy,
    strategy=st.sampled_from(
        ["priority", "nearest", "fewest_shipments", "balance_stock", "cheapest"]
    ),
)
def test_a_ship_complete_order_never_splits(
    lines: list[tuple[str, int]], stock: list[tuple[int, str, int]], strategy: str
) -> None:
    rules = parse_rules({"strategy": strategy, "split": {"policy": "ship_complete"}})
    needs = _needs(lines)
    plan, _ = route(_planner(stock), needs, Ruling(rules, 1), COLOGNE, context())
    assert len({a.location_id for a in plan}) <= 1
    assert plan == [] or sum(a.quantity for a in plan) == sum(n.quantity for n in needs)


@settings(max_examples=40, deadline=None)
@given(lines=needs_strategy, stock=stock_strategy, limit=st.integers(1, 2))
def test_at_most_n_shipments_is_kept(
    lines: list[tuple[str, int]], stock: list[tuple[int, str, int]], limit: int
) -> None:
    for strategy in ("priority", "cheapest"):
        rules = parse_rules(
            {"strategy": strategy, "split": {"policy": "max_shipments", "max_shipments": limit}}
        )
        plan, _ = route(_planner(stock), _needs(lines), Ruling(rules, 1), COLOGNE, context())
        assert len({a.location_id for a in plan}) <= limit
