"""The business calendar: weekends, public holidays per federal state, the cut-off."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from ordnung.promising.calendar import Calendar, earliest_ship_day, ship_day_after_arrival

BERLIN = "Europe/Berlin"
# 2026-06-04 is Corpus Christi (Fronleichnam), a Thursday: a holiday in Bavaria, not in Berlin.
CORPUS_CHRISTI = date(2026, 6, 4)


def _ship(now: datetime, calendar: Calendar, cutoff: time = time(14, 0), handling: int = 0):
    return earliest_ship_day(
        now, calendar=calendar, time_zone=BERLIN, cutoff=cutoff, handling_days=handling
    )


def test_an_order_on_saturday_ships_on_monday() -> None:
    saturday_morning = datetime(2026, 6, 13, 7, 0, tzinfo=UTC)
    ship = _ship(saturday_morning, Calendar("NW"))
    assert ship.ship_on == date(2026, 6, 15)
    assert [day.on for day in ship.skipped] == [date(2026, 6, 13), date(2026, 6, 14)]
    assert not ship.is_today_working_day


def test_corpus_christi_is_skipped_in_bavaria_but_not_in_berlin() -> None:
    wednesday_evening = datetime(2026, 6, 3, 16, 0, tzinfo=UTC)  # 18:00 in Berlin
    bavaria = _ship(wednesday_evening, Calendar("BY", language="de"))
    berlin = _ship(wednesday_evening, Calendar("BE"))
    assert berlin.ship_on == CORPUS_CHRISTI
    assert bavaria.ship_on == date(2026, 6, 5)
    assert [(d.on, d.why, d.holiday_name) for d in bavaria.skipped] == [
        (CORPUS_CHRISTI, "holiday", "Fronleichnam")
    ]


def test_before_the_cut_off_today_counts_after_it_the_next_working_day() -> None:
    calendar = Calendar("NW")
    # 13:59 and 14:00 local time (summer: UTC+2) on Tuesday 2026-06-09.
    before = _ship(datetime(2026, 6, 9, 11, 59, tzinfo=UTC), calendar)
    at_cutoff = _ship(datetime(2026, 6, 9, 12, 0, tzinfo=UTC), calendar)
    assert (before.ship_on, before.is_before_cutoff) == (date(2026, 6, 9), True)
    assert (at_cutoff.ship_on, at_cutoff.is_before_cutoff) == (date(2026, 6, 10), False)


def test_the_cut_off_is_read_in_the_location_time_zone_not_in_utc() -> None:
    # 23:30 UTC on Monday is already 01:30 on Tuesday in Berlin: before the cut-off, Tuesday.
    ship = _ship(datetime(2026, 6, 8, 23, 30, tzinfo=UTC), Calendar("NW"))
    assert ship.ship_on == date(2026, 6, 9)


def test_handling_days_count_working_days_only() -> None:
    friday_morning = datetime(2026, 6, 12, 6, 0, tzinfo=UTC)
    ship = _ship(friday_morning, Calendar("NW"), handling=2)
    assert ship.ship_on == date(2026, 6, 16)  # Fri + Mon, Tue (weekend skipped)


def test_goods_arriving_ship_from_the_next_working_day() -> None:
    ship_on, skipped = ship_day_after_arrival(
        date(2026, 6, 3), calendar=Calendar("BY"), handling_days=0
    )
    assert ship_on == date(2026, 6, 5)
    assert [day.on for day in skipped] == [CORPUS_CHRISTI]


def test_a_saturday_working_store_ships_on_saturday() -> None:
    store = Calendar("NW", frozenset({1, 2, 3, 4, 5, 6}))
    assert _ship(datetime(2026, 6, 13, 7, 0, tzinfo=UTC), store).ship_on == date(2026, 6, 13)
