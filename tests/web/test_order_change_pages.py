"""Changing an order from the back office: each form carries the version the page showed,
lands on the order with a message when done, goes back to the form with a readable message
when refused (a colleague's change in between, bad input), and the timeline tells before →
after, who and why."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.orders.queries import get_order
from tests.web.accounts import sign_in_as
from tests.web.conftest import csrf_from
from tests.web.seed import STAFF_EMAIL, SeededOrders, seed_shop


@pytest.fixture
def orders(db: Database) -> SeededOrders:
    return seed_shop(db)


def _form(client: TestClient, page_path: str) -> dict[str, str]:
    html = client.get(page_path).text
    version = re.search(r'name="version" value="(\d+)"', html)
    assert version, "the form carries no version"
    return {"csrf_token": csrf_from(html), "version": version.group(1)}


def _flash(html: str) -> str:
    match = re.search(r'<p class="alert flash (?:success|error)" role="\w+">([^<]*)</p>', html)
    assert match, "the page shows no flash message"
    return match.group(1)


def _shown_version(page: str) -> str:
    match = re.search(r'name="version" value="(\d+)"', page)
    assert match, "the form carries no version"
    return match.group(1)


def _post(client: TestClient, path: str, data: dict[str, str]) -> tuple[str, str]:
    response = client.post(path, data=data, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    return location, client.get(location).text


def test_the_order_page_links_each_line_to_its_change_page(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    html = signed_in.get(f"/orders/{orders.allocated}").text
    assert f'href="/orders/{orders.allocated}/lines/1/change"' in html
    assert f'href="/orders/{orders.allocated}/change-shipping"' in html
    shipped = signed_in.get(f"/orders/{orders.shipped}").text
    assert "/lines/1/change" not in shipped and "change-shipping" not in shipped


def test_an_agent_cancels_one_unit_and_the_timeline_shows_before_after_and_why(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    path = f"/orders/{orders.allocated}/lines/1/change"
    data = _form(signed_in, path) | {"units": "1", "reason": "Kunde will nur einen"}
    location, html = _post(signed_in, f"/orders/{orders.allocated}/lines/1/cancel-units", data)

    assert location == f"/orders/{orders.allocated}"
    assert _flash(html) == "1 Stück von Position 1 storniert."
    assert "2 → 1 · Kunde will nur einen" in html
    assert get_order(db, orders.allocated)["lines"][0]["cancelled"] == 1
    event = get_order(db, orders.allocated)["timeline"][-1]
    assert event["actor"] == f"staff:{STAFF_EMAIL}"


def test_a_form_from_before_a_colleagues_change_is_refused_as_changed_meanwhile(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    path = f"/orders/{orders.allocated}/lines/1/change"
    stale = _form(signed_in, path)
    _post(
        signed_in,
        f"/orders/{orders.allocated}/lines/1/cancel-units",
        _form(signed_in, path) | {"units": "1", "reason": "erster"},
    )
    location, html = _post(
        signed_in,
        f"/orders/{orders.allocated}/lines/1/cancel-units",
        stale | {"units": "1", "reason": "zweiter"},
    )
    assert location == path
    assert "inzwischen geändert" in _flash(html)
    assert get_order(db, orders.allocated)["lines"][0]["cancelled"] == 1


def test_replacing_the_unknown_sku_from_the_page_releases_the_hold(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    path = f"/orders/{orders.on_hold}/lines/1/change"
    data = _form(signed_in, path) | {"sku": "SKU-1", "reason": "Tippfehler", "unit_price": ""}
    _location, html = _post(signed_in, f"/orders/{orders.on_hold}/lines/1/replace", data)
    assert _flash(html) == "Position 1 ist jetzt SKU-1."
    order = get_order(db, orders.on_hold)
    assert order["status"] == "allocated"
    assert "resolved by SKU replacement" in html


def test_a_german_price_with_a_comma_is_read_and_the_totals_follow(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    path = f"/orders/{orders.allocated}/lines/1/change"
    data = _form(signed_in, path) | {"unit_price": "17,50", "discount": "0", "reason": "Zusage"}
    _post(signed_in, f"/orders/{orders.allocated}/lines/1/correct-price", data)
    assert get_order(db, orders.allocated)["lines"][0]["unit_price"] == "17.50"


def test_a_bad_amount_goes_back_to_the_form_with_a_message(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    path = f"/orders/{orders.allocated}/lines/1/change"
    data = _form(signed_in, path) | {"unit_price": "zwölf", "reason": "x"}
    location, html = _post(signed_in, f"/orders/{orders.allocated}/lines/1/correct-price", data)
    assert location == path
    assert "ungültig" in _flash(html)


def test_adding_a_line_and_changing_the_address_from_the_pages(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    add = _form(signed_in, f"/orders/{orders.allocated}/lines/new")
    add |= {"sku": "SKU-3", "quantity": "1", "unit_price": "4,99", "reason": "telefonisch"}
    _post(signed_in, f"/orders/{orders.allocated}/lines", add)
    assert [ln["sku"] for ln in get_order(db, orders.allocated)["lines"]] == ["SKU-1", "SKU-3"]

    page = f"/orders/{orders.allocated}/change-shipping"
    address = {
        "first_name": "Erika",
        "last_name": "Mustermann",
        "street": "Domplatz 1",
        "postal_code": "50667",
        "city": "Köln",
        "country": "DE",
        "shipping_method": "express",
        "reason": "Umzug",
    }
    _location, html = _post(signed_in, page, _form(signed_in, page) | address)
    assert "Heidestraße 17, 51147 Köln → Domplatz 1, 50667 Köln · Umzug" in html
    assert get_order(db, orders.allocated)["shipping_method"] == "express"


def test_changing_needs_the_orders_write_permission(
    web: TestClient, orders: SeededOrders, db: Database
) -> None:
    sign_in_as(web, db, "finance")
    response = web.get(f"/orders/{orders.allocated}/lines/1/change")
    assert response.status_code == 403


def test_substitutes_are_set_on_the_product_page_and_used_from_the_line_page(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    product = signed_in.get("/catalogue/products/SKU-2").text
    assert 'href="/catalogue/products/SKU-2/substitutes"' in product
    page = "/catalogue/products/SKU-2/substitutes"
    shown = signed_in.get(page).text
    form = {"csrf_token": csrf_from(shown), "version": _shown_version(shown)}
    _location, html = _post(signed_in, page, form | {"substitutes": "SKU-1"})
    assert _flash(html) == "1 Ersatzartikel gespeichert."
    # The same form sent again is older than what is stored now: refused, readably.
    _location, html = _post(signed_in, page, form | {"substitutes": "SKU-3"})
    assert _flash(html).startswith("Nicht gespeichert: Jemand hat die Ersatzartikel")
    assert '<li class="mono">SKU-1</li>' in html

    path = f"/orders/{orders.backordered}/lines/1/change"
    data = _form(signed_in, path) | {"sku": "", "reason": "Nachfolger"}
    _location, html = _post(signed_in, f"/orders/{orders.backordered}/lines/1/substitute", data)
    assert _flash(html) == "Position 1 ist jetzt ein Ersatzartikel."
    assert get_order(db, orders.backordered)["lines"][0]["sku"] == "SKU-1"
