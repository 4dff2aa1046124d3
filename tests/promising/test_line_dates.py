"""The rules of a line's promise, without a database: the latest of its parts, a later
requested date honoured by shipping as late as still arrives in time, none when a part has
no promise."""

from __future__ import annotations

from datetime import date

from ordnung.promising.calendar import Calendar
from ordnung.promising.line_dates import (
    NO_PROMISE,
    LinePromise,
    PartDates,
    later_of,
    promise_for_line,
)

NRW = Calendar("NW")
# Monday 28 December 2026 ships, 2 transit days: Wednesday 30.
HAMBURG = PartDates(date(2026, 12, 28), date(2026, 12, 30), NRW, 2)
# Ships Wednesday 30, 1 transit day: Thursday 31.
MUNICH = PartDates(date(2026, 12, 30), date(2026, 12, 31), NRW, 1)


def test_a_line_without_parts_has_no_promise() -> None:
    assert promise_for_line([], date(2027, 1, 15)) == NO_PROMISE


def test_a_line_from_two_places_is_promised_when_the_last_part_ships_and_arrives() -> None:
    assert promise_for_line([HAMBURG, MUNICH], None) == LinePromise(
        date(2026, 12, 30), date(2026, 12, 31)
    )


def test_a_requested_date_earlier_than_the_earliest_delivery_changes_nothing() -> None:
    assert promise_for_line([HAMBURG], date(2026, 12, 29)) == LinePromise(
        date(2026, 12, 28), date(2026, 12, 30)
    )


def test_a_later_requested_date_is_promised_and_the_parcel_leaves_just_in_time() -> None:
    # Friday 8 January: two working days before is Wednesday 6 (no holiday in NRW).
    assert promise_for_line([HAMBURG], date(2027, 1, 8)) == LinePromise(
        date(2027, 1, 6), date(2027, 1, 8)
    )


def test_a_requested_sunday_counts_back_from_the_friday_before() -> None:
    # Sunday 10 January → Friday 8 → two working days back: Wednesday 6.
    assert promise_for_line([HAMBURG], date(2027, 1, 10)) == LinePromise(
        date(2027, 1, 6), date(2027, 1, 10)
    )


def test_counting_back_skips_public_holidays() -> None:
    # Monday 4 January 2027: back over the weekend and New Year's Day to Wednesday 30 (no
    # earlier than Hamburg's earliest ship day).
    assert promise_for_line([HAMBURG], date(2027, 1, 4)) == LinePromise(
        date(2026, 12, 30), date(2027, 1, 4)
    )


def test_a_request_for_a_holiday_just_after_the_earliest_delivery_ships_at_once() -> None:
    # New Year's Day: the last delivery day before it is Thursday 31, one transit day back
    # is Wednesday 30 — Munich's earliest ship day; the promise is the day asked for.
    assert promise_for_line([MUNICH], date(2027, 1, 1)) == LinePromise(
        date(2026, 12, 30), date(2027, 1, 1)
    )


def test_without_a_known_delivery_the_request_does_not_move_the_ship_day() -> None:
    unknown = PartDates(date(2026, 12, 28), None, NRW, 0)
    assert promise_for_line([unknown], date(2027, 1, 15)) == LinePromise(date(2026, 12, 28), None)


def test_units_placed_at_two_moments_keep_the_later_promise() -> None:
    first = LinePromise(date(2026, 12, 28), date(2026, 12, 30))
    second = LinePromise(date(2027, 1, 4), date(2027, 1, 6))
    assert later_of(first, second) == second
    assert later_of(second, first) == second
    assert later_of(first, NO_PROMISE) == NO_PROMISE
