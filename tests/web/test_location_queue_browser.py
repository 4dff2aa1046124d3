"""A warehouse worker works their queue on a 390 px phone: SLA badge, accept, reject with a
reason — no sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.orders.queries import get_order
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


def _status(db: Database, order_id: int, fo_id: int) -> str:
    fos = get_order(db, order_id)["fulfillment_orders"]
    return str(next(fo["status"] for fo in fos if fo["id"] == fo_id))


def test_a_worker_accepts_and_rejects_from_the_queue_on_a_phone(
    db: Database,
    base_url: str,  # noqa: F811
    phone: Page,
) -> None:
    orders = seed_shop(db)
    later = place(db, "EXT-LATER", ("ida@example.de", "Ida", "Kurz"), [("SKU-1", 1)])
    add_account(db, "warehouse", "ber")
    first = get_order(db, orders.allocated)["fulfillment_orders"][0]
    second = get_order(db, later)["fulfillment_orders"][0]
    promised = date.fromisoformat(get_order(db, orders.allocated)["lines"][0]["promised_ship_on"])
    # The day after the promise, at the location: the work is late.
    previous = clock.use_clock(
        clock.FixedClock(datetime.combine(promised + timedelta(days=1), datetime.min.time(), UTC))
    )
    try:
        phone.goto(f"{base_url}/queue")
        phone.get_by_label("E-Mail").fill(email_of("warehouse"))
        phone.get_by_label("Passwort").fill(PASSWORD)
        phone.get_by_role("button", name="Anmelden").click()
        phone.goto(f"{base_url}/queue")
        expect(phone).to_have_url(f"{base_url}/queue/ber")
        card = phone.locator(f'[data-fo="{first["id"]}"]')
        expect(card.locator(".sla-badge")).to_have_text("Überfällig")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH

        card.get_by_role("button", name="Annehmen").click()
        expect(phone.get_by_role("status")).to_contain_text(f"#{first['id']} angenommen")
        assert _status(db, orders.allocated, first["id"]) == "accepted"

        other = phone.locator(f'[data-fo="{second["id"]}"]')
        other.get_by_text("Ablehnen").first.click()  # opens the reason form
        other.get_by_label("Grund der Ablehnung").fill("Palette beschädigt")
        other.get_by_role("button", name="Ablehnen").click()
        expect(phone.get_by_role("status")).to_contain_text("Palette beschädigt")
        assert _status(db, later, second["id"]) == "rejected"
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    finally:
        clock.use_clock(previous)
