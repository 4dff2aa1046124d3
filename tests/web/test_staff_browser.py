"""In a real browser (Debian's Chromium): a location-bound warehouse worker, API keys, webhook
subscriptions and the first start — at phone width where a person would use it so."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.orders.queries import get_order
from ordnung.worker import run_once
from tests.automation import conftest as automation_fixtures
from tests.automation.conftest import Receiver
from tests.web import test_browser as browser_fixtures
from tests.web.accounts import PASSWORD, add_account, email_of
from tests.web.seed import seed_shop

pytestmark = pytest.mark.browser

base_url = browser_fixtures.base_url
browser = browser_fixtures.browser
receiver = automation_fixtures.receiver
SCREENSHOTS = browser_fixtures.SCREENSHOT_DIRECTORY
PHONE_WIDTH = 390


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, locale="de-DE", device_scale_factor=1
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def desk(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


def _fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide"


def test_a_warehouse_worker_made_by_an_admin_sees_and_ships_only_their_location_s_work(
    db: Database, base_url: str, desk: Page, phone: Page
) -> None:
    shop = seed_shop(db)
    add_account(db, "admin")
    desk.goto(base_url + "/users/new")
    _sign_in(desk, email_of("admin"))
    desk.get_by_label("E-Mail").fill("lena@example.de")
    desk.get_by_label("Name").fill("Lena Lager")
    desk.locator('select[name="role"]').select_option("warehouse")
    desk.locator('select[name="location"]').select_option("ber")
    desk.get_by_label("Passwort selbst vergeben").check()
    desk.get_by_label("Erstes Passwort").fill("lenas-langes-passwort")
    desk.get_by_role("button", name="Benutzer anlegen").click()
    expect(desk.get_by_role("status")).to_have_text("Lena Lager wurde angelegt.")

    berlin = get_order(db, shop.allocated)["fulfillment_orders"][0]["id"]
    hamburg = get_order(db, shop.shipped)["fulfillment_orders"][0]["id"]
    phone.goto(base_url + "/")
    _sign_in(phone, "lena@example.de", "lenas-langes-passwort")
    expect(phone).to_have_url(base_url + "/fulfillment")
    rows = phone.locator("table.work tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(f"#{berlin}")
    expect(phone.locator("nav").first).not_to_contain_text("Bestellungen")
    _fits_the_screen(phone)
    phone.screenshot(path=str(SCREENSHOTS / "ordnung-warehouse-list.png"), full_page=True)

    rows.get_by_role("link", name=f"#{berlin}").click()
    expect(phone.locator(".content")).to_contain_text("Kaffeebecher")
    phone.get_by_role("button", name="Annehmen").click()
    expect(phone.get_by_role("status")).to_contain_text("wurde angenommen")
    phone.get_by_label("Versender").select_option("dhl")
    phone.get_by_label("Sendungsnummer").fill("JJD0001234567")
    phone.get_by_role("button", name="Versenden").click()
    expect(phone.get_by_role("status")).to_contain_text("Sendungsnummer JJD0001234567")
    _fits_the_screen(phone)
    phone.screenshot(path=str(SCREENSHOTS / "ordnung-warehouse-shipped.png"), full_page=True)

    for path in (f"/orders/{shop.shipped}", f"/fulfillment/{hamburg}"):
        response = phone.goto(base_url + path)
        assert response is not None and response.status == 404, path
        expect(phone.locator("h1")).to_have_text("Nicht gefunden")


def test_an_api_key_token_is_shown_once_and_the_key_can_be_revoked(
    db: Database, base_url: str, phone: Page
) -> None:
    add_account(db, "admin")
    phone.goto(base_url + "/api-keys")
    _sign_in(phone, email_of("admin"))
    phone.get_by_label("Name").fill("shop-sync")
    phone.get_by_label("orders:read").check()
    phone.get_by_label("orders:write").check()
    phone.get_by_role("button", name="Schlüssel erzeugen").click()
    token = phone.locator("#new-token")
    expect(token).to_contain_text("ord_")
    _fits_the_screen(phone)
    phone.screenshot(path=str(SCREENSHOTS / "ordnung-api-key-created.png"), full_page=True)

    phone.reload()
    expect(phone.locator("#new-token")).to_have_count(0)
    row = phone.locator("table.api-keys tbody tr", has_text="shop-sync")
    expect(row).to_contain_text("orders:write")
    row.get_by_role("button", name="Widerrufen").click()
    expect(phone.get_by_role("status")).to_contain_text("widerrufen")
    expect(row.locator(".badge")).to_have_text("Widerrufen")


def test_a_webhook_subscription_made_in_the_browser_logs_its_deliveries(
    db: Database, base_url: str, settings: Settings, phone: Page, receiver: Receiver
) -> None:
    add_account(db, "admin")
    phone.goto(base_url + "/webhooks")
    _sign_in(phone, email_of("admin"))
    phone.get_by_label("URL").fill(receiver.url + "/ordnung")
    phone.get_by_label("Bestellung eingegangen").check()
    phone.get_by_label("Beschreibung").fill("Warenwirtschaft")
    phone.get_by_role("button", name="Abonnieren").click()
    expect(phone.locator("#signing-secret")).to_contain_text("whsec_")
    expect(phone.get_by_text("Noch keine Zustellungen.")).to_be_visible()

    seed_shop(db)
    run_once(db, settings)
    phone.reload()
    deliveries = phone.locator("table.deliveries tbody tr")
    expect(deliveries).to_have_count(4)
    expect(deliveries.first).to_contain_text("Zugestellt")
    expect(deliveries.first).to_contain_text("HTTP 204")
    expect(phone.locator("#signing-secret")).to_have_count(0)
    assert len(receiver.requests) == 4
    _fits_the_screen(phone)
    phone.screenshot(path=str(SCREENSHOTS / "ordnung-webhook-log.png"), full_page=True)


def test_the_first_start_in_the_browser_sets_up_an_empty_installation(
    db: Database, base_url: str, phone: Page
) -> None:
    phone.goto(base_url + "/")
    expect(phone).to_have_url(base_url + "/setup")
    expect(phone.locator("h1")).to_have_text("Ordnung einrichten")
    _fits_the_screen(phone)
    phone.screenshot(path=str(SCREENSHOTS / "ordnung-setup.png"), full_page=True)
    fields = {
        "admin_name": "Ada Admin",
        "admin_email": "ada@example.de",
        "password": PASSWORD,
        "password_repeated": PASSWORD,
        "channel_code": "onlineshop",
        "channel_name": "Online-Shop",
        "location_code": "lager-nord",
        "location_name": "Lager Nord",
        "street": "Hafenstraße 1",
        "postal_code": "20457",
        "city": "Hamburg",
    }
    for name, value in fields.items():
        phone.locator(f'input[name="{name}"]').fill(value)
    phone.get_by_role("button", name="Einrichten").click()
    expect(phone).to_have_url(base_url + "/orders")
    expect(phone.get_by_role("status")).to_have_text("Ordnung ist eingerichtet. Willkommen!")
    _fits_the_screen(phone)
    response = phone.goto(base_url + "/setup")
    assert response is not None and response.status == 404
