"""End to end in a real browser: Debian's Chromium driven by Playwright against uvicorn."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from ordnung.api import create_app
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.orchestration.intake import place_order
from ordnung.orders.draft import Address, NewOrder, NewOrderLine
from tests.web.seed import STAFF_EMAIL, STAFF_PASSWORD, SeededOrders, add_staff, seed_shop

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIRECTORY = Path(os.environ.get("ORDNUNG_SCREENSHOT_DIR", "/tmp"))

pytestmark = pytest.mark.browser


@pytest.fixture
def base_url(db: Database, settings: Settings) -> Iterator[str]:
    """The whole app served by uvicorn on a free port of its own, in a background thread."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(create_app(settings, db), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start within 15 s"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing; the browser tests need Debian's Chromium: "
            "run `apt-get install chromium` (as root) and try again."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="de-DE")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _order_rows(page: Page) -> list[str]:
    return page.locator("table.orders tbody tr td:first-child a").all_inner_texts()


def _sign_in(page: Page, password: str = STAFF_PASSWORD) -> None:
    page.get_by_label("E-Mail").fill(STAFF_EMAIL)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


def test_an_agent_signs_in_filters_searches_opens_an_order_and_switches_to_english(
    db: Database, base_url: str, page: Page
) -> None:
    orders: SeededOrders = seed_shop(db)
    add_staff(db)

    page.goto(base_url + "/orders")
    expect(page).to_have_url(base_url + "/login?next=%2Forders")
    _sign_in(page, password="falsch-und-lang")
    expect(page.get_by_role("alert")).to_have_text("E-Mail oder Passwort ist falsch.")
    _sign_in(page)
    expect(page).to_have_url(base_url + "/orders")
    expect(page.locator("h1")).to_have_text("Bestellungen")
    assert len(_order_rows(page)) == 4
    # On a desk the list stays a table (it turns into cards only on phones), figures right.
    first_row = page.locator("table.orders tbody tr").first
    expect(page.locator("table.orders thead")).to_be_visible()
    expect(first_row.locator("td").first).to_have_css("display", "table-cell")
    expect(first_row.locator("td.num").last).to_have_css("text-align", "right")
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-orders.png"), full_page=True)

    page.get_by_label("Status").select_option("on_hold")
    page.get_by_role("button", name="Filtern").click()
    expect(page.locator("table.orders tbody tr")).to_have_count(1)
    expect(page.locator("table.orders")).to_contain_text("Gesperrt")
    expect(page.locator("table.orders")).to_contain_text("Lena Schmidt")

    page.get_by_role("link", name="Zurücksetzen").click()
    page.get_by_label("Suche").fill("Mustermann")
    page.get_by_label("Suche").press("Enter")
    expect(page.locator("table.orders tbody tr")).to_have_count(1)
    page.locator("table.orders tbody tr td:first-child a").click()
    expect(page).to_have_url(f"{base_url}/orders/{orders.allocated}")
    expect(page.locator("table.lines")).to_contain_text("Kaffeebecher")
    expect(page.locator(".timeline")).to_contain_text("Bestellung eingegangen")
    expect(page.locator(".content")).to_contain_text("44,88 €")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{base_url}/orders/{orders.allocated}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Fulfilment orders")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Order received")
    expect(page.locator(".content")).to_contain_text("€44.88")
    expect(page.get_by_role("link", name="Orders", exact=True)).to_be_visible()
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-order-en.png"), full_page=True)


def test_the_stock_page_and_sign_out_work_in_the_browser(
    db: Database, base_url: str, page: Page
) -> None:
    seed_shop(db)
    add_staff(db)
    page.goto(base_url + "/stock")
    _sign_in(page)
    expect(page).to_have_url(base_url + "/stock")
    expect(page.locator("table.stock tbody tr")).to_have_count(3)
    # The stylesheet came from the app: the sidebar is painted navy.
    sidebar_colour = page.locator(".sidebar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert sidebar_colour == "rgb(31, 58, 95)"
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-stock.png"), full_page=True)
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("status")).to_have_text("Sie wurden abgemeldet.")
    page.goto(base_url + "/orders")
    expect(page).to_have_url(base_url + "/login?next=%2Forders")


def test_staff_ship_a_fulfilment_order_and_cancel_another_order_from_the_order_page(
    db: Database, base_url: str, page: Page
) -> None:
    orders: SeededOrders = seed_shop(db)
    add_staff(db)
    page.goto(f"{base_url}/orders/{orders.allocated}")
    _sign_in(page)
    expect(page).to_have_url(f"{base_url}/orders/{orders.allocated}")
    fulfilment = page.locator("article.fo")
    expect(fulfilment.locator(".badge")).to_have_text("Freigegeben")
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-order-actions.png"), full_page=True)

    fulfilment.get_by_label("Versender").select_option("dhl")
    fulfilment.get_by_label("Sendungsnummer").fill("00340434161094042558")
    fulfilment.get_by_role("button", name="Versenden").click()
    expect(page).to_have_url(f"{base_url}/orders/{orders.allocated}")
    expect(page.get_by_role("status")).to_contain_text("wurde versandt")
    expect(fulfilment.locator(".badge")).to_have_text("Versandt")
    expect(page.locator(".crumbs .badge")).to_have_text("Versandt")
    expect(page.locator("table.data").last).to_contain_text("00340434161094042558")
    expect(page.get_by_role("button", name="Stornieren")).to_have_count(0)

    page.get_by_role("link", name="English").click()
    expect(fulfilment.locator(".badge")).to_have_text("Shipped")

    page.goto(f"{base_url}/orders/{orders.on_hold}")
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-order-hold-en.png"), full_page=True)
    page.get_by_label("Note on the cancellation").fill("Customer asked by phone")
    page.get_by_role("button", name="Cancel order").click()
    expect(page.get_by_role("status")).to_have_text("The order has been cancelled.")
    expect(page.locator(".crumbs .badge")).to_have_text("Cancelled")
    expect(page.locator(".timeline")).to_contain_text("Order cancelled")
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-order-cancelled.png"), full_page=True)


def test_an_order_page_on_a_phone_shows_requested_and_promised_dates_and_flags_a_late_line(
    db: Database, base_url: str, browser: Browser
) -> None:
    seed_shop(db)
    add_staff(db)
    today = clock.now().date()
    later = today + timedelta(days=60)
    address = Address("Erika", "Mustermann", "Heidestraße 17", "51147", "Köln", "DE")
    order = NewOrder(
        channel="webshop",
        external_id="EXT-DATES",
        currency="EUR",
        email="erika@example.de",
        first_name="Erika",
        last_name="Mustermann",
        billing_address=address,
        shipping_address=address,
        lines=(
            # Today cannot be met (nothing ships and arrives the same day): flagged.
            NewOrderLine("SKU-1", 1, Decimal("19.99"), Decimal(19), requested_delivery_on=today),
            NewOrderLine("SKU-1", 1, Decimal("19.99"), Decimal(19)),
        ),
        requested_delivery_on=later,  # the order's date, for the line without one
    )
    order_id = place_order(db, order, actor="api_key:shop-sync").order["id"]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="de-DE", is_mobile=True
    )
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    phone.goto(f"{base_url}/orders/{order_id}")
    _sign_in(phone)
    phone.goto(f"{base_url}/orders/{order_id}")

    late, in_time = phone.locator("#line-1"), phone.locator("#line-2")
    expect(late).to_have_class(re.compile(r"\bpromise-late\b"))
    expect(late.locator("td.line-requested")).to_have_text(today.strftime("%d.%m.%Y"))
    expect(late.locator("td.line-promised-delivery")).to_contain_text("später als gewünscht")
    expect(late.locator("td.line-promised-ship")).not_to_have_text("–")
    expect(in_time).not_to_have_class(re.compile(r"\bpromise-late\b"))
    expect(in_time.locator("td.line-requested")).to_have_text(later.strftime("%d.%m.%Y"))
    # Asked for a day further off than the earliest delivery: promised for exactly that day.
    expect(in_time.locator("td.line-promised-delivery")).to_have_text(later.strftime("%d.%m.%Y"))
    expect(late.locator("td.line-requested")).to_have_css("font-weight", "600")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(
        path=str(SCREENSHOT_DIRECTORY / "ordnung-line-dates-phone.png"), full_page=True
    )

    phone.get_by_role("link", name="English").click()
    expect(phone.locator("#line-1 td.line-promised-delivery")).to_contain_text(
        "later than requested"
    )
    expect(phone.locator("table.lines thead")).to_contain_text("Requested delivery")
    context.close()
