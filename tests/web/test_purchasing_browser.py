"""Supply in a real browser: a purchase order created, sent and received in part — and the
order that waited for those units is allocated."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ordnung.core.db import Database
from tests.purchasing.supply import add_supplier
from tests.web.seed import STAFF_EMAIL, STAFF_PASSWORD, add_staff, seed_shop
from tests.web.test_browser import (  # noqa: F401 - fixtures shared with the other browser tests
    SCREENSHOT_DIRECTORY,
    base_url,
    browser,
    page,
)

pytestmark = pytest.mark.browser


def test_create_send_and_partly_receive_a_purchase_order_and_see_the_backorder_filled(
    db: Database,
    base_url: str,  # noqa: F811
    page: Page,  # noqa: F811
) -> None:
    orders = seed_shop(db)  # the marketplace order waits for 5 × SKU-2
    add_supplier(db)
    add_staff(db)
    page.goto(base_url + "/purchase-orders")
    page.get_by_label("E-Mail").fill(STAFF_EMAIL)
    page.get_by_label("Passwort").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    page.get_by_role("link", name="Neue Lieferantenbestellung").click()
    page.get_by_label("Ziel-Standort").select_option("ber")
    page.get_by_label("SKU 1", exact=True).fill("SKU-2")
    page.get_by_label("Menge 1", exact=True).fill("12")
    page.get_by_role("button", name="Entwurf anlegen").click()
    expect(page.get_by_role("status")).to_contain_text("wurde angelegt")
    expect(page.locator(".po-status")).to_have_text("Entwurf")

    page.get_by_role("button", name="An Lieferanten senden").click()
    expect(page.locator(".po-status")).to_have_text("Gesendet")

    page.get_by_label("#1 SKU-2 — 12 offen").fill("13")
    page.get_by_role("button", name="Wareneingang buchen").click()
    expect(page.get_by_role("alert")).to_contain_text("only 12 of 12 units of SKU-2")

    page.get_by_label("#1 SKU-2 — 12 offen").fill("6")
    page.get_by_role("button", name="Wareneingang buchen").click()
    expect(page.get_by_role("status")).to_contain_text("Wareneingang zu")
    expect(page.locator(".po-status")).to_have_text("Teilweise eingegangen")
    expect(page.get_by_label("#1 SKU-2 — 6 offen")).to_be_visible()
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-purchase-order.png"), full_page=True)

    page.goto(f"{base_url}/orders/{orders.backordered}")
    expect(page.locator("body")).to_contain_text("Zugeteilt")
