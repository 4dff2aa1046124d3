# ruff: noqa: F811  (the fixtures imported below are parameters of the tests)
"""Changing an order in a real browser (Chromium via Playwright, against uvicorn): an address
change, cancelling a line's unit, and replacing the unknown SKU of a held order."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ordnung.core.db import Database
from ordnung.orders.queries import get_order
from tests.web.seed import SeededOrders, add_staff, seed_shop

# The server, browser and page fixtures of the back office's browser tests.
from tests.web.test_browser import (  # noqa: F401
    SCREENSHOT_DIRECTORY,
    _sign_in,
    base_url,
    browser,
    page,
)

pytestmark = pytest.mark.browser


def _open_signed_in(page: Page, url: str) -> None:
    page.goto(url)
    _sign_in(page)
    expect(page).to_have_url(url)


def test_an_agent_changes_the_shipping_address_in_the_browser(
    db: Database,
    base_url: str,
    page: Page,
) -> None:
    orders: SeededOrders = seed_shop(db)
    add_staff(db)
    _open_signed_in(page, f"{base_url}/orders/{orders.allocated}")

    page.get_by_role("link", name="Lieferung ändern").click()
    page.get_by_label("Straße und Hausnummer").fill("Domplatz 1")
    page.get_by_label("PLZ").fill("50667")
    page.get_by_label("Grund").fill("Kundin ist umgezogen")
    page.get_by_role("button", name="Lieferung speichern").click()

    expect(page).to_have_url(f"{base_url}/orders/{orders.allocated}")
    expect(page.get_by_role("status")).to_have_text("Lieferung geändert.")
    expect(page.locator(".timeline")).to_contain_text("Lieferadresse geändert")
    expect(page.locator(".timeline")).to_contain_text("Domplatz 1, 50667 Köln")
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-address-changed.png"), full_page=True)
    assert get_order(db, orders.allocated)["shipping_address"]["street"] == "Domplatz 1"


def test_an_agent_cancels_a_unit_of_a_line_in_the_browser(
    db: Database,
    base_url: str,
    page: Page,
) -> None:
    orders: SeededOrders = seed_shop(db)
    add_staff(db)
    _open_signed_in(page, f"{base_url}/orders/{orders.allocated}")

    page.get_by_role("link", name="Position 1 ändern").click()
    page.get_by_label("Menge").fill("1")
    page.locator("form[action$='/cancel-units']").get_by_label("Grund").fill("Nur einer")
    page.get_by_role("button", name="Stornieren").click()

    expect(page.get_by_role("status")).to_have_text("1 Stück von Position 1 storniert.")
    expect(page.locator(".timeline")).to_contain_text("Positionsmenge storniert")
    expect(page.locator(".timeline")).to_contain_text("2 → 1 · Nur einer")
    line = get_order(db, orders.allocated)["lines"][0]
    assert (line["allocated"], line["cancelled"]) == (1, 1)


def test_replacing_the_unknown_sku_resolves_the_hold_in_the_browser(
    db: Database,
    base_url: str,
    page: Page,
) -> None:
    orders: SeededOrders = seed_shop(db)
    add_staff(db)
    _open_signed_in(page, f"{base_url}/orders/{orders.on_hold}")
    expect(page.locator(".crumbs .badge")).to_have_text("Gesperrt")

    page.get_by_role("link", name="Position 1 ändern").click()
    page.get_by_label("Neue Artikelnummer (SKU)").fill("SKU-1")
    page.locator("form[action$='/replace']").get_by_label("Grund").fill("Tippfehler im Shop")
    page.get_by_role("button", name="Ersetzen").click()

    expect(page.get_by_role("status")).to_have_text("Position 1 ist jetzt SKU-1.")
    expect(page.locator(".crumbs .badge")).not_to_have_text("Gesperrt")
    expect(page.locator(".timeline")).to_contain_text("NOPE-1 → SKU-1")
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-sku-replaced.png"), full_page=True)
    assert get_order(db, orders.on_hold)["status"] == "allocated"
