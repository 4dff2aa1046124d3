"""Invariant 7 for locations: a 3PL's or store's key sees and works only its own orders."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.core.errors import ValidationError
from ordnung.staff.service import create_api_key
from tests.factories import order_payload, put_stock, standard_setup


@pytest.fixture
def two_fulfilment_orders(client: TestClient, db: Database) -> dict[str, int]:
    locations = standard_setup(db)
    put_stock(db, "SKU-1", locations["A"], 5)
    put_stock(db, "SKU-2", locations["B"], 5)
    ids = {}
    for sku, code in (("SKU-1", "A"), ("SKU-2", "B")):
        order = client.post("/api/v1/orders", json=order_payload([(sku, 1)])).json()
        ids[code] = order["fulfillment_orders"][0]["id"]
    return ids


def _as_location(client: TestClient, db: Database, code: str) -> dict[str, Any]:
    _id, token = create_api_key(
        db, f"3pl-{code}", ["fulfillment:read", "fulfillment:write"], location_code=code
    )
    return {"Authorization": f"Bearer {token}"}


def test_a_location_key_lists_only_its_own_fulfilment_orders(
    client: TestClient, db: Database, two_fulfilment_orders: dict[str, int]
) -> None:
    headers = _as_location(client, db, "B")
    listed = client.get("/api/v1/fulfillment-orders", headers=headers).json()["items"]
    assert [item["id"] for item in listed] == [two_fulfilment_orders["B"]]
    # Asking for another location's list does not widen what the key sees.
    other = client.get("/api/v1/fulfillment-orders", params={"location": "A"}, headers=headers)
    assert other.json()["items"] == []


def test_another_locations_fulfilment_order_answers_as_if_it_did_not_exist(
    client: TestClient, db: Database, two_fulfilment_orders: dict[str, int]
) -> None:
    headers = _as_location(client, db, "B")
    theirs = two_fulfilment_orders["A"]
    assert client.get(f"/api/v1/fulfillment-orders/{theirs}", headers=headers).status_code == 404
    ship = {"carrier": "dhl", "tracking_number": "00340434161094042557"}
    response = client.post(f"/api/v1/fulfillment-orders/{theirs}/ship", json=ship, headers=headers)
    assert response.status_code == 404
    assert client.get(f"/api/v1/fulfillment-orders/{theirs}").json()["status"] == "released"
    mine = two_fulfilment_orders["B"]
    response = client.post(f"/api/v1/fulfillment-orders/{mine}/ship", json=ship, headers=headers)
    assert response.status_code == 201


def test_a_location_key_cannot_read_orders(
    client: TestClient, db: Database, two_fulfilment_orders: dict[str, int]
) -> None:
    headers = _as_location(client, db, "B")
    assert client.get("/api/v1/orders", headers=headers).status_code == 403


def test_a_location_key_is_refused_wider_scopes(db: Database) -> None:
    standard_setup(db)
    with pytest.raises(ValidationError, match="may only carry"):
        create_api_key(db, "3pl", ["orders:read", "fulfillment:read"], location_code="A")
    with pytest.raises(ValidationError, match="Unknown location"):
        create_api_key(db, "3pl", ["fulfillment:read"], location_code="NOPE")
