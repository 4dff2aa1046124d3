"""The business calendar of a location: working weekdays, public holidays of its German
federal state (the maintained `holidays` package), the daily cut-off in its time zone, and
the earliest ship date that follows from them. Pure: no database, the time is passed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

# ISO weekday numbers (Monday = 1 … Sunday = 7).
MONDAY_TO_FRIDAY: frozenset[int] = frozenset({1, 2, 3, 4, 5})
# Never look further than this for the next working day: a calendar with no working day
# at all is refused when stored, so this only guards against a bug looping forever.
MAX_DAYS_AHEAD = 400

WEEKEND = "weekend"
HOLIDAY = "holiday"


@dataclass(frozen=True, slots=True)
class SkippedDay:
    """A day the calendar passed over, and why (`weekend` = not a working weekday)."""

    on: date
    why: str
    holiday_name: str = ""


@dataclass(frozen=True, slots=True)
class Calendar:
    """Working days of one place: its weekdays, minus public holidays of its federal state."""

    federal_state: str = ""  # "" = nationwide holidays only
    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    language: str = "de"

    def holiday_name(self, day: date) -> str | None:
        return _holidays(self.federal_state, day.year, self.language).get(day)

    def skipped(self, day: date) -> SkippedDay | None:
        """Why `day` is no working day, or None if it is one."""
        if day.isoweekday() not in self.working_weekdays:
            return SkippedDay(day, WEEKEND)
        name = self.holiday_name(day)
        if name is not None:
            return SkippedDay(day, HOLIDAY, name)
        return None

    def is_working_day(self, day: date) -> bool:
        return self.skipped(day) is None

    def add_working_days(self, start: date, days: int) -> tuple[date, list[SkippedDay]]:
        """The working day `days` working days after `start` (a working day itself), with
        the days passed over on the way."""
        passed: list[SkippedDay] = []
        day = start
        for _ in range(days):
            day, skipped = self.next_working_day(day + timedelta(days=1))
            passed.extend(skipped)
        return day, passed

    def next_working_day(self, day: date) -> tuple[date, list[SkippedDay]]:
        """`day` if it is a working day, else the first after it; with the days skipped."""
        passed: list[SkippedDay] = []
        for _ in range(MAX_DAYS_AHEAD):
            skipped = self.skipped(day)
            if skipped is None:
                return day, passed
            passed.append(skipped)
            day += timedelta(days=1)
        raise ValueError("no working day within a year: check the working weekdays")


@lru_cache(maxsize=256)
def _holidays(state: str, year: int, language: str) -> dict[date, str]:
    # Built once per state, year and language: the library computes Easter and friends.
    found = holidays.country_holidays("DE", subdiv=state or None, years=year, language=language)
    return dict(found.items())


def federal_states() -> tuple[str, ...]:
    """The German federal states as ISO 3166-2 codes without `DE-` (BY, NW, …)."""
    return tuple(
        code
        for code in holidays.country_holidays("DE").subdivisions
        if len(code) == 2 and code.isupper()
    )


@dataclass(frozen=True, slots=True)
class ShipDay:
    """The earliest day a location can hand a parcel to the carrier, and how it was found."""

    ship_on: date
    local_now: datetime
    is_before_cutoff: bool
    is_today_working_day: bool
    handling_days: int
    skipped: list[SkippedDay] = field(default_factory=list)


def earliest_ship_day(
    now: datetime,
    *,
    calendar: Calendar,
    time_zone: str,
    cutoff: time,
    handling_days: int,
) -> ShipDay:
    """Today if it is a working day and the location's local time is before its cut-off,
    else the next working day; then `handling_days` more working days."""
    local_now = now.astimezone(_zone(time_zone))
    is_before_cutoff = local_now.time() < cutoff
    ship_on, is_working, skipped = _ship_plan(
        calendar, local_now.date(), is_before_cutoff, handling_days
    )
    return ShipDay(
        ship_on=ship_on,
        local_now=local_now,
        is_before_cutoff=is_before_cutoff,
        is_today_working_day=is_working,
        handling_days=handling_days,
        skipped=list(skipped),
    )


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


# The plan depends only on the day and which side of the cut-off it is, so it is worked out
# once per location calendar and day, not once per request (the availability hot path).
@lru_cache(maxsize=4096)
def _ship_plan(
    calendar: Calendar, today: date, is_before_cutoff: bool, handling_days: int
) -> tuple[date, bool, tuple[SkippedDay, ...]]:
    is_working = calendar.is_working_day(today)
    skipped: list[SkippedDay] = []
    if is_working and is_before_cutoff:
        start = today
    else:
        start, skipped = calendar.next_working_day(today + timedelta(days=1))
        if not is_working:
            skipped.insert(0, calendar.skipped(today) or SkippedDay(today, WEEKEND))
    ship_on, more = calendar.add_working_days(start, handling_days)
    return ship_on, is_working, tuple(skipped + more)


@lru_cache(maxsize=16384)
def working_days_after(
    calendar: Calendar, start: date, days: int
) -> tuple[date, tuple[SkippedDay, ...]]:
    """`Calendar.add_working_days`, remembered (transit days from a ship day)."""
    day, skipped = calendar.add_working_days(start, days)
    return day, tuple(skipped)


def ship_day_after_arrival(
    arrives_on: date, *, calendar: Calendar, handling_days: int
) -> tuple[date, list[SkippedDay]]:
    """Goods expected on `arrives_on` are booked in that day and counted as arriving after
    the cut-off: they can ship from the next working day on, plus the handling days."""
    start, skipped = calendar.next_working_day(arrives_on + timedelta(days=1))
    ship_on, more = calendar.add_working_days(start, handling_days)
    return ship_on, skipped + more
