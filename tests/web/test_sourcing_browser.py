"""Sourcing rules in a real browser: draft a version in the editor, simulate it, activate
it, and read the decision it makes on the order page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ordnung.core.db import Database
from tests.web.seed import STAFF_EMAIL, STAFF_PASSWORD, add_staff, place, seed_shop
from tests.web.test_browser import (  # noqa: F401 - fixtures shared with the other browser tests
    SCREENSHOT_DIRECTORY,
    base_url,
    browser,
    page,
)

pytestmark = pytest.mark.browser


def test_staff_draft_simulate_and_activate_rules_and_see_the_decision_on_the_order(
    db: Database,
    base_url: str,  # noqa: F811
    page: Page,  # noqa: F811
) -> None:
    seed_shop(db)
    add_staff(db)
    page.goto(base_url + "/channels")
    page.get_by_label("E-Mail").fill(STAFF_EMAIL)
    page.get_by_label("Passwort").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto(base_url + "/channels")
    page.get_by_role("row", name="webshop").get_by_role("link", name="Sourcing-Regeln").click()

    page.get_by_label("Strategie").select_option("fewest_shipments")
    page.get_by_label("Aufteilung").select_option("ship_complete")
    page.get_by_label("Fähigkeit nötig").select_option("dropship")
    page.get_by_role("button", name="Als Entwurf speichern").click()
    expect(page.get_by_text("Entwurf 1 gespeichert.")).to_be_visible()
    row = page.locator("table.sourcing-versions tbody tr").first
    expect(row).to_contain_text("Entwurf")
    expect(row).to_contain_text("Wenigste Sendungen")

    row.get_by_role("link", name="Simulieren").click()
    candidate = page.locator('tr[data-side="candidate"]')
    expect(candidate.locator('td[data-label="Nicht erfüllbar"]')).not_to_have_text("0")
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-sourcing-simulation.png"))
    page.go_back()

    page.locator("table.sourcing-versions tbody tr").first.get_by_role(
        "button", name="Aktivieren"
    ).click()
    expect(page.get_by_text("Version 1 ist jetzt aktiv.")).to_be_visible()

    order_id = place(db, "EXT-DROP", ("ida@example.de", "Ida", "Kraus"), [("SKU-1", 1)])
    page.goto(base_url + f"/orders/{order_id}")
    decision = page.locator("section.sourcing-decision")
    expect(decision).to_contain_text("Nicht erfüllbar")
    expect(decision).to_contain_text("Ausgeschlossen durch Fähigkeit nötig (dropship)")
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-sourcing-decision.png"))
    page.get_by_role("link", name="Nicht erfüllbar").click()
    expect(page.locator("table.unfulfillable")).to_contain_text("Fähigkeit nötig")
