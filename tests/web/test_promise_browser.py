"""The availability page in a real browser: ask for SKUs, read the figures and why."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.promising.service import SellScopeChange, replace_channel_sell_scope
from tests.promising.shop import seed_network
from tests.web.seed import STAFF_EMAIL, STAFF_PASSWORD, add_staff
from tests.web.test_browser import (  # noqa: F401 - fixtures shared with the other browser tests
    SCREENSHOT_DIRECTORY,
    base_url,
    browser,
    page,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def wednesday() -> Iterator[None]:
    previous = clock.use_clock(clock.FixedClock(datetime(2026, 6, 3, 8, 0, tzinfo=UTC)))
    yield
    clock.use_clock(previous)


def test_staff_see_what_a_channel_may_sell_and_why(
    db: Database,
    wednesday: None,
    base_url: str,  # noqa: F811
    page: Page,  # noqa: F811
) -> None:
    seed_network(db)
    replace_channel_sell_scope(db, "web", SellScopeChange((), 2, True), actor="test")
    add_staff(db)
    page.goto(base_url + "/availability")
    page.get_by_label("E-Mail").fill(STAFF_EMAIL)
    page.get_by_label("Passwort").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto(base_url + "/availability")
    page.get_by_label("SKUs (durch Komma getrennt)").fill("TEE-1, MUG-1")
    page.get_by_label("Kanal").select_option("web")
    page.get_by_label("PLZ des Kunden").fill("80331")
    page.get_by_role("button", name="Prüfen").click()

    rows = page.locator("table.availability tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("TEE-1")
    expect(rows.first.locator("td").nth(2)).to_have_text("8")
    expect(rows.first).to_contain_text("2026-06-04")
    why = page.get_by_role("region", name="Warum: TEE-1")
    expect(why.locator('[data-reason="held.safety_stock"]')).to_have_text(
        "Zurückgehalten als Sicherheitsbestand: 4 Stück an 2 Standorten."
    )
    expect(why.locator('[data-reason="held.store_buffer"]')).to_contain_text("Puffer 2 je Filiale")
    expect(why.locator('[data-reason="promise.from_stock"]')).to_contain_text("store-muc")
    why.get_by_text("Je Standort (3)").click()
    expect(why.locator("details table")).to_contain_text("versendet nicht")
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-availability.png"), full_page=True)

    page.get_by_label("PLZ des Kunden").fill("123")
    page.get_by_role("button", name="Prüfen").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Eine deutsche Postleitzahl hat fünf Ziffern, z. B. 50667."
    )
