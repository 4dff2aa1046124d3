"""In a real browser on a phone (390 px): a warehouse worker builds a pick wave of two
fulfilment orders, scans picks, reports a short pick and opens the pick list — and nothing on
the way scrolls sideways. Pages of the wave answer 404 to another location's worker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from ordnung.core.db import Database
from ordnung.fulfillment.short_picks import list_short_picks
from ordnung.inventory.bins import BinChange, set_bins
from ordnung.orders.queries import get_order
from ordnung.staff.service import NewStaffUser, add_staff_user
from tests.web import test_browser as browser_fixtures
from tests.web.accounts import PASSWORD, add_account, email_of
from tests.web.seed import place, seed_shop

pytestmark = pytest.mark.browser

base_url = browser_fixtures.base_url
browser = browser_fixtures.browser
PHONE_WIDTH = 390
HAMBURG = "hamburg@example.de"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, locale="de-DE", is_mobile=True
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _sign_in(page: Page, email: str) -> None:
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def _no_sideways_scrolling(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide"


def test_a_warehouse_worker_builds_a_wave_scans_picks_and_reports_a_short_pick(
    db: Database, base_url: str, phone: Page, browser: Browser
) -> None:
    shop = seed_shop(db)
    second = place(db, "EXT-WAVE", ("mia@example.de", "Mia", "Klein"), [("SKU-1", 1)])
    set_bins(db, "ber", [BinChange("SKU-1", "A-01-03")], actor="test")
    first_fo = get_order(db, shop.allocated)["fulfillment_orders"][0]["id"]
    second_fo = get_order(db, second)["fulfillment_orders"][0]["id"]
    add_account(db, "warehouse", "ber")

    phone.goto(base_url + "/waves")
    _sign_in(phone, email_of("warehouse"))
    row = _build_wave(phone, [first_fo, second_fo])
    _scan_twice(phone, row)

    # The last unit is not on the shelf: a short pick for the second order.
    row.get_by_text("Fehlmenge …").click()
    row.get_by_label("Für Auftrag").select_option(str(second_fo))
    row.get_by_label("Notiz").fill("Fach leer")
    _no_sideways_scrolling(phone)
    row.get_by_role("button", name="Fehlmenge melden").click()
    expect(phone.get_by_role("status")).to_contain_text("Fehlmenge von 1 × SKU-1 gemeldet")
    expect(row.locator("td.short")).to_have_text("1")
    expect(phone.locator(".wave-head")).to_contain_text("fertig")
    _no_sideways_scrolling(phone)

    pdf = phone.request.get(phone.url.split("?")[0] + "/pick-list.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    # Sourcing placed the missing unit again (Hamburg has stock); the order shows the report.
    reports = list_short_picks(db, second)
    assert [(r["sku"], r["missing"], r["outcome"]) for r in reports] == [("SKU-1", 1, "resourced")]
    assert get_order(db, shop.allocated)["fulfillment_orders"][0]["status"] == "picking"

    _another_location_finds_nothing(db, browser, base_url, phone.url.split("?")[0])


def _build_wave(phone: Page, fo_ids: list[int]) -> Locator:
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Pickwellen")
    _no_sideways_scrolling(phone)
    for fo_id in fo_ids:
        phone.get_by_label(f"Auftrag {fo_id} auswählen").check()
    phone.get_by_role("button", name="Pickwelle bilden").click()
    expect(phone.get_by_role("status")).to_contain_text("gebildet")
    row = phone.locator("tr.wave-row", has_text="SKU-1")
    expect(row).to_contain_text("A-01-03")
    expect(row.locator("td").nth(2)).to_have_text("3")
    _no_sideways_scrolling(phone)
    return row


def _scan_twice(phone: Page, row: Locator) -> None:
    """Two scans: the field counts one unit each and is ready for the next; an unknown code
    counts nothing."""
    scan = phone.get_by_label("Barcode oder SKU")
    for count in ("1", "2"):
        scan.fill("SKU-1")
        scan.press("Enter")
        expect(phone.get_by_role("status")).to_contain_text("SKU-1: 1 Stück gepickt")
        expect(row.locator("td.picked")).to_have_text(count)
    scan.fill("NICHT-DA")
    scan.press("Enter")
    expect(phone.get_by_role("alert")).to_contain_text("Nicht gebucht")
    expect(row.locator("td.picked")).to_have_text("2")


def _another_location_finds_nothing(
    db: Database, browser: Browser, base_url: str, wave_url: str
) -> None:
    add_staff_user(db, NewStaffUser(HAMBURG, "Hamburg", "de", "warehouse", "ham", PASSWORD))
    context = browser.new_context(locale="de-DE")
    stranger = context.new_page()
    stranger.goto(base_url + "/waves")
    _sign_in(stranger, HAMBURG)
    expect(stranger.get_by_role("heading", level=1)).to_contain_text("Lager ham")
    assert stranger.request.get(wave_url).status == 404
    assert stranger.request.get(wave_url + "/pick-list.pdf").status == 404
    context.close()
