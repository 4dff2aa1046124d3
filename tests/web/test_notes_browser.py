"""In a real browser: an agent tags an order and comments on it, then finds it again by a
part of its number and by the ASCII spelling of the customer's name."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ordnung.core.db import Database
from ordnung.orders.queries import get_order
from tests.web.seed import STAFF_EMAIL, SeededOrders, add_staff, seed_shop
from tests.web.test_browser import _sign_in, base_url, browser, page  # noqa: F401

pytestmark = pytest.mark.browser


def _rows(page: Page) -> list[str]:  # noqa: F811 - `page` is the fixture
    return page.locator("table.orders tbody tr td:first-child a").all_inner_texts()


def test_an_agent_tags_and_comments_an_order_then_finds_it_by_number_part_and_ascii_name(
    db: Database,
    base_url: str,  # noqa: F811
    page: Page,  # noqa: F811
) -> None:
    orders: SeededOrders = seed_shop(db)
    add_staff(db)
    number = get_order(db, orders.backordered)["number"]  # Max Müller's order

    page.goto(f"{base_url}/orders/{orders.backordered}")
    _sign_in(page)
    expect(page).to_have_url(f"{base_url}/orders/{orders.backordered}")
    page.get_by_label("Neue Markierung").fill(" VIP ")
    page.get_by_role("button", name="Markieren").click()
    expect(page.get_by_role("status")).to_contain_text("Markierung vip gesetzt.")
    expect(page.locator("ul.tags")).to_contain_text("vip")
    page.get_by_label("Kommentar", exact=True).fill("Kunde ruft morgen zurück.")
    page.get_by_role("button", name="Kommentar speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Kommentar gespeichert.")
    newest = page.locator(".timeline li").first
    expect(newest).to_contain_text("Kunde ruft morgen zurück.")
    expect(newest).to_contain_text(STAFF_EMAIL)

    page.goto(f"{base_url}/orders")
    page.get_by_label("Suche").fill(number[-4:])  # `0003` of ORD-000003
    page.get_by_label("Suche").press("Enter")
    expect(page.locator("table.orders tbody tr td:first-child a")).to_have_text([number])

    page.get_by_label("Suche").fill("mueller")
    page.get_by_label("Suche").press("Enter")
    expect(page.locator("table.orders tbody tr td:first-child a")).to_have_text([number])
    expect(page.locator("table.orders")).to_contain_text("Max Müller")

    page.get_by_role("link", name="Zurücksetzen").click()
    page.get_by_label("Markierung").fill("vip")
    page.get_by_role("button", name="Filtern").click()
    expect(page.locator("table.orders tbody tr td:first-child a")).to_have_text([number])
    assert _rows(page) == [number]
