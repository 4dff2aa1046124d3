"""Drop-ship rules without a database: its own lifecycle (never received, ends shipped),
lines from a fulfilment order at the supplier's prices, the shipping report's checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordnung.core.errors import InvalidTransitionError, ValidationError
from ordnung.purchasing import model
from ordnung.purchasing.model import DROPSHIP, DropshipUnits, LineDraft, dropship_lines


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("sent", "confirmed"),
        ("sent", "shipped"),
        ("sent", "cancelled"),
        ("confirmed", "shipped"),
        ("confirmed", "cancelled"),
    ],
)
def test_a_drop_ship_order_may_be_confirmed_shipped_or_cancelled(current: str, target: str) -> None:
    model.check_transition(current, target, DROPSHIP)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("sent", "received"),
        ("sent", "partially_received"),
        ("confirmed", "confirmed"),
        ("confirmed", "received"),
        ("shipped", "cancelled"),
        ("shipped", "shipped"),
        ("cancelled", "confirmed"),
        ("draft", "sent"),  # a drop-ship order is born sent, never a draft
    ],
)
def test_a_drop_ship_order_is_never_received_and_ends_where_it_ends(
    current: str, target: str
) -> None:
    with pytest.raises(InvalidTransitionError):
        model.check_transition(current, target, DROPSHIP)


def test_a_stock_order_cannot_become_shipped() -> None:
    with pytest.raises(InvalidTransitionError):
        model.check_transition("confirmed", "shipped")
    assert model.allowed_sources("shipped") == frozenset()
    assert model.allowed_sources("shipped", DROPSHIP) == {"sent", "confirmed"}


def test_lines_sum_a_sku_over_the_fulfilment_lines_at_the_suppliers_price() -> None:
    units = [DropshipUnits("A", 2), DropshipUnits("B", 1), DropshipUnits("A", 3)]
    lines, unpriced = dropship_lines(units, {"A": Decimal("7.50")})
    assert lines == (LineDraft("A", 5, Decimal("7.50")), LineDraft("B", 1, Decimal(0)))
    assert unpriced == ("B",)


def test_shipping_needs_a_carrier_and_a_tracking_number() -> None:
    model.check_shipping("dhl", "00340434161094042557")
    with pytest.raises(ValidationError) as refused:
        model.check_shipping(" ", "")
    fields = [error["field"] for error in refused.value.extra["errors"]]
    assert fields == ["carrier", "tracking_number"]
