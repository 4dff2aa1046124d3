"""Pick waves and bins through the API, on each backend: building a wave (its rules, the
one-open-wave guard, an idempotent retry), bin order, picks by SKU and GTIN, short picks from
a wave (re-sourced or backordered) and a location-bound key that finds nothing of another
location's."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ordnung.catalog.tables import product_table
from ordnung.core.db import Database
from ordnung.staff.service import create_api_key
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world

WAVES = "/api/v1/locations/{code}/pick-waves"


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    return standard_setup(db)


def _place(client: TestClient, lines: list[tuple[str, int]]) -> dict[str, Any]:
    response = client.post("/api/v1/orders", json=order_payload(lines))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _fo_id(order: dict[str, Any], code: str = "A") -> int:
    return int(
        next(fo["id"] for fo in order["fulfillment_orders"] if fo["location"]["code"] == code)
    )


def _wave(client: TestClient, fo_ids: list[int], code: str = "A", **extra: Any) -> Any:
    return client.post(WAVES.format(code=code), json={"fulfillment_order_ids": fo_ids}, **extra)


def _location_key(db: Database, code: str) -> dict[str, str]:
    _id, token = create_api_key(
        db, f"lager-{code}", ["fulfillment:read", "fulfillment:write"], location_code=code
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def two_orders(client: TestClient, db: Database, locations: dict[str, int]) -> list[int]:
    """Two fulfilment orders at A: SKU-1 ×2 + SKU-2 ×1, and SKU-1 ×1 + SKU-3 ×1; bins for
    SKU-1 (A-10) and SKU-2 (A-2), none for SKU-3."""
    # Exactly what the two orders need: a missing unit has no second one at A.
    for sku, units in (("SKU-1", 3), ("SKU-2", 1), ("SKU-3", 1)):
        put_stock(db, sku, locations["A"], units)
    first = _place(client, [("SKU-1", 2), ("SKU-2", 1)])
    second = _place(client, [("SKU-1", 1), ("SKU-3", 1)])
    bins = {"bins": [{"sku": "SKU-1", "bin": "A-10"}, {"sku": "SKU-2", "bin": "A-2"}]}
    response = client.put("/api/v1/locations/A/bins", json=bins)
    assert response.status_code == 200, response.text
    assert response.json() == {"location_code": "A", "assigned": 2, "cleared": 0}
    return [_fo_id(first), _fo_id(second)]


def test_a_wave_starts_picking_its_orders_and_lists_its_rows_in_bin_order(
    client: TestClient, db: Database, two_orders: list[int]
) -> None:
    accepted = client.post(f"/api/v1/fulfillment-orders/{two_orders[1]}/accept")
    assert accepted.status_code == 200
    response = _wave(client, two_orders)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["number"].startswith("PW-")
    assert created["fulfillment_order_ids"] == two_orders
    wave = client.get(f"{WAVES.format(code='A')}/{created['id']}").json()
    # "A-2" before "A-10" (numbers as numbers); the product without a bin comes last.
    assert [(row["bin"], row["sku"], row["quantity"]) for row in wave["rows"]] == [
        ("A-2", "SKU-2", 1),
        ("A-10", "SKU-1", 3),
        (None, "SKU-3", 1),
    ]
    assert wave["rows"][1]["fulfillment_order_ids"] == two_orders
    assert {fo["status"] for fo in wave["fulfillment_orders"]} == {"picking"}
    order_id = client.get(f"/api/v1/fulfillment-orders/{two_orders[0]}").json()["order_id"]
    timeline = [e["type"] for e in client.get(f"/api/v1/orders/{order_id}").json()["timeline"]]
    assert "fulfillment_order.accepted" in timeline
    assert "fulfillment_order.picking_started" in timeline
    listed = client.get(WAVES.format(code="A")).json()["items"]
    assert [(w["id"], w["status"]) for w in listed] == [(created["id"], "open")]


def test_a_wave_refuses_other_locations_work_started_work_and_orders_in_an_open_wave(
    client: TestClient, db: Database, two_orders: list[int], locations: dict[str, int]
) -> None:
    wrong_place = _wave(client, [two_orders[0]], code="B")
    assert wrong_place.status_code == 422
    assert wrong_place.json()["fulfillment_order_ids"] == [two_orders[0]]
    unknown = _wave(client, [two_orders[0], 999_999])
    assert unknown.status_code == 422
    assert unknown.json()["fulfillment_order_ids"] == [999_999]
    twice = _wave(client, [two_orders[0], two_orders[0]])
    assert twice.status_code == 422
    assert _wave(client, [two_orders[0]]).status_code == 201
    again = _wave(client, [two_orders[0], two_orders[1]])
    assert again.status_code == 409
    assert again.json()["fulfillment_order_ids"] == [two_orders[0]]
    # The second order was not touched by the refused wave.
    assert client.get(f"/api/v1/fulfillment-orders/{two_orders[1]}").json()["status"] == "released"
    client.post(f"/api/v1/fulfillment-orders/{two_orders[1]}/accept")
    client.post(f"/api/v1/fulfillment-orders/{two_orders[1]}/start-picking")
    started = _wave(client, [two_orders[1]])
    assert started.status_code == 409
    assert started.json()["fulfillment_order_ids"] == [two_orders[1]]


def test_a_retried_wave_with_the_same_key_builds_no_second_wave(
    client: TestClient, two_orders: list[int]
) -> None:
    headers = {"Idempotency-Key": "wave-1"}
    first = _wave(client, two_orders, headers=headers)
    second = _wave(client, two_orders, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(client.get(WAVES.format(code="A")).json()["items"]) == 1


def test_the_database_refuses_a_second_open_wave_for_a_fulfilment_order(
    client: TestClient, db: Database, two_orders: list[int]
) -> None:
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from ordnung.fulfillment.tables import pick_wave_order_table

    wave_id = _wave(client, [two_orders[0]]).json()["id"]
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(
            insert(pick_wave_order_table).values(
                pick_wave_id=wave_id, fulfillment_order_id=two_orders[0], is_open=True
            )
        )


def test_picks_by_sku_and_gtin_fill_the_wave_and_a_done_wave_frees_its_orders(
    client: TestClient, db: Database, two_orders: list[int]
) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            update(product_table).where(product_table.c.sku == "SKU-3").values(gtin="4006381333931")
        )
    wave_id = _wave(client, two_orders).json()["id"]
    picks = f"{WAVES.format(code='A')}/{wave_id}/picks"
    first = client.post(
        picks, json={"sku": "SKU-1", "quantity": 2}, headers={"Idempotency-Key": "p1"}
    )
    assert first.status_code == 200, first.text
    assert first.json()["fulfillment_order_ids"] == [two_orders[0]]
    retried = client.post(
        picks, json={"sku": "SKU-1", "quantity": 2}, headers={"Idempotency-Key": "p1"}
    )
    assert retried.json() == first.json()
    too_many = client.post(picks, json={"sku": "SKU-1", "quantity": 2})
    assert too_many.status_code == 422
    assert too_many.json()["still_to_pick"] == 1
    assert client.post(picks, json={"sku": "NOPE"}).status_code == 422
    assert client.post(picks, json={"sku": "SKU-1"}).json()["fulfillment_order_ids"] == [
        two_orders[1]
    ]
    assert client.post(picks, json={"sku": "SKU-2"}).status_code == 200
    last = client.post(picks, json={"sku": "4006381333931"})  # the GTIN, as scanned
    assert last.status_code == 200, last.text
    assert (last.json()["sku"], last.json()["wave_status"]) == ("SKU-3", "done")
    wave = client.get(f"{WAVES.format(code='A')}/{wave_id}").json()
    assert all(row["remaining"] == 0 for row in wave["rows"])
    # Picked orders stay picking, ready to pack; a done wave takes no more picks.
    assert {fo["status"] for fo in wave["fulfillment_orders"]} == {"picking"}
    assert client.post(picks, json={"sku": "SKU-1"}).status_code == 409
    order_id = client.get(f"/api/v1/fulfillment-orders/{two_orders[0]}").json()["order_id"]
    timeline = client.get(f"/api/v1/orders/{order_id}").json()["timeline"]
    assert "fulfillment_order.units_picked" in [e["type"] for e in timeline]


def test_a_short_pick_in_a_wave_is_sourced_again_where_stock_is(
    client: TestClient, db: Database, two_orders: list[int], locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-2", locations["B"], 5)
    wave_id = _wave(client, two_orders).json()["id"]
    url = f"{WAVES.format(code='A')}/{wave_id}/short-picks"
    response = client.post(url, json={"sku": "SKU-2", "missing": 1, "note": "Fach leer"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["fulfillment_order_id"], body["order_status"]) == (two_orders[0], "allocated")
    assert body["fulfillment_order_status"] == "picking"
    # The missing unit left A's stock; sourcing placed the order's unit again at once.
    assert position(db, "SKU-2", locations["A"]) == {"on_hand": 0, "reserved": 0, "safety_stock": 0}
    assert position(db, "SKU-2", locations["B"])["reserved"] == 1
    order_id = client.get(f"/api/v1/fulfillment-orders/{two_orders[0]}").json()["order_id"]
    reports = client.get(f"/api/v1/orders/{order_id}/short-picks").json()["items"]
    assert [(r["sku"], r["outcome"]) for r in reports] == [("SKU-2", "resourced")]
    row = next(
        r
        for r in client.get(f"{WAVES.format(code='A')}/{wave_id}").json()["rows"]
        if r["sku"] == "SKU-2"
    )
    assert (row["short"], row["remaining"]) == (1, 0)
    assert read_world(db).violations == []


def test_a_short_pick_in_a_wave_with_no_stock_elsewhere_backorders_and_names_the_order(
    client: TestClient, db: Database, two_orders: list[int]
) -> None:
    wave_id = _wave(client, two_orders).json()["id"]
    url = f"{WAVES.format(code='A')}/{wave_id}/short-picks"
    ambiguous = client.post(url, json={"sku": "SKU-1", "missing": 1})
    assert ambiguous.status_code == 422
    assert ambiguous.json()["fulfillment_order_ids"] == two_orders
    too_many = client.post(
        url, json={"sku": "SKU-1", "missing": 2, "fulfillment_order_id": two_orders[1]}
    )
    assert too_many.status_code == 422
    response = client.post(
        url, json={"sku": "SKU-1", "missing": 1, "fulfillment_order_id": two_orders[1]}
    )
    assert response.status_code == 200, response.text
    assert response.json()["order_status"] == "backordered"
    order_id = client.get(f"/api/v1/fulfillment-orders/{two_orders[1]}").json()["order_id"]
    order = client.get(f"/api/v1/orders/{order_id}").json()
    assert "fulfillment_order.short_picked" in [e["type"] for e in order["timeline"]]
    reports = client.get(f"/api/v1/orders/{order_id}/short-picks").json()["items"]
    assert [(r["sku"], r["missing"], r["outcome"]) for r in reports] == [
        ("SKU-1", 1, "backordered")
    ]
    assert read_world(db).violations == []


def test_bins_refuse_unknown_skus_and_can_be_cleared(
    client: TestClient, two_orders: list[int]
) -> None:
    unknown = client.put("/api/v1/locations/A/bins", json={"bins": [{"sku": "NOPE", "bin": "X"}]})
    assert unknown.status_code == 422
    twice = {"bins": [{"sku": "SKU-1", "bin": "X"}, {"sku": "SKU-1", "bin": "Y"}]}
    assert client.put("/api/v1/locations/A/bins", json=twice).status_code == 422
    cleared = client.put("/api/v1/locations/A/bins", json={"bins": [{"sku": "SKU-1", "bin": None}]})
    assert cleared.json()["cleared"] == 1
    items = client.get("/api/v1/locations/A/bins").json()["items"]
    assert [(item["sku"], item["bin"]) for item in items] == [("SKU-2", "A-2")]
    assert client.get("/api/v1/locations/NOPE/bins").status_code == 404


def test_a_location_key_finds_no_other_locations_bins_waves_or_pick_lists(
    client: TestClient, db: Database, two_orders: list[int]
) -> None:
    wave_id = _wave(client, [two_orders[0]]).json()["id"]
    theirs = _location_key(db, "B")
    base = f"{WAVES.format(code='A')}/{wave_id}"
    gets = [
        "/api/v1/locations/A/bins",
        WAVES.format(code="A"),
        base,
        f"{base}/pick-list.pdf",
    ]
    for url in gets:
        assert client.get(url, headers=theirs).status_code == 404, url
    writes = [
        ("put", "/api/v1/locations/A/bins", {"bins": [{"sku": "SKU-1", "bin": "Z"}]}),
        ("post", WAVES.format(code="A"), {"fulfillment_order_ids": [two_orders[1]]}),
        ("post", f"{base}/picks", {"sku": "SKU-1"}),
        ("post", f"{base}/short-picks", {"sku": "SKU-1", "missing": 1}),
    ]
    for method, url, body in writes:
        response = client.request(method, url, json=body, headers=theirs)
        assert response.status_code == 404, (url, response.text)
    # Under its own location's path, the wave of A is not there either.
    assert client.get(f"{WAVES.format(code='B')}/{wave_id}", headers=theirs).status_code == 404
    # Nothing changed: the bin, the second order, the wave's picks.
    assert client.get(f"/api/v1/fulfillment-orders/{two_orders[1]}").json()["status"] == "released"
    assert client.get(base).json()["rows"][0]["picked"] == 0
    mine = _location_key(db, "A")
    assert client.get(base, headers=mine).status_code == 200
    assert client.post(f"{base}/picks", json={"sku": "SKU-2"}, headers=mine).status_code == 200
