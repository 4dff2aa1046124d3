from dataclasses import dataclass

from ordnung.sourcing.model import (
    Candidate,
    Need,
    StockPlanner,
    can_ship_parcels,
    plan_allocations,
)


def _stock(*rows: tuple[int, int, str, int]) -> list[Candidate]:
    """(location id, priority, sku, available) → candidates with position id = index."""
    return [Candidate(i, loc, prio, sku, avail) for i, (loc, prio, sku, avail) in enumerate(rows)]


def _where(plan):
    return sorted((a.line_key, a.location_id, a.quantity) for a in plan)


def test_ship_complete_prefers_the_best_location_that_has_everything() -> None:
    stock = _stock((1, 1, "A", 5), (2, 2, "A", 5), (2, 2, "B", 5))
    plan = plan_allocations([Need(0, "A", 2), Need(1, "B", 1)], stock)
    assert _where(plan) == [(0, 2, 2), (1, 2, 1)]


def test_without_a_complete_location_each_line_goes_to_the_first_that_has_it() -> None:
    stock = _stock((1, 1, "A", 5), (2, 2, "B", 5))
    plan = plan_allocations([Need(0, "A", 2), Need(1, "B", 1)], stock)
    assert _where(plan) == [(0, 1, 2), (1, 2, 1)]


def test_a_line_is_split_when_no_single_location_has_enough() -> None:
    stock = _stock((1, 1, "A", 2), (2, 2, "A", 2))
    plan = plan_allocations([Need(0, "A", 3)], stock)
    assert _where(plan) == [(0, 1, 2), (0, 2, 1)]


def test_units_that_nowhere_have_stock_stay_open() -> None:
    plan = plan_allocations([Need(0, "A", 5)], _stock((1, 1, "A", 2)))
    assert sum(a.quantity for a in plan) == 2


def test_the_same_sku_on_two_lines_is_not_promised_twice() -> None:
    plan = plan_allocations([Need(0, "A", 2), Need(1, "A", 2)], _stock((1, 1, "A", 3)))
    assert sum(a.quantity for a in plan) == 3


# -- sharing stock between orders, location filters ------------------------------------------


@dataclass(frozen=True)
class Offered:
    position_id: int
    location_id: int
    sku: str
    available: int
    priority: int
    capabilities: frozenset[str] = frozenset({"ship"})


def test_the_planner_serves_orders_first_come_first_served_and_sums_what_it_handed_out() -> None:
    planner = StockPlanner([Offered(10, 1, "A", 3, 1), Offered(11, 2, "A", 1, 2)])
    first = planner.plan([Need(1, "A", 2)])
    second = planner.plan([Need(1, "A", 2)])
    third = planner.plan([Need(1, "A", 2)])
    assert _where(first) == [(1, 1, 2)]
    assert _where(second) == [(1, 1, 1), (1, 2, 1)]  # what the first left, then the next
    assert third == []
    assert dict(planner.reserved) == {10: 3, 11: 1}


def test_the_planner_never_takes_from_a_location_that_cannot_ship_or_that_is_avoided() -> None:
    pickup_store = Offered(20, 3, "A", 9, 0, frozenset({"pickup"}))
    planner = StockPlanner([pickup_store, Offered(21, 1, "A", 5, 1), Offered(22, 2, "A", 5, 2)])
    assert _where(planner.plan([Need(1, "A", 1)], excluded_location_ids={1})) == [(1, 2, 1)]
    assert 20 not in planner.reserved


def test_stores_that_ship_and_drop_shipping_suppliers_ship_parcels_pickup_alone_does_not() -> None:
    assert can_ship_parcels({"ship_from_store", "pickup"})
    assert can_ship_parcels({"dropship"})
    assert not can_ship_parcels({"pickup"})
    assert not can_ship_parcels(set())
