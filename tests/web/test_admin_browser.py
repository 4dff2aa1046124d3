"""The administration screens in a real browser (Debian's Chromium through Playwright): a
product created, edited and deactivated; stock received and seen in the ledger; a location
created; a CSV import; and every page, old and new, without sideways scrolling at 390 px."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from ordnung.catalog.service import get_product
from ordnung.core.db import Database
from ordnung.inventory.locations import get_location
from tests.web.seed import STAFF_EMAIL, STAFF_PASSWORD, SeededOrders, add_staff, seed_shop
from tests.web.test_browser import (  # noqa: F401 - fixtures shared with the other browser tests
    SCREENSHOT_DIRECTORY,
    base_url,
    browser,
    page,
)

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:  # noqa: F811 - the imported fixture
    """A tab as wide as a common phone (iPhone 12 to 15: 390 CSS pixels)."""
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, locale="de-DE", is_mobile=True
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _sign_in(tab: Page) -> None:
    tab.get_by_label("E-Mail").fill(STAFF_EMAIL)
    tab.get_by_label("Passwort").fill(STAFF_PASSWORD)
    tab.get_by_role("button", name="Anmelden").click()


def test_staff_create_edit_and_deactivate_a_product(
    db: Database,
    base_url: str,  # noqa: F811
    page: Page,  # noqa: F811
) -> None:
    seed_shop(db)
    add_staff(db)
    page.goto(base_url + "/catalogue")
    _sign_in(page)
    page.get_by_role("link", name="Neuer Artikel").click()
    page.get_by_label("SKU").fill("TSH-RED-M")
    page.get_by_role("button", name="Artikel anlegen").click()  # no name yet
    expect(page.locator("#name-error")).to_have_text(
        "Bitte einen Namen angeben (höchstens 300 Zeichen)."
    )
    expect(page.get_by_label("SKU")).to_have_value("TSH-RED-M")
    page.get_by_label("Name", exact=True).fill("T-Shirt rot M")
    page.get_by_label("GTIN").fill("4006381333931")
    page.get_by_label("Gewicht in Gramm").fill("180")
    page.get_by_label("MwSt.-Satz").select_option("reduced")
    page.get_by_role("button", name="Artikel anlegen").click()
    expect(page).to_have_url(base_url + "/catalogue/products/TSH-RED-M")
    expect(page.get_by_role("status")).to_have_text("Artikel TSH-RED-M wurde angelegt.")

    page.get_by_label("Name", exact=True).fill("T-Shirt rot, Größe M")
    page.get_by_label("MwSt.-Satz").select_option("standard")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_have_text("Artikel TSH-RED-M wurde gespeichert.")
    expect(page.get_by_label("Name", exact=True)).to_have_value("T-Shirt rot, Größe M")

    page.get_by_role("button", name="Deaktivieren").click()
    expect(page.get_by_role("status")).to_contain_text("wurde deaktiviert")
    expect(page.locator(".crumbs .badge")).to_have_text("Inaktiv")
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-product.png"), full_page=True)
    product = get_product(db, "TSH-RED-M")
    assert (product.name, product.tax_class, product.is_active) == (
        "T-Shirt rot, Größe M",
        "standard",
        False,
    )

    page.get_by_role("link", name="Zum Katalog").click()
    expect(page.locator("table.products")).not_to_contain_text("TSH-RED-M")
    page.get_by_label("Suche").fill("4006381333931")
    page.get_by_label("Status").select_option("all")
    page.get_by_role("button", name="Filtern").click()
    expect(page.locator("table.products tbody tr")).to_have_count(1)
    expect(page.locator("table.products")).to_contain_text("Inaktiv")


def test_staff_receive_stock_and_see_the_new_on_hand_and_the_ledger_row(
    db: Database,
    base_url: str,  # noqa: F811
    page: Page,  # noqa: F811
) -> None:
    seed_shop(db)
    add_staff(db)
    page.goto(base_url + "/stock")
    _sign_in(page)
    page.get_by_role("link", name="Wareneingang buchen").click()
    page.get_by_label("SKU").fill("SKU-3")
    page.get_by_label("Standort").select_option("ber")
    page.get_by_label("Menge").fill("24")
    page.get_by_label("Grund").fill("Lieferschein 4711")
    page.get_by_role("button", name="Wareneingang buchen").click()
    expect(page).to_have_url(base_url + "/stock/SKU-3/ber")
    expect(page.get_by_role("status")).to_contain_text("24 × SKU-3 bei ber eingebucht")
    expect(page.locator("#on-hand")).to_have_text("24")
    newest = page.locator("table.ledger tbody tr").first
    expect(newest).to_contain_text("Wareneingang")
    expect(newest).to_contain_text("+24")
    expect(newest).to_contain_text("Lieferschein 4711")

    page.locator(".bookings .card").nth(1).get_by_label("Änderung").fill("-4")
    page.locator(".bookings .card").nth(1).get_by_label("Grund").fill("Bruch")
    page.get_by_role("button", name="Korrektur buchen").click()
    expect(page.locator("#on-hand")).to_have_text("20")
    expect(page.locator("table.ledger tbody tr").first).to_contain_text("-4")
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-stock-position.png"), full_page=True)


def test_staff_create_a_location(
    db: Database,
    base_url: str,  # noqa: F811
    page: Page,  # noqa: F811
) -> None:
    add_staff(db)
    page.goto(base_url + "/locations")
    _sign_in(page)
    page.get_by_role("link", name="Neuer Standort").click()
    page.get_by_label("Code").fill("filiale-koeln")
    page.get_by_label("Name", exact=True).fill("Filiale Köln")
    page.get_by_label("Art").select_option("store")
    page.get_by_label("Abholung").check()
    page.get_by_label("Priorität").fill("50")
    page.get_by_label("Straße und Hausnummer").fill("Ehrenstraße 44")
    page.get_by_label("PLZ").fill("50672")
    page.get_by_label("Ort").fill("Köln")
    page.get_by_label("Land").select_option("AT")
    page.get_by_role("button", name="Standort anlegen").click()
    expect(page).to_have_url(base_url + "/locations")
    expect(page.get_by_role("status")).to_have_text("Standort filiale-koeln wurde angelegt.")
    expect(page.locator("table.locations")).to_contain_text("Österreich")
    location = get_location(db, "filiale-koeln")
    assert (location["type"], location["capabilities"]) == ("store", ["pickup", "ship"])


def test_a_csv_import_shows_its_outcome_in_the_browser(
    db: Database,
    base_url: str,  # noqa: F811
    page: Page,  # noqa: F811
) -> None:
    add_staff(db)
    page.goto(base_url + "/catalogue/import")
    _sign_in(page)
    rows = "\n".join(f"IMP-{n:04d};Importiert {n};;;19;" for n in range(1500))
    content = f"sku;name;gtin;weight_grams;vat_percent;active\n{rows}\n".encode()
    page.get_by_label("CSV-Datei").set_input_files(
        {"name": "katalog.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Prüfen und importieren").click()
    expect(page.get_by_role("status")).to_have_text(
        "Fertig. Übernommene Zeilen: 1.500 — neu: 1.500, geändert: 0, unverändert: 0."
    )
    # Only the outcome shows; the progress lines streamed before it are hidden by the page.
    expect(page.locator(".import-steps .step").last).to_be_hidden()
    assert get_product(db, "IMP-1499").name == "Importiert 1499"


def test_every_page_fits_a_390_px_wide_phone_without_sideways_scrolling(
    db: Database,
    base_url: str,  # noqa: F811
    phone: Page,
) -> None:
    orders: SeededOrders = seed_shop(db)
    add_staff(db)
    phone.goto(base_url + "/orders")
    _sign_in(phone)
    pages = [
        "/orders",
        *(f"/orders/{order_id}" for order_id in vars(orders).values()),
        "/dashboard",
        "/stock",
        "/stock/SKU-1/ber",
        "/stock/receive",
        "/catalogue",
        "/catalogue/new",
        "/catalogue/products/SKU-1",
        "/catalogue/import",
        "/channels",
        "/channels/new",
        "/channels/webshop/edit",
        "/locations",
        "/locations/new",
        "/locations/ber/edit",
    ]
    too_wide = {}
    for path in pages:
        phone.goto(base_url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            too_wide[path] = width
    # A form shown again with its problems, and the list of a refused import's rows.
    phone.goto(base_url + "/catalogue/new")
    phone.get_by_role("button", name="Artikel anlegen").click()
    expect(phone.locator("#sku-error")).to_be_visible()
    too_wide_after_refusal = phone.evaluate("document.documentElement.scrollWidth")
    phone.goto(base_url + "/catalogue/import")
    phone.get_by_label("CSV-Datei").set_input_files(
        {
            "name": "fehler.csv",
            "mimeType": "text/csv",
            "buffer": b"sku;name;gtin;weight_grams;vat_percent\nA 1;;123;x;16\n",
        }
    )
    phone.get_by_role("button", name="Prüfen und importieren").click()
    expect(phone.locator(".import-problems")).to_be_visible()
    phone.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-import-phone.png"), full_page=True)
    assert too_wide == {}
    assert too_wide_after_refusal <= PHONE_WIDTH
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH

    # Lists become one card per row: the header row is hidden, each value under its label.
    phone.goto(base_url + "/catalogue")
    expect(phone.locator("table.products thead")).to_have_css("position", "absolute")
    expect(phone.locator("table.products tbody tr").first.locator("td").first).to_have_css(
        "display", "block"
    )
    phone.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-catalogue-phone.png"))
    # The order list too: it needs no box that scrolls sideways.
    phone.goto(base_url + "/orders")
    expect(phone.locator("table.orders thead")).to_have_css("position", "absolute")
    expect(phone.locator("table.orders tbody tr").first.locator("td").first).to_have_css(
        "display", "block"
    )
    assert not phone.locator(".table-wrap").first.evaluate("e => e.scrollWidth > e.clientWidth")
