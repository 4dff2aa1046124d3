"""After intake: locations ship or reject, agents cancel; stock and statuses follow."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ordnung.core.db import Database
from ordnung.inventory.tables import stock_movement_table, stock_position_table
from tests.factories import order_payload, position, put_stock, standard_setup


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 5)
    put_stock(db, "SKU-1", ids["B"], 5)
    put_stock(db, "SKU-2", ids["B"], 5)
    return ids


def _place(client: TestClient, lines: list[tuple[str, int]]) -> dict[str, Any]:
    response = client.post("/api/v1/orders", json=order_payload(lines))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _ship(client: TestClient, fo_id: int, tracking: str = "00340434161094042557") -> Any:
    return client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/ship",
        json={"carrier": "DHL", "tracking_number": tracking},
    )


def assert_ledger_matches_positions(db: Database) -> None:
    with db.engine.connect() as connection:
        sums = dict(
            connection.execute(
                select(
                    stock_movement_table.c.position_id,
                    func.sum(stock_movement_table.c.on_hand_delta),
                ).group_by(stock_movement_table.c.position_id)
            ).all()
        )
        reserved = dict(
            connection.execute(
                select(
                    stock_movement_table.c.position_id,
                    func.sum(stock_movement_table.c.reserved_delta),
                ).group_by(stock_movement_table.c.position_id)
            ).all()
        )
        for row in connection.execute(select(stock_position_table)):
            assert (row.on_hand, row.reserved) == (sums.get(row.id, 0), reserved.get(row.id, 0))


def test_shipping_takes_stock_out_and_ships_the_order(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 2)])
    fo_id = order["fulfillment_orders"][0]["id"]
    response = _ship(client, fo_id)
    assert response.status_code == 201, response.text
    assert response.json()["order_status"] == "shipped"
    assert position(db, "SKU-1", locations["A"]) == {"on_hand": 3, "reserved": 0, "safety_stock": 0}
    detail = client.get(f"/api/v1/orders/{order['id']}").json()
    assert detail["shipments"][0]["tracking_number"] == "00340434161094042557"
    assert detail["lines"][0]["shipped"] == 2
    assert "shipment.shipped" in [e["type"] for e in detail["timeline"]]
    assert_ledger_matches_positions(db)


def test_one_of_two_locations_shipping_makes_the_order_partially_shipped(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 1), ("SKU-2", 1)])
    by_code = {fo["location"]["code"]: fo["id"] for fo in order["fulfillment_orders"]}
    assert set(by_code) == {"B"}  # B holds both lines: ship complete
    order = _place(client, [("SKU-1", 6), ("SKU-2", 1)])
    by_code = {fo["location"]["code"]: fo["id"] for fo in order["fulfillment_orders"]}
    assert set(by_code) == {"A", "B"}
    assert _ship(client, by_code["A"]).json()["order_status"] == "partially_shipped"
    assert _ship(client, by_code["B"], "1Z999AA10123456784").json()["order_status"] == "shipped"
    assert_ledger_matches_positions(db)


def test_shipping_twice_is_a_conflict_not_a_second_shipment(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    fo_id = _place(client, [("SKU-1", 1)])["fulfillment_orders"][0]["id"]
    assert _ship(client, fo_id).status_code == 201
    again = _ship(client, fo_id)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/invalid-transition")
    assert position(db, "SKU-1", locations["A"])["on_hand"] == 4


def test_a_rejected_fulfilment_order_is_sourced_again_elsewhere(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 2)])
    fo_id = order["fulfillment_orders"][0]["id"]
    response = client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/reject", json={"reason": "Regal beschädigt"}
    )
    assert response.status_code == 200, response.text
    detail = client.get(f"/api/v1/orders/{order['id']}").json()
    statuses = {(fo["location"]["code"], fo["status"]) for fo in detail["fulfillment_orders"]}
    assert statuses == {("A", "rejected"), ("B", "released")}
    assert detail["status"] == "allocated"
    assert position(db, "SKU-1", locations["A"])["reserved"] == 0
    assert position(db, "SKU-1", locations["B"])["reserved"] == 2
    assert_ledger_matches_positions(db)


def test_rejection_with_no_stock_elsewhere_backorders_the_order(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-2", 1)])
    fo_id = order["fulfillment_orders"][0]["id"]
    client.post(f"/api/v1/fulfillment-orders/{fo_id}/reject", json={"reason": "nicht auffindbar"})
    assert client.get(f"/api/v1/orders/{order['id']}").json()["status"] == "backordered"


def test_cancelling_before_shipment_releases_everything(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 6)])
    response = client.post(f"/api/v1/orders/{order['id']}/cancel", json={"reason": "Kundenwunsch"})
    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert cancelled["status"] == "cancelled"
    assert [line["cancelled"] for line in cancelled["lines"]] == [6]
    assert {fo["status"] for fo in cancelled["fulfillment_orders"]} == {"cancelled"}
    assert position(db, "SKU-1", locations["A"])["reserved"] == 0
    assert position(db, "SKU-1", locations["B"])["reserved"] == 0
    assert_ledger_matches_positions(db)


def test_cancelling_after_a_shipment_is_refused(
    client: TestClient, locations: dict[str, int]
) -> None:
    order = _place(client, [("SKU-1", 1)])
    _ship(client, order["fulfillment_orders"][0]["id"])
    response = client.post(f"/api/v1/orders/{order['id']}/cancel", json={"reason": "zu spät"})
    assert response.status_code == 409


def test_a_stale_version_is_a_conflict(client: TestClient, locations: dict[str, int]) -> None:
    order = _place(client, [("SKU-1", 1)])
    response = client.post(
        f"/api/v1/orders/{order['id']}/cancel",
        json={"reason": "x"},
        headers={"If-Match": str(order["version"] + 5)},
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/stale-version")


def test_a_location_sees_its_own_work_list(client: TestClient, locations: dict[str, int]) -> None:
    _place(client, [("SKU-1", 1)])
    _place(client, [("SKU-2", 1)])
    work = client.get("/api/v1/fulfillment-orders", params={"location": "B"}).json()
    assert [item["location"]["code"] for item in work["items"]] == ["B"]
    one = client.get(f"/api/v1/fulfillment-orders/{work['items'][0]['id']}").json()
    assert one["lines"][0]["sku"] == "SKU-2"


def test_a_goods_receipt_allocates_backorders_oldest_first(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    first = _place(client, [("SKU-3", 2)])
    second = _place(client, [("SKU-3", 2)])
    assert {first["status"], second["status"]} == {"backordered"}
    receipt = client.post(
        "/api/v1/stock/SKU-3/A/adjust",
        json={"delta": 3, "kind": "receipt", "reason": "Wareneingang LS-4711"},
    )
    assert receipt.status_code == 200, receipt.text
    assert receipt.json()["reserved"] == 3
    first = client.get(f"/api/v1/orders/{first['id']}").json()
    second = client.get(f"/api/v1/orders/{second['id']}").json()
    assert first["status"] == "allocated"
    assert [fo["location"]["code"] for fo in first["fulfillment_orders"]] == ["A"]
    # One unit is left: the younger order gets it and waits for the second.
    assert second["status"] == "backordered"
    assert second["lines"][0]["allocated"] == 1
    assert_ledger_matches_positions(db)
