"""Available-to-promise and the delivery promise: the rules, without the database.

- What a location has *available now* is `on_hand − reserved − safety_stock`, never below 0
  (the same rule as inventory's); the network figure is the sum over locations, so one
  location's surplus never covers another's safety stock.
- What a *channel may sell* counts only locations that ship and lie in the channel's sell
  scope (none configured: all that ship); holds back safety stock unless the channel says
  not to; and holds back a buffer at each store from online channels (webshop, marketplace),
  so walk-in customers still find the shelf filled.
- The *promise* is the earliest delivery among the locations that can sell the SKU now, else
  the earliest arrival of incoming supply at such a location.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import available_timezones

from ordnung.core.errors import ValidationError
from ordnung.promising.calendar import (
    HOLIDAY,
    MONDAY_TO_FRIDAY,
    Calendar,
    ShipDay,
    SkippedDay,
    earliest_ship_day,
    federal_states,
    ship_day_after_arrival,
    working_days_after,
)
from ordnung.promising.explanations import Reason
from ordnung.promising.zones import Centroid, Zone, zone_between

SHIPPING_CAPABILITIES: frozenset[str] = frozenset({"ship", "ship_from_store"})
ONLINE_CHANNEL_TYPES: frozenset[str] = frozenset({"webshop", "marketplace"})
MAX_HANDLING_DAYS = 30
MAX_BUFFER = 1_000_000
MAX_SKUS = 100
MAX_SKU_LENGTH = 64
# How many location codes an explanation names before it says "and N more".
NAMED_LOCATIONS = 5


def invalid(field_name: str, message: str) -> ValidationError:
    return ValidationError(
        f"Invalid fields: {field_name}",
        errors=[{"field": field_name, "message": message, "type": "value_error"}],
    )


# --- settings -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PromiseSettings:
    """A location's calendar and pace. Without a stored row a location gets these defaults."""

    federal_state: str = ""  # ISO 3166-2 without "DE-" (BY, NW, …); "" = nationwide only
    time_zone: str = "Europe/Berlin"
    cutoff: time = time(14, 0)
    handling_days: int = 0
    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY

    def calendar(self, language: str = "de") -> Calendar:
        return _calendar(self.federal_state, self.working_weekdays, language)


@lru_cache(maxsize=256)
def _calendar(federal_state: str, working_weekdays: frozenset[int], language: str) -> Calendar:
    # One per state, week and language: an availability answer asks for a hundred locations'.
    return Calendar(federal_state, working_weekdays, language)


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_promise_settings(settings: PromiseSettings) -> PromiseSettings:
    """The settings, or a 422 naming the first field the rules refuse."""
    if settings.federal_state and settings.federal_state not in federal_states():
        raise invalid("federal_state", f"must be empty or one of {', '.join(federal_states())}")
    if settings.time_zone not in _time_zones():
        raise invalid("time_zone", "must be an IANA time zone such as Europe/Berlin")
    if not 0 <= settings.handling_days <= MAX_HANDLING_DAYS:
        raise invalid("handling_days", f"must be between 0 and {MAX_HANDLING_DAYS}")
    if not settings.working_weekdays or not settings.working_weekdays <= set(range(1, 8)):
        raise invalid("working_weekdays", "1 to 7 ISO weekdays (Monday = 1), at least one")
    return settings


def parse_cutoff(text: str) -> time:
    """`HH:MM` (24 hours) or a 422 naming `cutoff`."""
    try:
        parsed = time.fromisoformat(text.strip())
    except ValueError:
        raise invalid("cutoff", "must be a time of day as HH:MM, e.g. 14:00") from None
    return parsed.replace(second=0, microsecond=0, tzinfo=None)


@dataclass(frozen=True, slots=True)
class SellScope:
    """Which locations a channel may sell from (empty: all that ship) and what it holds back."""

    location_ids: frozenset[int] = frozenset()
    store_buffer: int = 0
    is_safety_stock_held: bool = True


def check_store_buffer(buffer: int) -> int:
    if not 0 <= buffer <= MAX_BUFFER:
        raise invalid("store_buffer", f"must be between 0 and {MAX_BUFFER}")
    return buffer


# --- the question ---------------------------------------------------------------------------


def parse_skus(text: str) -> list[str]:
    """A comma-separated list of 1 to 100 distinct SKUs, in the order given, or a 422."""
    skus = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not skus:
        raise invalid("skus", "name at least one SKU, comma-separated")
    if len(skus) > MAX_SKUS:
        raise invalid("skus", f"at most {MAX_SKUS} SKUs at once")
    for sku in skus:
        if len(sku) > MAX_SKU_LENGTH or not sku.isprintable():
            raise invalid("skus", f"each SKU is 1 to {MAX_SKU_LENGTH} printable characters")
    return skus


def check_postal_code(text: str | None) -> str | None:
    """A German postal code of five digits, or None when none was given; else a 422."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) == 5):
        raise invalid("postal_code", "a German postal code has five digits, e.g. 50667")
    return cleaned


# --- stock arithmetic -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """A location as the promise sees it."""

    id: int
    code: str
    name: str
    type: str
    capabilities: frozenset[str]
    postal_code: str
    priority: int = 100
    can_ship: bool = field(init=False, compare=False)

    def __post_init__(self) -> None:
        # Asked once per stock position on the hot path: decided once per location.
        can_ship = not self.capabilities.isdisjoint(SHIPPING_CAPABILITIES)
        object.__setattr__(self, "can_ship", can_ship)


@dataclass(frozen=True, slots=True)
class ChannelView:
    """The asking channel, or `ChannelView()` when none was named (no scope, no buffer)."""

    code: str = ""
    is_online: bool = False
    scope: SellScope = field(default_factory=SellScope)


class Position(NamedTuple):
    # Named tuples, not frozen dataclasses: an answer for 10 SKUs over 100 locations makes a
    # thousand of each, and a tuple is built several times faster.
    location_id: int
    on_hand: int
    reserved: int
    safety_stock: int


class LocationFigure(NamedTuple):
    """One location's figures for one SKU; `reasons` are keys (counted, not_in_scope, …)."""

    place: Place
    on_hand: int
    reserved: int
    safety_stock: int
    available: int
    sellable: int
    held_safety_stock: int
    held_store_buffer: int
    reasons: tuple[str, ...]


def location_figure(position: Position, place: Place, channel: ChannelView) -> LocationFigure:
    available = max(position.on_hand - position.reserved - position.safety_stock, 0)
    figures = (position.on_hand, position.reserved, position.safety_stock, available)
    if not place.can_ship:
        return LocationFigure(place, *figures, 0, 0, 0, ("cannot_ship",))
    scope = channel.scope
    if scope.location_ids and place.id not in scope.location_ids:
        return LocationFigure(place, *figures, 0, 0, 0, ("not_in_scope",))
    free = max(position.on_hand - position.reserved, 0)
    reasons = ["counted"]
    held_safety = min(position.safety_stock, free) if scope.is_safety_stock_held else 0
    if held_safety:
        reasons.append("safety_stock_held")
    elif position.safety_stock and not scope.is_safety_stock_held:
        reasons.append("safety_stock_sold")
    held_buffer = 0
    if channel.is_online and place.type == "store":
        held_buffer = min(scope.store_buffer, free - held_safety)
        if held_buffer:
            reasons.append("store_buffer_held")
    sellable = free - held_safety - held_buffer
    return LocationFigure(place, *figures, sellable, held_safety, held_buffer, tuple(reasons))


@dataclass(frozen=True, slots=True)
class Incoming:
    """Supply on its way to a location: an open purchase order, a transfer in transit."""

    sku: str
    location_id: int
    quantity: int
    expected_on: date
    source: str  # e.g. "purchase_order PO-0042", "transfer TR-7"


@dataclass(frozen=True, slots=True)
class SkuFigures:
    sku: str
    available: int
    sellable: int
    locations: list[LocationFigure]
    incoming: list[Incoming]
    reasons: list[Reason]


def sku_figures(
    sku: str,
    positions: Sequence[tuple[Position, Place]],
    channel: ChannelView,
    incoming: Sequence[Incoming] = (),
) -> SkuFigures:
    """Every location's figures for a SKU, the sums, and why they are what they are."""
    figures = [location_figure(position, place, channel) for position, place in positions]
    available = sum(figure.available for figure in figures)
    counted = [figure for figure in figures if "counted" in figure.reasons]
    sellable = sum(figure.sellable for figure in counted)
    reasons = _stock_reasons(figures, counted, channel, available, sellable)
    listed = sorted(incoming, key=lambda supply: (supply.expected_on, supply.location_id))
    return SkuFigures(sku, available, sellable, figures, listed, reasons)


def _stock_reasons(
    figures: list[LocationFigure],
    counted: list[LocationFigure],
    channel: ChannelView,
    available: int,
    sellable: int,
) -> list[Reason]:
    if not figures:
        return [Reason("network.none")]
    reasons = [Reason("network.counted", {"units": available, "locations": len(figures)})]
    reasons.append(Reason("channel.sellable", {"units": sellable, "locations": len(counted)}))
    held_safety = [figure for figure in counted if figure.held_safety_stock]
    if held_safety:
        units = sum(figure.held_safety_stock for figure in held_safety)
        reasons.append(Reason("held.safety_stock", {"units": units, "locations": len(held_safety)}))
    sold_safety = sum(f.safety_stock for f in counted if "safety_stock_sold" in f.reasons)
    if sold_safety:
        reasons.append(Reason("held.safety_stock_released", {"units": sold_safety}))
    buffered = [figure for figure in counted if figure.held_store_buffer]
    if buffered:
        units = sum(figure.held_store_buffer for figure in buffered)
        params: dict[str, str | int] = {
            "units": units,
            "locations": len(buffered),
            "buffer": channel.scope.store_buffer,
        }
        reasons.append(Reason("held.store_buffer", params))
    for key in ("not_in_scope", "cannot_ship"):
        left_out = [figure.place.code for figure in figures if key in figure.reasons]
        if left_out:
            reasons.append(Reason(f"excluded.{key}", {"locations": named(left_out)}))
    return reasons


def named(codes: Sequence[str]) -> str:
    """A few codes by name, the rest as a count: explanations stay short at 1,000 locations."""
    shown = ", ".join(codes[:NAMED_LOCATIONS])
    rest = len(codes) - NAMED_LOCATIONS
    return f"{shown} (+{rest})" if rest > 0 else shown


def channel_reasons(channel: ChannelView, scoped: Iterable[Place]) -> list[Reason]:
    if not channel.code:
        return [Reason("channel.none")]
    if not channel.scope.location_ids:
        return [Reason("channel.all_locations", {"channel": channel.code})]
    codes = sorted(place.code for place in scoped)
    return [Reason("channel.scope", {"channel": channel.code, "locations": named(codes)})]


# --- dates ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Timing:
    """When a location could ship a parcel that is on its shelf now, and deliver it. Its
    reasons are put into words only when asked for: a request works out the timing of every
    location, but explains only the one each SKU is promised from."""

    place: Place
    ship_on: date
    delivery_on: date | None
    zone: Zone | None
    explain: Callable[[], list[Reason]] = field(compare=False, repr=False)

    @property
    def reasons(self) -> list[Reason]:
        return self.explain()


@dataclass(frozen=True, slots=True)
class Destination:
    postal_code: str | None
    regions: Mapping[str, Centroid]
    # How the zone between two postal codes is found; the service passes a remembering one.
    zone_of: Callable[[str, str], Zone] | None = None

    def zone_from(self, origin: str) -> Zone:
        assert self.postal_code is not None
        if self.zone_of is not None:
            return self.zone_of(origin, self.postal_code)
        return zone_between(origin, self.postal_code, self.regions)


def timing_from_stock(
    place: Place,
    settings: PromiseSettings,
    now: datetime,
    destination: Destination,
    language: str = "de",
) -> Timing:
    ship = _earliest_ship_day(settings, now, language)

    def ship_reasons() -> list[Reason]:
        reasons = [_cutoff_reason(ship.local_now, ship.is_before_cutoff, settings)]
        if not ship.is_today_working_day:
            today = ship.local_now.date().isoformat()
            reasons.append(Reason("ship.not_working_day_today", {"date": today}))
        if settings.handling_days:
            reasons.append(Reason("ship.handling_days", {"days": settings.handling_days}))
        return reasons + skipped_reasons(ship.skipped, settings.federal_state)

    return _delivered(place, settings, ship.ship_on, destination, ship_reasons, language)


@lru_cache(maxsize=4096)
def _earliest_ship_day(settings: PromiseSettings, now: datetime, language: str) -> ShipDay:
    # The same for every destination: availability passes `now` to the minute (cut-offs are
    # whole minutes), so a hundred locations' ship days are worked out once a minute.
    return earliest_ship_day(
        now,
        calendar=settings.calendar(language),
        time_zone=settings.time_zone,
        cutoff=settings.cutoff,
        handling_days=settings.handling_days,
    )


def timing_from_arrival(
    place: Place,
    settings: PromiseSettings,
    arrives_on: date,
    destination: Destination,
    language: str = "de",
) -> Timing:
    ship_on, skipped = ship_day_after_arrival(
        arrives_on, calendar=settings.calendar(language), handling_days=settings.handling_days
    )

    def ship_reasons() -> list[Reason]:
        reasons = [Reason("ship.after_arrival")]
        if settings.handling_days:
            reasons.append(Reason("ship.handling_days", {"days": settings.handling_days}))
        return reasons + skipped_reasons(skipped, settings.federal_state)

    return _delivered(place, settings, ship_on, destination, ship_reasons, language)


def _cutoff_reason(local_now: datetime, is_before: bool, settings: PromiseSettings) -> Reason:
    params: dict[str, str | int] = {
        "local_time": local_now.strftime("%H:%M"),
        "time_zone": settings.time_zone,
        "cutoff": settings.cutoff.strftime("%H:%M"),
    }
    return Reason("ship.before_cutoff" if is_before else "ship.after_cutoff", params)


def skipped_reasons(skipped: Iterable[SkippedDay], state: str) -> list[Reason]:
    return [
        Reason(
            "calendar.skipped_holiday",
            {"date": day.on.isoformat(), "name": day.holiday_name, "state": state},
        )
        if day.why == HOLIDAY
        else Reason("calendar.skipped_weekend", {"date": day.on.isoformat()})
        for day in skipped
    ]


def _delivered(
    place: Place,
    settings: PromiseSettings,
    ship_on: date,
    destination: Destination,
    ship_reasons: Callable[[], list[Reason]],
    language: str,
) -> Timing:
    postal_code = destination.postal_code
    if postal_code is None:
        return Timing(
            place,
            ship_on,
            None,
            None,
            lambda: [*ship_reasons(), Reason("delivery.no_postal_code")],
        )
    zone = destination.zone_from(place.postal_code)
    # Carriers deliver on the shipping location's working days (a stand-in until carriers
    # bring their own calendars).
    delivery_on, skipped = working_days_after(
        settings.calendar(language), ship_on, zone.transit_days
    )

    def reasons() -> list[Reason]:
        return [
            *ship_reasons(),
            _zone_reason(zone, place, postal_code),
            Reason("delivery.transit", {"days": zone.transit_days, "zone": zone.name}),
            *skipped_reasons(skipped, settings.federal_state),
        ]

    return Timing(place, ship_on, delivery_on, zone, reasons)


def _zone_reason(zone: Zone, place: Place, postal_code: str) -> Reason:
    if zone.unknown_end == "destination":
        return Reason("zone.unknown_destination", {"postal_code": postal_code})
    if zone.unknown_end == "origin":
        return Reason("zone.unknown_origin", {"location": place.code})
    if zone.name == "regional":
        return Reason("zone.regional", {"region": postal_code[:2]})
    return Reason(f"zone.{zone.name}", {"km": round(zone.distance_km or 0)})


@dataclass(frozen=True, slots=True)
class Promise:
    source: str  # stock, incoming, non_stock, preorder, none
    timing: Timing | None
    reasons: list[Reason]


def non_stock_figures(sku: str) -> SkuFigures:
    """A non-stock product (catalog `non_stock`): no figures to count, always sellable."""
    return SkuFigures(sku, 0, 0, [], [], [Reason("non_stock.always_sellable")])


def non_stock_promise(timing: Timing | None) -> Promise:
    """A non-stock product waits for no stock: it goes with the parcel of the first location
    (by priority) that may sell for the channel — `timing` is that location's, if any."""
    if timing is None:
        return Promise("non_stock", None, [Reason("non_stock.always_sellable")])
    reason = Reason("promise.non_stock", {"location": timing.place.code})
    return Promise("non_stock", timing, [reason, *timing.reasons])


def timing_from_release(
    place: Place,
    settings: PromiseSettings,
    release_on: date,
    destination: Destination,
    language: str = "de",
) -> Timing:
    """A pre-order ships on its release day at the earliest: the first working day of the
    location on or after it."""
    ship_on, skipped = settings.calendar(language).next_working_day(release_on)

    def ship_reasons() -> list[Reason]:
        reason = Reason("ship.on_release", {"date": release_on.isoformat()})
        return [reason, *skipped_reasons(skipped, settings.federal_state)]

    return _delivered(place, settings, ship_on, destination, ship_reasons, language)


def preorder_promise(
    promise: Promise,
    release_on: date,
    release_timing: Callable[[Place], Timing],
    first_shipping_place: Place | None,
) -> Promise:
    """An unreleased pre-order is promised no earlier than its release day (intake leaves its
    units unsourced until then): from the place the stock or incoming promise named — a date
    already after the release stays — else from the channel's first shipping place."""
    timing = promise.timing
    if timing is not None and timing.ship_on >= release_on:
        return promise
    place = timing.place if timing is not None else first_shipping_place
    if place is None:
        return promise
    released = release_timing(place)
    params: dict[str, str | int] = {"location": place.code, "date": release_on.isoformat()}
    return Promise("preorder", released, [Reason("promise.preorder", params), *released.reasons])


def best_promise(
    figures: SkuFigures,
    timings: Mapping[int, Timing],
    arrival_timing: Mapping[tuple[int, date], Timing],
) -> Promise:
    """The earliest delivery (or ship day without a postal code) from a location that can
    sell the SKU now; failing that, from the earliest incoming supply at a counted location.
    Ties go to the location sourcing asks first (priority), then the nearer one."""
    with_stock = [timings[f.place.id] for f in figures.locations if f.sellable > 0]
    if with_stock:
        chosen = min(with_stock, key=_earliness)
        reason = Reason("promise.from_stock", {"location": chosen.place.code})
        return Promise("stock", chosen, [reason, *chosen.reasons])
    candidates = [
        (arrival_timing[(supply.location_id, supply.expected_on)], supply)
        for supply in figures.incoming
        if (supply.location_id, supply.expected_on) in arrival_timing
    ]
    if candidates:
        chosen, supply = min(candidates, key=lambda pair: _earliness(pair[0]))
        params: dict[str, str | int] = {
            "location": chosen.place.code,
            "date": supply.expected_on.isoformat(),
            "source": supply.source,
        }
        return Promise(
            "incoming", chosen, [Reason("promise.from_incoming", params), *chosen.reasons]
        )
    return Promise("none", None, [Reason("promise.none")])


def _earliness(timing: Timing) -> tuple[date, int, float]:
    distance = timing.zone.distance_km if timing.zone and timing.zone.distance_km else 0.0
    return (timing.delivery_on or timing.ship_on, timing.place.priority, distance)


def incoming_reasons(figures: SkuFigures, places: Mapping[int, Place]) -> list[Reason]:
    return [
        Reason(
            "incoming.expected",
            {
                "quantity": supply.quantity,
                "location": places[supply.location_id].code
                if supply.location_id in places
                else str(supply.location_id),
                "date": supply.expected_on.isoformat(),
                "source": supply.source,
            },
        )
        for supply in figures.incoming
    ]
