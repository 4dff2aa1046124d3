"""Drop-ship: work released to a supplier's drop-ship location becomes one drop-ship purchase
order with the customer's ship-to; the supplier confirms, ships with tracking (the order
ships) or rejects (the order is sourced again), through a key that sees only its own."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ordnung.core.db import Database
from ordnung.inventory.tables import stock_position_table as positions
from ordnung.purchasing.tables import purchase_order_table
from tests.factories import order_payload, position, put_stock
from tests.purchasing.dropship import (
    dispatch_all,
    dropship_shop,
    location_headers,
    order_routed_to_supplier,
)

SUPPLIER_URL = "/api/v1/supplier/purchase-orders"


def _supplier_orders(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(SUPPLIER_URL, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def _purchase_order_count(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(purchase_order_table)).scalar_one()
        )


def test_a_fulfilment_order_at_a_drop_ship_location_becomes_one_purchase_order_with_ship_to(
    client: TestClient, db: Database
) -> None:
    shop = dropship_shop(client, db)
    order = order_routed_to_supplier(client, 2)
    assert order["fulfillment_orders"][0]["location"]["code"] == "moebel-direkt"
    assert _supplier_orders(client, shop.supplier_headers) == []  # the worker has not run
    dispatch_all(db)
    dispatch_all(db)  # dispatching again makes no second one
    [po] = _supplier_orders(client, shop.supplier_headers)
    assert po["kind"] == "dropship" and po["status"] == "sent"
    assert po["order_number"] == order["number"]
    assert po["fulfillment_order_id"] == order["fulfillment_orders"][0]["id"]
    assert po["ship_to"]["name"] == "Erika Mustermann"
    assert po["ship_to"]["city"] == "Köln" and po["ship_to"]["email"] == "erika@example.de"
    assert [(line["sku"], line["quantity"], line["unit_price"]) for line in po["lines"]] == [
        ("SKU-1", 2, "7.50")
    ]
    assert po["total"] == "15.00"
    assert _purchase_order_count(db) == 1
    # The merchant sees it among all purchase orders, filterable by kind.
    listed = client.get("/api/v1/purchase-orders", params={"kind": "dropship"}).json()["items"]
    assert [item["number"] for item in listed] == [po["number"]]


def test_work_at_an_ordinary_warehouse_makes_no_purchase_order(
    client: TestClient, db: Database
) -> None:
    shop = dropship_shop(client, db)
    put_stock(db, "SKU-2", shop.locations["A"], 5)
    client.post("/api/v1/orders", json=order_payload([("SKU-2", 1)]))
    dispatch_all(db)
    assert _purchase_order_count(db) == 0


def test_confirm_then_ship_with_tracking_ships_the_order_and_takes_the_suppliers_stock(
    client: TestClient, db: Database
) -> None:
    shop = dropship_shop(client, db)
    order = order_routed_to_supplier(client, 2)
    dispatch_all(db)
    [po] = _supplier_orders(client, shop.supplier_headers)
    url = f"{SUPPLIER_URL}/{po['number']}"
    confirmed = client.post(
        f"{url}/confirm", json={"expected_ship_on": "2099-01-15"}, headers=shop.supplier_headers
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["expected_ship_on"] == "2099-01-15"
    fo = client.get(f"/api/v1/fulfillment-orders/{po['fulfillment_order_id']}").json()
    assert fo["status"] == "accepted"
    again = client.post(f"{url}/confirm", json={}, headers=shop.supplier_headers)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"

    ship = {"carrier": "dhl", "tracking_number": "00340434161094042557"}
    shipped = client.post(f"{url}/ship", json=ship, headers=shop.supplier_headers)
    assert shipped.status_code == 200, shipped.text
    body = shipped.json()
    assert body["status"] == "shipped" and body["tracking_number"] == ship["tracking_number"]
    assert body["carrier"] == "dhl" and body["shipped_at"] is not None
    detail = client.get(f"/api/v1/orders/{order['id']}").json()
    assert detail["status"] == "shipped"
    assert detail["shipments"][0]["tracking_number"] == ship["tracking_number"]
    assert position(db, "SKU-1", shop.locations["D"]) == {
        "on_hand": 3,
        "reserved": 0,
        "safety_stock": 0,
    }
    assert _supplier_orders(client, shop.supplier_headers) == []  # nothing open any more
    twice = client.post(f"{url}/ship", json=ship, headers=shop.supplier_headers)
    assert twice.status_code == 409
    # Drop-ship goods are never received into stock.
    receive = client.post(
        f"/api/v1/purchase-orders/{po['number']}/receive",
        json={"lines": [{"line_number": 1, "quantity": 1}]},
    )
    assert receive.status_code == 409


def test_a_retried_ship_with_the_same_idempotency_key_replays_the_first_answer(
    client: TestClient, db: Database
) -> None:
    shop = dropship_shop(client, db)
    order_routed_to_supplier(client, 1)
    dispatch_all(db)
    [po] = _supplier_orders(client, shop.supplier_headers)
    headers = {**shop.supplier_headers, "Idempotency-Key": "ship-1"}
    ship = {"carrier": "dpd", "tracking_number": "DPD-12345"}
    url = f"{SUPPLIER_URL}/{po['number']}/ship"
    first = client.post(url, json=ship, headers=headers)
    second = client.post(url, json=ship, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    other = client.post(url, json={**ship, "tracking_number": "DPD-999"}, headers=headers)
    assert other.status_code == 422
    assert position(db, "SKU-1", shop.locations["D"])["on_hand"] == 4  # shipped once


def test_the_supplier_rejects_and_the_order_is_sourced_again_elsewhere(
    client: TestClient, db: Database
) -> None:
    shop = dropship_shop(client, db)
    put_stock(db, "SKU-1", shop.locations["B"], 5)  # B has it too, after the supplier in line
    with db.engine.begin() as connection:  # …but was empty when the order came
        connection.execute(
            positions.update()
            .where(positions.c.location_id == shop.locations["B"])
            .values(safety_stock=5)
        )
    order = order_routed_to_supplier(client, 2)
    with db.engine.begin() as connection:
        connection.execute(
            positions.update()
            .where(positions.c.location_id == shop.locations["B"])
            .values(safety_stock=0)
        )
    dispatch_all(db)
    [po] = _supplier_orders(client, shop.supplier_headers)
    url = f"{SUPPLIER_URL}/{po['number']}/reject"
    rejected = client.post(url, json={"reason": "Out of production"}, headers=shop.supplier_headers)
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "cancelled"
    detail = client.get(f"/api/v1/orders/{order['id']}").json()
    statuses = {fo["location"]["code"]: fo["status"] for fo in detail["fulfillment_orders"]}
    assert statuses == {"moebel-direkt": "rejected", "B": "released"}
    assert position(db, "SKU-1", shop.locations["D"])["reserved"] == 0
    assert position(db, "SKU-1", shop.locations["B"])["reserved"] == 2
    dispatch_all(db)  # the reaction to the rejection finds the purchase order cancelled already
    assert _purchase_order_count(db) == 1
    assert (
        client.post(url, json={"reason": "again"}, headers=shop.supplier_headers).status_code == 409
    )


def test_another_locations_key_gets_404_and_sees_nothing(client: TestClient, db: Database) -> None:
    shop = dropship_shop(client, db)
    order_routed_to_supplier(client, 1)
    dispatch_all(db)
    [po] = _supplier_orders(client, shop.supplier_headers)
    stranger = location_headers(db, "A")
    assert _supplier_orders(client, stranger) == []
    url = f"{SUPPLIER_URL}/{po['number']}"
    assert client.get(url, headers=stranger).status_code == 404
    ship = {"carrier": "dhl", "tracking_number": "00340434161094042557"}
    for action, body in (("confirm", {}), ("ship", ship), ("reject", {"reason": "not mine"})):
        response = client.post(f"{url}/{action}", json=body, headers=stranger)
        assert response.status_code == 404, action
        assert response.headers["content-type"] == "application/problem+json"
    assert client.get(url, headers=shop.supplier_headers).json()["status"] == "sent"


def test_cancelling_the_order_withdraws_the_open_drop_ship_purchase_order(
    client: TestClient, db: Database
) -> None:
    shop = dropship_shop(client, db)
    order = order_routed_to_supplier(client, 1)
    dispatch_all(db)
    [po] = _supplier_orders(client, shop.supplier_headers)
    cancelled = client.post(f"/api/v1/orders/{order['id']}/cancel", json={"reason": "customer"})
    assert cancelled.status_code == 200, cancelled.text
    dispatch_all(db)
    detail = client.get(f"{SUPPLIER_URL}/{po['number']}", headers=shop.supplier_headers).json()
    assert detail["status"] == "cancelled"


def test_bad_supplier_input_is_a_clear_422(client: TestClient, db: Database) -> None:
    shop = dropship_shop(client, db)
    order_routed_to_supplier(client, 1)
    dispatch_all(db)
    [po] = _supplier_orders(client, shop.supplier_headers)
    url = f"{SUPPLIER_URL}/{po['number']}"
    past = client.post(
        f"{url}/confirm", json={"expected_ship_on": "2001-01-01"}, headers=shop.supplier_headers
    )
    assert past.status_code == 422
    assert past.json()["errors"][0]["field"] == "expected_ship_on"
    empty = client.post(f"{url}/ship", json={"carrier": "dhl"}, headers=shop.supplier_headers)
    assert empty.status_code == 422
    unknown = client.post(f"{url}/confirm", json={"extra": 1}, headers=shop.supplier_headers)
    assert unknown.status_code == 422
    # A location without the drop-ship capability cannot be a supplier's drop-ship location.
    body = {"code": "other", "name": "Other", "dropship_location": "A"}
    assert client.post("/api/v1/suppliers", json=body).status_code == 422
    taken = {"code": "other", "name": "Other", "dropship_location": "moebel-direkt"}
    assert client.post("/api/v1/suppliers", json=taken).status_code == 409


def test_shipping_the_fulfilment_order_directly_makes_the_purchase_order_shipped_too(
    client: TestClient, db: Database
) -> None:
    shop = dropship_shop(client, db)
    order = order_routed_to_supplier(client, 1)
    dispatch_all(db)
    fo_id = order["fulfillment_orders"][0]["id"]
    ship = {"carrier": "gls", "tracking_number": "GLS-778899"}
    shipped = client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/ship", json=ship, headers=shop.supplier_headers
    )
    assert shipped.status_code == 201, shipped.text
    [po] = client.get(SUPPLIER_URL, params={"state": "all"}, headers=shop.supplier_headers).json()[
        "items"
    ]
    assert po["status"] == "sent"  # until the worker has seen the shipment
    dispatch_all(db)
    detail = client.get(f"{SUPPLIER_URL}/{po['number']}", headers=shop.supplier_headers).json()
    assert (detail["status"], detail["carrier"], detail["tracking_number"]) == (
        "shipped",
        "gls",
        "GLS-778899",
    )
