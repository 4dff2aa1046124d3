"""In a real browser on a phone (390 px): a store clerk makes a click & collect order ready
and hands it over at the counter with the customer's code — a wrong code first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from ordnung.core.db import Database
from ordnung.fulfillment import pickup
from tests.factories import position, put_stock, standard_setup
from tests.web import test_browser as browser_fixtures
from tests.web.accounts import PASSWORD, add_account, email_of
from tests.web.test_pickup_pages import place_collected

pytestmark = pytest.mark.browser

base_url = browser_fixtures.base_url
browser = browser_fixtures.browser


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px)"


def test_a_store_clerk_hands_over_an_order_with_its_code_on_a_phone(
    db: Database, base_url: str, phone: Page
) -> None:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["C"], 4)
    fo_id = place_collected(db, "C", quantity=2)
    add_account(db, "warehouse", "C")

    phone.goto(base_url + "/pickup")
    phone.get_by_label("E-Mail").fill(email_of("warehouse"))
    phone.get_by_label("Passwort").fill(PASSWORD)
    phone.get_by_role("button", name="Anmelden").click()
    phone.goto(base_url + "/pickup")
    expect(phone.get_by_role("heading", name="Abholung im Laden")).to_be_visible()
    _fits(phone)

    phone.get_by_role("button", name="Abholbereit melden").click()
    expect(phone.get_by_role("status")).to_contain_text("abholbereit")
    code = pickup.pickup_of(db, fo_id)["code"]  # type: ignore[index]
    _fits(phone)

    field = phone.locator(f'tr[data-fulfillment-order="{fo_id}"] input[name="code"]')
    field.fill("AAAA-AAAA" if code != "AAAAAAAA" else "CCCC-CCCC")
    phone.get_by_role("button", name="Übergeben").click()
    expect(phone.get_by_role("alert")).to_contain_text("nicht der Abholcode")
    assert position(db, "SKU-1", ids["C"])["on_hand"] == 4

    field.fill(f"{code[:4].lower()}-{code[4:].lower()}")  # as typed, or from a scanner
    phone.get_by_role("button", name="Übergeben").click()
    expect(phone.get_by_role("status")).to_contain_text(f"#{fo_id} wurde übergeben")
    expect(phone.get_by_text("Keine abholbereiten Bestellungen.")).to_be_visible()
    _fits(phone)
    stock = position(db, "SKU-1", ids["C"])
    assert (stock["on_hand"], stock["reserved"]) == (2, 0)

    phone.goto(base_url + f"/fulfillment/{fo_id}")
    expect(phone.locator(".pickup-code")).to_have_text(f"{code[:4]}-{code[4:]}")
    expect(phone.locator("img.pickup-qr")).to_be_visible()
    _fits(phone)
