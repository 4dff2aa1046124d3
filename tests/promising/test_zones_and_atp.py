"""Distance zones and the ATP arithmetic, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from ordnung.core.errors import ValidationError
from ordnung.promising.explanations import explain
from ordnung.promising.model import (
    ChannelView,
    Destination,
    Incoming,
    Place,
    Position,
    Promise,
    PromiseSettings,
    SellScope,
    best_promise,
    check_postal_code,
    check_promise_settings,
    parse_skus,
    preorder_promise,
    sku_figures,
    timing_from_arrival,
    timing_from_release,
    timing_from_stock,
)
from ordnung.promising.regions import postal_regions
from ordnung.promising.zones import zone_between

REGIONS = postal_regions()
WAREHOUSE = Place(1, "dc-koeln", "DC Köln", "warehouse", frozenset({"ship"}), "50667", 1)
STORE = Place(2, "store-muc", "Filiale München", "store", frozenset({"ship_from_store"}), "80331")
SUPPLIER = Place(3, "supplier", "Lieferant", "supplier", frozenset({"dropship"}), "20457")
WEBSHOP = ChannelView("web", True, SellScope(store_buffer=2))


def test_zones_by_region_and_distance() -> None:
    same = zone_between("50667", "50999", REGIONS)
    near = zone_between("50667", "40210", REGIONS)  # Köln → Düsseldorf
    far = zone_between("50667", "80331", REGIONS)  # Köln → München
    assert (same.name, same.transit_days) == ("regional", 1)
    assert (near.name, near.transit_days) == ("near", 1)
    assert (far.name, far.transit_days) == ("national", 2)
    assert far.distance_km is not None and 400 < far.distance_km < 500


def test_an_unknown_postal_code_is_national_and_says_which_end() -> None:
    zone = zone_between("50667", "05123", REGIONS)  # region 05 is not in use
    assert (zone.name, zone.unknown_end, zone.distance_km) == ("national", "destination", None)


def test_the_region_table_has_every_region_in_use() -> None:
    assert len(REGIONS) == 95
    assert {"00", "05", "11", "43", "62"}.isdisjoint(REGIONS)


def test_available_never_drops_below_zero_and_safety_stock_is_per_location() -> None:
    figures = sku_figures(
        "A",
        [(Position(1, 10, 2, 3), WAREHOUSE), (Position(2, 4, 0, 9), STORE)],
        ChannelView(),
    )
    assert [f.available for f in figures.locations] == [5, 0]
    assert figures.available == 5


def test_a_webshop_leaves_the_store_buffer_and_the_safety_stock_on_the_shelf() -> None:
    figures = sku_figures(
        "A", [(Position(1, 10, 2, 3), WAREHOUSE), (Position(2, 6, 1, 1), STORE)], WEBSHOP
    )
    warehouse, store = figures.locations
    assert (warehouse.sellable, warehouse.held_safety_stock) == (5, 3)
    assert (store.sellable, store.held_safety_stock, store.held_store_buffer) == (2, 1, 2)
    assert figures.sellable == 7
    keys = [reason.key for reason in figures.reasons]
    assert keys == ["network.counted", "channel.sellable", "held.safety_stock", "held.store_buffer"]


def test_scope_and_shipping_capability_decide_which_locations_count() -> None:
    only_store = ChannelView("store", False, SellScope(frozenset({2}), is_safety_stock_held=False))
    figures = sku_figures(
        "A",
        [
            (Position(1, 10, 0, 0), WAREHOUSE),
            (Position(2, 6, 1, 1), STORE),
            (Position(3, 50, 0, 0), SUPPLIER),
        ],
        only_store,
    )
    assert [f.reasons for f in figures.locations] == [
        ("not_in_scope",),
        ("counted", "safety_stock_sold"),
        ("cannot_ship",),
    ]
    assert figures.sellable == 5  # safety stock not held back, and no buffer off-line
    texts = [explain(reason, "en") for reason in figures.reasons]
    assert "Outside the channel's sell scope: dc-koeln." in texts
    assert "Does not ship: supplier." in texts


def test_the_promise_takes_the_earliest_delivery_and_explains_it_in_german() -> None:
    now = datetime(2026, 6, 3, 10, 0, tzinfo=UTC)  # Wednesday, before the cut-off
    destination = Destination("80331", REGIONS)
    bavaria = PromiseSettings(federal_state="BY")
    figures = sku_figures(
        "A", [(Position(1, 10, 0, 0), WAREHOUSE), (Position(2, 9, 0, 0), STORE)], WEBSHOP
    )
    timings = {
        1: timing_from_stock(WAREHOUSE, PromiseSettings(federal_state="NW"), now, destination),
        2: timing_from_stock(STORE, bavaria, now, destination),
    }
    promise = best_promise(figures, timings, {})
    assert promise.source == "stock"
    assert promise.timing is not None and promise.timing.place == STORE
    # Munich store: ships today, 1 day regional transit, but Thursday is Fronleichnam.
    assert (promise.timing.ship_on, promise.timing.delivery_on) == (
        date(2026, 6, 3),
        date(2026, 6, 5),
    )
    texts = [explain(reason, "de") for reason in promise.reasons]
    assert "Übersprungen: 04.06.2026, Fronleichnam (Feiertag in BY)." in texts


def test_without_stock_the_promise_comes_from_incoming_supply() -> None:
    supply = Incoming("A", 1, 20, date(2026, 6, 10), "purchase_order PO-1")
    figures = sku_figures("A", [(Position(1, 0, 0, 0), WAREHOUSE)], WEBSHOP, [supply])
    destination = Destination("50667", REGIONS)
    arrival = timing_from_arrival(WAREHOUSE, PromiseSettings(), supply.expected_on, destination)
    promise = best_promise(figures, {}, {(1, supply.expected_on): arrival})
    assert promise.source == "incoming"
    assert promise.timing is not None
    assert (promise.timing.ship_on, promise.timing.delivery_on) == (
        date(2026, 6, 11),
        date(2026, 6, 12),
    )


def test_bad_questions_are_refused_naming_the_field() -> None:
    for call, field in (
        (lambda: parse_skus(" , "), "skus"),
        (lambda: parse_skus(",".join(f"S{i}" for i in range(101))), "skus"),
        (lambda: check_postal_code("5066"), "postal_code"),
        (lambda: check_promise_settings(PromiseSettings(federal_state="XX")), "federal_state"),
        (lambda: check_promise_settings(PromiseSettings(time_zone="Mars/Base")), "time_zone"),
        (
            lambda: check_promise_settings(PromiseSettings(working_weekdays=frozenset({8}))),
            "working_weekdays",
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.extra["errors"][0]["field"] == field
    assert parse_skus("B, A,B") == ["B", "A"]
    assert check_promise_settings(PromiseSettings(cutoff=time(12, 0))).cutoff == time(12, 0)


def test_a_pre_order_keeps_the_place_of_its_stock_promise_but_ships_on_release() -> None:
    now = datetime(2026, 6, 3, 10, 0, tzinfo=UTC)  # Wednesday, before the cut-off
    destination = Destination("50667", REGIONS)
    settings = PromiseSettings(federal_state="NW")
    figures = sku_figures("A", [(Position(1, 10, 0, 0), WAREHOUSE)], WEBSHOP)
    stock_promise = best_promise(
        figures, {1: timing_from_stock(WAREHOUSE, settings, now, destination)}, {}
    )
    assert stock_promise.timing is not None and stock_promise.timing.ship_on == date(2026, 6, 3)

    def on_release(release_on: date) -> Promise:
        return preorder_promise(
            stock_promise,
            release_on,
            lambda place: timing_from_release(place, settings, release_on, destination),
            STORE,
        )

    later = on_release(date(2026, 6, 4))  # Fronleichnam is a holiday in NW too
    assert (later.source, later.timing and later.timing.place) == ("preorder", WAREHOUSE)
    assert later.timing is not None and later.timing.ship_on == date(2026, 6, 5)
    assert [reason.key for reason in later.reasons][:2] == ["promise.preorder", "ship.on_release"]
    # A release day the stock promise already ships after changes nothing.
    assert on_release(date(2026, 6, 2)) is stock_promise
