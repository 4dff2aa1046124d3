"""GET /api/v1/availability and the promise settings over HTTP (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Connection

from ordnung.catalog.tables import product_table
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.promising.incoming import register_incoming_source, unregister_incoming_source
from ordnung.promising.model import Incoming
from tests.factories import add_product
from tests.promising.shop import seed_network

# Wednesday 2026-06-03, 10:00 in Germany: before the cut-off; Thursday is Fronleichnam in BY.
WEDNESDAY = datetime(2026, 6, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def network(db: Database) -> Iterator[dict[str, int]]:
    previous = clock.use_clock(clock.FixedClock(WEDNESDAY))
    yield seed_network(db)
    clock.use_clock(previous)


def _item(answer: dict, sku: str) -> dict:
    return next(item for item in answer["items"] if item["sku"] == sku)


def test_availability_per_sku_with_channel_scope_buffer_and_explanations(
    client: TestClient, network: dict[str, int]
) -> None:
    client.put("/api/v1/channels/web/sell-scope", json={"store_buffer": 2})
    response = client.get(
        "/api/v1/availability",
        params={"skus": "TEE-1,MUG-1,GHOST", "channel": "web", "postal_code": "80331"},
        headers={"Accept-Language": "de-DE,de;q=0.9"},
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    tee = _item(answer, "TEE-1")
    # dc-koeln 10-2-3 = 5, store 6-0-1 = 5, supplier 50 (does not ship for a channel).
    assert tee["available"] == 60
    assert tee["sellable"] == 5 + 3  # the store keeps a buffer of 2 from the web shop
    by_code = {entry["location"]: entry for entry in tee["locations"]}
    assert by_code["store-muc"]["held_store_buffer"] == 2
    assert by_code["supplier"]["reasons"] == ["cannot_ship"]
    keys = [e["key"] for e in tee["explanations"]]
    assert "held.store_buffer" in keys and "excluded.cannot_ship" in keys
    # The Munich store is nearest to 80331: ships today, arrives tomorrow.
    promise = tee["promise"]
    assert (promise["source"], promise["location"], promise["zone"]) == (
        "stock",
        "store-muc",
        "regional",
    )
    assert (promise["ship_on"], promise["delivery_on"]) == ("2026-06-03", "2026-06-04")
    texts = [e["text"] for e in promise["explanations"]]
    assert any("vor dem Annahmeschluss 14:00" in text for text in texts)
    mug = _item(answer, "MUG-1")
    assert (mug["available"], mug["sellable"], mug["promise"]["source"]) == (2, 0, "none")
    assert _item(answer, "GHOST")["explanations"][0]["key"] == "network.none"
    lean = client.get(
        "/api/v1/availability", params={"skus": "TEE-1", "channel": "web", "per_location": "false"}
    ).json()
    assert (_item(lean, "TEE-1")["sellable"], _item(lean, "TEE-1")["locations"]) == (8, [])


def test_a_bavarian_holiday_moves_the_promise_and_is_explained(
    client: TestClient, network: dict[str, int]
) -> None:
    stored = client.put(
        "/api/v1/locations/store-muc/promise-settings",
        json={"federal_state": "BY", "cutoff": "09:00"},
        headers={"If-Match": '"0"'},
    )
    assert stored.status_code == 200, stored.text
    assert stored.headers["ETag"] == '"1"'
    answer = client.get(
        "/api/v1/availability",
        params={"skus": "MUG-1", "postal_code": "80331"},
        headers={"Accept-Language": "en"},
    ).json()
    promise = _item(answer, "MUG-1")["promise"]
    # 10:00 is after the 09:00 cut-off; Thursday is Corpus Christi in Bavaria: Friday.
    assert promise["ship_on"] == "2026-06-05"
    assert promise["delivery_on"] == "2026-06-08"
    keys = [e["key"] for e in promise["explanations"]]
    assert keys[:2] == ["promise.from_stock", "ship.after_cutoff"]
    assert "calendar.skipped_holiday" in keys


def test_settings_edits_take_if_match_and_refuse_a_stale_version(
    client: TestClient, network: dict[str, int]
) -> None:
    first = client.put(
        "/api/v1/channels/web/sell-scope",
        json={"locations": ["dc-koeln"], "store_buffer": 1},
        headers={"If-Match": '"0"'},
    )
    assert first.status_code == 200 and first.json()["locations"] == ["dc-koeln"]
    stale = client.put(
        "/api/v1/channels/web/sell-scope", json={"store_buffer": 5}, headers={"If-Match": '"0"'}
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 1
    unknown = client.put("/api/v1/channels/web/sell-scope", json={"locations": ["nowhere"]})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "locations"
    bad_state = client.put(
        "/api/v1/locations/dc-koeln/promise-settings", json={"federal_state": "XX"}
    )
    assert bad_state.status_code == 422
    assert bad_state.json()["errors"][0]["field"] == "federal_state"
    bad_cutoff = client.put("/api/v1/locations/dc-koeln/promise-settings", json={"cutoff": "25"})
    assert bad_cutoff.json()["errors"][0]["field"] == "cutoff"


def test_bad_questions_are_422_problems_naming_the_field(
    client: TestClient, network: dict[str, int]
) -> None:
    too_many = ",".join(f"S{i}" for i in range(101))
    for params, field in (
        ({"skus": too_many}, "skus"),
        ({"skus": " , "}, "skus"),
        ({"skus": "TEE-1", "postal_code": "ABCDE"}, "postal_code"),
    ):
        response = client.get("/api/v1/availability", params=params)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["field"] == field
    unknown_channel = client.get("/api/v1/availability", params={"skus": "A", "channel": "nope"})
    assert unknown_channel.status_code == 404


class FakePurchaseOrders:
    def incoming(self, connection: Connection, skus: Collection[str]) -> list[Incoming]:
        warehouse_id = connection.exec_driver_sql(
            "SELECT id FROM location WHERE code = 'dc-koeln'"
        ).scalar_one()
        return [Incoming("NEW-1", warehouse_id, 40, date(2026, 6, 8), "purchase_order PO-7")]


def test_incoming_supply_from_a_registered_source_gives_the_promise(
    client: TestClient, network: dict[str, int]
) -> None:
    source = FakePurchaseOrders()
    register_incoming_source(source)
    try:
        answer = client.get(
            "/api/v1/availability", params={"skus": "NEW-1", "postal_code": "50667"}
        ).json()
    finally:
        unregister_incoming_source(source)
    item = _item(answer, "NEW-1")
    assert (item["incoming_quantity"], item["incoming_next_on"]) == (40, "2026-06-08")
    assert item["promise"]["source"] == "incoming"
    assert (item["promise"]["ship_on"], item["promise"]["delivery_on"]) == (
        "2026-06-09",
        "2026-06-10",
    )
    assert "incoming.expected" in [e["key"] for e in item["explanations"]]


def test_a_settings_edit_within_the_same_minute_changes_the_next_answer(
    client: TestClient, network: dict[str, int]
) -> None:
    """Timings are shared by the requests of one minute and one postal region; an edit of a
    location's settings must still show in the very next answer."""

    def promise(postal_code: str) -> dict:
        answer = client.get(
            "/api/v1/availability", params={"skus": "MUG-1", "postal_code": postal_code}
        ).json()
        return _item(answer, "MUG-1")["promise"]

    assert promise("80331")["ship_on"] == "2026-06-03"
    # Another code of the same region shares the timing; the answer is the same.
    assert promise("80997")["ship_on"] == "2026-06-03"
    stored = client.put(
        "/api/v1/locations/store-muc/promise-settings",
        json={"cutoff": "09:00"},
        headers={"If-Match": '"0"'},
    )
    assert stored.status_code == 200, stored.text
    assert promise("80331")["ship_on"] == "2026-06-04"  # after the new cut-off: tomorrow
    # A code that names no known region is explained with the code itself, not a neighbour's.
    unknown = promise("00999")
    keys = {e["key"]: e["params"] for e in unknown["explanations"]}
    assert keys["zone.unknown_destination"] == {"postal_code": "00999"}


def test_a_non_stock_product_is_always_sellable_and_goes_with_the_first_location(
    client: TestClient, db: Database, network: dict[str, int]
) -> None:
    add_product(db, "ENGRAVE-1", "Gravur", stock_policy="non_stock")
    response = client.get(
        "/api/v1/availability",
        params={"skus": "ENGRAVE-1,TEE-1", "channel": "web", "postal_code": "80331"},
        headers={"Accept-Language": "de-DE"},
    )
    assert response.status_code == 200, response.text
    engraving = _item(response.json(), "ENGRAVE-1")
    assert engraving["is_always_sellable"] is True
    assert (engraving["available"], engraving["sellable"], engraving["locations"]) == (
        None,
        None,
        [],
    )
    [why] = engraving["explanations"]
    assert why["key"] == "non_stock.always_sellable" and "immer verkaufbar" in why["text"]
    promise = engraving["promise"]
    # Rides along from the first location by priority that ships for the channel.
    assert (promise["source"], promise["location"], promise["ship_on"]) == (
        "non_stock",
        "dc-koeln",
        "2026-06-03",
    )
    assert promise["explanations"][0]["key"] == "promise.non_stock"
    assert _item(response.json(), "TEE-1")["is_always_sellable"] is False

    english = client.get(
        "/api/v1/availability", params={"skus": "ENGRAVE-1"}, headers={"Accept-Language": "en"}
    ).json()
    assert "always sellable" in _item(english, "ENGRAVE-1")["explanations"][0]["text"]


def test_an_unreleased_pre_order_is_promised_from_its_release_day(
    client: TestClient, db: Database, network: dict[str, int]
) -> None:
    # Released on a Saturday: the first working day after it is Monday 2026-06-08.
    add_product(db, "BOOK-1", "Roman (Vorbestellung)", stock_policy="preorder")
    add_product(db, "BOOK-2", "Roman", stock_policy="preorder", release_on=date(2026, 6, 6))
    add_product(db, "BOOK-3", "Roman (erschienen)", stock_policy="preorder")
    with db.engine.begin() as connection:
        connection.execute(
            product_table.update()
            .where(product_table.c.sku == "BOOK-3")
            .values(release_on=date(2026, 6, 1))
        )
    response = client.get(
        "/api/v1/availability",
        params={"skus": "BOOK-2,BOOK-3,TEE-1", "channel": "web", "postal_code": "50667"},
        headers={"Accept-Language": "de-DE"},
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    promise = _item(answer, "BOOK-2")["promise"]
    # No stock and nothing incoming: from the channel's first shipping location, on release.
    assert (promise["source"], promise["location"], promise["ship_on"]) == (
        "preorder",
        "dc-koeln",
        "2026-06-08",
    )
    assert promise["delivery_on"] > promise["ship_on"]
    keys = [e["key"] for e in promise["explanations"]]
    assert keys[:2] == ["promise.preorder", "ship.on_release"]
    assert "Vorbestellung: erscheint am 06.06.2026" in promise["explanations"][0]["text"]
    # A release day in the past changes nothing; a stocked product is untouched.
    assert _item(answer, "BOOK-3")["promise"]["source"] == "none"
    assert _item(answer, "TEE-1")["promise"]["source"] == "stock"
