"""The promise kept on an order line: the dates of its parts, and the customer's wish. Pure.

A line's units may come from several places — stock at one or more locations, supply still
on its way — and the line is delivered when its last unit is. So:

- the line's earliest dates are the latest of its parts' (ship day and delivery day each);
- a line with units that nothing can be promised for (waiting for stock, no supply on its
  way) has no promise at all;
- a requested delivery date later than the earliest delivery moves the promise to it:
  delivery = the requested date, and each part ships on the latest working day from which
  it still arrives by then (never before its earliest ship day). A requested date earlier
  than the earliest delivery changes nothing: the promise stays the earliest, and the line
  shows that it misses the request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ordnung.promising.calendar import MAX_DAYS_AHEAD, Calendar


@dataclass(frozen=True, slots=True)
class PartDates:
    """When one part of a line can ship and arrive (no postal code: delivery unknown), with
    the calendar and transit days it goes by."""

    ship_on: date
    delivery_on: date | None
    calendar: Calendar
    transit_days: int


@dataclass(frozen=True, slots=True)
class LinePromise:
    """The dates promised for a line; both None when nothing can be promised."""

    ship_on: date | None = None
    delivery_on: date | None = None


NO_PROMISE = LinePromise()


def promise_for_line(parts: Sequence[PartDates], requested_on: date | None) -> LinePromise:
    """The line's promise from its parts (see the module docs); no parts, no promise."""
    if not parts:
        return NO_PROMISE
    deliveries = [part.delivery_on for part in parts]
    earliest_delivery = None if None in deliveries else max(d for d in deliveries if d)
    if requested_on is None or earliest_delivery is None or requested_on <= earliest_delivery:
        return LinePromise(max(part.ship_on for part in parts), earliest_delivery)
    ship_on = max(_ship_day_for(part, requested_on) for part in parts)
    return LinePromise(ship_on, requested_on)


def _ship_day_for(part: PartDates, deliver_by: date) -> date:
    """The latest working day from which the part still arrives by `deliver_by`, but not
    before the day it can ship at the earliest."""
    day = _working_day_on_or_before(part.calendar, deliver_by)
    for _ in range(part.transit_days):
        day = _working_day_on_or_before(part.calendar, day - timedelta(days=1))
    return max(day, part.ship_on)


def _working_day_on_or_before(calendar: Calendar, day: date) -> date:
    for _ in range(MAX_DAYS_AHEAD):
        if calendar.is_working_day(day):
            return day
        day -= timedelta(days=1)
    raise ValueError("no working day within a year: check the working weekdays")


def later_of(first: LinePromise, second: LinePromise) -> LinePromise:
    """The promise of a line whose units were placed at two moments: the later dates of the
    two (a part without a promise leaves the line without one)."""
    if first.ship_on is None or second.ship_on is None:
        return NO_PROMISE
    deliveries = (first.delivery_on, second.delivery_on)
    delivery_on = None if None in deliveries else max(d for d in deliveries if d)
    return LinePromise(max(first.ship_on, second.ship_on), delivery_on)
