from ordnung.sourcing.model import Candidate, Need, plan_allocations


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
