"""Dates for order lines, asked by sourcing whenever it places units: from a location's
stock, or from supply on its way. Read-only: promising answers, and the orders side stores
the answer on its lines (promising writes no order table).

One `LineDating` serves one transaction (an intake batch, a re-sourcing): the locations and
their settings come from a snapshot kept like availability's, looked at afresh at most once
a second (`recent_places_and_settings`: an edit in another process reaches intake's
promises within a second), supply on its way is read once for all the SKUs that need it, and each
(location, postal code) pair is worked out once. Nothing is read until a date is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime

from sqlalchemy.engine import Connection

from ordnung.promising.availability import recent_places_and_settings
from ordnung.promising.incoming import incoming_for
from ordnung.promising.line_dates import PartDates
from ordnung.promising.model import (
    Destination,
    Incoming,
    Place,
    PromiseSettings,
    Timing,
    timing_from_arrival,
    timing_from_stock,
)
from ordnung.promising.regions import postal_regions, zone_for
from ordnung.promising.snapshot import forget_snapshots

__all__ = ["LineDating"]


class LineDating:
    """Dates for the lines of one transaction's orders (see the module docs)."""

    def __init__(self, connection: Connection, now: datetime, skus: Collection[str]) -> None:
        self._connection = connection
        self._minute = now.replace(second=0, microsecond=0)  # ship days are cached per minute
        self._skus = frozenset(skus)
        self._network: tuple[dict[int, Place], dict[int, PromiseSettings]] | None = None
        self._incoming: dict[str, list[Incoming]] | None = None
        self._from_stock: dict[tuple[int, str], PartDates] = {}  # by location and zone
        self._from_arrival: dict[tuple[int, date, str], PartDates] = {}

    def from_stock(self, location_id: int, postal_code: str) -> PartDates:
        """Units on the shelf of this location now, going to this postal code."""
        place, settings = self._place(location_id)
        # The dates depend on the destination only through its zone: worked out once per
        # location and zone, not once per customer.
        key = (location_id, zone_for(place.postal_code, postal_code.strip()).name)
        found = self._from_stock.get(key)
        if found is None:
            found = self._from_stock[key] = _STOCK_PARTS.dated(
                (place, settings, key[1]),
                self._minute,
                lambda: _part(
                    timing_from_stock(place, settings, self._minute, _to(postal_code)), settings
                ),
            )
        return found

    def from_incoming(self, sku: str, postal_code: str) -> PartDates | None:
        """Units that wait for stock: the earliest supply of the SKU on its way to a location
        that ships parcels (whoever else waits for it too), or None if none is."""
        if self._incoming is None:
            self._incoming = {}
            for supply in incoming_for(self._connection, self._skus):
                self._incoming.setdefault(supply.sku, []).append(supply)
        parts = [
            self._arrival(supply, postal_code)
            for supply in self._incoming.get(sku, ())
            if self._can_ship(supply.location_id)
        ]
        return min(parts, key=_earliness, default=None)

    def _arrival(self, supply: Incoming, postal_code: str) -> PartDates:
        key = (supply.location_id, supply.expected_on, postal_code)
        found = self._from_arrival.get(key)
        if found is None:
            place, settings = self._place(supply.location_id)
            timing = timing_from_arrival(place, settings, supply.expected_on, _to(postal_code))
            found = self._from_arrival[key] = _part(timing, settings)
        return found

    def _can_ship(self, location_id: int) -> bool:
        if location_id not in self._places():
            self._read_afresh()
        place = self._places().get(location_id)
        return place is not None and place.can_ship

    def _place(self, location_id: int) -> tuple[Place, PromiseSettings]:
        if location_id not in self._places():
            self._read_afresh()
        places, settings = self._loaded()
        return places[location_id], settings.get(location_id, PromiseSettings())

    def _read_afresh(self) -> None:
        """A location added within the last second, after the snapshot was read (the demo
        adds one and takes orders for it at once): read the locations again."""
        forget_snapshots()
        self._network = None

    def _places(self) -> dict[int, Place]:
        return self._loaded()[0]

    def _loaded(self) -> tuple[dict[int, Place], dict[int, PromiseSettings]]:
        if self._network is None:
            url = self._connection.engine.url.render_as_string(hide_password=True)
            self._network = recent_places_and_settings(self._connection, f"dating:{url}")
        return self._network


class _MinuteCache:
    """Dates from stock by location, settings and zone, shared by every batch of the current
    minute (ship days change only with the minute: cut-offs are whole minutes), so a busy
    intake works them out once a minute instead of once a batch. A race between threads at
    worst computes a date twice."""

    def __init__(self) -> None:
        self._minute: datetime | None = None
        self._parts: dict[tuple[Place, PromiseSettings, str], PartDates] = {}

    def dated(
        self,
        key: tuple[Place, PromiseSettings, str],
        minute: datetime,
        compute: Callable[[], PartDates],
    ) -> PartDates:
        if minute != self._minute:
            self._minute, self._parts = minute, {}
        found = self._parts.get(key)
        if found is None:
            found = self._parts[key] = compute()
        return found


_STOCK_PARTS = _MinuteCache()


def _to(postal_code: str) -> Destination:
    return Destination(postal_code.strip(), postal_regions(), zone_for)


def _part(timing: Timing, settings: PromiseSettings) -> PartDates:
    transit = timing.zone.transit_days if timing.zone is not None else 0
    # The calendar of the location's dates (language only names holidays in reasons).
    return PartDates(timing.ship_on, timing.delivery_on, settings.calendar(), transit)


def _earliness(part: PartDates) -> tuple[date, date]:
    return (part.delivery_on or part.ship_on, part.ship_on)
