"""In a real browser: a warehouse worker starts picking, an agent cancels the order and sees
the request, the worker declines it; a short pick reported on the work screen shows its marker
on the order page until the agent acknowledges it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from ordnung.core.db import Database
from ordnung.orders.queries import get_order
from tests.web import test_browser as browser_fixtures
from tests.web.accounts import PASSWORD, add_account, email_of
from tests.web.seed import seed_shop

pytestmark = pytest.mark.browser

base_url = browser_fixtures.base_url
browser = browser_fixtures.browser


def _tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def warehouse(browser: Browser) -> Iterator[Page]:
    yield from _tab(browser)


@pytest.fixture
def agent(browser: Browser) -> Iterator[Page]:
    yield from _tab(browser)


def _sign_in(page: Page, email: str) -> None:
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_a_cancel_while_picking_is_a_request_the_warehouse_declines(
    db: Database, base_url: str, warehouse: Page, agent: Page
) -> None:
    shop = seed_shop(db)
    add_account(db, "warehouse", "ber")
    add_account(db, "customer_service")
    fo_id = get_order(db, shop.allocated)["fulfillment_orders"][0]["id"]

    warehouse.goto(base_url + f"/fulfillment/{fo_id}")
    _sign_in(warehouse, email_of("warehouse"))
    warehouse.get_by_role("button", name="Annehmen").click()
    warehouse.get_by_role("button", name="Kommissionierung beginnen").click()
    expect(warehouse.get_by_role("status")).to_contain_text("Kommissionierung")

    agent.goto(base_url + f"/orders/{shop.allocated}")
    _sign_in(agent, email_of("customer_service"))
    agent.get_by_label("Anmerkung zum Storno").fill("Kunde hat doppelt bestellt")
    agent.get_by_role("button", name="Stornieren").click()
    expect(agent.get_by_role("status")).to_contain_text("um Stornierung gebeten")
    expect(agent.locator(".order-exceptions")).to_contain_text("Stornierung angefragt")
    expect(agent.locator(".order-exceptions")).to_contain_text("Kunde hat doppelt bestellt")

    warehouse.goto(base_url + "/fulfillment")
    expect(warehouse.locator("table.work tbody tr", has_text=f"#{fo_id}")).to_contain_text(
        "Stornierung angefragt"
    )
    warehouse.goto(base_url + f"/fulfillment/{fo_id}")
    expect(warehouse.locator(".cancellation-request")).to_contain_text("doppelt bestellt")
    warehouse.get_by_label("Warum nicht? (Pflicht)").fill("Paket ist schon verklebt")
    warehouse.get_by_role("button", name="Stornierung ablehnen").click()
    expect(warehouse.get_by_role("status")).to_contain_text("abgelehnt")

    agent.reload()
    row = agent.locator(".cancellation-request-row")
    expect(row).to_contain_text("abgelehnt")
    expect(row).to_contain_text("Paket ist schon verklebt")
    expect(agent.locator(".timeline")).to_contain_text("Standort hat die Stornierung abgelehnt")


def test_a_short_pick_reported_in_the_browser_marks_the_order_until_acknowledged(
    db: Database, base_url: str, warehouse: Page, agent: Page
) -> None:
    shop = seed_shop(db)
    add_account(db, "warehouse", "ber")
    add_account(db, "customer_service")
    order = get_order(db, shop.allocated)
    fo = order["fulfillment_orders"][0]

    warehouse.goto(base_url + f"/fulfillment/{fo['id']}")
    _sign_in(warehouse, email_of("warehouse"))
    warehouse.get_by_role("button", name="Annehmen").click()
    warehouse.get_by_text("Fehlmenge melden …").click()
    warehouse.get_by_label("Fehlende Stück für SKU-1").fill("1")
    warehouse.get_by_label("Notiz").fill("Fach leer")
    warehouse.get_by_role("button", name="Fehlmenge melden").click()
    expect(warehouse.get_by_role("status")).to_contain_text("Fehlmenge")

    agent.goto(base_url + "/orders")
    _sign_in(agent, email_of("customer_service"))
    row = agent.locator("tr", has_text=order["number"])
    expect(row).to_contain_text("Fehlmenge gemeldet")
    agent.goto(base_url + f"/orders/{shop.allocated}")
    marker = agent.locator(".short-pick-row")
    expect(marker).to_contain_text("SKU-1")
    expect(marker).to_contain_text("Fehlmenge gemeldet")
    expect(marker).to_contain_text("Fach leer")
    agent.get_by_role("button", name="Zur Kenntnis genommen").click()
    expect(agent.get_by_role("status")).to_contain_text("zur Kenntnis genommen")
    expect(agent.locator(".short-pick-row")).not_to_contain_text("Fehlmenge gemeldet")
    agent.goto(base_url + "/orders")
    expect(agent.locator("tr", has_text=order["number"])).not_to_contain_text("Fehlmenge")
