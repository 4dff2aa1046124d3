"""The fulfilment model's rules for exceptions, without a database."""

import pytest

from ordnung.core.errors import InvalidTransitionError, ValidationError
from ordnung.fulfillment import model
from ordnung.fulfillment.model import MissingUnits, PickLine

LINES = [PickLine(1, 10, "SKU-1", 3), PickLine(2, 11, "SKU-2", 1)]


def test_picking_starts_only_from_accepted_and_may_ship_or_be_cancelled() -> None:
    # Removing a package takes packed work back to picking; starting to pick does not.
    assert model.allowed_sources(model.PICKING) == {model.ACCEPTED, model.PACKED}
    model.check_start_picking(model.ACCEPTED)
    for status in (model.RELEASED, model.PACKED, model.PICKING):
        with pytest.raises(InvalidTransitionError):
            model.check_start_picking(status)
    model.check_transition(model.PICKING, model.SHIPPED)
    model.check_transition(model.PICKING, model.CANCELLED)
    with pytest.raises(InvalidTransitionError):
        model.check_transition(model.RELEASED, model.PICKING)
    with pytest.raises(InvalidTransitionError):
        model.check_transition(model.PICKING, model.REJECTED)


def test_a_cancel_asks_only_where_picking_has_started() -> None:
    assert model.CANCELLATION_NEEDS_CONSENT == {model.PICKING, model.PACKED}
    assert model.RELEASED in model.CANCELLABLE_WITHOUT_ASKING
    assert model.ACCEPTED in model.CANCELLABLE_WITHOUT_ASKING
    assert not model.CANCELLATION_NEEDS_CONSENT & model.CANCELLABLE_WITHOUT_ASKING


def test_a_short_pick_within_the_remaining_units_is_fine() -> None:
    model.check_short_pick(model.PICKING, LINES, [MissingUnits(1, 3)])
    model.check_short_pick(model.ACCEPTED, LINES, [MissingUnits(1, 1), MissingUnits(2, 1)])


@pytest.mark.parametrize("status", [model.RELEASED, model.PACKED, model.SHIPPED])
def test_a_short_pick_needs_an_accepted_or_picking_fulfilment_order(status: str) -> None:
    with pytest.raises(InvalidTransitionError):
        model.check_short_pick(status, LINES, [MissingUnits(1, 1)])


@pytest.mark.parametrize(
    ("reported", "field"),
    [
        ([], "lines"),
        ([MissingUnits(1, 4)], "lines.0.missing"),
        ([MissingUnits(1, 0)], "lines.0.missing"),
        ([MissingUnits(9, 1)], "lines.0.line_id"),
        ([MissingUnits(2, 1), MissingUnits(2, 1)], "lines.1.line_id"),
    ],
)
def test_a_short_pick_names_each_open_line_once_with_what_it_holds(
    reported: list[MissingUnits], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        model.check_short_pick(model.PICKING, LINES, reported)
    assert refused.value.extra["field"] == field


def test_the_fulfilment_order_closes_only_when_every_unit_is_missing() -> None:
    assert model.is_whole_fulfillment_order_missing(LINES, [MissingUnits(1, 3), MissingUnits(2, 1)])
    assert not model.is_whole_fulfillment_order_missing(LINES, [MissingUnits(1, 3)])
    assert not model.is_whole_fulfillment_order_missing(
        LINES, [MissingUnits(1, 2), MissingUnits(2, 1)]
    )
