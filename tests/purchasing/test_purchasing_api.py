"""Supply over HTTP: suppliers with If-Match, a purchase order from draft to received,
an idempotent retry of a receipt, over-receipt as a 422 problem, replenishment."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from tests.factories import position, standard_setup

SUPPLIER = {
    "code": "nordholz",
    "name": "Nordholz Handels GmbH",
    "lead_time_days": 5,
    "minimum_order_quantity": 24,
    "contacts": [{"name": "Jana Krüger", "email": "jana@nordholz.example", "phone": "+49 40 1"}],
    "products": [
        {"sku": "SKU-1", "supplier_sku": "NH-100", "unit_price": "4.20", "pack_size": 12},
        {"sku": "SKU-2", "unit_price": "1.10"},
    ],
}


@pytest.fixture
def locations(db: Database, client: TestClient) -> dict[str, int]:
    ids = standard_setup(db)
    assert client.post("/api/v1/suppliers", json=SUPPLIER).status_code == 201
    return ids


def _draft(client: TestClient, lines: list[dict[str, object]]) -> dict[str, object]:
    response = client.post(
        "/api/v1/purchase-orders", json={"supplier": "nordholz", "location": "A", "lines": lines}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_supplier_is_edited_with_if_match_and_a_stale_version_is_a_409(
    client: TestClient, locations: dict[str, int]
) -> None:
    read = client.get("/api/v1/suppliers/nordholz")
    assert read.headers["etag"] == '"1"'
    assert read.json()["products"][0]["pack_size"] == 12
    changed = {**SUPPLIER, "lead_time_days": 9}
    saved = client.put("/api/v1/suppliers/nordholz", json=changed, headers={"If-Match": '"1"'})
    assert saved.status_code == 200 and saved.json()["lead_time_days"] == 9
    stale = client.put("/api/v1/suppliers/nordholz", json=changed, headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    assert stale.headers["content-type"] == "application/problem+json"
    again = client.post("/api/v1/suppliers", json=SUPPLIER)
    assert again.status_code == 409


def test_bad_supplier_input_is_a_422_naming_the_field(
    client: TestClient, locations: dict[str, int]
) -> None:
    body = {**SUPPLIER, "code": "other", "products": [{"sku": "NOPE", "unit_price": "1"}]}
    response = client.post("/api/v1/suppliers", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "products[0].sku"


def test_a_purchase_order_goes_from_draft_to_received_and_raises_stock(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    order = _draft(client, [{"sku": "SKU-1", "quantity": 24}, {"sku": "SKU-2", "quantity": 5}])
    number = order["number"]
    sent = client.post(f"/api/v1/purchase-orders/{number}/send", headers={"If-Match": '"1"'})
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    twice = client.post(f"/api/v1/purchase-orders/{number}/send")
    assert twice.status_code == 409
    confirmed = client.post(
        f"/api/v1/purchase-orders/{number}/confirm",
        json={"lines": [{"line_number": 1, "confirmed_on": "2027-01-15"}]},
    )
    assert confirmed.json()["lines"][0]["confirmed_on"] == "2027-01-15"
    partial = client.post(
        f"/api/v1/purchase-orders/{number}/receive",
        json={"lines": [{"line_number": 1, "quantity": 10}]},
    )
    assert partial.status_code == 200, partial.text
    assert partial.json()["status"] == "partially_received"
    full = client.post(
        f"/api/v1/purchase-orders/{number}/receive",
        json={"lines": [{"line_number": 1, "quantity": 14}, {"line_number": 2, "quantity": 5}]},
    )
    assert full.json()["status"] == "received"
    assert position(db, "SKU-1", locations["A"])["on_hand"] == 24
    listed = client.get("/api/v1/purchase-orders", params={"status": "received"}).json()
    assert [item["number"] for item in listed["items"]] == [number]
    assert listed["items"][0]["received_quantity"] == 29


def test_a_retried_receipt_with_the_same_key_is_booked_once(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    number = _draft(client, [{"sku": "SKU-1", "quantity": 24}])["number"]
    client.post(f"/api/v1/purchase-orders/{number}/send")
    body = {"lines": [{"line_number": 1, "quantity": 6}]}
    headers = {"Idempotency-Key": "dock-7-receipt-1"}
    first = client.post(f"/api/v1/purchase-orders/{number}/receive", json=body, headers=headers)
    again = client.post(f"/api/v1/purchase-orders/{number}/receive", json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    assert position(db, "SKU-1", locations["A"])["on_hand"] == 6
    other = client.post(
        f"/api/v1/purchase-orders/{number}/receive",
        json={"lines": [{"line_number": 1, "quantity": 7}]},
        headers=headers,
    )
    assert other.status_code == 422


def test_over_receipt_is_a_422_problem_naming_the_line(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    number = _draft(client, [{"sku": "SKU-1", "quantity": 12}])["number"]
    client.post(f"/api/v1/purchase-orders/{number}/send")
    response = client.post(
        f"/api/v1/purchase-orders/{number}/receive",
        json={"lines": [{"line_number": 1, "quantity": 13}]},
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "lines[1].quantity"
    assert "only 12 of 12 units of SKU-1 are still open" in problem["errors"][0]["message"]


def test_a_draft_is_edited_with_if_match_only_while_it_is_a_draft(
    client: TestClient, locations: dict[str, int]
) -> None:
    number = _draft(client, [{"sku": "SKU-1", "quantity": 12}])["number"]
    body = {"supplier": "nordholz", "location": "B", "lines": [{"sku": "SKU-2", "quantity": 3}]}
    saved = client.put(f"/api/v1/purchase-orders/{number}", json=body, headers={"If-Match": '"1"'})
    assert saved.status_code == 200 and saved.headers["etag"] == '"2"'
    stale = client.put(f"/api/v1/purchase-orders/{number}", json=body, headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    client.post(f"/api/v1/purchase-orders/{number}/send")
    assert client.put(f"/api/v1/purchase-orders/{number}", json=body).status_code == 409


def test_replenishment_suggests_and_orders_in_packs_up_to_the_supplier_minimum(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    rule = {"reorder_point": 5, "minimum": 2, "maximum": 15, "supplier": "nordholz"}
    saved = client.put("/api/v1/replenishment/rules/SKU-1/A", json=rule)
    assert saved.status_code == 200, saved.text
    client.put("/api/v1/replenishment/rules/SKU-2/A", json={"reorder_point": 0, "maximum": 4})
    suggestions = client.get("/api/v1/replenishment/suggestions").json()["items"]
    # SKU-1: nothing on hand → 15, in packs of 12 → 24; SKU-2: 0 ≤ 0 → 4, cheapest supplier
    assert [(s["sku"], s["quantity"], s["is_urgent"], s["supplier"]) for s in suggestions] == [
        ("SKU-1", 24, True, "nordholz"),
        ("SKU-2", 4, False, "nordholz"),
    ]
    created = client.post(
        "/api/v1/replenishment/suggestions/order",
        json={"selected": [{"sku": "SKU-1", "location": "A"}, {"sku": "SKU-2", "location": "A"}]},
    )
    assert created.status_code == 201, created.text
    [number] = created.json()["numbers"]
    order = client.get(f"/api/v1/purchase-orders/{number}").json()
    assert [(line["sku"], line["quantity"]) for line in order["lines"]] == [
        ("SKU-1", 24),
        ("SKU-2", 4),
    ]
    # A draft is not yet supply: the suggestion stays until the order is sent.
    client.post(f"/api/v1/purchase-orders/{number}/send")
    assert client.get("/api/v1/replenishment/suggestions").json()["items"] == []
