"""Changes after intake over HTTP: each answers the changed order with its new ETag, a stale
If-Match is a 409 problem with the current version, bad input a 422 naming the field, a
retried change with the same Idempotency-Key is done once."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 5)
    put_stock(db, "SKU-2", ids["B"], 5)
    return ids


def _place(client: TestClient, lines: list[tuple[str, int]]) -> dict[str, Any]:
    response = client.post("/api/v1/orders", json=order_payload(lines))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _etag(order: dict[str, Any]) -> dict[str, str]:
    return {"If-Match": f'"{order["version"]}"'}


def test_cancelling_units_answers_the_order_with_its_new_etag(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 3)])
    response = client.post(
        f"/api/v1/orders/{order['number']}/lines/1/cancel",
        json={"units": 2, "reason": "Kunde will nur eins"},
        headers=_etag(order),
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert response.headers["ETag"] == f'"{changed["version"]}"'
    assert changed["lines"][0]["cancelled"] == 2
    assert position(db, "SKU-1", locations["A"])["reserved"] == 1
    assert read_world(db).violations == []


def test_a_stale_if_match_is_a_409_with_the_current_version(
    client: TestClient, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 3)])
    path = f"/api/v1/orders/{order['id']}/lines/1/cancel"
    first = client.post(path, json={"units": 1, "reason": "a"}, headers=_etag(order))
    assert first.status_code == 200
    second = client.post(path, json={"units": 1, "reason": "b"}, headers=_etag(order))
    assert second.status_code == 409
    problem = second.json()
    assert problem["type"].endswith("stale-version")
    assert problem["current_version"] == first.json()["version"]


def test_a_retried_change_with_the_same_idempotency_key_is_done_once(
    client: TestClient, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 3)])
    path = f"/api/v1/orders/{order['id']}/lines/1/cancel"
    headers = {"Idempotency-Key": "cancel-one"}
    first = client.post(path, json={"units": 1, "reason": "a"}, headers=headers)
    again = client.post(path, json={"units": 1, "reason": "a"}, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    assert again.json()["lines"][0]["cancelled"] == 1


def test_adding_a_line_of_an_unknown_product_is_a_422_naming_sku(
    client: TestClient, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 1)])
    response = client.post(
        f"/api/v1/orders/{order['id']}/lines",
        json={"sku": "NOPE", "quantity": 1, "unit_price": "1.00", "reason": "x"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == "sku"


def test_an_added_line_is_reserved_and_priced(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 1)])
    response = client.post(
        f"/api/v1/orders/{order['id']}/lines",
        json={"sku": "SKU-2", "quantity": 2, "unit_price": "5.00", "reason": "telefonisch"},
        headers=_etag(order),
    )
    assert response.status_code == 200, response.text
    assert response.json()["totals"]["subtotal"] == "29.99"
    assert position(db, "SKU-2", locations["B"])["reserved"] == 2


def test_a_body_without_a_reason_is_a_422_naming_reason(
    client: TestClient, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 1)])
    response = client.post(f"/api/v1/orders/{order['id']}/lines/1/cancel", json={"units": 1})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["reason"]


def test_replacing_an_unknown_sku_over_http_releases_the_hold(
    client: TestClient, locations: dict[str, int]
) -> None:
    order = _place(client, [("TYPO", 1)])
    assert order["status"] == "on_hold"
    response = client.post(
        f"/api/v1/orders/{order['id']}/lines/1/replace",
        json={"sku": "SKU-1", "reason": "Tippfehler im Shop"},
        headers=_etag(order),
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "allocated"


def test_shipping_changes_after_shipment_are_a_409(
    client: TestClient, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 1)])
    fo_id = order["fulfillment_orders"][0]["id"]
    shipped = client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/ship",
        json={"carrier": "DHL", "tracking_number": "00340434161094042557"},
    )
    assert shipped.status_code == 201
    response = client.patch(
        f"/api/v1/orders/{order['id']}/shipping",
        json={"shipping_method": "express", "reason": "zu spät"},
    )
    assert response.status_code == 409


def test_a_price_correction_without_any_amount_is_a_422(
    client: TestClient, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 1)])
    response = client.post(
        f"/api/v1/orders/{order['id']}/lines/1/correct-price", json={"reason": "x"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "unit_price"


def test_cancel_takes_a_reason_code_and_keeps_the_old_free_text(
    client: TestClient, locations: dict[str, int]
) -> None:
    coded = _place(client, [("SKU-1", 1)])
    client.post(
        f"/api/v1/orders/{coded['id']}/cancel",
        json={"reason_code": "fraud", "note": "Karte gesperrt"},
    )
    legacy = _place(client, [("SKU-1", 1)])
    client.post(f"/api/v1/orders/{legacy['id']}/cancel", json={"reason": "Kunde storniert"})
    payloads = [
        next(
            e["payload"]
            for e in client.get(f"/api/v1/orders/{o['id']}").json()["timeline"]
            if e["type"] == "order.cancelled"
        )
        for o in (coded, legacy)
    ]
    assert [(p["reason_code"], p["note"]) for p in payloads] == [
        ("fraud", "Karte gesperrt"),
        ("other", "Kunde storniert"),
    ]
    unknown = client.post(f"/api/v1/orders/{legacy['id']}/cancel", json={"reason_code": "bored"})
    assert unknown.status_code == 422


def test_substitutes_are_set_read_and_used_for_a_line(
    client: TestClient, locations: dict[str, int]
) -> None:
    put = client.put("/api/v1/products/SKU-3/substitutes", json={"substitutes": ["SKU-2"]})
    assert put.status_code == 200, put.text
    assert client.get("/api/v1/products/SKU-3/substitutes").json() == {
        "sku": "SKU-3",
        "substitutes": ["SKU-2"],
        "version": 1,
    }
    bad = client.put("/api/v1/products/SKU-3/substitutes", json={"substitutes": ["NOPE"]})
    assert bad.status_code == 422 and bad.json()["field"] == "substitutes"
    assert client.get("/api/v1/products/NOPE/substitutes").status_code == 404

    order = _place(client, [("SKU-3", 1)])  # no SKU-3 in stock: backordered
    response = client.post(
        f"/api/v1/orders/{order['id']}/lines/1/substitute",
        json={"reason": "Nachfolgemodell"},
        headers=_etag(order),
    )
    assert response.status_code == 200, response.text
    assert response.json()["lines"][0]["sku"] == "SKU-2"
