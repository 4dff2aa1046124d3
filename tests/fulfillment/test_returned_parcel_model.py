"""The returned parcel's rules without a database: which shipments may come back, and how a
parcel's units must be split between the shelf and the write-off."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordnung.core.errors import InvalidTransitionError, ValidationError
from ordnung.fulfillment import returned_parcel_model as rules
from ordnung.fulfillment.model import SHIPMENT_STATUSES

LINES = [rules.ParcelLine(1, "SKU-1", 2), rules.ParcelLine(2, "SKU-2", 1)]


@pytest.mark.parametrize("status", ["shipped", "in_transit", "out_for_delivery", "exception"])
def test_a_parcel_on_its_way_can_come_back_to_sender(status: str) -> None:
    rules.check_shipment_transition(7, status, rules.RETURNED_TO_SENDER)
    assert status in rules.shipment_sources(rules.RETURNED_TO_SENDER)
    assert rules.record_problem(7, status, parcel_exists=False) is None


def test_a_delivered_or_returned_parcel_cannot_come_back_again() -> None:
    with pytest.raises(InvalidTransitionError):
        rules.check_shipment_transition(7, rules.DELIVERED, rules.RETURNED_TO_SENDER)
    assert "cannot come back" in str(rules.record_problem(7, rules.DELIVERED, False))
    assert "already recorded" in str(rules.record_problem(7, rules.RETURNED_TO_SENDER, False))
    assert "already recorded" in str(rules.record_problem(7, rules.IN_TRANSIT, True))


def test_only_the_known_reasons_are_taken() -> None:
    assert rules.check_reason("refused") == "refused"
    with pytest.raises(ValidationError):
        rules.check_reason("stolen")
    with pytest.raises(ValidationError):
        rules.check_note("x" * (rules.MAX_NOTE_LENGTH + 1))


def test_every_line_must_be_split_in_full() -> None:
    settled = rules.check_settlement(
        rules.WAITING,
        LINES,
        [rules.LineSettlement(1, 1, 1), rules.LineSettlement(2, 0, 1)],
    )
    assert rules.units_by_sku(LINES, settled) == [
        {"sku": "SKU-1", "restocked": 1, "written_off": 1},
        {"sku": "SKU-2", "restocked": 0, "written_off": 1},
    ]
    with pytest.raises(ValidationError, match="missing: 2"):
        rules.check_settlement(rules.WAITING, LINES, [rules.LineSettlement(1, 2, 0)])
    with pytest.raises(ValidationError, match="named twice"):
        rules.check_settlement(
            rules.WAITING, LINES, [rules.LineSettlement(1, 2, 0), rules.LineSettlement(1, 2, 0)]
        )
    with pytest.raises(InvalidTransitionError):
        rules.check_settlement(rules.PROCESSED, LINES, [rules.LineSettlement(1, 2, 0)])


@given(restocked=st.integers(-3, 5), written_off=st.integers(-3, 5))
def test_a_split_is_taken_exactly_when_it_covers_every_unit(
    restocked: int, written_off: int
) -> None:
    line = [rules.ParcelLine(1, "SKU-1", 3)]
    is_whole = restocked >= 0 and written_off >= 0 and restocked + written_off == 3
    try:
        rules.check_settlement(
            rules.WAITING, line, [rules.LineSettlement(1, restocked, written_off)]
        )
    except ValidationError:
        assert not is_whole
    else:
        assert is_whole


def test_the_transition_table_covers_exactly_the_declared_shipment_statuses() -> None:
    assert set(rules.SHIPMENT_TRANSITIONS) == set(SHIPMENT_STATUSES)
