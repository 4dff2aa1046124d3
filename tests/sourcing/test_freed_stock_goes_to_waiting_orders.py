"""Every change that frees stock gives it to the orders waiting for it, oldest first: a goods
receipt or count, a cancellation, a location's rejection — and, for whatever those could not
take, the worker's sweep."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.inventory.service import StockCount
from ordnung.orchestration import order_actions
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.fulfillment_actions import reject_fulfillment_order
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.order_actions import cancel_order
from ordnung.orchestration.stock_actions import set_stock
from ordnung.orders.queries import get_order
from ordnung.sourcing.service import allocate_waiting_orders
from ordnung.worker import run_once
from tests.factories import order_payload, position, put_stock, standard_setup

Place = Callable[[int], dict[str, Any]]


@pytest.fixture
def place(db: Database) -> Place:
    def place_one(units: int) -> dict[str, Any]:
        order = OrderIn.model_validate(order_payload([("SKU-1", units)])).to_model()
        return place_order(db, order, actor="test").order

    return place_one


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    return standard_setup(db)


def _status(db: Database, order: dict[str, Any]) -> str:
    return str(get_order(db, order["id"])["status"])


def test_a_cancellation_gives_its_units_to_the_oldest_waiting_orders(
    db: Database, locations: dict[str, int], place: Place
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    first = place(2)
    older, younger, youngest = place(1), place(1), place(1)
    assert {_status(db, o) for o in (older, younger, youngest)} == {"backordered"}

    cancel_order(db, first["id"], reason="Kunde storniert", actor="test")

    assert [_status(db, o) for o in (older, younger, youngest)] == [
        "allocated",
        "allocated",
        "backordered",
    ]
    assert position(db, "SKU-1", locations["A"]) == {"on_hand": 2, "reserved": 2, "safety_stock": 0}


def test_units_a_location_rejects_go_to_an_order_that_location_did_not_reject(
    db: Database, locations: dict[str, int], place: Place
) -> None:
    put_stock(db, "SKU-1", locations["A"], 1)
    holder = place(1)
    waiting = place(1)
    fo_id = holder["fulfillment_orders"][0]["id"]

    reject_fulfillment_order(db, fo_id, reason="Karton beschädigt", actor="test")

    # The holder may not be sourced at A again and finds nothing elsewhere; the waiting
    # order, which A never turned down, gets the unit.
    assert _status(db, holder) == "backordered"
    detail = get_order(db, waiting["id"])
    assert detail["status"] == "allocated"
    assert [fo["location"]["code"] for fo in detail["fulfillment_orders"]] == ["A"]
    assert position(db, "SKU-1", locations["A"])["reserved"] == 1


def test_a_stock_count_serves_waiting_orders_but_never_from_a_pickup_only_store(
    db: Database, locations: dict[str, int], place: Place
) -> None:
    waiting = place(2)
    set_stock(db, "SKU-1", "C", StockCount(5, "Inventur"))  # C only does click & collect
    assert _status(db, waiting) == "backordered"
    set_stock(db, "SKU-1", "B", StockCount(1, "Inventur"))
    assert get_order(db, waiting["id"])["lines"][0]["allocated"] == 1
    set_stock(db, "SKU-1", "B", StockCount(3, "Nachzählung"))
    assert _status(db, waiting) == "allocated"


def test_the_worker_offers_free_stock_to_orders_nothing_else_served(
    db: Database, locations: dict[str, int], place: Place, settings: Settings
) -> None:
    """Stock that appeared without a stock action (here: written straight into the table)
    is found by the worker's sweep."""
    waiting = [place(1) for _ in range(3)]
    put_stock(db, "SKU-1", locations["B"], 2)
    assert {_status(db, o) for o in waiting} == {"backordered"}

    counts = run_once(db, settings)

    assert counts.backorders_allocated == 2
    assert [_status(db, o) for o in waiting] == ["allocated", "allocated", "backordered"]
    assert run_once(db, settings).backorders_allocated == 0  # nothing more it could do


def test_without_giving_freed_units_away_a_cancellation_would_leave_them_idle(
    db: Database, locations: dict[str, int], place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control of the first test: the behaviour is the cancellation's, not luck."""
    monkeypatch.setattr(order_actions, "allocate_backorders", lambda *_a, **_k: 0)
    put_stock(db, "SKU-1", locations["A"], 1)
    first, waiting = place(1), place(1)

    cancel_order(db, first["id"], reason="Kunde storniert", actor="test")

    assert _status(db, waiting) == "backordered"
    assert position(db, "SKU-1", locations["A"])["reserved"] == 0


def test_the_sweep_leaves_stock_alone_that_only_a_rejecting_location_holds(
    db: Database, locations: dict[str, int], place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No write transaction every poll for units nobody waiting may take."""
    put_stock(db, "SKU-1", locations["A"], 1)
    holder = place(1)
    reject_fulfillment_order(
        db, holder["fulfillment_orders"][0]["id"], reason="Regal leer", actor="test"
    )
    assert position(db, "SKU-1", locations["A"])["reserved"] == 0  # A has it; holder may not
    writes: list[object] = []
    real_write = db.write
    monkeypatch.setattr(db, "write", lambda *a, **k: writes.append(a) or real_write(*a, **k))

    assert allocate_waiting_orders(db) == 0
    assert writes == []
