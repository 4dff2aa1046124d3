"""In a real browser on a phone (390 px): an administrator connects a channel to Shopify,
a webhook fails to map (an SKU the catalogue does not know), the import queue shows it,
the SKU is mapped and the payload replayed — and the order exists."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from ordnung.connectors.signatures import body_signature
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.orders.queries import get_order
from tests.factories import add_channel, add_location, add_product, put_stock
from tests.web import test_browser as browser_fixtures
from tests.web.accounts import PASSWORD, add_account, email_of

pytestmark = pytest.mark.browser

base_url = browser_fixtures.base_url
browser = browser_fixtures.browser
PHONE_WIDTH = 390
SECRET = "shpss_browser"


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Secrets are sealed under ORDNUNG_SECRET_KEY: the browser's app has one.
    return Settings(database_url=database_url, secret_key="browser-test-secret-key")


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, locale="de-DE", is_mobile=True
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _no_sideways_scrolling(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide"


def _webhook(base_url: str) -> httpx.Response:
    order = {
        "id": 7001,
        "name": "#7001",
        "email": "erika@example.de",
        "currency": "EUR",
        "taxes_included": True,
        "subtotal_price": "19.99",
        "total_tax": "3.19",
        "total_price": "19.99",
        "line_items": [
            {"sku": "SHOP-RED-M", "quantity": 1, "price": "19.99", "tax_lines": [{"rate": 0.19}]}
        ],
        "billing_address": {
            "first_name": "Erika",
            "last_name": "Mustermann",
            "address1": "Heidestraße 17",
            "zip": "51147",
            "city": "Köln",
            "country_code": "DE",
        },
    }
    body = json.dumps(order).encode()
    return httpx.post(
        base_url + "/api/v1/channels/shop/inbound/shopify/orders/create",
        content=body,
        headers={
            "X-Shopify-Hmac-Sha256": body_signature(body, SECRET),
            "X-Shopify-Webhook-Id": "browser-1",
            "X-Shopify-Topic": "orders/create",
        },
    )


def test_connect_a_channel_see_a_failed_import_map_the_sku_and_replay_it(
    db: Database, base_url: str, phone: Page
) -> None:
    add_channel(db, "shop")
    location = add_location(db, "WH", 1)
    add_product(db, "OD-0001")
    put_stock(db, "OD-0001", location, 10)
    add_account(db, "admin")

    phone.goto(base_url + "/channels/shop/connection")
    phone.get_by_label("E-Mail").fill(email_of("admin"))
    phone.get_by_label("Passwort").fill(PASSWORD)
    phone.get_by_role("button", name="Anmelden").click()
    phone.get_by_label("Plattform", exact=True).select_option("shopify")
    phone.get_by_label("Shop-Adresse").fill("https://shop.example")
    phone.get_by_label("Webhook-Geheimnis").fill(SECRET)
    phone.get_by_role("button", name="Anbindung speichern").click()
    expect(phone.get_by_role("status")).to_contain_text("Anbindung gespeichert")
    expect(phone.get_by_test_id("secret-webhook_secret")).to_have_text("hinterlegt (verschlüsselt)")
    expect(phone.get_by_test_id("webhook-url")).to_contain_text(
        "/api/v1/channels/shop/inbound/shopify/orders/create"
    )
    assert SECRET not in phone.content()
    _no_sideways_scrolling(phone)

    answer = _webhook(base_url)
    assert answer.status_code == 202
    assert answer.json()["status"] == "failed"

    phone.goto(base_url + "/imports?status=failed")
    row = phone.locator("tr[data-status=failed]")
    expect(row).to_contain_text("#7001")
    expect(row).to_contain_text("SHOP-RED-M")
    _no_sideways_scrolling(phone)
    row.get_by_role("link").first.click()
    expect(phone.get_by_test_id("import-error")).to_contain_text("line_items[0].sku")
    _no_sideways_scrolling(phone)

    phone.get_by_label("Artikelnummer unseres Katalogs für „SHOP-RED-M“").fill("OD-0001")
    phone.get_by_role("button", name="Zuordnen").click()
    expect(phone.get_by_role("status")).to_contain_text("Artikelnummer zugeordnet")
    phone.get_by_role("button", name="Erneut einspielen").click()
    expect(phone.get_by_role("status")).to_contain_text("Bestellung importiert")
    expect(phone.get_by_test_id("import-status")).to_have_text("importiert")
    order_id = int(phone.get_by_test_id("import-order").inner_text())
    order = get_order(db, order_id)
    assert order["external_id"] == "#7001"
    assert [line["sku"] for line in order["lines"]] == ["OD-0001"]
    _no_sideways_scrolling(phone)
