"""A warehouse worker on a 390 px phone records a refused parcel on a shipment, finds it in
the queue's "returned to sender" tab, puts one unit back on the shelf and writes one off; a
customer service agent sees on the order page what happened."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from ordnung.core.db import Database
from ordnung.orchestration.fulfillment_actions import ShipmentDraft, ship_fulfillment_order
from ordnung.orders.queries import get_order
from tests.factories import position
from tests.web.accounts import PASSWORD, add_account, email_of
from tests.web.seed import place, seed_shop
from tests.web.test_browser import base_url, browser  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
PHONE_WIDTH = 390


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, locale="de-DE", is_mobile=True
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _sign_in(page: Page, base_url: str, role: str) -> None:  # noqa: F811
    page.goto(f"{base_url}/login")
    page.get_by_label("E-Mail").fill(email_of(role))
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_refused_parcel_is_recorded_restocked_and_written_off_and_the_order_shows_it(
    db: Database,
    base_url: str,  # noqa: F811
    phone: Page,
    browser: Browser,  # noqa: F811
) -> None:
    seed_shop(db)
    order_id = place(db, "EXT-RTS", ("ida@example.de", "Ida", "Kurz"), [("SKU-1", 2)])
    fo = get_order(db, order_id)["fulfillment_orders"][0]
    ship_fulfillment_order(db, fo["id"], ShipmentDraft("dhl", "00340434161094099999"), actor="t")
    berlin = fo["location"]["id"]
    on_hand = position(db, "SKU-1", berlin)["on_hand"]
    add_account(db, "warehouse", "ber")
    add_account(db, "customer_service")

    _sign_in(phone, base_url, "warehouse")
    phone.goto(f"{base_url}/fulfillment/{fo['id']}")
    phone.get_by_text("Zurück an Absender erfassen").click()
    phone.get_by_label("Grund").select_option("refused")
    phone.get_by_label("Notiz").fill("Annahme verweigert")
    phone.get_by_role("button", name="Rücksendung erfassen").click()
    expect(phone.get_by_role("status")).to_contain_text("als Rücksendung an Absender erfasst")
    _fits(phone)

    phone.goto(f"{base_url}/queue")
    phone.get_by_role("link", name="Rücksendungen an Absender").click()
    card = phone.locator(".returned-parcel").first
    expect(card).to_contain_text("Annahme verweigert")
    expect(card).to_contain_text("SKU-1 × 2")
    _fits(phone)
    card.get_by_role("link", name="Bearbeiten").click()
    phone.get_by_label("Wieder einlagern SKU-1").fill("1")
    phone.get_by_label("Abschreiben SKU-1").fill("1")
    phone.get_by_role("button", name="Rücksendung abschließen").click()
    expect(phone.get_by_role("status")).to_contain_text("1 eingelagert, 1 abgeschrieben")
    _fits(phone)
    assert position(db, "SKU-1", berlin)["on_hand"] == on_hand + 1

    _agent_sees_it_on_the_order_page(browser, base_url, order_id)


def _agent_sees_it_on_the_order_page(browser: Browser, base_url: str, order_id: int) -> None:  # noqa: F811
    agent = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844}, locale="de-DE")
    try:
        page = agent.new_page()
        page.set_default_timeout(10_000)
        _sign_in(page, base_url, "customer_service")
        page.goto(f"{base_url}/orders/{order_id}")
        box = page.locator(".order-returned-parcels")
        expect(box).to_contain_text("An Absender zurück")
        expect(box).to_contain_text("Annahme verweigert")
        expect(box).to_contain_text("SKU-1: 1 eingelagert, 1 abgeschrieben")
        expect(page.locator(".timeline")).to_contain_text("Rücksendung bearbeitet")
        expect(page.locator(".timeline")).to_contain_text("Sendung an Absender zurück")
        _fits(page)
    finally:
        agent.close()
