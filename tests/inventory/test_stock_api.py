from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.tables import domain_event_table
from ordnung.inventory import stock
from ordnung.inventory.tables import location_table, stock_movement_table, stock_position_table

API = "/api/v1"
HAMBURG = {
    "code": "hh",
    "name": "Lager Hamburg",
    "type": "warehouse",
    "address": {
        "street": "Hafenstraße 1",
        "postal_code": "20457",
        "city": "Hamburg",
        "country": "DE",
    },
    "capabilities": ["ship", "pickup"],
    "priority": 10,
}


@pytest.fixture
def stocked(client: TestClient) -> TestClient:
    """A product MUG-1 and two locations, hh (priority 10) and muc (priority 20)."""
    assert client.post(f"{API}/products", json={"sku": "MUG-1", "name": "Becher"}).is_success
    assert client.post(f"{API}/locations", json=HAMBURG).status_code == 201
    munich = {**HAMBURG, "code": "muc", "name": "Filiale München", "type": "store", "priority": 20}
    assert client.post(f"{API}/locations", json=munich).status_code == 201
    return client


def _set(client: TestClient, on_hand: int, location: str = "hh", **extra: Any) -> Any:
    body = {"on_hand": on_hand, "reason": "Inventur", **extra}
    return client.post(f"{API}/stock/MUG-1/{location}/set", json=body)


def _adjust(client: TestClient, delta: int, location: str = "hh", **extra: Any) -> Any:
    body = {"delta": delta, "reason": "Wareneingang", **extra}
    return client.post(f"{API}/stock/MUG-1/{location}/adjust", json=body)


def _reserve(db: Database, location_code: str, quantity: int) -> None:
    """Reserves as sourcing does: conditional update plus its ledger row."""

    def work(uow: UnitOfWork) -> None:
        position_id = uow.connection.execute(
            select(stock_position_table.c.id)
            .join(location_table, location_table.c.id == stock_position_table.c.location_id)
            .where(stock_position_table.c.sku == "MUG-1", location_table.c.code == location_code)
        ).scalar_one()
        assert stock.try_reserve(uow.connection, position_id, quantity, clock.now())
        movement = stock.Movement(position_id, stock.RESERVATION, 0, quantity)
        stock.record_movements(uow.connection, [movement], actor="test", now=clock.now())

    db.write(work)


def _ledger_equals_positions(db: Database) -> None:
    def sums(connection: Any) -> tuple[list[Any], list[Any]]:
        positions = connection.execute(
            select(
                stock_position_table.c.id,
                stock_position_table.c.on_hand,
                stock_position_table.c.reserved,
            ).order_by(stock_position_table.c.id)
        ).all()
        ledger = connection.execute(
            select(
                stock_movement_table.c.position_id,
                func.sum(stock_movement_table.c.on_hand_delta),
                func.sum(stock_movement_table.c.reserved_delta),
            )
            .group_by(stock_movement_table.c.position_id)
            .order_by(stock_movement_table.c.position_id)
        ).all()
        return positions, ledger

    positions, ledger = db.read(sums)
    assert [tuple(row) for row in positions] == [tuple(row) for row in ledger]


def test_set_and_adjust_write_ledger_rows_that_sum_to_the_position(
    stocked: TestClient, db: Database
) -> None:
    assert _set(stocked, 10).json()["on_hand"] == 10
    assert _adjust(stocked, 5, kind="receipt").json()["on_hand"] == 15
    assert _adjust(stocked, -3).json()["on_hand"] == 12
    _reserve(db, "hh", 4)
    response = _set(stocked, 7, safety_stock=1)
    assert response.status_code == 200
    body = response.json()
    assert (body["on_hand"], body["reserved"], body["safety_stock"]) == (7, 4, 1)
    assert body["available"] == 2
    _adjust(stocked, 9, location="muc")
    _ledger_equals_positions(db)

    movements = stocked.get(f"{API}/stock/MUG-1/hh/movements").json()["items"]
    assert [(m["kind"], m["on_hand_delta"]) for m in movements] == [
        ("adjustment", 10),
        ("receipt", 5),
        ("adjustment", -3),
        ("reservation", 0),
        ("adjustment", -5),
    ]
    assert movements[0]["reason"] == "Inventur"
    assert movements[0]["actor"] == "api_key:admin-test"


def test_each_change_records_a_stock_changed_event(stocked: TestClient, db: Database) -> None:
    _set(stocked, 10)
    _adjust(stocked, 2)
    events = db.read(
        lambda connection: connection.execute(
            select(domain_event_table.c.type, domain_event_table.c.payload).order_by(
                domain_event_table.c.id
            )
        ).all()
    )
    assert [e.type for e in events] == ["stock.changed", "stock.changed"]
    assert events[1].payload["delta"] == 2
    assert events[1].payload["on_hand"] == 12


def test_setting_below_what_is_reserved_is_a_409_saying_how_many(
    stocked: TestClient, db: Database
) -> None:
    _set(stocked, 10)
    _reserve(db, "hh", 6)
    response = _set(stocked, 5)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["reserved"] == 6
    assert "6 units" in response.json()["detail"]
    assert _adjust(stocked, -5).status_code == 409
    assert _adjust(stocked, -4).json()["on_hand"] == 6
    _ledger_equals_positions(db)


def test_unknown_skus_and_locations_are_404(stocked: TestClient) -> None:
    body = {"on_hand": 1, "reason": "x"}
    assert stocked.post(f"{API}/stock/NOPE/hh/set", json=body).status_code == 404
    assert stocked.post(f"{API}/stock/MUG-1/nowhere/set", json=body).status_code == 404
    assert stocked.get(f"{API}/availability/NOPE").status_code == 404
    assert stocked.get(f"{API}/stock/MUG-1/nowhere/movements").status_code == 404


def test_bad_stock_input_is_a_422_naming_the_field(stocked: TestClient) -> None:
    negative = _set(stocked, -1)
    assert negative.status_code == 422
    assert [e["field"] for e in negative.json()["errors"]] == ["on_hand"]
    no_reason = stocked.post(f"{API}/stock/MUG-1/hh/adjust", json={"delta": 1})
    assert [e["field"] for e in no_reason.json()["errors"]] == ["reason"]
    negative_receipt = _adjust(stocked, -1, kind="receipt")
    assert negative_receipt.status_code == 422
    assert [e["field"] for e in negative_receipt.json()["errors"]] == ["delta"]


def test_availability_is_per_location_in_priority_order_and_in_total(
    stocked: TestClient, db: Database
) -> None:
    _set(stocked, 10, location="muc", safety_stock=2)
    _set(stocked, 3, location="hh")
    _reserve(db, "hh", 1)
    body = stocked.get(f"{API}/availability/MUG-1").json()
    assert [(e["location"], e["available"]) for e in body["locations"]] == [("hh", 2), ("muc", 8)]
    assert (body["on_hand"], body["reserved"], body["available"]) == (13, 1, 10)


def test_the_stock_list_filters_by_sku_and_location(stocked: TestClient) -> None:
    _set(stocked, 1, location="hh")
    _set(stocked, 2, location="muc")
    every = stocked.get(f"{API}/stock", params={"sku": "MUG-1"}).json()["items"]
    assert [(p["location"], p["on_hand"]) for p in every] == [("hh", 1), ("muc", 2)]
    munich = stocked.get(f"{API}/stock", params={"location": "muc"}).json()["items"]
    assert [p["on_hand"] for p in munich] == [2]
    page = stocked.get(f"{API}/stock", params={"limit": 1}).json()
    rest = stocked.get(f"{API}/stock", params={"cursor": page["next_cursor"]}).json()
    assert [p["location"] for p in page["items"] + rest["items"]] == ["hh", "muc"]


def test_a_retried_receipt_with_the_same_idempotency_key_counts_once(
    stocked: TestClient, db: Database
) -> None:
    headers = {"Idempotency-Key": "receipt-4711"}
    body = {"delta": 5, "reason": "Lieferung 4711", "kind": "receipt"}
    first = stocked.post(f"{API}/stock/MUG-1/hh/adjust", json=body, headers=headers)
    again = stocked.post(f"{API}/stock/MUG-1/hh/adjust", json=body, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert stocked.get(f"{API}/availability/MUG-1").json()["on_hand"] == 5
    _ledger_equals_positions(db)


def test_stock_needs_inventory_scopes(
    stocked: TestClient, app_client: TestClient, make_api_key: Callable[..., str]
) -> None:
    app_client.headers["Authorization"] = f"Bearer {make_api_key('inventory:read')}"
    assert app_client.get(f"{API}/availability/MUG-1").status_code == 200
    forbidden = app_client.post(f"{API}/stock/MUG-1/hh/set", json={"on_hand": 1, "reason": "x"})
    assert forbidden.status_code == 403
    assert forbidden.json()["type"].endswith("/forbidden")
    del app_client.headers["Authorization"]
    assert app_client.get(f"{API}/stock").status_code == 401


def test_locations_can_be_listed_and_fetched_and_codes_are_unique(stocked: TestClient) -> None:
    codes = [loc["code"] for loc in stocked.get(f"{API}/locations").json()["items"]]
    assert codes == ["hh", "muc"]
    assert stocked.get(f"{API}/locations/hh").json()["capabilities"] == ["pickup", "ship"]
    assert stocked.post(f"{API}/locations", json=HAMBURG).status_code == 409
    bad = stocked.post(
        f"{API}/locations",
        json={**HAMBURG, "code": "x", "address": {**HAMBURG["address"], "country": "EU"}},
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["address.country"]
