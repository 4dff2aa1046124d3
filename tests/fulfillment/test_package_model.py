"""Packing rules without a database: what may go into a package, when a fulfilment order
is packed, and what shipping one package leaves."""

from __future__ import annotations

import pytest

from ordnung.core.errors import InvalidTransitionError, ValidationError
from ordnung.fulfillment import package_model as rules
from ordnung.fulfillment.package_model import Measures, PackedUnits, PackLine

BOX = Measures("parcel_m", 1000, 400, 300, 200)


def _lines(packed: int = 0, shipped: int = 0) -> list[PackLine]:
    return [PackLine(1, "SKU-1", 3, shipped, packed), PackLine(2, "SKU-2", 1, 0, 0)]


def test_units_still_to_ship_and_in_no_package_can_be_packed() -> None:
    rules.check_packing("picking", _lines(packed=1), [PackedUnits(1, 2), PackedUnits(2, 1)], BOX)


@pytest.mark.parametrize(
    ("units", "field"),
    [
        ([PackedUnits(1, 3)], "lines.0.quantity"),  # one of the three is packed already
        ([PackedUnits(1, 0)], "lines.0.quantity"),
        ([PackedUnits(9, 1)], "lines.0.line_id"),
        ([PackedUnits(2, 1), PackedUnits(2, 1)], "lines.1.line_id"),
        ([], "lines"),
    ],
)
def test_more_than_is_left_an_unknown_or_repeated_line_is_refused(
    units: list[PackedUnits], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        rules.check_packing("picking", _lines(packed=1), units, BOX)
    assert refused.value.extra["field"] == field


def test_shipped_units_cannot_be_packed_again() -> None:
    with pytest.raises(ValidationError):
        rules.check_packing("picking", _lines(shipped=2, packed=1), [PackedUnits(1, 1)], BOX)


@pytest.mark.parametrize("status", ["released", "shipped", "ready_for_pickup", "cancelled"])
def test_only_work_in_hand_can_be_packed(status: str) -> None:
    with pytest.raises(InvalidTransitionError):
        rules.check_packing(status, _lines(), [PackedUnits(1, 1)], BOX)


@pytest.mark.parametrize(
    "measures",
    [
        Measures("crate", 1000),
        Measures("parcel_s", 0),
        Measures("pallet", rules.MAX_WEIGHT_GRAMS + 1),
        Measures("parcel_s", 500, length_mm=0),
        Measures("parcel_s", 500, height_mm=rules.MAX_DIMENSION_MM + 1),
    ],
)
def test_a_package_needs_a_known_type_a_weight_and_sane_dimensions(measures: Measures) -> None:
    with pytest.raises(ValidationError):
        rules.check_measures(measures)


def test_the_order_is_packed_when_every_unit_still_to_ship_is_in_a_package() -> None:
    everything = [PackLine(1, "SKU-1", 3, 1, 2), PackLine(2, "SKU-2", 1, 0, 1)]
    assert rules.becomes_packed("picking", everything)
    assert not rules.becomes_packed("picking", _lines(packed=3))  # SKU-2 is not packed
    assert not rules.becomes_packed("packed", everything)  # already there
    assert not rules.is_everything_packed([PackLine(1, "SKU-1", 3, 3, 0)])  # nothing to ship


def test_shipping_the_last_package_ships_the_order_otherwise_it_stays() -> None:
    assert rules.status_after_shipping("packed", [PackLine(1, "SKU-1", 3, 3, 0)]) == "shipped"
    assert rules.status_after_shipping("packed", [PackLine(1, "SKU-1", 3, 2, 1)]) == "packed"


def test_a_shipped_package_neither_ships_again_nor_comes_apart() -> None:
    with pytest.raises(InvalidTransitionError):
        rules.check_shippable("shipped", "packed")
    with pytest.raises(InvalidTransitionError):
        rules.check_shippable("packed", "cancelled")
    with pytest.raises(InvalidTransitionError):
        rules.check_removable("shipped")
    rules.check_shippable("packed", "picking")
