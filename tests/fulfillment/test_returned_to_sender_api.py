"""Parcels returned to sender through the API, on each backend: recording (once, idempotent,
only from a status a parcel can come back from), the location's list, processing (restock +
write off = every unit, the ledger equal to the positions, backorders served), the order's
timeline, and location-bound keys that find nothing of another location's."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.staff.service import create_api_key
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world

LIST = "/api/v1/locations/{code}/queue/returned-parcels"


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    return standard_setup(db)


def _place(client: TestClient, lines: list[tuple[str, int]]) -> dict[str, Any]:
    response = client.post("/api/v1/orders", json=order_payload(lines))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _shipped(client: TestClient, lines: list[tuple[str, int]]) -> dict[str, Any]:
    """An order shipped whole from A: the order, and its shipment as the ship call answers."""
    order = _place(client, lines)
    fo_id = order["fulfillment_orders"][0]["id"]
    response = client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/ship",
        json={"carrier": "DHL", "tracking_number": "00340434161094042557"},
    )
    assert response.status_code == 201, response.text
    return {"order": order, "shipment": response.json()}


def _record(client: TestClient, shipment_id: int, **extra: Any) -> Any:
    body = extra.pop("json", {"reason": "refused", "note": "Annahme verweigert"})
    return client.post(f"/api/v1/shipments/{shipment_id}/returned-to-sender", json=body, **extra)


def _process(
    client: TestClient, parcel_id: int, lines: list[tuple[int, int, int]], **extra: Any
) -> Any:
    body = {
        "lines": [
            {"line_id": line_id, "restocked": restocked, "written_off": written_off}
            for line_id, restocked, written_off in lines
        ],
        "write_off_cause": "damaged",
    }
    return client.post(f"/api/v1/returned-parcels/{parcel_id}/process", json=body, **extra)


def _key(db: Database, code: str) -> dict[str, str]:
    _id, token = create_api_key(
        db, f"team-{code}", ["fulfillment:read", "fulfillment:write"], location_code=code
    )
    return {"Authorization": f"Bearer {token}"}


def test_a_refused_parcel_waits_in_its_locations_queue_and_shows_on_the_order(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    shipped = _shipped(client, [("SKU-1", 2)])
    shipment_id = shipped["shipment"]["id"]
    response = _record(client, shipment_id)
    assert response.status_code == 201, response.text
    recorded = response.json()
    assert recorded["shipment_status"] == "returned_to_sender"
    assert recorded["status"] == "waiting"
    assert recorded["location_id"] == locations["A"]
    waiting = client.get(LIST.format(code="A"), params={"status": "waiting"}).json()["items"]
    assert [(p["id"], p["reason"], p["note"]) for p in waiting] == [
        (recorded["returned_parcel_id"], "refused", "Annahme verweigert")
    ]
    assert [(line["sku"], line["units"]) for line in waiting[0]["lines"]] == [("SKU-1", 2)]
    assert client.get(LIST.format(code="A"), params={"reason": "damaged"}).json()["items"] == []
    order = client.get(f"/api/v1/orders/{shipped['order']['id']}").json()
    assert order["shipments"][0]["status"] == "returned_to_sender"
    assert "shipment.returned_to_sender" in [e["type"] for e in order["timeline"]]
    # Nothing moved yet: the units are in the parcel, not on the shelf.
    assert position(db, "SKU-1", locations["A"])["on_hand"] == 3


def test_recording_the_same_shipment_twice_is_a_conflict_and_a_retry_replays(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    shipment_id = _shipped(client, [("SKU-1", 1)])["shipment"]["id"]
    first = _record(client, shipment_id, headers={"Idempotency-Key": "rts-1"})
    assert first.status_code == 201
    replay = _record(client, shipment_id, headers={"Idempotency-Key": "rts-1"})
    assert replay.status_code == 201
    assert replay.json() == first.json()
    again = _record(client, shipment_id)
    assert again.status_code == 409
    assert "already recorded as returned to sender" in again.json()["detail"]
    assert len(client.get(LIST.format(code="A")).json()["items"]) == 1


def test_bad_input_is_a_clear_422_and_an_unknown_shipment_a_404(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    shipment_id = _shipped(client, [("SKU-1", 1)])["shipment"]["id"]
    unknown_reason = _record(client, shipment_id, json={"reason": "lost_in_space"})
    assert unknown_reason.status_code == 422
    assert unknown_reason.headers["content-type"].startswith("application/problem+json")
    extra = _record(client, shipment_id, json={"reason": "refused", "status": "delivered"})
    assert extra.status_code == 422
    assert _record(client, 987_654).status_code == 404
    assert client.get(LIST.format(code="A"), params={"status": "lost"}).status_code == 422


def test_processing_restocks_and_writes_off_every_unit_once_and_serves_a_backorder(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    shipped = _shipped(client, [("SKU-1", 2)])
    parcel_id = _record(client, shipped["shipment"]["id"]).json()["returned_parcel_id"]
    waiting = _place(client, [("SKU-1", 1)])
    assert waiting["status"] == "backordered"
    line_id = client.get(f"/api/v1/returned-parcels/{parcel_id}").json()["lines"][0]["id"]
    response = _process(client, parcel_id, [(line_id, 1, 1)])
    assert response.status_code == 200, response.text
    assert response.json()["lines"] == [{"sku": "SKU-1", "restocked": 1, "written_off": 1}]
    # The restocked unit went to the waiting order; the written-off one left the books.
    assert position(db, "SKU-1", locations["A"]) == {"on_hand": 1, "reserved": 1, "safety_stock": 0}
    assert client.get(f"/api/v1/orders/{waiting['id']}").json()["status"] == "allocated"
    parcel = client.get(f"/api/v1/returned-parcels/{parcel_id}").json()
    assert parcel["status"] == "processed"
    assert (parcel["lines"][0]["restocked"], parcel["lines"][0]["written_off"]) == (1, 1)
    order = client.get(f"/api/v1/orders/{shipped['order']['id']}").json()
    processed = [e for e in order["timeline"] if e["type"] == "returned_parcel.processed"]
    assert processed[0]["payload"]["lines"] == [{"sku": "SKU-1", "restocked": 1, "written_off": 1}]
    assert client.get(LIST.format(code="A"), params={"status": "waiting"}).json()["items"] == []
    assert read_world(db).violations == []
    again = _process(client, parcel_id, [(line_id, 2, 0)])
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("restocked", "written_off"), [(1, 0), (2, 1), (3, -1)], ids=["too few", "too many", "negative"]
)
def test_a_split_that_is_not_every_unit_is_refused_and_moves_nothing(
    client: TestClient, db: Database, locations: dict[str, int], restocked: int, written_off: int
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    parcel_id = _record(client, _shipped(client, [("SKU-1", 2)])["shipment"]["id"]).json()[
        "returned_parcel_id"
    ]
    line_id = client.get(f"/api/v1/returned-parcels/{parcel_id}").json()["lines"][0]["id"]
    response = _process(client, parcel_id, [(line_id, restocked, written_off)])
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert position(db, "SKU-1", locations["A"])["on_hand"] == 0
    other = _process(client, parcel_id, [(line_id + 1000, 2, 0)])
    assert other.status_code == 422
    assert "not a line of this parcel" in other.json()["detail"]


def test_a_retried_processing_with_the_same_key_books_once(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    parcel_id = _record(client, _shipped(client, [("SKU-1", 2)])["shipment"]["id"]).json()[
        "returned_parcel_id"
    ]
    line_id = client.get(f"/api/v1/returned-parcels/{parcel_id}").json()["lines"][0]["id"]
    first = _process(client, parcel_id, [(line_id, 2, 0)], headers={"Idempotency-Key": "p-1"})
    replay = _process(client, parcel_id, [(line_id, 2, 0)], headers={"Idempotency-Key": "p-1"})
    assert (first.status_code, replay.status_code) == (200, 200)
    assert replay.json() == first.json()
    assert position(db, "SKU-1", locations["A"])["on_hand"] == 2
    assert read_world(db).violations == []


def test_another_locations_key_finds_none_of_it_and_the_own_key_works(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    shipment_id = _shipped(client, [("SKU-1", 2)])["shipment"]["id"]
    other, own = _key(db, "B"), _key(db, "A")
    assert _record(client, shipment_id, headers=other).status_code == 404
    recorded = _record(client, shipment_id, headers=own)
    assert recorded.status_code == 201, recorded.text
    parcel_id = recorded.json()["returned_parcel_id"]
    assert client.get(LIST.format(code="A"), headers=other).status_code == 404
    assert client.get(f"/api/v1/returned-parcels/{parcel_id}", headers=other).status_code == 404
    line_id = client.get(f"/api/v1/returned-parcels/{parcel_id}", headers=own).json()["lines"][0][
        "id"
    ]
    assert _process(client, parcel_id, [(line_id, 2, 0)], headers=other).status_code == 404
    assert client.get(LIST.format(code="B"), headers=other).json()["items"] == []
    assert _process(client, parcel_id, [(line_id, 2, 0)], headers=own).status_code == 200
