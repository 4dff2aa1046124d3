"""The hold queue in a real browser: bulk release of several held orders, and the page on a
390 px wide phone without sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from ordnung.core.db import Database
from ordnung.orders.queries import get_order
from tests.web.seed import add_staff, seed_shop
from tests.web.test_browser import _sign_in, base_url, browser  # noqa: F401 (fixtures)
from tests.web.test_hold_queue_pages import place_held

pytestmark = pytest.mark.browser
PHONE_WIDTH = 390


@pytest.fixture
def held(db: Database) -> list[int]:
    seed_shop(db)
    add_staff(db)
    return [
        place_held(db, totals={"total": "54.93"}),
        place_held(db, customer={"email": "zwei@example.de"}, totals={"total": "1.00"}),
    ]


@pytest.fixture
def desk(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def test_an_agent_releases_two_held_orders_at_once(
    db: Database,
    base_url: str,  # noqa: F811
    desk: Page,
    held: list[int],
) -> None:
    desk.goto(f"{base_url}/holds")
    _sign_in(desk)
    desk.goto(f"{base_url}/holds?reason=totals_mismatch")
    expect(desk.get_by_text("Summe laut Kanal 54,93 €, berechnet 24,89 €")).to_be_visible()
    for order_id in held:
        number = get_order(db, order_id)["number"]
        desk.get_by_label(f"von {number} auswählen").check()
    desk.get_by_label("Notiz (Pflicht)").fill("Summen mit dem Shop abgeglichen")
    desk.get_by_role("button", name="Ausgewählte freigeben").click()
    expect(desk.get_by_role("heading", name="Ergebnis")).to_be_visible()
    expect(desk.locator("tr.outcome-done")).to_have_count(2)
    assert [get_order(db, order_id)["status"] for order_id in held] == ["allocated"] * 2
    desk.get_by_role("link", name="Zurück zu den Sperren").click()
    expect(desk.get_by_text("Summe laut Kanal 54,93 €")).to_have_count(0)


def test_the_hold_queue_fits_a_phone_without_sideways_scrolling(
    browser: Browser,  # noqa: F811
    base_url: str,  # noqa: F811
    held: list[int],
) -> None:
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, locale="de-DE", is_mobile=True
    )
    phone = context.new_page()
    phone.goto(f"{base_url}/holds")
    _sign_in(phone)
    phone.goto(f"{base_url}/holds")
    expect(phone.get_by_role("button", name="Ausgewählte freigeben")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    context.close()
