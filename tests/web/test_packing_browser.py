"""In a real browser on a phone (390 px): a warehouse worker takes two fulfilment orders
from the queue into a pick wave, picks, opens the pick list, reports a short pick on one, and
packs the other into two packages that ship one at a time — nothing scrolls sideways, the
delivery notes open, and another location's worker finds none of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from ordnung.core.db import Database
from ordnung.fulfillment import package_queries
from ordnung.inventory.bins import BinChange, set_bins
from ordnung.orders.queries import get_order
from ordnung.staff.service import NewStaffUser, add_staff_user
from tests.web import test_browser as browser_fixtures
from tests.web.accounts import PASSWORD, add_account, email_of
from tests.web.seed import place, seed_shop
from tests.web.test_waves_browser import _build_wave, _no_sideways_scrolling, _scan_twice, _sign_in

pytestmark = pytest.mark.browser

base_url = browser_fixtures.base_url
browser = browser_fixtures.browser
HAMBURG = "hamburg@example.de"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="de-DE", is_mobile=True
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def test_a_warehouse_worker_picks_short_picks_packs_two_packages_and_ships_them_one_by_one(
    db: Database, base_url: str, phone: Page, browser: Browser
) -> None:
    shop = seed_shop(db)
    second = place(db, "EXT-PACK", ("mia@example.de", "Mia", "Klein"), [("SKU-1", 1)])
    set_bins(db, "ber", [BinChange("SKU-1", "A-01-03")], actor="test")
    first_fo = get_order(db, shop.allocated)["fulfillment_orders"][0]["id"]
    second_fo = get_order(db, second)["fulfillment_orders"][0]["id"]
    add_account(db, "warehouse", "ber")

    phone.goto(base_url + "/queue")
    _sign_in(phone, email_of("warehouse"))
    expect(phone.locator("body")).to_contain_text(str(first_fo))
    _no_sideways_scrolling(phone)
    phone.goto(base_url + "/waves")
    row = _build_wave(phone, [first_fo, second_fo])
    _scan_twice(phone, row)
    pick_list = phone.request.get(phone.url.split("?")[0] + "/pick-list.pdf")
    assert pick_list.status == 200 and pick_list.body().startswith(b"%PDF")
    row.get_by_text("Fehlmenge …").click()
    row.get_by_label("Für Auftrag").select_option(str(second_fo))
    row.get_by_role("button", name="Fehlmenge melden").click()
    expect(phone.get_by_role("status")).to_contain_text("Fehlmenge von 1 × SKU-1 gemeldet")

    # From the fulfilment order to the packing bench: two packages of one unit each.
    phone.goto(f"{base_url}/fulfillment/{first_fo}")
    phone.get_by_role("link", name="Verpacken").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Verpacken")
    _no_sideways_scrolling(phone)
    _pack_two(phone)
    _ship_one_by_one(phone, base_url)
    expect(phone.locator(".packing-head")).to_contain_text("Versandt")
    assert get_order(db, shop.allocated)["status"] == "shipped"

    packages = package_queries.packing_state(db, first_fo)["packages"]
    _another_location_finds_nothing(db, browser, base_url, first_fo, packages[0]["id"])


def _pack_two(phone: Page) -> None:
    """One unit of SKU-1 per package, until nothing is left to pack."""
    for weight in ("400", "450"):
        phone.get_by_label("Menge SKU-1 ins Paket").fill("1")
        phone.get_by_label("Paketart").select_option("parcel_s")
        phone.get_by_label("Gewicht (g)").fill(weight)
        phone.get_by_role("button", name="Verpacken", exact=True).click()
        expect(phone.get_by_role("status")).to_contain_text("gepackt")
    expect(phone.locator(".packing-head")).to_contain_text("Verpackt")
    cards = phone.locator("article.package-card")
    expect(cards).to_have_count(2)
    _no_sideways_scrolling(phone)


def _ship_one_by_one(phone: Page, base_url: str) -> None:
    """Each package prints its delivery note and ships with its own tracking number."""
    cards = phone.locator("article.package-card")
    for index, tracking in enumerate(("JJD0000000001", "JJD0000000002")):
        card = cards.nth(index)
        note = phone.request.get(base_url + card.get_by_text("Lieferschein").get_attribute("href"))
        assert note.status == 200 and note.body().startswith(b"%PDF")
        card.get_by_label("Versender").select_option("dhl")
        card.get_by_label("Sendungsnummer").fill(tracking)
        card.get_by_role("button", name="Versenden").click()
        expect(phone.get_by_role("status")).to_contain_text("versendet")
        expect(cards.nth(index)).to_contain_text(tracking)
        _no_sideways_scrolling(phone)


def _another_location_finds_nothing(
    db: Database, browser: Browser, base_url: str, fo_id: int, package_id: int
) -> None:
    add_staff_user(db, NewStaffUser(HAMBURG, "Hamburg", "de", "warehouse", "ham", PASSWORD))
    context = browser.new_context(locale="de-DE")
    stranger = context.new_page()
    stranger.goto(base_url + "/queue")
    _sign_in(stranger, HAMBURG)
    assert stranger.request.get(f"{base_url}/fulfillment/{fo_id}/packing").status == 404
    assert stranger.request.get(f"{base_url}/packages/{package_id}/delivery-note.pdf").status == 404
    context.close()
