"""`/api/v1/reservations` over HTTP: place (idempotent), read, release; problems as
problem+json naming the field; an order body's `reservation_id`."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ordnung.core.db import Database
from tests.factories import order_payload, position, put_stock, standard_setup

CART = {"lines": [{"sku": "SKU-1", "quantity": 2}], "ttl_seconds": 300}


def test_a_cart_is_held_once_per_idempotency_key_and_an_order_takes_it_over(
    client: TestClient, db: Database
) -> None:
    locations = standard_setup(db)
    put_stock(db, "SKU-1", locations["A"], 3)
    headers = {"Idempotency-Key": "cart-1"}
    first = client.post("/api/v1/reservations", json=CART, headers=headers)
    again = client.post("/api/v1/reservations", json=CART, headers=headers)
    assert first.status_code == 201, first.text
    assert again.json() == first.json()
    assert position(db, "SKU-1", locations["A"])["reserved"] == 2

    hold_id = first.json()["id"]
    order = client.post(
        "/api/v1/orders", json=order_payload([("SKU-1", 2)], reservation_id=hold_id)
    )
    assert order.status_code == 201, order.text
    assert position(db, "SKU-1", locations["A"])["reserved"] == 2
    shown = client.get(f"/api/v1/reservations/{hold_id}").json()
    assert (shown["status"], shown["order_id"]) == ("converted", order.json()["id"])
    refused = client.delete(f"/api/v1/reservations/{hold_id}")
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_release_short_stock_and_bad_input_answer_as_problems(
    client: TestClient, db: Database
) -> None:
    locations = standard_setup(db)
    put_stock(db, "SKU-1", locations["A"], 2)
    hold = client.post("/api/v1/reservations", json=CART).json()
    short = client.post("/api/v1/reservations", json=CART)
    assert short.status_code == 409
    assert short.json()["skus"] == ["SKU-1"]

    released = client.delete(f"/api/v1/reservations/{hold['id']}")
    assert released.status_code == 200 and released.json()["status"] == "released"
    assert position(db, "SKU-1", locations["A"])["reserved"] == 0

    too_long = client.post("/api/v1/reservations", json={**CART, "ttl_seconds": 7200})
    assert too_long.status_code == 422
    assert "ttl_seconds" in too_long.text
    nowhere = client.post("/api/v1/reservations", json={**CART, "location": "NOWHERE"})
    assert nowhere.status_code == 422 and "location" in nowhere.text
    assert client.get("/api/v1/reservations/999999").status_code == 404
    bad_order = client.post(
        "/api/v1/orders", json=order_payload([("SKU-1", 1)], reservation_id="x")
    )
    assert bad_order.status_code == 422 and "reservation_id" in bad_order.text
