"""Sending orders over HTTP: stored once, sourced, reserved, on hold when something is off."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ordnung.core.db import Database
from ordnung.inventory.tables import stock_movement_table
from ordnung.orders.tables import order_line_table, sales_order_table
from tests.factories import (
    add_channel,
    add_location,
    add_product,
    order_payload,
    position,
    put_stock,
    standard_setup,
)


def _count(db: Database, table: Any) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    put_stock(db, "SKU-2", ids["A"], 1)
    put_stock(db, "SKU-2", ids["B"], 5)
    return ids


def test_an_order_is_stored_reserved_and_released_to_one_location(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    response = client.post("/api/v1/orders", json=order_payload([("SKU-1", 2), ("SKU-2", 1)]))
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "allocated"
    assert order["number"].startswith("ORD-")
    assert [line["allocated"] for line in order["lines"]] == [2, 1]
    assert [fo["location"]["code"] for fo in order["fulfillment_orders"]] == ["A"]
    assert order["totals"] == {
        "subtotal": "59.97",
        "shipping": "4.90",
        "tax": "10.36",
        "total": "64.87",
    }
    assert [e["type"] for e in order["timeline"]] == [
        "order.received",
        "order.allocated",
        "fulfillment_order.released",
    ]
    assert position(db, "SKU-1", locations["A"])["reserved"] == 2
    # The answer to the POST is built from memory; it must equal what a read returns.
    assert client.get(f"/api/v1/orders/{order['id']}").json() == order


def test_the_same_channel_and_external_id_is_stored_once(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    body = order_payload([("SKU-1", 1)])
    first = client.post("/api/v1/orders", json=body)
    second = client.post("/api/v1/orders", json=body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert _count(db, sales_order_table) == 1
    assert position(db, "SKU-1", locations["A"])["reserved"] == 1


def test_an_idempotency_key_replays_the_first_answer_and_refuses_another_body(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    body = order_payload([("SKU-1", 1)])
    headers = {"Idempotency-Key": "key-1"}
    first = client.post("/api/v1/orders", json=body, headers=headers)
    replay = client.post("/api/v1/orders", json=body, headers=headers)
    assert replay.status_code == 201
    assert replay.content == first.content
    assert replay.headers["Idempotent-Replayed"] == "true"
    other = client.post("/api/v1/orders", json=order_payload([("SKU-1", 2)]), headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert _count(db, sales_order_table) == 1


def test_an_unknown_sku_keeps_the_order_on_hold_instead_of_losing_it(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    response = client.post("/api/v1/orders", json=order_payload([("NOPE-1", 1), ("SKU-1", 1)]))
    assert response.status_code == 201
    order = response.json()
    assert order["status"] == "on_hold"
    assert [hold["reason"] for hold in order["holds"]] == ["unknown_sku"]
    assert "NOPE-1" in order["holds"][0]["detail"]
    assert order["fulfillment_orders"] == []
    assert position(db, "SKU-1", locations["A"])["reserved"] == 0
    assert client.get(f"/api/v1/orders/{order['id']}").json() == order


def test_releasing_the_hold_sources_the_order(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    body = order_payload([("SKU-1", 1)], totals={"total": "1.00"})
    order = client.post("/api/v1/orders", json=body).json()
    assert [h["reason"] for h in order["holds"]] == ["totals_mismatch"]
    hold_id = order["holds"][0]["id"]
    released = client.post(
        f"/api/v1/orders/{order['id']}/holds/{hold_id}/release",
        json={"note": "Checked with the shop: coupon"},
    )
    assert released.status_code == 200, released.text
    assert released.json()["status"] == "allocated"
    assert position(db, "SKU-1", locations["A"])["reserved"] == 1


def test_units_without_stock_anywhere_are_backordered(
    client: TestClient, locations: dict[str, int]
) -> None:
    order = client.post("/api/v1/orders", json=order_payload([("SKU-3", 2)])).json()
    assert order["status"] == "backordered"
    assert order["lines"][0]["open"] == 2


def test_lines_split_across_locations_in_priority_order(
    client: TestClient, locations: dict[str, int]
) -> None:
    order = client.post("/api/v1/orders", json=order_payload([("SKU-2", 3)])).json()
    codes = sorted(fo["location"]["code"] for fo in order["fulfillment_orders"])
    assert codes == ["B"]  # B alone has all three units of the line
    order = client.post("/api/v1/orders", json=order_payload([("SKU-2", 3)])).json()
    assert sorted(fo["location"]["code"] for fo in order["fulfillment_orders"]) == ["A", "B"]


def _bad_bodies() -> list[tuple[str, dict[str, Any]]]:
    good = order_payload([("SKU-1", 1)])
    no_lines = {**good, "lines": []}
    negative = order_payload([("SKU-1", -1)])
    wrong_type = {**good, "lines": [{**good["lines"][0], "quantity": "two"}]}
    missing = {k: v for k, v in good.items() if k != "customer"}
    float_price = {**good, "lines": [{**good["lines"][0], "unit_price": 19.99}]}
    unknown_field = {**good, "is_paid": True}
    bad_email = {**good, "customer": {"email": "not-an-email"}}
    return [
        ("lines", no_lines),
        ("lines.0.quantity", negative),
        ("lines.0.quantity", wrong_type),
        ("customer", missing),
        ("lines.0.unit_price", float_price),
        ("is_paid", unknown_field),
        ("customer.email", bad_email),
    ]


@pytest.mark.parametrize(("field", "body"), _bad_bodies(), ids=[f for f, _ in _bad_bodies()])
def test_malformed_orders_get_a_problem_that_names_the_field_and_write_nothing(
    client: TestClient, db: Database, locations: dict[str, int], field: str, body: dict[str, Any]
) -> None:
    response = client.post("/api/v1/orders", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert field in [error["field"] for error in problem["errors"]]
    assert _count(db, sales_order_table) == 0
    assert _count(db, order_line_table) == 0


def test_an_unknown_channel_is_refused_and_nothing_is_written(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    response = client.post("/api/v1/orders", json=order_payload([("SKU-1", 1)], channel="nope"))
    assert response.status_code == 422
    assert response.json()["type"].endswith("/validation-error")
    assert "nope" in response.json()["detail"]
    assert _count(db, sales_order_table) == 0
    movements_before = _count(db, stock_movement_table)
    assert movements_before == 3  # the three receipts of the setup only


def test_a_huge_payload_is_refused_before_it_is_parsed(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    body = order_payload([("SKU-1", 1)], shipping_method="x" * 400_000)
    response = client.post("/api/v1/orders", json=body)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert _count(db, sales_order_table) == 0


def test_orders_need_a_key_with_the_right_scope(
    app_client: TestClient, make_api_key: Any, locations: dict[str, int]
) -> None:
    body = order_payload([("SKU-1", 1)])
    anonymous = app_client.post("/api/v1/orders", json=body)
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    reader = {"Authorization": f"Bearer {make_api_key('orders:read')}"}
    assert app_client.post("/api/v1/orders", json=body, headers=reader).status_code == 403
    wrong = {"Authorization": "Bearer ord_wrong"}
    assert app_client.get("/api/v1/orders", headers=wrong).status_code == 401


def test_the_order_list_filters_searches_and_pages(
    client: TestClient, locations: dict[str, int]
) -> None:
    numbers = []
    for index in range(5):
        payload = order_payload([("SKU-1", 1)], customer={"email": f"k{index}@example.de"})
        numbers.append(client.post("/api/v1/orders", json=payload).json()["number"])
    client.post("/api/v1/orders", json=order_payload([("SKU-3", 1)]))  # backordered
    page = client.get("/api/v1/orders", params={"limit": 2}).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    seen = [item["number"] for item in page["items"]]
    while page["next_cursor"]:
        page = client.get(
            "/api/v1/orders", params={"limit": 2, "cursor": page["next_cursor"]}
        ).json()
        seen += [item["number"] for item in page["items"]]
    assert len(seen) == len(set(seen)) == 6
    backordered = client.get("/api/v1/orders", params={"status": "backordered"}).json()
    assert [item["status"] for item in backordered["items"]] == ["backordered"]
    by_mail = client.get("/api/v1/orders", params={"q": "K3@example.de"}).json()
    assert [item["number"] for item in by_mail["items"]] == [numbers[3]]
    by_number = client.get("/api/v1/orders", params={"q": numbers[1].lower()}).json()
    assert [item["number"] for item in by_number["items"]] == [numbers[1]]
    assert client.get("/api/v1/orders", params={"status": "lost"}).status_code == 422


def test_a_store_that_ships_is_sourced_but_a_pickup_only_store_is_not(
    client: TestClient, db: Database
) -> None:
    add_channel(db)
    pickup_only = add_location(db, "P", 1, ("pickup",))
    shipping_store = add_location(db, "S", 2, ("pickup", "ship_from_store"))
    add_product(db, "SKU-1")
    put_stock(db, "SKU-1", pickup_only, 5)
    put_stock(db, "SKU-1", shipping_store, 5)
    order = client.post("/api/v1/orders", json=order_payload([("SKU-1", 1)])).json()
    assert [fo["location"]["code"] for fo in order["fulfillment_orders"]] == ["S"]
