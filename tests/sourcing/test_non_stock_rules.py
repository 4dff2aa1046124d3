"""The pure rules for non-stock products: where their units ride along (sourcing/model.py
`ride_along`) and that the stock-policy holds never look at them (orders/stock_policy.py).
No database."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ordnung.orders.stock_policy import (
    SkuPolicy,
    backorder_hold,
    non_stock_skus,
    waiting_for_release,
)
from ordnung.sourcing.model import Allocation, Need, StockPlanner, ride_along
from tests.orders.test_order_model import _order

WRAP = Need(3, "WRAP-1", 2)


def test_non_stock_units_go_to_the_first_location_of_the_plan() -> None:
    plan = [Allocation(1, "SKU-1", 7, 70, 1), Allocation(2, "SKU-2", 9, 90, 1)]
    assert ride_along([WRAP], plan, [1, 2]) == [Allocation(3, "WRAP-1", 7, None, 2)]


def test_without_a_plan_they_go_to_the_first_fallback_location() -> None:
    assert ride_along([WRAP], [], [5, 1]) == [Allocation(3, "WRAP-1", 5, None, 2)]


def test_with_nowhere_to_go_they_stay_open() -> None:
    assert ride_along([WRAP], [], []) == []
    assert ride_along([Need(3, "WRAP-1", 0)], [], [5]) == []


@given(
    needs=st.lists(st.integers(1, 5), min_size=1, max_size=4),
    fallback=st.lists(st.integers(1, 9), min_size=1, max_size=3),
)
def test_riding_units_are_whole_lines_at_one_location_and_never_at_a_position(
    needs: list[int], fallback: list[int]
) -> None:
    wanted = [Need(n, f"NS-{n}", units) for n, units in enumerate(needs, 1)]
    rides = ride_along(wanted, [], fallback)
    assert [(a.line_key, a.quantity) for a in rides] == [(n.line_key, n.quantity) for n in wanted]
    assert {a.location_id for a in rides} == {fallback[0]}
    assert all(a.position_id is None for a in rides)


def test_the_planner_books_no_stock_for_riding_units() -> None:
    planner = StockPlanner([])
    planner.take([Allocation(1, "WRAP-1", 1, None, 4)])
    assert dict(planner.reserved) == {}


def test_a_non_stock_policy_is_never_waiting_for_release_nor_held_for_backorders() -> None:
    policies = {
        "WRAP-1": SkuPolicy("non_stock", allow_backorder=False, release_on=date(2099, 1, 1)),
        "PRE-1": SkuPolicy("preorder", release_on=date(2099, 1, 1)),
    }
    assert non_stock_skus(policies) == {"WRAP-1"}
    assert waiting_for_release(policies, date(2030, 1, 1)) == {"PRE-1"}


def test_the_backorder_hold_ignores_a_non_stock_sku_without_backorders() -> None:
    order = _order([("2", "4.95", "19"), ("1", "19.99", "19")])  # S0 wrapping, S1 goods
    policies = {
        "S0": SkuPolicy("non_stock", allow_backorder=False),
        "S1": SkuPolicy("stocked", allow_backorder=False),
    }
    held = backorder_hold(order, policies, {"S1": 0}, date(2030, 1, 1))
    assert held is not None and held.detail.endswith(": S1")
    assert backorder_hold(order, policies, {"S1": 1}, date(2030, 1, 1)) is None
