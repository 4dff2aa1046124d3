"""The rules of supply without a database: the purchase order lifecycle, receiving checks and
the replenishment arithmetic."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordnung.core.errors import InvalidTransitionError, ValidationError
from ordnung.purchasing import model
from ordnung.purchasing.model import (
    OpenLine,
    OrderMinimum,
    ReplenishmentRule,
    SupplierTerms,
    check_receipt,
    meet_minimum,
    suggest,
)

RULE = ReplenishmentRule("SKU-1", 1, reorder_point=10, minimum=2, maximum=50, supplier_id=7)
TERMS = SupplierTerms(supplier_id=7, unit_price=Decimal("2.50"), pack_size=12)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("draft", "sent"),
        ("draft", "cancelled"),
        ("sent", "confirmed"),
        ("sent", "cancelled"),
        ("confirmed", "partially_received"),
        ("confirmed", "received"),
        ("confirmed", "cancelled"),
        ("partially_received", "partially_received"),
        ("partially_received", "received"),
    ],
)
def test_the_declared_transitions_are_allowed(current: str, target: str) -> None:
    model.check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("draft", "confirmed"),
        ("draft", "received"),
        ("partially_received", "cancelled"),
        ("received", "cancelled"),
        ("cancelled", "sent"),
        ("received", "partially_received"),
        ("confirmed", "sent"),
    ],
)
def test_other_moves_are_refused(current: str, target: str) -> None:
    with pytest.raises(InvalidTransitionError):
        model.check_transition(current, target)


def test_numbers_count_per_year_with_six_digits() -> None:
    assert model.purchase_order_number(2026, 123) == "PO-2026-000123"


def test_receiving_more_than_is_open_is_refused_naming_the_line_and_what_is_open() -> None:
    lines = [OpenLine(1, "SKU-1", 10, 4), OpenLine(2, "SKU-2", 5, 0)]
    with pytest.raises(ValidationError) as refused:
        check_receipt(lines, {1: 7, 2: 5})
    (error,) = refused.value.extra["errors"]
    assert error["field"] == "lines[1].quantity"
    assert "only 6 of 10 units of SKU-1 are still open" in error["message"]


def test_a_receipt_of_nothing_is_refused() -> None:
    with pytest.raises(ValidationError):
        check_receipt([OpenLine(1, "SKU-1", 10, 0)], {1: 0})


def test_status_after_receipt_is_received_only_when_nothing_is_open() -> None:
    assert model.status_after_receipt([OpenLine(1, "A", 5, 5), OpenLine(2, "B", 3, 1)]) == (
        "partially_received"
    )
    assert model.status_after_receipt([OpenLine(1, "A", 5, 5)]) == "received"


def test_no_suggestion_while_projected_stock_is_above_the_reorder_point() -> None:
    # 20 on hand − 5 reserved + 0 incoming = 15 > 10
    assert suggest(RULE, on_hand=20, reserved=5, incoming=0, terms=TERMS) is None


def test_open_supply_counts_towards_projected_stock() -> None:
    # 5 − 0 + 6 incoming = 11 > 10: what is on its way is not ordered twice
    assert suggest(RULE, on_hand=5, reserved=0, incoming=6, terms=TERMS) is None


def test_suggestion_fills_up_to_the_maximum_in_whole_packs() -> None:
    # 12 on hand − 4 reserved + 0 = 8 ≤ 10 → 50 − 8 = 42 → 4 packs of 12 = 48
    found = suggest(RULE, on_hand=12, reserved=4, incoming=0, terms=TERMS)
    assert found is not None
    assert (found.projected, found.quantity, found.is_urgent) == (8, 48, False)
    assert found.supplier_id == 7


def test_exactly_at_the_reorder_point_suggests_and_below_minimum_is_urgent() -> None:
    at_point = suggest(RULE, on_hand=10, reserved=0, incoming=0, terms=None)
    assert at_point is not None and at_point.quantity == 40
    urgent = suggest(RULE, on_hand=3, reserved=5, incoming=0, terms=None)
    assert urgent is not None and urgent.projected == -2 and urgent.is_urgent
    assert urgent.quantity == 52


def test_the_minimum_order_quantity_raises_the_most_urgent_line_by_whole_packs() -> None:
    calm = suggest(RULE, on_hand=9, reserved=0, incoming=0, terms=TERMS)
    pressed = suggest(
        ReplenishmentRule("SKU-2", 1, 10, 0, 20), on_hand=0, reserved=0, incoming=0, terms=TERMS
    )
    assert calm is not None and pressed is not None
    assert (calm.quantity, pressed.quantity) == (48, 24)
    lines = meet_minimum([(calm, 12), (pressed, 12)], OrderMinimum(quantity=100))
    assert [(s.sku, q) for s, q in lines] == [("SKU-1", 48), ("SKU-2", 60)]


def test_the_minimum_order_value_is_met_too() -> None:
    line = suggest(RULE, on_hand=10, reserved=0, incoming=0, terms=TERMS)
    assert line is not None  # 48 units × 2.50 = 120.00
    [(_, quantity)] = meet_minimum([(line, 12)], OrderMinimum(value=Decimal("150")))
    assert quantity == 60  # 150.00 reached with one more pack


def test_a_free_sku_cannot_meet_a_value_minimum_and_does_not_loop() -> None:
    free = SupplierTerms(supplier_id=7, unit_price=Decimal("0"), pack_size=1)
    line = suggest(RULE, on_hand=10, reserved=0, incoming=0, terms=free)
    assert line is not None
    [(_, quantity)] = meet_minimum([(line, 1)], OrderMinimum(quantity=1, value=Decimal("10")))
    assert quantity == line.quantity


def test_rule_levels_must_be_in_order() -> None:
    with pytest.raises(ValidationError) as refused:
        model.check_rule(ReplenishmentRule("SKU-1", 1, reorder_point=10, minimum=12, maximum=8))
    fields = {e["field"] for e in refused.value.extra["errors"]}
    assert fields == {"minimum", "maximum"}
