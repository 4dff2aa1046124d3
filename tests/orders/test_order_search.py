"""Finding any order by anything an agent has at hand: a part of its number, the external id,
the customer's name in any spelling, a part of the e-mail, the phone, a SKU, a tag or the
tracking number — with the list's filters and paging, on both backends."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ordnung.core.db import Database
from ordnung.orders import search_index
from ordnung.orders.tables import order_search_table
from tests.factories import add_channel, order_payload, put_stock, standard_setup


def _person(first: str, last: str, email: str, phone: str = "") -> dict[str, Any]:
    address = {
        "first_name": first,
        "last_name": last,
        "street": "Hauptstraße 1",
        "postal_code": "10115",
        "city": "Berlin",
        "country": "DE",
        "phone": phone,
    }
    return {
        "customer": {"email": email, "first_name": first, "last_name": last},
        "billing_address": address,
    }


@pytest.fixture(autouse=True, params=["newest keys first", "index only"])
def search_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a search finds orders: reading the newest orders' keys (which answers
    every search on a database this small) and the trigram index (which answers when the
    newest orders hold too few matches)."""
    if request.param == "index only":
        monkeypatch.setattr(search_index, "RECENT_WINDOW", 0)
    return str(request.param)


PEOPLE = {
    "boerner": _person("Jürgen", "Börner", "j.boerner@beispiel.de", "+49 170 1234567"),
    "oezdemir": _person("Ayşe", "Özdemir", "ayse@kunden.example", "030 9876543"),
    "lukasz": _person("Łukasz", "Nowak", "lukasz.nowak@poczta.example"),
    "percent": _person("Rabatt", "100%_Sicher", "rabatt@shop.example"),
}


@pytest.fixture
def orders(client: TestClient, db: Database) -> dict[str, dict[str, Any]]:
    ids = standard_setup(db)
    add_channel(db, "market")
    put_stock(db, "SKU-1", ids["A"], 100)
    put_stock(db, "SKU-2", ids["A"], 100)
    placed = {}
    for key, person in PEOPLE.items():
        sku = "SKU-2" if key == "lukasz" else "SKU-1"
        body = order_payload([(sku, 1)], external_id=f"SHOP-{key.upper()}", **person)
        response = client.post("/api/v1/orders", json=body)
        assert response.status_code == 201, response.text
        placed[key] = response.json()
    return placed


def _found(client: TestClient, **params: Any) -> list[str]:
    response = client.get("/api/v1/orders", params=params)
    assert response.status_code == 200, response.text
    return [item["external_id"] for item in response.json()["items"]]


def _key(placed: dict[str, Any]) -> str:
    return str(placed["external_id"])


def test_a_part_of_the_number_finds_the_order(client: TestClient, orders: dict[str, Any]) -> None:
    number = orders["lukasz"]["number"]  # ORD-000003
    assert _found(client, q=number) == [_key(orders["lukasz"])]
    # Three digits may also stand in another order's phone number or number (on PostgreSQL
    # the number sequence runs on across tests), so the order need only be among those found.
    assert _key(orders["lukasz"]) in _found(client, q=number[-3:])
    assert _found(client, q=number[:8].lower()) != []
    assert _found(client, q="ORD-999") == []


def test_the_external_id_finds_the_order(client: TestClient, orders: dict[str, Any]) -> None:
    assert _found(client, q="shop-oezdemir") == ["SHOP-OEZDEMIR"]


@pytest.mark.parametrize("query", ["boerner", "Börner", "borner", "BÖRNER", "jurgen boerner"])
def test_any_spelling_of_a_german_name_finds_it(
    client: TestClient, orders: dict[str, Any], query: str
) -> None:
    assert _found(client, q=query) == ["SHOP-BOERNER"]


@pytest.mark.parametrize("query", ["Özdemir", "özdemir", "ozdemir", "oezdemir", "Ayse"])
def test_a_turkish_name_is_found_with_and_without_its_letters(
    client: TestClient, orders: dict[str, Any], query: str
) -> None:
    assert _found(client, q=query) == ["SHOP-OEZDEMIR"]


@pytest.mark.parametrize("query", ["Łukasz", "łukasz", "lukasz", "Nowak Łukasz"])
def test_a_polish_name_is_found_in_ascii(
    client: TestClient, orders: dict[str, Any], query: str
) -> None:
    assert _found(client, q=query) == ["SHOP-LUKASZ"]


def test_a_part_of_the_e_mail_or_its_domain_finds_the_order(
    client: TestClient, orders: dict[str, Any]
) -> None:
    assert _found(client, q="j.boerner@") == ["SHOP-BOERNER"]
    assert _found(client, q="kunden.example") == ["SHOP-OEZDEMIR"]
    assert _found(client, q="nobody.example") == []


@pytest.mark.parametrize("query", ["+49 170 1234567", "0170 1234567", "01701234567", "1234567"])
def test_the_phone_in_any_writing_finds_the_order(
    client: TestClient, orders: dict[str, Any], query: str
) -> None:
    assert _found(client, q=query) == ["SHOP-BOERNER"]


def test_a_sku_finds_the_orders_with_it(client: TestClient, orders: dict[str, Any]) -> None:
    assert _found(client, q="sku-2") == ["SHOP-LUKASZ"]


def test_wildcards_are_plain_letters(client: TestClient, orders: dict[str, Any]) -> None:
    assert _found(client, q="%") == ["SHOP-PERCENT"]
    assert _found(client, q="_") == ["SHOP-PERCENT"]
    assert _found(client, q="100%_") == ["SHOP-PERCENT"]
    assert _found(client, q="b%r") == []


def test_search_keeps_the_filters_and_pages_through_every_match(
    client: TestClient, orders: dict[str, Any]
) -> None:
    assert _found(client, q="example", channel="market") == []
    assert _found(client, q="example", channel="webshop", status="allocated") == [
        "SHOP-PERCENT",
        "SHOP-LUKASZ",
        "SHOP-OEZDEMIR",
    ]
    first = client.get("/api/v1/orders", params={"q": "example", "limit": 2}).json()
    second = client.get(
        "/api/v1/orders", params={"q": "example", "limit": 2, "cursor": first["next_cursor"]}
    ).json()
    seen = [i["external_id"] for i in first["items"] + second["items"]]
    assert seen == ["SHOP-PERCENT", "SHOP-LUKASZ", "SHOP-OEZDEMIR"]
    assert second["next_cursor"] is None


def test_the_tracking_number_finds_the_order_once_shipped(
    client: TestClient, orders: dict[str, Any], db: Database
) -> None:
    assert _found(client, q="JJD0099887766") == []
    fo_id = orders["oezdemir"]["fulfillment_orders"][0]["id"]
    shipped = client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/ship",
        json={"carrier": "dhl", "tracking_number": "JJD0099887766"},
    )
    assert shipped.status_code == 201, shipped.text
    assert _found(client, q="JJD0099887766") == ["SHOP-OEZDEMIR"]
    assert _found(client, q="99887766") == ["SHOP-OEZDEMIR"]
    # Shipping adds the number to the stored key; a full rebuild finds the same words.
    order_id = orders["oezdemir"]["id"]
    added = _key_words(db, order_id)
    db.write(lambda uow: search_index.reindex_orders(uow.connection, [order_id]))
    assert added == _key_words(db, order_id) and "jjd0099887766" in added


def _key_words(db: Database, order_id: int) -> list[str]:
    query = select(order_search_table.c.text).where(order_search_table.c.order_id == order_id)
    text = db.read(lambda connection: connection.execute(query).scalar_one())
    words = text.split(" ")
    assert len(words) == len(set(words)), text  # each word once
    return sorted(words)


def test_a_tag_finds_the_order_by_filter_and_by_search(
    client: TestClient, orders: dict[str, Any]
) -> None:
    number = orders["boerner"]["number"]
    assert _found(client, tag="vip") == []
    tagged = client.post(f"/api/v1/orders/{number}/tags", json={"tag": " VIP "})
    assert tagged.status_code == 200, tagged.text
    assert tagged.json()["tags"] == ["vip"]
    assert _found(client, tag="vip") == ["SHOP-BOERNER"]
    assert _found(client, q="vip") == ["SHOP-BOERNER"]
    assert _found(client, tag="vip", status="cancelled") == []
    client.delete(f"/api/v1/orders/{number}/tags/vip")
    assert _found(client, tag="vip") == []
    assert _found(client, q="vip") == []


def test_a_window_of_recent_orders_too_small_hands_over_to_the_index(
    client: TestClient, orders: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "RECENT_WINDOW", 2)  # the two newest orders only
    assert _found(client, q="boerner") == ["SHOP-BOERNER"]  # the oldest: found by the index
    assert _found(client, q="example", limit=1) == ["SHOP-PERCENT"]  # from the window
    first = client.get("/api/v1/orders", params={"q": "example", "limit": 1}).json()
    rest = client.get(
        "/api/v1/orders", params={"q": "example", "limit": 5, "cursor": first["next_cursor"]}
    ).json()
    assert [i["external_id"] for i in rest["items"]] == ["SHOP-LUKASZ", "SHOP-OEZDEMIR"]


def test_matches_below_the_window_come_stretch_by_stretch_in_order(
    client: TestClient, orders: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window holds the newest order only; the index is asked for the stretch of two
    ids below it, then for everything older: pages still come newest first, none lost and
    none twice, whichever stretch each match lies in."""
    monkeypatch.setattr(search_index, "RECENT_WINDOW", 1)
    monkeypatch.setattr(search_index, "INDEXED_STRETCH", 2)
    everything = ["SHOP-PERCENT", "SHOP-LUKASZ", "SHOP-OEZDEMIR", "SHOP-BOERNER"]
    assert _found(client, q="shop") == everything
    seen, cursor = [], None
    while True:
        params: dict[str, Any] = {"q": "shop", "limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/orders", params=params).json()
        seen += [item["external_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == everything
    assert _found(client, q="boerner") == ["SHOP-BOERNER"]  # the oldest, in the last stretch
    assert _found(client, q="sku-2") == ["SHOP-LUKASZ"]
