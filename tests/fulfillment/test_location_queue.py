"""Issue 10: a fulfilment order carries what its location needs, and each location works a
queue of its open work — urgent and due work first, late work marked in the location's time
zone — seeing only its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ordnung.catalog.tables import product_table
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.paging import encode_cursor
from ordnung.fulfillment.queue import DUE_TODAY, LATE, local_today, queue_key, sla_marker
from ordnung.staff.service import create_api_key
from tests.factories import add_product, order_payload, put_stock, standard_setup

# A Tuesday morning in Berlin (UTC+1 in winter).
MORNING = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    fixed = clock.FixedClock(MORNING)
    previous = clock.use_clock(fixed)
    yield fixed
    clock.use_clock(previous)


@pytest.fixture
def locations(db: Database, fixed_clock: clock.FixedClock) -> dict[str, int]:
    ids = standard_setup(db)
    with db.engine.begin() as connection:
        connection.execute(
            update(product_table)
            .where(product_table.c.sku == "SKU-1")
            .values(gtin="4006381333931", weight_grams=450)
        )
    for sku in ("SKU-1", "SKU-2", "SKU-3"):
        put_stock(db, sku, ids["A"], 100)
    return ids


def _place(client: TestClient, **details: Any) -> dict[str, Any]:
    response = client.post("/api/v1/orders", json=order_payload([("SKU-1", 1)], **details))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _fo(client: TestClient, order: dict[str, Any], headers: Any = None) -> dict[str, Any]:
    fo_id = order["fulfillment_orders"][0]["id"]
    response = client.get(f"/api/v1/fulfillment-orders/{fo_id}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _location_key(db: Database, code: str) -> dict[str, str]:
    _id, token = create_api_key(
        db, f"3pl-{code}", ["fulfillment:read", "fulfillment:write"], location_code=code
    )
    return {"Authorization": f"Bearer {token}"}


def _queue(client: TestClient, code: str = "A", **params: Any) -> Any:
    return client.get(f"/api/v1/locations/{code}/queue", params=params)


SHIP_TO = {
    "first_name": "Max",
    "last_name": "Beispiel",
    "company": "Beispiel GmbH",
    "street": "Lindenallee 4",
    "postal_code": "10115",
    "city": "Berlin",
    "country": "DE",
    "phone": "+49 30 1234567",
}


def test_a_fulfilment_order_carries_address_contact_service_note_and_line_facts(
    client: TestClient, locations: dict[str, int]
) -> None:
    order = _place(
        client,
        shipping_address=SHIP_TO,
        shipping_method="dhl_express",
        service_level="express",
        priority="high",
        gift_note="Alles Gute zum Geburtstag!",
    )
    fo = _fo(client, order)
    assert fo["ship_to"] == SHIP_TO | {"street2": ""}
    assert fo["contact"] == {
        "name": "Max Beispiel",
        "email": "erika@example.de",
        "phone": "+49 30 1234567",
    }
    assert (fo["shipping_method"], fo["service_level"], fo["priority"]) == (
        "dhl_express",
        "express",
        "high",
    )
    assert fo["gift_note"] == "Alles Gute zum Geburtstag!"
    assert fo["has_gift_note"] is True
    [line] = fo["lines"]
    assert (line["name"], line["gtin"], line["weight_grams"]) == (
        "Artikel SKU-1",
        "4006381333931",
        450,
    )
    promised = order["lines"][0]["promised_ship_on"]
    assert promised is not None
    assert fo["promised_ship_on"] == promised


def test_an_order_without_details_gets_standard_normal_and_no_gift_note(
    client: TestClient, locations: dict[str, int]
) -> None:
    fo = _fo(client, _place(client))
    assert (fo["service_level"], fo["priority"], fo["gift_note"]) == ("standard", "normal", None)
    assert fo["ship_to"]["city"] == "Köln"  # the billing address stands in


def _change_address(client: TestClient, order: dict[str, Any], city: str) -> None:
    body = {"shipping_address": SHIP_TO | {"city": city}, "reason": "Customer moved"}
    response = client.patch(f"/api/v1/orders/{order['id']}/shipping", json=body)
    assert response.status_code == 200, response.text


def test_an_accepted_fulfilment_order_follows_an_address_change_but_picking_work_keeps_its_copy(
    client: TestClient, locations: dict[str, int]
) -> None:
    accepted = _place(client, shipping_address=SHIP_TO)
    picking = _place(client, shipping_address=SHIP_TO)
    for order in (accepted, picking):
        fo_id = order["fulfillment_orders"][0]["id"]
        assert client.post(f"/api/v1/fulfillment-orders/{fo_id}/accept").status_code == 200
    picking_fo = picking["fulfillment_orders"][0]["id"]
    started = client.post(f"/api/v1/fulfillment-orders/{picking_fo}/start-picking")
    assert started.status_code == 200, started.text

    _change_address(client, accepted, "Potsdam")
    _change_address(client, picking, "Potsdam")

    assert _fo(client, accepted)["ship_to"]["city"] == "Potsdam"
    assert _fo(client, picking)["ship_to"]["city"] == "Berlin"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("service_level", "overnight"),
        ("priority", "asap"),
        ("gift_note", "x" * 501),
        ("gift_note", ""),
    ],
)
def test_intake_refuses_unknown_service_levels_priorities_and_overlong_notes(
    client: TestClient, locations: dict[str, int], field: str, value: str
) -> None:
    response = client.post("/api/v1/orders", json=order_payload([("SKU-1", 1)], **{field: value}))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


# -- the queue: pure rules ----------------------------------------------------------------


def test_half_past_eleven_utc_is_already_tomorrow_in_berlin() -> None:
    late_evening = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    assert local_today(late_evening, "Europe/Berlin") == date(2026, 12, 2)
    assert local_today(late_evening, "UTC") == date(2026, 12, 1)


def test_sla_marker_is_late_before_today_due_today_on_it_and_none_after() -> None:
    today = date(2026, 12, 2)
    assert sla_marker(date(2026, 12, 1), today) == LATE
    assert sla_marker(today, today) == DUE_TODAY
    assert sla_marker(date(2026, 12, 3), today) is None
    assert sla_marker(None, today) is None


def test_queue_order_is_priority_then_promised_date_undated_last_then_age() -> None:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    keys = {
        "normal-early": queue_key("normal", date(2026, 12, 1), at, 1),
        "urgent-late": queue_key("urgent", date(2026, 12, 9), at, 2),
        "normal-undated": queue_key("normal", None, at, 3),
        "normal-early-older": queue_key("normal", date(2026, 12, 1), at - timedelta(hours=1), 4),
    }
    assert sorted(keys, key=keys.__getitem__) == [
        "urgent-late",
        "normal-early-older",
        "normal-early",
        "normal-undated",
    ]


# -- the queue over HTTP ------------------------------------------------------------------


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_the_queue_sorts_urgent_first_then_promised_date_then_age(
    client: TestClient, locations: dict[str, int], fixed_clock: clock.FixedClock
) -> None:
    early_normal = _fo(client, _place(client))
    fixed_clock.set(MORNING + timedelta(days=2))
    later_urgent = _fo(client, _place(client, priority="urgent"))
    later_normal = _fo(client, _place(client))
    fixed_clock.set(MORNING + timedelta(days=2, minutes=5))
    later_high = _fo(client, _place(client, priority="high"))
    assert early_normal["promised_ship_on"] < later_normal["promised_ship_on"]

    expected = [later_urgent["id"], later_high["id"], early_normal["id"], later_normal["id"]]
    assert _ids(_queue(client)) == expected
    # Paged one by one, the cursor walks the same order.
    seen, cursor = [], None
    while True:
        page = _queue(client, limit=1, **({} if cursor is None else {"cursor": cursor})).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected


def test_sla_markers_count_in_the_locations_time_zone(
    client: TestClient, locations: dict[str, int], fixed_clock: clock.FixedClock
) -> None:
    fo = _fo(client, _place(client))
    promised = date.fromisoformat(fo["promised_ship_on"])
    # 23:30 UTC on the day before the promised date: in Berlin it is already that day.
    eve = datetime.combine(promised - timedelta(days=1), datetime.min.time(), UTC)
    fixed_clock.set(eve + timedelta(hours=22, minutes=59))
    page = _queue(client).json()
    assert (page["today"], page["items"][0]["sla"]) == (str(promised - timedelta(days=1)), None)
    fixed_clock.set(eve + timedelta(hours=23, minutes=30))
    page = _queue(client).json()
    assert (page["today"], page["items"][0]["sla"]) == (str(promised), "due_today")
    fixed_clock.set(eve + timedelta(days=1, hours=23, minutes=30))
    assert _queue(client).json()["items"][0]["sla"] == "late"


def test_the_queue_filters_by_status_service_level_due_and_order_number(
    client: TestClient, locations: dict[str, int], fixed_clock: clock.FixedClock
) -> None:
    old = _fo(client, _place(client))
    fixed_clock.set(MORNING + timedelta(days=3))
    express = _fo(client, _place(client, service_level="express"))
    accepted = _fo(client, _place(client))
    client.post(f"/api/v1/fulfillment-orders/{accepted['id']}/accept")
    rejected = _fo(client, _place(client))
    client.post(f"/api/v1/fulfillment-orders/{rejected['id']}/reject", json={"reason": "Wet"})

    assert rejected["id"] not in _ids(_queue(client))
    assert _ids(_queue(client, status="accepted")) == [accepted["id"]]
    assert _ids(_queue(client, service_level="express")) == [express["id"]]
    assert _ids(_queue(client, due="late")) == [old["id"]]
    assert old["id"] not in _ids(_queue(client, due="due_today"))
    assert old["id"] not in _ids(_queue(client, due="later"))
    number = express["order_number"]
    assert _ids(_queue(client, q=number.lower())) == [express["id"]]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "shipped"},
        {"status": "rejected"},
        {"service_level": "overnight"},
        {"due": "yesterday"},
        {"q": "x" * 41},
        {"cursor": "not-a-cursor"},
        {"limit": 0},
        {"unknown": "1"},
    ],
)
def test_bad_queue_filters_are_422(
    client: TestClient, locations: dict[str, int], params: dict[str, Any]
) -> None:
    response = _queue(client, **params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_cursor_of_another_locations_work_is_422(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    add_product(db, "SKU-B")
    put_stock(db, "SKU-B", locations["B"], 5)
    order = client.post("/api/v1/orders", json=order_payload([("SKU-B", 1)])).json()
    [b_fo] = order["fulfillment_orders"]
    assert b_fo["location"]["code"] == "B"
    assert _queue(client, "A", cursor=encode_cursor(b_fo["id"])).status_code == 422


def test_a_location_key_sees_only_its_own_queue_others_answer_404(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    mine = _fo(client, _place(client))
    a_key, b_key = _location_key(db, "A"), _location_key(db, "B")
    assert _ids(client.get("/api/v1/locations/A/queue", headers=a_key)) == [mine["id"]]
    for code in ("A", "NOPE"):
        response = client.get(f"/api/v1/locations/{code}/queue", headers=b_key)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
    assert _ids(client.get("/api/v1/locations/B/queue", headers=b_key)) == []
    # The new detail fields are behind the same per-object check.
    assert client.get(f"/api/v1/fulfillment-orders/{mine['id']}", headers=b_key).status_code == 404


def test_a_key_without_fulfilment_read_is_refused_the_queue(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    _id, token = create_api_key(db, "stock-only", ["inventory:read"])
    response = client.get("/api/v1/locations/A/queue", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_the_order_keeps_its_service_level_priority_and_gift_note(
    client: TestClient, locations: dict[str, int]
) -> None:
    placed = _place(client, service_level="same_day", priority="urgent", gift_note="Für Oma")
    read = client.get(f"/api/v1/orders/{placed['id']}").json()
    for order in (placed, read):
        assert (order["service_level"], order["priority"], order["gift_note"]) == (
            "same_day",
            "urgent",
            "Für Oma",
        )
