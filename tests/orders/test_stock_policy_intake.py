"""Product stock policy at intake (SQLite and PostgreSQL): a SKU that may not be backordered
holds the order instead of leaving it waiting; a pre-order waits, unsourced, until its release
day, and orders beyond its cap are held."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from ordnung.catalog import service as catalog
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.schemas import OrderIn
from ordnung.orders.queries import get_order
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    fixed = clock.FixedClock(datetime(2030, 3, 4, 9, 0, tzinfo=UTC))
    previous = clock.use_clock(fixed)
    yield fixed
    clock.use_clock(previous)


@pytest.fixture
def locations(db: Database, fixed_clock: clock.FixedClock) -> dict[str, int]:
    return standard_setup(db)


def _order(db: Database, lines: list[tuple[str, int]]) -> dict[str, Any]:
    order = OrderIn.model_validate(order_payload(lines)).to_model()
    return place_order(db, order, actor="test").order


def _hold_reasons(db: Database, order: dict[str, Any]) -> list[str]:
    return [h["reason"] for h in get_order(db, order["id"])["holds"] if h["released_at"] is None]


def test_a_sku_without_backorders_holds_an_order_it_cannot_fill_and_takes_no_stock(
    db: Database, locations: dict[str, int]
) -> None:
    catalog.update_product(db, "SKU-1", {"allow_backorder": False})
    put_stock(db, "SKU-1", locations["A"], 2)
    put_stock(db, "SKU-2", locations["A"], 5)
    filled = _order(db, [("SKU-1", 1)])
    short = _order(db, [("SKU-1", 2), ("SKU-2", 1)])

    assert filled["status"] == "allocated"
    assert short["status"] == "on_hold"
    assert _hold_reasons(db, short) == ["stock_policy"]
    assert position(db, "SKU-1", locations["A"])["reserved"] == 1
    assert position(db, "SKU-2", locations["A"])["reserved"] == 0
    # A SKU that allows backorders still waits as before.
    assert _order(db, [("SKU-2", 9)])["status"] == "backordered"
    assert read_world(db).violations == []


def test_a_pre_order_waits_unsourced_until_its_release_day(
    db: Database, locations: dict[str, int], fixed_clock: clock.FixedClock
) -> None:
    catalog.update_product(
        db, "SKU-1", {"stock_policy": "preorder", "release_on": date(2030, 3, 10)}
    )
    put_stock(db, "SKU-1", locations["A"], 5)
    early = _order(db, [("SKU-1", 1)])
    assert early["status"] == "backordered"
    assert position(db, "SKU-1", locations["A"])["reserved"] == 0

    fixed_clock.set(datetime(2030, 3, 10, 0, 1, tzinfo=UTC))
    on_the_day = _order(db, [("SKU-1", 1)])
    assert on_the_day["status"] == "allocated"


def test_orders_beyond_the_pre_order_cap_are_held(db: Database, locations: dict[str, int]) -> None:
    catalog.update_product(
        db,
        "SKU-1",
        {"stock_policy": "preorder", "release_on": date(2030, 4, 1), "preorder_cap": 3},
    )
    first = _order(db, [("SKU-1", 2)])
    second = _order(db, [("SKU-1", 1)])
    third = _order(db, [("SKU-1", 1)])
    assert [o["status"] for o in (first, second, third)] == [
        "backordered",
        "backordered",
        "on_hold",
    ]
    assert _hold_reasons(db, third) == ["stock_policy"]
    assert read_world(db).violations == []


def test_the_product_api_shows_and_changes_the_stock_policy(client: Any, db: Database) -> None:
    created = client.post(
        "/api/v1/products",
        json={
            "sku": "PRE-1",
            "name": "Vorbestellung",
            "stock_policy": "preorder",
            "release_on": "2030-05-01",
            "preorder_cap": 100,
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["stock_policy"], body["release_on"], body["preorder_cap"]) == (
        "preorder",
        "2030-05-01",
        100,
    )
    assert body["allow_backorder"] is True
    changed = client.patch("/api/v1/products/PRE-1", json={"allow_backorder": False})
    assert changed.status_code == 200 and changed.json()["allow_backorder"] is False
    refused = client.patch("/api/v1/products/PRE-1", json={"stock_policy": "magic"})
    assert refused.status_code == 422 and "stock_policy" in refused.text


def test_stock_arriving_before_the_release_day_waits_for_it_too(
    db: Database, locations: dict[str, int], fixed_clock: clock.FixedClock
) -> None:
    from ordnung.sourcing.service import allocate_waiting_orders

    catalog.update_product(
        db, "SKU-1", {"stock_policy": "preorder", "release_on": date(2030, 3, 10)}
    )
    early = _order(db, [("SKU-1", 2)])
    put_stock(db, "SKU-1", locations["A"], 5)
    # The worker's sweep offers stock to waiting orders (as every receipt does at once, through
    # the same allocate_backorders): not to a pre-order before its day.
    assert allocate_waiting_orders(db) == 0
    assert get_order(db, early["id"])["status"] == "backordered"
    assert position(db, "SKU-1", locations["A"])["reserved"] == 0

    fixed_clock.set(datetime(2030, 3, 10, 0, 1, tzinfo=UTC))
    assert allocate_waiting_orders(db) == 1
    assert get_order(db, early["id"])["status"] == "allocated"
    assert read_world(db).violations == []
