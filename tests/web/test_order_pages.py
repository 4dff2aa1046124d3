"""The order list and the order detail page, with orders placed through the order services."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from tests.web.seed import SeededOrders, place, seed_shop


@pytest.fixture
def orders(db: Database) -> SeededOrders:
    return seed_shop(db)


def _numbers(html: str) -> list[str]:
    return re.findall(r'<a class="strong" href="/orders/\d+">([^<]+)</a>', html)


def test_the_list_shows_every_order_newest_first_with_status_and_german_money(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    html = signed_in.get("/orders").text
    assert len(_numbers(html)) == 4
    assert html.index("EXT-HOLD") < html.index("EXT-ALLOC") < html.index("EXT-SHIP")
    assert '<span class="badge status-backordered">Im Rückstand</span>' in html
    assert "44,88\xa0€" in html  # 2 × 19,99 € + 4,90 € shipping, German format


def test_filtering_by_status_shows_only_orders_in_that_status(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    html = signed_in.get("/orders", params={"status": "on_hold"}).text
    assert len(_numbers(html)) == 1
    assert "EXT-HOLD" in html
    assert '<option value="on_hold" selected>' in html


def test_filtering_by_channel(signed_in: TestClient, orders: SeededOrders) -> None:
    html = signed_in.get("/orders", params={"channel": "marketplace"}).text
    assert len(_numbers(html)) == 1
    assert "MP-4711" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Mustermann", "EXT-ALLOC"), ("max@example.de", "MP-4711"), ("EXT-SHIP", "EXT-SHIP")],
)
def test_the_search_finds_orders_by_name_email_and_external_id(
    signed_in: TestClient, orders: SeededOrders, query: str, expected: str
) -> None:
    html = signed_in.get("/orders", params={"q": query}).text
    assert len(_numbers(html)) == 1
    assert expected in html


def test_a_date_range_that_excludes_today_finds_nothing(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    html = signed_in.get(
        "/orders", params={"created_from": "2001-01-01", "created_to": "2001-12-31"}
    ).text
    assert "Keine Bestellungen gefunden." in html


def test_a_malformed_date_explains_itself_instead_of_failing(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    response = signed_in.get("/orders", params={"created_from": "31.12.2024"})
    assert response.status_code == 200
    assert "Bitte ein gültiges Datum eingeben" in response.text
    assert len(_numbers(response.text)) == 4


def test_the_next_page_link_continues_where_the_page_ended(
    signed_in: TestClient, orders: SeededOrders, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ordnung.web.pages.orders.PAGE_SIZE", 2)
    first = signed_in.get("/orders", params={"channel": "webshop"}).text
    assert len(_numbers(first)) == 2
    next_url = re.search(r'rel="next" href="([^"]+)"', first)
    assert next_url is not None
    assert "channel=webshop" in next_url.group(1)
    second = signed_in.get(next_url.group(1).replace("&amp;", "&")).text
    assert len(_numbers(second)) == 1
    assert set(_numbers(second)).isdisjoint(_numbers(first))
    assert 'rel="next"' not in second


def test_a_tampered_cursor_falls_back_to_the_first_page(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    response = signed_in.get("/orders", params={"cursor": "not-a-cursor"})
    assert response.status_code == 200
    assert len(_numbers(response.text)) == 4


def test_the_detail_page_shows_lines_buckets_fulfilment_shipment_and_timeline(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    html = signed_in.get(f"/orders/{orders.shipped}").text
    assert "Jonas Weber" in html
    assert "Müslischale" in html
    assert "Heidestraße 17" in html
    assert '<span class="badge status-shipped">Versandt</span>' in html
    assert "00340434161094042557" in html and "DHL" in html
    assert "Bestellung eingegangen" in html  # order.received, translated
    assert "Sendung verschickt" in html
    assert "API-Schlüssel shop-sync" in html
    assert "19\xa0%" in html


def test_the_detail_page_lists_holds_with_their_reason(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    html = signed_in.get(f"/orders/{orders.on_hold}").text
    assert "Unbekannte SKU" in html
    assert '<span class="badge hold-active">Aktiv</span>' in html
    assert "Bestellung gesperrt" in html


def test_the_detail_page_reads_in_english_after_switching(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    signed_in.get("/language/en")
    html = signed_in.get(f"/orders/{orders.allocated}").text
    assert "Fulfilment orders" in html
    assert "Order received" in html
    assert "€44.88" in html


def test_an_unknown_order_is_a_friendly_404(signed_in: TestClient, db: Database) -> None:
    response = signed_in.get("/orders/999999")
    assert response.status_code == 404
    assert "Die Bestellung 999999 gibt es nicht." in response.text


def test_the_dashboard_counts_orders_per_status(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    place(db, "EXT-2", ("erika@example.de", "Erika", "Mustermann"), [("SKU-1", 1)])
    html = signed_in.get("/dashboard").text
    tile = re.search(r'href="/orders\?status=allocated"><span class="count">(\d+)</span>', html)
    assert tile is not None and tile.group(1) == "2"
