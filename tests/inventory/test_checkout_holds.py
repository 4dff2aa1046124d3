"""Checkout holds on a real database (SQLite and PostgreSQL): a hold reserves like an order,
an order that names it takes its units without reserving twice, and a hold that runs out or
is let go gives its units back — to the orders waiting for them first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.errors import InsufficientStockError, InvalidTransitionError, ValidationError
from ordnung.core.settings import Settings
from ordnung.orchestration.checkout_holds import (
    Cart,
    CartLine,
    expire_checkout_holds,
    find_checkout_hold,
    place_checkout_hold,
    release_checkout_hold,
)
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.schemas import OrderIn
from ordnung.orders.queries import get_order
from ordnung.worker import run_once
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world

SHOP = "api:webshop"


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    fixed = clock.FixedClock(datetime(2030, 3, 4, 9, 0, tzinfo=UTC))
    previous = clock.use_clock(fixed)
    yield fixed
    clock.use_clock(previous)


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    return standard_setup(db)


def _hold(db: Database, *lines: tuple[str, int], ttl: int = 600, **extra: Any) -> dict[str, Any]:
    cart = Cart(tuple(CartLine(sku, q) for sku, q in lines), ttl, **extra)
    return place_checkout_hold(db, cart, actor=SHOP)


def _order(db: Database, lines: list[tuple[str, int]], **body: Any) -> dict[str, Any]:
    order = OrderIn.model_validate(order_payload(lines, **body)).to_model()
    return place_order(db, order, actor=SHOP).order


def _assert_invariants(db: Database) -> None:
    assert read_world(db).violations == []


def test_a_hold_reserves_its_units_like_an_order_and_writes_the_ledger(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    hold = _hold(db, ("SKU-1", 3))
    assert hold["status"] == "active"
    assert hold["lines"] == [{"sku": "SKU-1", "quantity": 3, "location": "A"}]
    assert position(db, "SKU-1", locations["A"])["reserved"] == 3
    _assert_invariants(db)


def test_a_cart_that_cannot_be_held_whole_holds_nothing(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    put_stock(db, "SKU-2", locations["A"], 1)
    with pytest.raises(InsufficientStockError) as raised:
        _hold(db, ("SKU-1", 2), ("SKU-2", 2))
    assert raised.value.extra["skus"] == ["SKU-2"]
    assert position(db, "SKU-1", locations["A"])["reserved"] == 0


def test_a_hold_at_a_location_takes_units_only_there(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    put_stock(db, "SKU-1", locations["B"], 5)
    hold = _hold(db, ("SKU-1", 2), location="B")
    assert hold["location"] == "B"
    assert position(db, "SKU-1", locations["B"])["reserved"] == 2
    with pytest.raises(ValidationError) as raised:
        _hold(db, ("SKU-1", 1), location="NOWHERE")
    assert raised.value.extra["field"] == "location"


def test_a_time_to_live_outside_one_minute_to_one_hour_is_refused(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    for ttl in (59, 3601):
        with pytest.raises(ValidationError):
            _hold(db, ("SKU-1", 1), ttl=ttl)


def test_an_order_naming_its_hold_takes_the_held_units_without_reserving_twice(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["B"], 3)
    put_stock(db, "SKU-1", locations["A"], 1)
    hold = _hold(db, ("SKU-1", 3), location="B")
    order = _order(db, [("SKU-1", 3)], reservation_id=hold["id"])

    assert order["status"] == "allocated"
    assert position(db, "SKU-1", locations["B"])["reserved"] == 3  # not 6
    assert position(db, "SKU-1", locations["A"])["reserved"] == 0
    converted = find_checkout_hold(db, hold["id"], actor=SHOP)
    assert (converted["status"], converted["order_id"]) == ("converted", order["id"])
    _assert_invariants(db)


def test_an_order_that_wants_more_than_its_hold_gets_the_rest_sourced_and_leftovers_go_back(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 10)
    put_stock(db, "SKU-2", locations["A"], 10)
    hold = _hold(db, ("SKU-1", 2), ("SKU-2", 4))
    order = _order(db, [("SKU-1", 5)], reservation_id=hold["id"])

    assert order["status"] == "allocated"
    assert position(db, "SKU-1", locations["A"])["reserved"] == 5
    assert position(db, "SKU-2", locations["A"])["reserved"] == 0  # the cart changed
    _assert_invariants(db)


def test_an_expired_or_unknown_hold_is_no_error_the_order_is_sourced_as_usual(
    db: Database, locations: dict[str, int], fixed_clock: clock.FixedClock
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    hold = _hold(db, ("SKU-1", 2), ttl=60)
    fixed_clock.set(fixed_clock.now() + timedelta(seconds=61))
    late = _order(db, [("SKU-1", 2)], reservation_id=hold["id"])
    unknown = _order(db, [("SKU-1", 1)], reservation_id=999_999)

    # Past its time the hold is not taken over; its units still count until the worker ends
    # it, so the order waits and then gets them.
    assert late["status"] == "backordered"
    assert unknown["status"] == "backordered"
    assert expire_checkout_holds(db) == 1
    assert get_order(db, late["id"])["status"] == "allocated"
    assert find_checkout_hold(db, hold["id"], actor=SHOP)["status"] == "expired"
    _assert_invariants(db)


def test_another_callers_hold_is_unknown_to_the_order(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    cart = Cart((CartLine("SKU-1", 2),), 600)
    hold = place_checkout_hold(db, cart, actor="api:other-shop")
    order = _order(db, [("SKU-1", 2)], reservation_id=hold["id"])
    assert order["status"] == "backordered"
    assert position(db, "SKU-1", locations["A"])["reserved"] == 2
    _assert_invariants(db)


def test_the_worker_expires_a_hold_and_its_units_fill_a_backorder(
    db: Database, locations: dict[str, int], fixed_clock: clock.FixedClock, settings: Settings
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    hold = _hold(db, ("SKU-1", 2), ttl=120)
    waiting = _order(db, [("SKU-1", 2)])
    assert waiting["status"] == "backordered"

    assert run_once(db, settings).holds_expired == 0  # not yet
    fixed_clock.set(fixed_clock.now() + timedelta(seconds=121))
    counts = run_once(db, settings)

    assert counts.holds_expired == 1
    assert find_checkout_hold(db, hold["id"], actor=SHOP)["status"] == "expired"
    assert get_order(db, waiting["id"])["status"] == "allocated"
    assert position(db, "SKU-1", locations["A"])["reserved"] == 2
    _assert_invariants(db)


def test_releasing_a_hold_gives_its_units_to_a_waiting_order(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 1)
    hold = _hold(db, ("SKU-1", 1))
    waiting = _order(db, [("SKU-1", 1)])
    released = release_checkout_hold(db, hold["id"], actor=SHOP)
    assert released["status"] == "released"
    assert get_order(db, waiting["id"])["status"] == "allocated"
    _assert_invariants(db)


def test_a_converted_hold_cannot_be_released_nor_released_twice(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    converted = _hold(db, ("SKU-1", 1))
    _order(db, [("SKU-1", 1)], reservation_id=converted["id"])
    with pytest.raises(InvalidTransitionError):
        release_checkout_hold(db, converted["id"], actor=SHOP)
    released = _hold(db, ("SKU-1", 1))
    release_checkout_hold(db, released["id"], actor=SHOP)
    with pytest.raises(InvalidTransitionError):
        release_checkout_hold(db, released["id"], actor=SHOP)
    assert position(db, "SKU-1", locations["A"])["reserved"] == 1
    _assert_invariants(db)


def test_one_hold_serves_one_order_even_within_one_intake_batch(
    db: Database, locations: dict[str, int]
) -> None:
    from ordnung.orchestration.intake import IntakeRequest, place_orders

    put_stock(db, "SKU-1", locations["A"], 3)
    hold = _hold(db, ("SKU-1", 2))
    requests = [
        IntakeRequest(
            OrderIn.model_validate(
                order_payload([("SKU-1", 2)], reservation_id=hold["id"])
            ).to_model(),
            SHOP,
        )
        for _ in range(2)
    ]
    first, second = place_orders(db, requests)
    assert not isinstance(first, Exception) and not isinstance(second, Exception)
    assert first.order["status"] == "allocated"
    # The second finds the hold taken: it gets the one free unit and waits for the other.
    assert second.order["status"] == "backordered"
    assert position(db, "SKU-1", locations["A"])["reserved"] == 3
    _assert_invariants(db)
