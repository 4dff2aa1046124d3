"""Packing through the API, on each backend: units go into packages and no unit twice, the
fulfilment order becomes packed, packages ship one at a time with their own shipment (stock,
ledger and order follow), retries with the same key act once, bad input is a clear 422, and
a location-bound key finds nothing of another location's on every packing route."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ordnung.core.db import Database
from ordnung.fulfillment.tables import fulfillment_order_line_table
from ordnung.staff.service import create_api_key
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world

BOX = {"package_type": "parcel_m", "weight_grams": 1200, "length_mm": 400, "width_mm": 300}
SHIP = {"carrier": "dhl", "tracking_number": "00340434161094042557"}


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    return standard_setup(db)


@pytest.fixture
def fo(client: TestClient, db: Database, locations: dict[str, int]) -> dict[str, Any]:
    """An accepted fulfilment order at A: SKU-1 ×3 and SKU-2 ×1 (10 of each in stock)."""
    for sku in ("SKU-1", "SKU-2"):
        put_stock(db, sku, locations["A"], 10)
    response = client.post(
        "/api/v1/orders", json=order_payload([("SKU-1", 3), ("SKU-2", 1)], gift_note="Viel Spaß!")
    )
    assert response.status_code == 201, response.text
    order = response.json()
    fo_id = order["fulfillment_orders"][0]["id"]
    assert client.post(f"/api/v1/fulfillment-orders/{fo_id}/accept").status_code == 200
    lines = client.get(f"/api/v1/fulfillment-orders/{fo_id}").json()["lines"]
    return {
        "id": fo_id,
        "order_id": order["id"],
        "lines": {line["sku"]: line["id"] for line in lines},
    }


def _pack(client: TestClient, fo: dict[str, Any], units: dict[str, int], **extra: Any) -> Any:
    body = {
        "lines": [{"line_id": fo["lines"][sku], "quantity": q} for sku, q in units.items()],
        **BOX,
    }
    return client.post(f"/api/v1/fulfillment-orders/{fo['id']}/packages", json=body, **extra)


def _location_key(db: Database, code: str) -> dict[str, str]:
    _id, token = create_api_key(
        db, f"lager-{code}", ["fulfillment:read", "fulfillment:write"], location_code=code
    )
    return {"Authorization": f"Bearer {token}"}


def test_packing_every_unit_makes_the_fulfilment_order_packed_and_each_package_ships_alone(
    client: TestClient, db: Database, fo: dict[str, Any], locations: dict[str, int]
) -> None:
    first = _pack(client, fo, {"SKU-1": 2})
    assert first.status_code == 201, first.text
    assert first.json()["number"].startswith("PK-")
    assert first.json()["fulfillment_order_status"] == "picking"
    second = _pack(client, fo, {"SKU-1": 1, "SKU-2": 1})
    assert second.json()["fulfillment_order_status"] == "packed"
    state = client.get(f"/api/v1/fulfillment-orders/{fo['id']}/packages").json()
    assert [line["unpacked_quantity"] for line in state["lines"]] == [0, 0]
    assert [p["status"] for p in state["packages"]] == ["packed", "packed"]

    shipped = client.post(f"/api/v1/packages/{first.json()['id']}/ship", json=SHIP)
    assert shipped.status_code == 201, shipped.text
    answer = shipped.json()
    assert answer["shipment"]["lines"] == [{"sku": "SKU-1", "quantity": 2}]
    assert answer["fulfillment_order_status"] == "packed"
    assert answer["order_status"] == "partially_shipped"
    # Exactly the package's units left the stock: 2 of SKU-1, none of SKU-2.
    assert position(db, "SKU-1", locations["A"])["on_hand"] == 8
    assert position(db, "SKU-2", locations["A"])["on_hand"] == 10

    last = client.post(
        f"/api/v1/packages/{second.json()['id']}/ship",
        json={**SHIP, "tracking_number": "00340434161094042558"},
    )
    assert last.json()["fulfillment_order_status"] == "shipped"
    assert last.json()["order_status"] == "shipped"
    assert position(db, "SKU-1", locations["A"]) == {"on_hand": 7, "reserved": 0, "safety_stock": 0}
    package = client.get(f"/api/v1/packages/{second.json()['id']}").json()
    assert package["status"] == "shipped"
    assert package["shipment"]["tracking_number"] == "00340434161094042558"
    timeline = [
        e["type"] for e in client.get(f"/api/v1/orders/{fo['order_id']}").json()["timeline"]
    ]
    assert "fulfillment_order.packed" in timeline
    assert timeline.count("shipment.shipped") == 2
    assert read_world(db).violations == []


def test_a_unit_cannot_be_packed_twice_nor_beyond_what_is_left(
    client: TestClient, fo: dict[str, Any]
) -> None:
    assert _pack(client, fo, {"SKU-1": 2}).status_code == 201
    too_many = _pack(client, fo, {"SKU-1": 2})
    assert too_many.status_code == 422
    assert "1 units left to pack" in too_many.json()["detail"]
    unknown = client.post(
        f"/api/v1/fulfillment-orders/{fo['id']}/packages",
        json={"lines": [{"line_id": 999_999, "quantity": 1}], **BOX},
    )
    assert unknown.status_code == 422


@pytest.mark.parametrize(
    "change",
    [
        {"weight_grams": 0},
        {"weight_grams": 2_000_000},
        {"package_type": "crate"},
        {"length_mm": -5},
        {"lines": []},
        {"colour": "red"},
    ],
)
def test_bad_packing_input_is_a_clear_422(
    client: TestClient, fo: dict[str, Any], change: dict[str, Any]
) -> None:
    body = {"lines": [{"line_id": fo["lines"]["SKU-1"], "quantity": 1}], **BOX, **change}
    response = client.post(f"/api/v1/fulfillment-orders/{fo['id']}/packages", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_released_fulfilment_order_cannot_be_packed_and_a_shipped_package_not_removed(
    client: TestClient, db: Database, fo: dict[str, Any], locations: dict[str, int]
) -> None:
    released = client.post("/api/v1/orders", json=order_payload([("SKU-2", 1)])).json()
    fo_id = released["fulfillment_orders"][0]["id"]
    line_id = client.get(f"/api/v1/fulfillment-orders/{fo_id}").json()["lines"][0]["id"]
    refused = client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/packages",
        json={"lines": [{"line_id": line_id, "quantity": 1}], **BOX},
    )
    assert refused.status_code == 409
    package_id = _pack(client, fo, {"SKU-2": 1}).json()["id"]
    client.post(f"/api/v1/packages/{package_id}/ship", json=SHIP)
    assert client.delete(f"/api/v1/packages/{package_id}").status_code == 409
    again = client.post(f"/api/v1/packages/{package_id}/ship", json=SHIP)
    assert again.status_code == 409
    assert position(db, "SKU-2", locations["A"])["on_hand"] == 9


def test_removing_a_package_unpacks_its_units_and_the_order_is_picking_again(
    client: TestClient, fo: dict[str, Any]
) -> None:
    package_id = _pack(client, fo, {"SKU-1": 3, "SKU-2": 1}).json()["id"]
    removed = client.delete(f"/api/v1/packages/{package_id}")
    assert removed.status_code == 200, removed.text
    assert removed.json()["fulfillment_order_status"] == "picking"
    assert client.get(f"/api/v1/packages/{package_id}").status_code == 404
    state = client.get(f"/api/v1/fulfillment-orders/{fo['id']}/packages").json()
    assert [line["unpacked_quantity"] for line in state["lines"]] == [3, 1]
    assert _pack(client, fo, {"SKU-1": 3}).status_code == 201


def test_retried_pack_and_ship_calls_with_the_same_key_act_once(
    client: TestClient, db: Database, fo: dict[str, Any], locations: dict[str, int]
) -> None:
    key = {"Idempotency-Key": "pack-1"}
    first = _pack(client, fo, {"SKU-1": 3}, headers=key)
    second = _pack(client, fo, {"SKU-1": 3}, headers=key)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    state = client.get(f"/api/v1/fulfillment-orders/{fo['id']}/packages").json()
    assert len(state["packages"]) == 1
    url = f"/api/v1/packages/{first.json()['id']}/ship"
    shipped = [client.post(url, json=SHIP, headers={"Idempotency-Key": "ship-1"}) for _ in (1, 2)]
    assert [r.status_code for r in shipped] == [201, 201]
    assert shipped[1].json() == shipped[0].json()
    assert position(db, "SKU-1", locations["A"])["on_hand"] == 7


def test_a_whole_shipment_refuses_a_fulfilment_order_with_packages(
    client: TestClient, fo: dict[str, Any]
) -> None:
    _pack(client, fo, {"SKU-1": 1})
    whole = client.post(f"/api/v1/fulfillment-orders/{fo['id']}/ship", json=SHIP)
    assert whole.status_code == 409
    assert "packages" in whole.json()["detail"]


def test_the_database_refuses_packing_beyond_the_units_left_to_ship(
    client: TestClient, db: Database, fo: dict[str, Any]
) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(
            update(fulfillment_order_line_table)
            .where(fulfillment_order_line_table.c.id == fo["lines"]["SKU-1"])
            .values(packed_quantity=4)
        )


def test_shipping_a_package_declines_an_open_cancellation_request(
    client: TestClient, fo: dict[str, Any]
) -> None:
    package_id = _pack(client, fo, {"SKU-1": 3, "SKU-2": 1}).json()["id"]
    cancel = client.post(f"/api/v1/orders/{fo['order_id']}/cancel", json={"reason": "customer"})
    assert cancel.status_code in (200, 202), cancel.text
    shipped = client.post(f"/api/v1/packages/{package_id}/ship", json=SHIP)
    assert shipped.status_code == 201, shipped.text
    timeline = [
        e["type"] for e in client.get(f"/api/v1/orders/{fo['order_id']}").json()["timeline"]
    ]
    assert "fulfillment_order.cancellation_declined" in timeline


def test_a_location_bound_key_finds_nothing_of_another_locations_packing(
    client: TestClient, app_client: TestClient, db: Database, fo: dict[str, Any]
) -> None:
    package_id = _pack(client, fo, {"SKU-1": 1}).json()["id"]
    other = _location_key(db, "B")
    body = {"lines": [{"line_id": fo["lines"]["SKU-1"], "quantity": 1}], **BOX}
    calls = [
        app_client.post(
            f"/api/v1/fulfillment-orders/{fo['id']}/packages", json=body, headers=other
        ),
        app_client.get(f"/api/v1/fulfillment-orders/{fo['id']}/packages", headers=other),
        app_client.get(f"/api/v1/packages/{package_id}", headers=other),
        app_client.get(f"/api/v1/packages/{package_id}/delivery-note.pdf", headers=other),
        app_client.post(f"/api/v1/packages/{package_id}/ship", json=SHIP, headers=other),
        app_client.delete(f"/api/v1/packages/{package_id}", headers=other),
    ]
    assert [call.status_code for call in calls] == [404] * 6
    # Nothing happened: the package is still packed, still one.
    own = _location_key(db, "A")
    state = app_client.get(f"/api/v1/fulfillment-orders/{fo['id']}/packages", headers=own).json()
    assert [(p["id"], p["status"]) for p in state["packages"]] == [(package_id, "packed")]
    assert app_client.get(f"/api/v1/packages/{package_id}", headers=own).status_code == 200
    pdf = app_client.get(f"/api/v1/packages/{package_id}/delivery-note.pdf", headers=own)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_order_language_is_accepted_shown_and_refused_when_unknown(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    english = client.post("/api/v1/orders", json=order_payload([("SKU-1", 1)], language="en"))
    assert english.status_code == 201, english.text
    assert client.get(f"/api/v1/orders/{english.json()['id']}").json()["language"] == "en"
    plain = client.post("/api/v1/orders", json=order_payload([("SKU-1", 1)])).json()
    assert client.get(f"/api/v1/orders/{plain['id']}").json()["language"] == "de"
    french = client.post("/api/v1/orders", json=order_payload([("SKU-1", 1)], language="fr"))
    assert french.status_code == 422
    assert "language" in french.text


def test_packed_units_cannot_be_reported_missing_but_unpacked_ones_can(
    client: TestClient, db: Database, fo: dict[str, Any]
) -> None:
    _pack(client, fo, {"SKU-1": 2})
    url = f"/api/v1/fulfillment-orders/{fo['id']}/short-pick"
    refused = client.post(url, json={"lines": [{"line_id": fo["lines"]["SKU-1"], "missing": 2}]})
    assert refused.status_code == 409
    assert "Remove the package first" in refused.json()["detail"]
    allowed = client.post(url, json={"lines": [{"line_id": fo["lines"]["SKU-1"], "missing": 1}]})
    assert allowed.status_code == 200, allowed.text
    state = client.get(f"/api/v1/fulfillment-orders/{fo['id']}/packages").json()
    sku_1 = next(line for line in state["lines"] if line["sku"] == "SKU-1")
    assert (sku_1["quantity"], sku_1["packed_quantity"], sku_1["unpacked_quantity"]) == (2, 2, 0)
    assert read_world(db).violations == []


def test_a_line_cancel_accepted_on_packed_units_is_refused_until_the_package_is_removed(
    client: TestClient, fo: dict[str, Any]
) -> None:
    package_id = _pack(client, fo, {"SKU-1": 3}).json()["id"]
    asked = client.post(
        f"/api/v1/orders/{fo['order_id']}/lines/1/cancel", json={"units": 3, "reason": "x"}
    )
    assert asked.status_code in (200, 202), asked.text
    url = f"/api/v1/fulfillment-orders/{fo['id']}/cancellation-request/accept"
    refused = client.post(url, json={})
    assert refused.status_code == 409, refused.text
    assert client.delete(f"/api/v1/packages/{package_id}").status_code == 200
    assert client.post(url, json={}).status_code == 200
