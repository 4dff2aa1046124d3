"""Ship from store through the API, on each backend: a store first in line with a sourcing rule
`daily_capacity` N gets at most N fulfilment orders a day and the next order goes to the
warehouse; the store's own staff (a key bound to the store) decline work with a reason, and
the units are sourced elsewhere — never back to the store that declined."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ordnung.core.db import Database
from ordnung.inventory.tables import location_table
from ordnung.staff.service import create_api_key
from tests.factories import (
    add_channel,
    add_location,
    add_product,
    order_payload,
    position,
    put_stock,
)
from tests.invariants.order_stock_checks import read_world

RULES = "/api/v1/channels/webshop/sourcing-rules"


@pytest.fixture
def places(db: Database) -> dict[str, int]:
    """Store S (priority 1, ships from store) and warehouse W (priority 2), 10 × SKU-1 each."""
    add_channel(db)
    ids = {
        "S": add_location(db, "S", 1, ("ship", "ship_from_store")),
        "W": add_location(db, "W", 2),
    }
    with db.engine.begin() as connection:
        connection.execute(
            update(location_table).where(location_table.c.id == ids["S"]).values(type="store")
        )
    add_product(db, "SKU-1")
    for location_id in ids.values():
        put_stock(db, "SKU-1", location_id, 10)
    return ids


def _activate(client: TestClient, capacity: int) -> None:
    body = {
        "filters": [
            {"kind": "capability", "capability": "ship"},
            {"kind": "daily_capacity", "orders": capacity},
        ],
        "strategy": "priority",
    }
    created = client.post(RULES, json=body)
    assert created.status_code == 201, created.text
    number = created.json()["number"]
    etag = client.get(f"{RULES}/{number}").headers["ETag"]
    activated = client.post(f"{RULES}/{number}/activate", headers={"If-Match": etag})
    assert activated.status_code == 200, activated.text


def _place(client: TestClient) -> dict[str, Any]:
    response = client.post("/api/v1/orders", json=order_payload([("SKU-1", 1)]))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _codes(order: dict[str, Any]) -> list[str]:
    return [fo["location"]["code"] for fo in order["fulfillment_orders"]]


def _store_key(db: Database) -> dict[str, str]:
    _id, token = create_api_key(
        db, "filiale-s", ["fulfillment:read", "fulfillment:write"], location_code="S"
    )
    return {"Authorization": f"Bearer {token}"}


def test_a_store_gets_at_most_its_daily_capacity_and_the_next_order_goes_to_the_warehouse(
    client: TestClient, db: Database, places: dict[str, int]
) -> None:
    _activate(client, capacity=2)
    placed = [_place(client) for _ in range(3)]
    assert [_codes(order) for order in placed] == [["S"], ["S"], ["W"]]
    decisions = client.get(f"/api/v1/orders/{placed[2]['id']}/sourcing-decisions").json()
    dropped = str(decisions["items"][0])
    assert "daily_capacity" in dropped and "2 ≥ 2" in dropped
    store_queue = client.get("/api/v1/locations/S/queue", headers=_store_key(db)).json()
    assert len(store_queue["items"]) == 2
    assert read_world(db).violations == []


def test_work_the_store_declined_frees_its_slot_for_the_next_order(
    client: TestClient, db: Database, places: dict[str, int]
) -> None:
    _activate(client, capacity=2)
    first = _place(client)
    assert _codes(first) == ["S"]
    declined = client.post(
        f"/api/v1/fulfillment-orders/{first['fulfillment_orders'][0]['id']}/reject",
        json={"reason": "Regal leer"},
        headers=_store_key(db),
    )
    assert declined.status_code == 200, declined.text
    # The declined order went to the warehouse; the store still has both slots of the day.
    assert [_codes(_place(client)) for _ in range(3)] == [["S"], ["S"], ["W"]]
    assert read_world(db).violations == []


def test_store_staff_decline_and_the_units_go_elsewhere_never_back_to_the_store(
    client: TestClient, db: Database, places: dict[str, int]
) -> None:
    _activate(client, capacity=5)
    store = _store_key(db)
    order = _place(client)
    fo_id = order["fulfillment_orders"][0]["id"]
    assert _codes(order) == ["S"]
    declined = client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/reject",
        json={"reason": "Kein Personal heute"},
        headers=store,
    )
    assert declined.status_code == 200, declined.text
    after = client.get(f"/api/v1/orders/{order['id']}").json()
    open_codes = [
        fo["location"]["code"] for fo in after["fulfillment_orders"] if fo["status"] == "released"
    ]
    # S still has capacity and stock; it declined this order, so the warehouse ships it.
    assert open_codes == ["W"]
    assert after["status"] == "allocated"
    assert position(db, "SKU-1", places["S"])["reserved"] == 0
    assert position(db, "SKU-1", places["W"])["reserved"] == 1
    # The store's key cannot act on the warehouse's work, nor see it.
    w_fo = next(fo["id"] for fo in after["fulfillment_orders"] if fo["location"]["code"] == "W")
    refused = client.post(
        f"/api/v1/fulfillment-orders/{w_fo}/reject", json={"reason": "x"}, headers=store
    )
    assert refused.status_code == 404
    assert client.get(f"/api/v1/fulfillment-orders/{w_fo}", headers=store).status_code == 404
    # A decline without a reason is refused with a clear problem.
    no_reason = client.post(f"/api/v1/fulfillment-orders/{w_fo}/reject", json={})
    assert no_reason.status_code == 422
    assert no_reason.headers["content-type"].startswith("application/problem+json")
    assert read_world(db).violations == []


def test_when_the_warehouse_declines_too_the_order_waits_rather_than_return_to_the_store(
    client: TestClient, db: Database, places: dict[str, int]
) -> None:
    _activate(client, capacity=5)
    order = _place(client)
    for _ in range(2):
        current = client.get(f"/api/v1/orders/{order['id']}").json()
        fo_id = next(fo["id"] for fo in current["fulfillment_orders"] if fo["status"] == "released")
        rejected = client.post(
            f"/api/v1/fulfillment-orders/{fo_id}/reject", json={"reason": "Nicht heute"}
        )
        assert rejected.status_code == 200, rejected.text
    final = client.get(f"/api/v1/orders/{order['id']}").json()
    assert [fo["status"] for fo in final["fulfillment_orders"]] == ["rejected", "rejected"]
    assert final["status"] == "backordered"
    assert position(db, "SKU-1", places["S"])["reserved"] == 0
    assert read_world(db).violations == []
