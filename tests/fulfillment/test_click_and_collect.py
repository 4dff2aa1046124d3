"""Click & collect: intake reserves at the customer's store only, the store makes the order
ready (a code), the counter hands it over against the code (once), and an order nobody
collects is cancelled by the worker with its stock back."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.core.tables import domain_event_table
from ordnung.fulfillment.pickup_model import CODE_ALPHABET, CODE_LENGTH, MAX_WRONG_CODES
from ordnung.fulfillment.pickup_qr import pickup_qr, pickup_qr_svg
from ordnung.orchestration.pickup_actions import expire_uncollected_pickups
from ordnung.staff.service import create_api_key
from ordnung.worker import run_once
from tests.factories import add_location, order_payload, position, put_stock, standard_setup
from tests.fulfillment.test_ship_reject_cancel_api import assert_ledger_matches_positions

API = "/api/v1"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    fixed = clock.FixedClock(START)
    previous = clock.use_clock(fixed)
    yield fixed
    clock.use_clock(previous)


@pytest.fixture
def stores(db: Database) -> dict[str, int]:
    """Warehouse A (priority 1) with plenty; pickup-only store C with 3 of SKU-1 and 1 of
    SKU-2; store S (pickup and ship from store) with 2 of SKU-1."""
    ids = standard_setup(db)
    ids["S"] = add_location(db, "S", 4, ("pickup", "ship_from_store"))
    put_stock(db, "SKU-1", ids["A"], 50)
    put_stock(db, "SKU-2", ids["A"], 50)
    put_stock(db, "SKU-1", ids["C"], 3)
    put_stock(db, "SKU-2", ids["C"], 1)
    put_stock(db, "SKU-1", ids["S"], 2)
    return ids


def _collect(client: TestClient, lines: list[tuple[str, int]], store: str = "C") -> Any:
    return client.post(f"{API}/orders", json=order_payload(lines, pickup_location=store))


def _ready_order(client: TestClient, lines: list[tuple[str, int]] | None = None) -> Any:
    order = _collect(client, lines or [("SKU-1", 2)]).json()
    fo_id = order["fulfillment_orders"][0]["id"]
    ready = client.post(f"{API}/fulfillment-orders/{fo_id}/ready-for-pickup")
    assert ready.status_code == 200, ready.text
    return order, fo_id, ready.json()["pickup_code"]


def _events(db: Database, event_type: str) -> list[dict[str, Any]]:
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(domain_event_table.c.payload).where(domain_event_table.c.type == event_type)
        ).scalars()
        return [dict(payload) for payload in rows]


def _as_location(db: Database, code: str) -> dict[str, str]:
    _id, token = create_api_key(
        db, f"store-{code}", ["fulfillment:read", "fulfillment:write"], location_code=code
    )
    return {"Authorization": f"Bearer {token}"}


# -- intake --------------------------------------------------------------------------------


def test_a_click_and_collect_order_is_reserved_at_its_store_only(
    client: TestClient, db: Database, stores: dict[str, int]
) -> None:
    response = _collect(client, [("SKU-1", 2), ("SKU-2", 1)])
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "allocated"
    assert [fo["location"]["code"] for fo in order["fulfillment_orders"]] == ["C"]
    assert position(db, "SKU-1", stores["C"])["reserved"] == 2
    assert position(db, "SKU-2", stores["C"])["reserved"] == 1
    # Warehouse A comes first for shipped orders, but gives nothing to a collected one.
    assert position(db, "SKU-1", stores["A"])["reserved"] == 0
    fo_id = order["fulfillment_orders"][0]["id"]
    assert client.get(f"{API}/fulfillment-orders/{fo_id}/pickup").json()["pickup_code"] is None


def test_a_store_that_lacks_units_holds_the_order_instead_of_sending_it_from_elsewhere(
    client: TestClient, db: Database, stores: dict[str, int]
) -> None:
    order = _collect(client, [("SKU-1", 1), ("SKU-2", 2)]).json()
    assert order["status"] == "on_hold"
    assert order["fulfillment_orders"] == []
    assert "Click & collect at C" in order["holds"][0]["detail"]
    for store in ("A", "C"):
        assert position(db, "SKU-1", stores[store])["reserved"] == 0


def test_a_shipped_order_still_never_takes_units_from_a_pickup_only_store(
    client: TestClient, db: Database, stores: dict[str, int]
) -> None:
    client.post(f"{API}/orders", json=order_payload([("SKU-1", 1)]))
    assert position(db, "SKU-1", stores["C"])["reserved"] == 0


@pytest.mark.parametrize(
    ("store", "detail"), [("NOPE", "Unknown location"), ("A", "no pickup capability")]
)
def test_a_pickup_location_that_does_not_hand_over_is_refused_naming_the_field(
    client: TestClient, stores: dict[str, int], store: str, detail: str
) -> None:
    response = _collect(client, [("SKU-1", 1)], store=store)
    assert response.status_code == 422
    problem = response.json()
    assert problem["field"] == "pickup_location"
    assert detail in problem["detail"]


# -- ready for pickup ----------------------------------------------------------------------


def test_ready_for_pickup_makes_a_code_and_tells_the_customer_through_the_outbox(
    client: TestClient, db: Database, stores: dict[str, int], fixed_clock: clock.FixedClock
) -> None:
    _order, fo_id, code = _ready_order(client)
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    [event] = _events(db, "fulfillment_order.ready_for_pickup")
    assert event["pickup_code"] == code
    assert event["expires_at"].startswith("2026-12-08T09:00")  # ORDNUNG_PICKUP_DAYS=7
    fo = client.get(f"{API}/fulfillment-orders/{fo_id}").json()
    assert fo["status"] == "ready_for_pickup"
    # Asked again (a retry), the same code: nothing new is made or sent.
    again = client.post(f"{API}/fulfillment-orders/{fo_id}/ready-for-pickup").json()
    assert again["pickup_code"] == code
    assert len(_events(db, "fulfillment_order.ready_for_pickup")) == 1
    slip = client.get(f"{API}/fulfillment-orders/{fo_id}/pickup").json()
    assert slip["pickup_code_shown"] == f"{code[:4]}-{code[4:]}"


def test_a_shipped_order_cannot_be_made_ready_for_pickup(
    client: TestClient, stores: dict[str, int]
) -> None:
    order = client.post(f"{API}/orders", json=order_payload([("SKU-1", 1)])).json()
    fo_id = order["fulfillment_orders"][0]["id"]
    response = client.post(f"{API}/fulfillment-orders/{fo_id}/ready-for-pickup")
    assert response.status_code == 409
    assert "not a click & collect order" in response.json()["detail"]


# -- hand-over -----------------------------------------------------------------------------


def test_the_right_code_hands_over_once_and_books_the_stock_out_once(
    client: TestClient, db: Database, stores: dict[str, int]
) -> None:
    order, fo_id, code = _ready_order(client)
    typed = f"{code[:4].lower()} - {code[4:]}"  # as a clerk might type it
    first = client.post(f"{API}/fulfillment-orders/{fo_id}/pickup", json={"code": typed})
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "picked_up"
    assert first.json()["order_status"] == "shipped"
    assert first.json()["is_repeat"] is False
    after = position(db, "SKU-1", stores["C"])
    assert (after["on_hand"], after["reserved"]) == (1, 0)
    # The customer's retry (a double tap at the counter) answers the same, books nothing.
    again = client.post(f"{API}/fulfillment-orders/{fo_id}/pickup", json={"code": code})
    assert again.status_code == 200
    assert again.json()["is_repeat"] is True
    assert position(db, "SKU-1", stores["C"]) == after
    assert len(_events(db, "fulfillment_order.picked_up")) == 1
    assert client.get(f"{API}/orders/{order['id']}").json()["status"] == "shipped"
    assert_ledger_matches_positions(db)


def test_a_wrong_code_is_refused_and_locks_the_hand_over_after_too_many(
    client: TestClient, db: Database, stores: dict[str, int], fixed_clock: clock.FixedClock
) -> None:
    _order, fo_id, code = _ready_order(client)
    wrong = "AAAAAAAA" if code != "AAAAAAAA" else "CCCCCCCC"
    url = f"{API}/fulfillment-orders/{fo_id}/pickup"
    for attempt in range(1, MAX_WRONG_CODES):
        response = client.post(url, json={"code": wrong})
        assert response.status_code == 422
        assert response.json()["tries_left"] == MAX_WRONG_CODES - attempt
        assert "not the pickup code" in response.json()["detail"]
    locked = client.post(url, json={"code": wrong})
    assert locked.status_code == 409
    assert "locked until" in locked.json()["detail"]
    # While locked, even the right code is not read (a lock must not confirm guesses).
    assert client.post(url, json={"code": code}).status_code == 409
    assert position(db, "SKU-1", stores["C"])["on_hand"] == 3
    fixed_clock.set(START + timedelta(minutes=16))
    assert client.post(url, json={"code": code}).status_code == 200


def test_a_badly_shaped_code_is_a_422_naming_the_field(
    client: TestClient, stores: dict[str, int]
) -> None:
    _order, fo_id, _code = _ready_order(client)
    response = client.post(f"{API}/fulfillment-orders/{fo_id}/pickup", json={"code": "ABC"})
    assert response.status_code == 422
    assert response.json()["field"] == "code"


def test_an_order_not_yet_ready_cannot_be_handed_over(
    client: TestClient, db: Database, stores: dict[str, int]
) -> None:
    order = _collect(client, [("SKU-1", 1)]).json()
    fo_id = order["fulfillment_orders"][0]["id"]
    response = client.post(f"{API}/fulfillment-orders/{fo_id}/pickup", json={"code": "KX7R4MQA"})
    assert response.status_code == 409
    assert position(db, "SKU-1", stores["C"])["on_hand"] == 3


# -- not collected -------------------------------------------------------------------------


def test_the_worker_cancels_an_uncollected_order_and_gives_its_stock_back(
    client: TestClient, db: Database, stores: dict[str, int], fixed_clock: clock.FixedClock
) -> None:
    order, fo_id, _code = _ready_order(client)
    assert expire_uncollected_pickups(db) == 0  # not due yet
    fixed_clock.set(START + timedelta(days=7, minutes=1))
    assert expire_uncollected_pickups(db) == 1
    assert expire_uncollected_pickups(db) == 0  # once only
    assert client.get(f"{API}/fulfillment-orders/{fo_id}").json()["status"] == "cancelled"
    assert client.get(f"{API}/orders/{order['id']}").json()["status"] == "cancelled"
    after = position(db, "SKU-1", stores["C"])
    assert (after["on_hand"], after["reserved"]) == (3, 0)
    [expired] = _events(db, "fulfillment_order.pickup_expired")
    assert expired["location_id"] == stores["C"]
    assert _events(db, "order.cancelled")
    assert_ledger_matches_positions(db)


def test_a_collected_order_never_expires(
    client: TestClient, db: Database, stores: dict[str, int], fixed_clock: clock.FixedClock
) -> None:
    _order, fo_id, code = _ready_order(client)
    client.post(f"{API}/fulfillment-orders/{fo_id}/pickup", json={"code": code})
    fixed_clock.set(START + timedelta(days=30))
    assert expire_uncollected_pickups(db) == 0
    assert _events(db, "fulfillment_order.pickup_expired") == []


# -- scoping -------------------------------------------------------------------------------


def test_another_stores_key_gets_404_on_every_pickup_route(
    client: TestClient, db: Database, stores: dict[str, int]
) -> None:
    _order, fo_id, code = _ready_order(client)
    other = _as_location(db, "S")
    assert client.get(f"{API}/fulfillment-orders/{fo_id}/pickup", headers=other).status_code == 404
    ready = client.post(f"{API}/fulfillment-orders/{fo_id}/ready-for-pickup", headers=other)
    assert ready.status_code == 404
    handed = client.post(
        f"{API}/fulfillment-orders/{fo_id}/pickup", json={"code": code}, headers=other
    )
    assert handed.status_code == 404
    assert position(db, "SKU-1", stores["C"])["on_hand"] == 3
    own = _as_location(db, "C")
    response = client.post(
        f"{API}/fulfillment-orders/{fo_id}/pickup", json={"code": code}, headers=own
    )
    assert response.status_code == 200


# -- the QR on the slip --------------------------------------------------------------------


def test_the_qr_code_encodes_the_pickup_code(tmp_path: Path) -> None:
    code = "KX7R4MQA"
    svg = pickup_qr_svg(code)
    assert svg.startswith("<svg") and "<path" in svg
    if shutil.which("zbarimg") is None:
        pytest.fail("zbarimg is missing: `make chromium` installs zbar-tools")
    png = tmp_path / "qr.png"
    pickup_qr(code).save(str(png), scale=4, border=2)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, check=True
    )
    assert decoded.stdout.strip() == code


def test_the_worker_round_runs_the_expiry_sweep(
    client: TestClient,
    db: Database,
    settings: Settings,
    stores: dict[str, int],
    fixed_clock: clock.FixedClock,
) -> None:
    _order, fo_id, _code = _ready_order(client)
    fixed_clock.set(START + timedelta(days=8))
    counts = run_once(db, settings)
    assert counts.pickups_expired == 1
    assert client.get(f"{API}/fulfillment-orders/{fo_id}").json()["status"] == "cancelled"
