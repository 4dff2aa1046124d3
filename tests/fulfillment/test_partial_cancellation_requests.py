"""Cancelling units of one line while a location picks them, through the API, on each backend:
the units not started on are cancelled at once, those being picked become a cancellation
request for just those units of that line; accepted, they come off the fulfilment order and
the order; declined, they ship. A second cancel that would have to ask the same location
while its request is open is a 409 and changes nothing."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world

SHIP = {"carrier": "dhl", "tracking_number": "00340434161094042557"}


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    return standard_setup(db)


def _place(client: TestClient, lines: list[tuple[str, int]]) -> dict[str, Any]:
    response = client.post("/api/v1/orders", json=order_payload(lines))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _picking(client: TestClient, fo_id: int) -> None:
    assert client.post(f"/api/v1/fulfillment-orders/{fo_id}/accept").status_code == 200
    assert client.post(f"/api/v1/fulfillment-orders/{fo_id}/start-picking").status_code == 200


def _cancel_units(client: TestClient, order_id: int, units: int) -> Any:
    return client.post(
        f"/api/v1/orders/{order_id}/lines/1/cancel",
        json={"units": units, "reason": "Kundin will weniger"},
    )


def _order(client: TestClient, order_id: int) -> dict[str, Any]:
    return dict(client.get(f"/api/v1/orders/{order_id}").json())


def _requests(client: TestClient, order_id: int) -> list[dict[str, Any]]:
    return list(client.get(f"/api/v1/orders/{order_id}/cancellation-requests").json()["items"])


def _buckets(order: dict[str, Any]) -> tuple[int, int, int, int]:
    line = order["lines"][0]
    return line["open"], line["allocated"], line["shipped"], line["cancelled"]


def _no_violations(db: Database) -> None:
    assert read_world(db).violations == []


def _picking_with_one_waiting(
    client: TestClient, db: Database, locations: dict[str, int]
) -> tuple[dict[str, Any], int]:
    """An order of 4 × SKU-1 with 3 at A (being picked) and 1 waiting for stock."""
    put_stock(db, "SKU-1", locations["A"], 3)
    order = _place(client, [("SKU-1", 4)])
    fo_id = order["fulfillment_orders"][0]["id"]
    _picking(client, fo_id)
    return order, fo_id


def test_a_line_cancel_cancels_waiting_units_and_asks_the_picking_location_for_the_rest(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    order, fo_id = _picking_with_one_waiting(client, db, locations)

    response = _cancel_units(client, order["id"], 2)

    assert response.status_code == 200, response.text
    changed = response.json()
    assert _buckets(changed) == (0, 3, 0, 1)  # the waiting unit went; 3 wait for the answer
    assert changed["fulfillment_orders"][0]["status"] == "picking"
    assert changed["fulfillment_orders"][0]["lines"][0]["quantity"] == 3
    [request] = _requests(client, order["id"])
    assert (request["fulfillment_order_id"], request["decision"]) == (fo_id, None)
    assert (request["quantity"], request["sku"]) == (1, "SKU-1")
    assert request["order_line_id"] is not None
    event = [e for e in changed["timeline"] if e["type"] == "order.line_cancelled"][-1]
    assert (
        event["payload"] | {"units": 1, "requested": 1, "before": 4, "after": 3}
        == (event["payload"])
    )
    types = [e["type"] for e in changed["timeline"]]
    assert types.count("fulfillment_order.cancellation_requested") == 1
    assert position(db, "SKU-1", locations["A"])["reserved"] == 3
    _no_violations(db)


def test_an_accepted_partial_request_takes_just_those_units_off_and_lowers_the_totals(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    order, fo_id = _picking_with_one_waiting(client, db, locations)
    _cancel_units(client, order["id"], 2)

    url = f"/api/v1/fulfillment-orders/{fo_id}/cancellation-request/accept"
    response = client.post(url, json={"note": "eins zurückgelegt"})

    assert response.status_code == 200, response.text
    assert (response.json()["decision"], response.json()["order_status"]) == (
        "accepted",
        "allocated",
    )
    detail = _order(client, order["id"])
    assert _buckets(detail) == (0, 2, 0, 2)
    assert detail["totals"]["total"] == "44.88"  # 2 × 19.99 + 4.90 shipping
    fo = detail["fulfillment_orders"][0]
    assert (fo["status"], fo["lines"][0]["quantity"]) == ("picking", 2)
    assert position(db, "SKU-1", locations["A"])["reserved"] == 2
    assert _requests(client, order["id"])[0]["decision"] == "accepted"
    shipped = client.post(f"/api/v1/fulfillment-orders/{fo_id}/ship", json=SHIP)
    assert shipped.status_code == 201, shipped.text
    assert shipped.json()["order_status"] == "shipped"
    assert position(db, "SKU-1", locations["A"]) | {"on_hand": 1, "reserved": 0} == position(
        db, "SKU-1", locations["A"]
    )
    _no_violations(db)


def test_a_partial_request_for_every_unit_accepted_cancels_the_work_and_the_order(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    order = _place(client, [("SKU-1", 2)])
    waiting = _place(client, [("SKU-1", 1)])
    fo_id = order["fulfillment_orders"][0]["id"]
    _picking(client, fo_id)
    assert _buckets(_cancel_units(client, order["id"], 2).json()) == (0, 2, 0, 0)

    url = f"/api/v1/fulfillment-orders/{fo_id}/cancellation-request/accept"
    assert client.post(url, json={}).json()["order_status"] == "cancelled"

    detail = _order(client, order["id"])
    assert _buckets(detail) == (0, 0, 0, 2)
    assert detail["fulfillment_orders"][0]["status"] == "cancelled"
    assert _order(client, waiting["id"])["status"] == "allocated"  # the freed unit went there
    _no_violations(db)


def test_a_declined_partial_request_keeps_the_units_on_the_order_and_they_ship(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    order, fo_id = _picking_with_one_waiting(client, db, locations)
    _cancel_units(client, order["id"], 2)

    url = f"/api/v1/fulfillment-orders/{fo_id}/cancellation-request/decline"
    response = client.post(url, json={"note": "schon verpackt"})

    assert response.status_code == 200, response.text
    detail = _order(client, order["id"])
    assert _buckets(detail) == (0, 3, 0, 1)
    assert detail["totals"]["total"] == "64.87"  # 3 × 19.99 + 4.90 shipping
    assert position(db, "SKU-1", locations["A"])["reserved"] == 3
    shipped = client.post(f"/api/v1/fulfillment-orders/{fo_id}/ship", json=SHIP)
    assert shipped.json()["order_status"] == "shipped"
    assert _buckets(_order(client, order["id"])) == (0, 0, 3, 1)
    _no_violations(db)


def test_a_second_cancel_that_needs_the_same_location_waits_for_its_answer(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    order, fo_id = _picking_with_one_waiting(client, db, locations)
    asked = _cancel_units(client, order["id"], 2).json()

    again = _cancel_units(client, order["id"], 1)
    whole = client.post(f"/api/v1/orders/{order['id']}/cancel", json={"reason": "Kundenwunsch"})

    for refused in (again, whole):
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "waiting for the location's answer" in refused.json()["detail"]
        assert refused.json()["fulfillment_order_id"] == fo_id
    assert _order(client, order["id"])["version"] == asked["version"]
    assert len(_requests(client, order["id"])) == 1
    # Once the location has answered, the next cancel asks again.
    decline = f"/api/v1/fulfillment-orders/{fo_id}/cancellation-request/decline"
    assert client.post(decline, json={"note": "nein"}).status_code == 200
    assert _cancel_units(client, order["id"], 1).status_code == 200
    assert [r["decision"] for r in _requests(client, order["id"])] == ["declined", None]
    _no_violations(db)
