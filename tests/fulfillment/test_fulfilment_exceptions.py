"""Fulfilment exceptions through the API, on each backend: starting to pick, short picks
(re-sourced or backordered), cancellation requests (accepted, declined, answered by shipping),
and a location-bound key that may not touch another location's work."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ordnung.core.db import Database
from ordnung.inventory.tables import stock_movement_table
from ordnung.staff.service import create_api_key
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    return standard_setup(db)


def _place(client: TestClient, lines: list[tuple[str, int]]) -> dict[str, Any]:
    response = client.post("/api/v1/orders", json=order_payload(lines))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _fo_at(order: dict[str, Any], code: str) -> dict[str, Any]:
    return next(fo for fo in order["fulfillment_orders"] if fo["location"]["code"] == code)


def _picking(client: TestClient, fo_id: int) -> None:
    assert client.post(f"/api/v1/fulfillment-orders/{fo_id}/accept").status_code == 200
    response = client.post(f"/api/v1/fulfillment-orders/{fo_id}/start-picking")
    assert response.status_code == 200, response.text
    assert response.json() == {"id": fo_id, "status": "picking"}


def _order(client: TestClient, order_id: int) -> dict[str, Any]:
    return dict(client.get(f"/api/v1/orders/{order_id}").json())


def _short_pick(client: TestClient, fo_id: int, lines: list[dict[str, int]], **extra: Any) -> Any:
    return client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/short-pick",
        json={"lines": lines, "note": "Fach leer"},
        **extra,
    )


def _no_violations(db: Database) -> None:
    assert read_world(db).violations == []


# -- start picking ---------------------------------------------------------------------------


def test_only_an_accepted_fulfilment_order_starts_picking(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    fo_id = _place(client, [("SKU-1", 1)])["fulfillment_orders"][0]["id"]
    released = client.post(f"/api/v1/fulfillment-orders/{fo_id}/start-picking")
    assert released.status_code == 409
    _picking(client, fo_id)
    again = client.post(f"/api/v1/fulfillment-orders/{fo_id}/start-picking")
    assert again.status_code == 409
    # Shipping from picking stays allowed.
    shipped = client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/ship",
        json={"carrier": "dhl", "tracking_number": "00340434161094042557"},
    )
    assert shipped.status_code == 201, shipped.text
    _no_violations(db)


# -- short picks -----------------------------------------------------------------------------


def test_a_short_pick_is_sourced_again_where_stock_is(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    put_stock(db, "SKU-1", locations["B"], 5)
    order = _place(client, [("SKU-1", 2)])
    fo = _fo_at(order, "A")
    _picking(client, fo["id"])
    response = _short_pick(client, fo["id"], [{"line_id": fo["lines"][0]["id"], "missing": 2}])
    assert response.status_code == 200, response.text
    assert response.json()["fulfillment_order_status"] == "cancelled"  # nothing left: closed
    assert response.json()["order_status"] == "allocated"
    # The units are not there: written off A's stock with a ledger row of their own.
    assert position(db, "SKU-1", locations["A"]) == {"on_hand": 0, "reserved": 0, "safety_stock": 0}
    assert position(db, "SKU-1", locations["B"])["reserved"] == 2
    with db.engine.connect() as connection:
        kinds = connection.execute(select(stock_movement_table.c.kind)).scalars().all()
    assert kinds.count("short_pick") == 1
    detail = _order(client, order["id"])
    assert {(f["location"]["code"], f["status"]) for f in detail["fulfillment_orders"]} == {
        ("A", "cancelled"),
        ("B", "released"),
    }
    assert "fulfillment_order.short_picked" in [e["type"] for e in detail["timeline"]]
    reports = client.get(f"/api/v1/orders/{order['id']}/short-picks").json()["items"]
    assert [(r["sku"], r["missing"], r["resourced"], r["outcome"]) for r in reports] == [
        ("SKU-1", 2, 2, "resourced")
    ]
    _no_violations(db)


def test_a_short_pick_with_no_stock_elsewhere_backorders_the_units(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 3)
    order = _place(client, [("SKU-1", 3)])
    fo = _fo_at(order, "A")
    assert client.post(f"/api/v1/fulfillment-orders/{fo['id']}/accept").status_code == 200
    response = _short_pick(client, fo["id"], [{"line_id": fo["lines"][0]["id"], "missing": 1}])
    assert response.status_code == 200, response.text
    assert response.json()["fulfillment_order_status"] == "accepted"
    assert response.json()["order_status"] == "backordered"
    assert position(db, "SKU-1", locations["A"]) == {"on_hand": 2, "reserved": 2, "safety_stock": 0}
    detail = _order(client, order["id"])
    assert _fo_at(detail, "A")["lines"][0]["quantity"] == 2
    assert detail["lines"][0]["open"] == 1
    report = client.get(f"/api/v1/orders/{order['id']}/short-picks").json()["items"][0]
    assert (report["backordered"], report["outcome"]) == (1, "backordered")
    _no_violations(db)


def test_acknowledging_a_short_pick_removes_the_marker_once(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 3)
    order = _place(client, [("SKU-1", 3)])
    fo = _fo_at(order, "A")
    client.post(f"/api/v1/fulfillment-orders/{fo['id']}/accept")
    report_id = _short_pick(
        client, fo["id"], [{"line_id": fo["lines"][0]["id"], "missing": 1}]
    ).json()["report_ids"][0]
    url = f"/api/v1/orders/{order['number']}/short-picks/{report_id}/acknowledge"
    first = client.post(url)
    assert first.status_code == 200, first.text
    assert first.json()["acknowledged_at"] is not None
    second = client.post(url)
    assert second.json()["acknowledged_at"] == first.json()["acknowledged_at"]
    other = _place(client, [("SKU-2", 1)])
    elsewhere = client.post(f"/api/v1/orders/{other['id']}/short-picks/{report_id}/acknowledge")
    assert elsewhere.status_code == 404


def test_a_short_pick_is_refused_for_bad_lines_and_states(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 3)
    order = _place(client, [("SKU-1", 2)])
    fo = _fo_at(order, "A")
    line_id = fo["lines"][0]["id"]
    released = _short_pick(client, fo["id"], [{"line_id": line_id, "missing": 1}])
    assert released.status_code == 409  # not accepted yet
    client.post(f"/api/v1/fulfillment-orders/{fo['id']}/accept")
    too_many = _short_pick(client, fo["id"], [{"line_id": line_id, "missing": 3}])
    assert too_many.status_code == 422
    assert too_many.json()["field"] == "lines.0.missing"
    foreign = _short_pick(client, fo["id"], [{"line_id": line_id + 999, "missing": 1}])
    assert (foreign.status_code, foreign.json()["field"]) == (422, "lines.0.line_id")
    twice = _short_pick(
        client, fo["id"], [{"line_id": line_id, "missing": 1}, {"line_id": line_id, "missing": 1}]
    )
    assert (twice.status_code, twice.json()["field"]) == (422, "lines.1.line_id")
    assert position(db, "SKU-1", locations["A"]) == {"on_hand": 3, "reserved": 2, "safety_stock": 0}


def test_a_retried_short_pick_with_its_key_counts_once(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 4)
    order = _place(client, [("SKU-1", 3)])
    fo = _fo_at(order, "A")
    client.post(f"/api/v1/fulfillment-orders/{fo['id']}/accept")
    lines = [{"line_id": fo["lines"][0]["id"], "missing": 1}]
    headers = {"Idempotency-Key": "short-1"}
    first = _short_pick(client, fo["id"], lines, headers=headers)
    again = _short_pick(client, fo["id"], lines, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert position(db, "SKU-1", locations["A"])["on_hand"] == 3


# -- cancellation requests -------------------------------------------------------------------


def _cancel(client: TestClient, order_id: int) -> dict[str, Any]:
    response = client.post(f"/api/v1/orders/{order_id}/cancel", json={"reason": "Kundenwunsch"})
    assert response.status_code == 200, response.text
    return dict(response.json())


def _requests(client: TestClient, order_id: int) -> list[dict[str, Any]]:
    return list(client.get(f"/api/v1/orders/{order_id}/cancellation-requests").json()["items"])


def test_cancelling_an_order_being_picked_asks_the_location(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    put_stock(db, "SKU-2", locations["B"], 5)
    order = _place(client, [("SKU-1", 6), ("SKU-2", 1)])  # nothing has all: split
    picking, released = _fo_at(order, "A"), _fo_at(order, "B")
    _picking(client, picking["id"])
    cancelled = _cancel(client, order["id"])
    # What was not started is cancelled; what is being picked waits for the location.
    assert cancelled["status"] == "allocated"
    assert [(ln["cancelled"], ln["allocated"]) for ln in cancelled["lines"]] == [(1, 5), (1, 0)]
    assert {(f["location"]["code"], f["status"]) for f in cancelled["fulfillment_orders"]} == {
        ("A", "picking"),
        ("B", "cancelled"),
    }
    requests = _requests(client, order["id"])
    assert [(r["fulfillment_order_id"], r["decision"], r["reason"]) for r in requests] == [
        (picking["id"], None, "Kundenwunsch")
    ]
    timeline = [e["type"] for e in _order(client, order["id"])["timeline"]]
    assert "fulfillment_order.cancellation_requested" in timeline
    # Cancelling again asks nobody twice and changes nothing.
    assert _cancel(client, order["id"])["version"] == cancelled["version"]
    assert len(_requests(client, order["id"])) == 1
    assert position(db, "SKU-2", locations["B"])["reserved"] == 0
    _no_violations(db)
    assert released["id"] != picking["id"]


def test_an_accepted_request_cancels_the_order_and_frees_the_stock_for_waiting_orders(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    order = _place(client, [("SKU-1", 2)])
    waiting = _place(client, [("SKU-1", 1)])
    assert waiting["status"] == "backordered"
    fo_id = _fo_at(order, "A")["id"]
    _picking(client, fo_id)
    _cancel(client, order["id"])
    url = f"/api/v1/fulfillment-orders/{fo_id}/cancellation-request/accept"
    response = client.post(url, json={"note": "zurückgelegt"})
    assert response.status_code == 200, response.text
    assert response.json()["decision"] == "accepted"
    assert response.json()["order_status"] == "cancelled"
    detail = _order(client, order["id"])
    assert _fo_at(detail, "A")["status"] == "cancelled"
    assert detail["lines"][0]["cancelled"] == 2
    cancelled = [e for e in detail["timeline"] if e["type"] == "order.cancelled"]
    assert cancelled[0]["payload"]["reason"] == "Kundenwunsch"
    assert _order(client, waiting["id"])["status"] == "allocated"
    assert client.post(url, json={}).status_code == 409  # decided already
    _no_violations(db)


def test_a_declined_request_lets_the_order_ship(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    order = _place(client, [("SKU-1", 2)])
    fo_id = _fo_at(order, "A")["id"]
    _picking(client, fo_id)
    _cancel(client, order["id"])
    url = f"/api/v1/fulfillment-orders/{fo_id}/cancellation-request/decline"
    assert client.post(url, json={"note": ""}).status_code == 422  # a note is required
    response = client.post(url, json={"note": "Paket ist schon beim Kurier"})
    assert response.status_code == 200, response.text
    assert response.json()["order_status"] == "allocated"
    request = _requests(client, order["id"])[0]
    assert (request["decision"], request["note"]) == ("declined", "Paket ist schon beim Kurier")
    shipped = client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/ship",
        json={"carrier": "dhl", "tracking_number": "00340434161094042557"},
    )
    assert shipped.json()["order_status"] == "shipped"
    _no_violations(db)


def test_shipping_with_a_request_open_declines_it(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    order = _place(client, [("SKU-1", 2)])
    fo_id = _fo_at(order, "A")["id"]
    _picking(client, fo_id)
    _cancel(client, order["id"])
    shipped = client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/ship",
        json={"carrier": "dhl", "tracking_number": "00340434161094042557"},
    )
    assert shipped.status_code == 201
    request = _requests(client, order["id"])[0]
    assert request["decision"] == "declined"
    assert "shipped" in request["note"]
    short = _short_pick(client, fo_id, [{"line_id": 1, "missing": 1}])
    assert short.status_code in (409, 422)
    _no_violations(db)


def test_a_short_pick_waits_while_a_cancellation_request_is_open(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    order = _place(client, [("SKU-1", 2)])
    fo = _fo_at(order, "A")
    _picking(client, fo["id"])
    _cancel(client, order["id"])
    refused = _short_pick(client, fo["id"], [{"line_id": fo["lines"][0]["id"], "missing": 1}])
    assert refused.status_code == 409
    assert position(db, "SKU-1", locations["A"]) == {"on_hand": 2, "reserved": 2, "safety_stock": 0}


# -- a location's key ------------------------------------------------------------------------


def test_a_location_key_cannot_act_on_another_locations_work(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    order = _place(client, [("SKU-1", 2)])
    fo = _fo_at(order, "A")
    _picking(client, fo["id"])
    _cancel(client, order["id"])
    _key_id, token = create_api_key(
        db, "3pl-b", ["fulfillment:read", "fulfillment:write"], location_code="B"
    )
    as_b = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/fulfillment-orders/{fo['id']}"
    for path, body in (
        ("/start-picking", None),
        ("/short-pick", {"lines": [{"line_id": fo["lines"][0]["id"], "missing": 1}]}),
        ("/cancellation-request/accept", {}),
        ("/cancellation-request/decline", {"note": "nein"}),
    ):
        response = client.post(base + path, json=body, headers=as_b)
        assert response.status_code == 404, (path, response.text)
    _own_id, own = create_api_key(
        db, "3pl-a", ["fulfillment:read", "fulfillment:write"], location_code="A"
    )
    own_answer = client.post(
        base + "/cancellation-request/accept", json={}, headers={"Authorization": f"Bearer {own}"}
    )
    assert own_answer.status_code == 200, own_answer.text
    assert position(db, "SKU-1", locations["A"])["reserved"] == 0
