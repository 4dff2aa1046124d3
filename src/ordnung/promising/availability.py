"""Available-to-promise for many SKUs at once: one read transaction, set-wise statements.

Reads the locations, their promise settings, the channel's sell scope and the stock positions
of every asked SKU (one statement for all of them), asks the registered incoming sources, and
decides everything else with the pure rules of `model.py`. The dates of a location do not
depend on the SKU, so each location's timing is worked out once per request.

The positions are read from inventory's tables with a read-only query of our own (inventory
owns them and is the only writer); nothing here locks or writes stock.

A non-stock product (a service, a digital good, made to order) has no figures: it is always
sellable, and its promise is the timing of the first location (by priority) that may sell
for the channel — the location its units would ride along from when nothing else ships.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ordnung.catalog.model import NON_STOCK, PREORDER
from ordnung.catalog.service import special_stock_policies
from ordnung.channels.service import find_channels_by_code
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError
from ordnung.inventory.stock import stock_figures
from ordnung.inventory.tables import location_table as location
from ordnung.promising.explanations import Reason
from ordnung.promising.incoming import incoming_for
from ordnung.promising.model import (
    ONLINE_CHANNEL_TYPES,
    ChannelView,
    Destination,
    Incoming,
    Place,
    Position,
    Promise,
    PromiseSettings,
    SkuFigures,
    Timing,
    best_promise,
    channel_reasons,
    incoming_reasons,
    non_stock_figures,
    non_stock_promise,
    preorder_promise,
    sku_figures,
    timing_from_arrival,
    timing_from_release,
    timing_from_stock,
)
from ordnung.promising.regions import postal_regions, zone_for
from ordnung.promising.service import scope_from_row, settings_from_row
from ordnung.promising.snapshot import forget_snapshots, remembered_for
from ordnung.promising.tables import channel_sell_scope_table as scope_table
from ordnung.promising.tables import location_promise_setting_table as setting_table
from ordnung.promising.zones import region_of


@dataclass(frozen=True, slots=True)
class Question:
    skus: Sequence[str]
    channel: str | None = None
    postal_code: str | None = None
    language: str = "en"


@dataclass(frozen=True, slots=True)
class SkuAnswer:
    figures: SkuFigures
    promise: Promise
    reasons: list[Reason]
    is_non_stock: bool = False  # always sellable: `figures` counts nothing


@dataclass(frozen=True, slots=True)
class AvailabilityAnswer:
    question: Question
    computed_at: datetime
    channel_reasons: list[Reason]
    items: list[SkuAnswer] = field(default_factory=list)


# A location's timing for (minute, destination, language, location id): it depends on nothing
# else, so the requests of one minute for one postal-code region share it (zones and the
# words of the explanations know a German postal code only by its region; a code that names
# no known region is its own key). Kept beside the snapshot
# of locations and settings, so an edit that renews the snapshot forgets the timings with it.
_TimingKey = tuple[datetime, str | None, str, int]
_TIMINGS_KEPT = 50_000


@dataclass(frozen=True, slots=True)
class _Slow:
    places: dict[int, Place]
    settings: dict[int, PromiseSettings]
    timings: dict[_TimingKey, Timing] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Network:
    places: dict[int, Place]
    settings: dict[int, PromiseSettings]
    timings: dict[_TimingKey, Timing]
    channel: ChannelView
    positions: dict[str, list[tuple[Position, Place]]]
    incoming: dict[str, list[Incoming]]
    non_stock: frozenset[str] = frozenset()
    # Pre-orders whose release day has not come, with that day.
    unreleased: Mapping[str, date] = field(default_factory=dict)


def check_availability(db: Database, question: Question) -> AvailabilityAnswer:
    now = clock.now()
    network = db.read(lambda connection: _read_network(connection, question, db.url))
    destination = Destination(question.postal_code, postal_regions(), zone_for)
    timings = _stock_timings(network, now, destination, question.language)
    arrivals = _arrival_timings(network, destination, question.language)
    items = []
    for sku in question.skus:
        if sku in network.non_stock:
            timing = _first_selling_timing(network, now, destination, question.language)
            promise = non_stock_promise(timing)
            counted = non_stock_figures(sku)
            items.append(SkuAnswer(counted, promise, counted.reasons, is_non_stock=True))
            continue
        figures = sku_figures(
            sku, network.positions.get(sku, []), network.channel, network.incoming.get(sku, [])
        )
        promise = best_promise(figures, timings, arrivals)
        release_on = network.unreleased.get(sku)
        if release_on is not None:
            promise = _preorder(network, promise, release_on, destination, question.language)
        reasons = figures.reasons + incoming_reasons(figures, network.places)
        items.append(SkuAnswer(figures, promise, reasons))
    scoped = [network.places[i] for i in network.channel.scope.location_ids if i in network.places]
    return AvailabilityAnswer(question, now, channel_reasons(network.channel, scoped), items)


def _read_network(connection: Connection, question: Question, key: str) -> _Network:
    # Looked at afresh at most once a second, like intake's dating: two fingerprint reads per
    # answer cost more than the answer's stock read (an edit in this process shows at once).
    slow = remembered_for(
        key,
        INTAKE_FRESHNESS_SECONDS,
        lambda: _fingerprint(connection),
        lambda: _places_and_settings(connection),
    )
    places = slow.places
    channel = _channel(connection, question.channel)
    policies = special_stock_policies(connection, question.skus)
    non_stock = frozenset(sku for sku, (policy, _) in policies.items() if policy == NON_STOCK)
    today = clock.now().date()
    unreleased = {
        sku: release_on
        for sku, (policy, release_on) in policies.items()
        if policy == PREORDER and release_on is not None and release_on > today
    }
    positions: dict[str, list[tuple[Position, Place]]] = {}
    rows = stock_figures(connection, [sku for sku in question.skus if sku not in non_stock])
    for sku, location_id, on_hand, reserved, safety_stock in rows:
        place = places.get(location_id)
        if place is None:  # a location added since the snapshot: read afresh next time
            forget_snapshots()
            continue
        entry = (Position(location_id, on_hand, reserved, safety_stock), place)
        positions.setdefault(sku, []).append(entry)
    for entries in positions.values():
        entries.sort(key=lambda entry: (entry[1].priority, entry[1].code))
    incoming: dict[str, list[Incoming]] = {}
    for supply in incoming_for(connection, question.skus):
        if _may_sell_from(channel, places.get(supply.location_id)):
            incoming.setdefault(supply.sku, []).append(supply)
    return _Network(
        places, slow.settings, slow.timings, channel, positions, incoming, non_stock, unreleased
    )


# Order intake dates every batch's lines, and availability answers every request; both look
# whether locations or their settings changed at most this often (an edit made in this
# process is seen at once: storing settings forgets the snapshots).
INTAKE_FRESHNESS_SECONDS = 1.0


def recent_places_and_settings(
    connection: Connection, key: str
) -> tuple[dict[int, Place], dict[int, PromiseSettings]]:
    """Every location and its promise settings, kept per database (`key`) like the
    snapshot availability answers from, but looked at afresh at most once a second."""
    slow = remembered_for(
        key,
        INTAKE_FRESHNESS_SECONDS,
        lambda: _fingerprint(connection),
        lambda: _places_and_settings(connection),
    )
    return slow.places, slow.settings


def _fingerprint(connection: Connection) -> tuple[object, ...]:
    """Changes whenever a location or its settings is added, edited or replaced: an edit
    raises a row's version (so the sum), an addition the count and the highest id — two
    one-row answers instead of every row."""
    locations = connection.execute(
        select(func.count(), func.max(location.c.id), func.sum(location.c.version))
    ).one()
    settings = connection.execute(
        select(
            func.count(),
            func.max(setting_table.c.location_id),
            func.sum(setting_table.c.version),
            func.max(setting_table.c.updated_at),
        )
    ).one()
    return tuple(locations), tuple(settings)


def _places_and_settings(connection: Connection) -> _Slow:
    settings = {
        row.location_id: settings_from_row(row)
        for row in connection.execute(select(setting_table)).all()
    }
    return _Slow(_places(connection), settings)


def _places(connection: Connection) -> dict[int, Place]:
    rows = connection.execute(
        select(
            location.c.id,
            location.c.code,
            location.c.name,
            location.c.type,
            location.c.capabilities,
            location.c.address,
            location.c.priority,
        )
    ).all()
    return {
        row.id: Place(
            row.id,
            row.code,
            row.name,
            row.type,
            frozenset(row.capabilities),
            str((row.address or {}).get("postal_code", "")).strip(),
            row.priority,
        )
        for row in rows
    }


def _channel(connection: Connection, code: str | None) -> ChannelView:
    if code is None:
        return ChannelView()
    found = find_channels_by_code(connection, [code]).get(code)
    if found is None:
        raise NotFoundError(f"No channel with code '{code}'.", field="channel")
    row = connection.execute(
        select(scope_table).where(scope_table.c.channel_id == found.id)
    ).first()
    scope = scope_from_row(row) if row is not None else ChannelView().scope
    return ChannelView(code, found.type in ONLINE_CHANNEL_TYPES, scope)


def _may_sell_from(channel: ChannelView, place: Place | None) -> bool:
    if place is None or not place.can_ship:
        return False
    return not channel.scope.location_ids or place.id in channel.scope.location_ids


def _stock_timings(
    network: _Network, now: datetime, destination: Destination, language: str
) -> dict[int, Timing]:
    """The timing of every location that can sell one of the SKUs now (once per location)."""
    sells = {
        place_id
        for place_id, place in network.places.items()
        if _may_sell_from(network.channel, place)
    }
    needed = {
        pos.location_id
        for entries in network.positions.values()
        for pos, _place in entries
        if pos.location_id in sells and pos.on_hand > pos.reserved
    }
    # Cut-offs are whole minutes, so a timing worked out for this minute holds all of it.
    minute = now.replace(second=0, microsecond=0)
    kept = network.timings
    where = _region_or_code(destination)
    if len(kept) > _TIMINGS_KEPT:
        kept.clear()
    timings = {}
    for location_id in needed:
        key = (minute, where, language, location_id)
        timing = kept.get(key)
        if timing is None:
            timing = kept[key] = timing_from_stock(
                network.places[location_id],
                network.settings.get(location_id, PromiseSettings()),
                minute,
                destination,
                language,
            )
        timings[location_id] = timing
    return timings


def _region_or_code(destination: Destination) -> str | None:
    code = destination.postal_code
    if code is not None and region_of(code, destination.regions) is not None:
        return code[:2]
    return code


def _first_selling_timing(
    network: _Network, now: datetime, destination: Destination, language: str
) -> Timing | None:
    """The timing of the first location by priority that may sell for the channel."""
    place = _first_selling_place(network)
    if place is None:
        return None
    minute = now.replace(second=0, microsecond=0)
    settings = network.settings.get(place.id, PromiseSettings())
    return timing_from_stock(place, settings, minute, destination, language)


def _preorder(
    network: _Network,
    promise: Promise,
    release_on: date,
    destination: Destination,
    language: str,
) -> Promise:
    def release_timing(place: Place) -> Timing:
        settings = network.settings.get(place.id, PromiseSettings())
        return timing_from_release(place, settings, release_on, destination, language)

    return preorder_promise(promise, release_on, release_timing, _first_selling_place(network))


def _first_selling_place(network: _Network) -> Place | None:
    """The first location by priority that may sell for the channel, if any."""
    selling = [place for place in network.places.values() if _may_sell_from(network.channel, place)]
    return min(selling, key=lambda p: (p.priority, p.code)) if selling else None


def _arrival_timings(
    network: _Network, destination: Destination, language: str
) -> Mapping[tuple[int, date], Timing]:
    pairs = {
        (supply.location_id, supply.expected_on)
        for supplies in network.incoming.values()
        for supply in supplies
    }
    return {
        (location_id, arrives_on): timing_from_arrival(
            network.places[location_id],
            network.settings.get(location_id, PromiseSettings()),
            arrives_on,
            destination,
            language,
        )
        for location_id, arrives_on in pairs
    }
