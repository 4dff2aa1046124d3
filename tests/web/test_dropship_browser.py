"""Drop-ship in a real browser, on a 390 px wide phone: the purchase order list shows the
drop-ship order with the customer's ship-to and its order; the order page links to it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from ordnung.automation.dispatch import dispatch_events
from ordnung.core.db import Database
from ordnung.purchasing.model import SuppliedProduct
from tests.factories import add_location, put_stock
from tests.purchasing.supply import add_supplier
from tests.web.seed import STAFF_EMAIL, STAFF_PASSWORD, add_staff, place, seed_shop
from tests.web.test_browser import (  # noqa: F401 - fixtures shared with the other browser tests
    SCREENSHOT_DIRECTORY,
    base_url,
    browser,
)

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:  # noqa: F811 - the imported fixture
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, locale="de-DE", is_mobile=True
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _fits_the_phone(tab: Page) -> bool:
    return bool(tab.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_drop_ship_purchase_order_shows_its_ship_to_and_order_on_a_phone(
    db: Database,
    base_url: str,  # noqa: F811
    phone: Page,
) -> None:
    seed_shop(db)
    supplier_location = add_location(db, "moebel-direkt", 5, ("dropship",))
    put_stock(db, "SKU-2", supplier_location, 10)
    add_supplier(
        db,
        "moebel-direkt",
        name="Möbel Direkt GmbH",
        products=(SuppliedProduct("SKU-2", "MD-2", Decimal("12.40")),),
        dropship_location="moebel-direkt",
    )
    order_id = place(db, "EXT-DS", ("sabine@example.de", "Sabine", "Vogel"), [("SKU-2", 2)])
    while dispatch_events(db):
        pass
    add_staff(db)

    phone.goto(base_url + "/purchase-orders")
    phone.get_by_label("E-Mail").fill(STAFF_EMAIL)
    phone.get_by_label("Passwort").fill(STAFF_PASSWORD)
    phone.get_by_role("button", name="Anmelden").click()
    phone.get_by_label("Art").select_option("dropship")
    phone.get_by_role("button", name="Filtern").click()
    row = phone.locator("table.purchase-orders tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Streckengeschäft")
    expect(row).to_contain_text("Sabine Vogel, 51147 Köln (DE)")
    expect(row).to_contain_text("Möbel Direkt GmbH")
    assert _fits_the_phone(phone)
    phone.screenshot(
        path=str(SCREENSHOT_DIRECTORY / "ordnung-dropship-list-phone.png"), full_page=True
    )

    row.get_by_role("link", name="PO-").click()
    expect(phone.locator(".po-status")).to_have_text("Gesendet")
    expect(phone.locator("address.ship-to")).to_contain_text("Heidestraße 17")
    expect(phone.locator("address.ship-to")).to_contain_text("sabine@example.de")
    # Nothing of a drop-ship order is received into stock: no goods receipt form.
    expect(phone.get_by_role("button", name="Wareneingang buchen")).to_have_count(0)
    assert _fits_the_phone(phone)
    phone.screenshot(
        path=str(SCREENSHOT_DIRECTORY / "ordnung-dropship-order-phone.png"), full_page=True
    )

    phone.locator(".panel").get_by_role("link", name="ORD-").click()
    expect(phone).to_have_url(f"{base_url}/orders/{order_id}")
    expect(phone.locator(".dropship-link")).to_contain_text("Gesendet")
