"""The administration screens in a real browser (Debian's Chromium through Playwright): a
product created, edited and deactivated; stock received and seen in the ledger; a location
created; a CSV import; and every page, old and new, without sideways scrolling at 390 px."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from ordnung.automation.service import NewSubscription, create_subscription
from ordnung.catalog.service import get_product
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.inventory.locations import get_location
from ordnung.orchestration.fulfillment_actions import ship_fulfillment_order
from ordnung.orders.queries import get_order
from ordnung.purchasing.model import (
    Contact,
    LineDraft,
    PurchaseOrderDraft,
    SuppliedProduct,
    SupplierDraft,
)
from ordnung.purchasing.replenishment import RuleInput, save_rule
from ordnung.purchasing.service import create_purchase_order, send_purchase_order
from ordnung.purchasing.suppliers import create_supplier
from ordnung.sourcing.rule_versions import create_rule_draft
from ordnung.sourcing.rules import parse_rules
from ordnung.staff.service import create_api_key
from ordnung.worker import run_once
from tests.factories import add_product
from tests.web.seed import STAFF_EMAIL, STAFF_PASSWORD, add_staff, place, seed_shop
from tests.web.test_browser import (  # noqa: F401 - fixtures shared with the other browser tests
    SCREENSHOT_DIRECTORY,
    base_url,
    browser,
    page,
)
from tests.web.test_stock_operations_browser import seed_stock_operations

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390
LONG_EMAIL = "buchhaltungundversandnord@grosshandelmustermannundsoehne.example.de"

# Boxes that scroll sideways inside the page: their overflow-x lets them scroll and what they
# hold is wider than they are. A phone user would have to find and swipe each of them.
INNER_SCROLL_BOXES = """() => [...document.querySelectorAll("body *")]
  .filter((element) => ["auto", "scroll"].includes(getComputedStyle(element).overflowX)
    && element.scrollWidth > element.clientWidth)
  .map((element) => element.tagName.toLowerCase()
    + [...element.classList].map((name) => "." + name).join(""))"""


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


def _sideways_scrolling(tab: Page) -> list[str]:
    """What scrolls sideways on the open page: the page itself, then each box inside it."""
    found: list[str] = tab.evaluate(INNER_SCROLL_BOXES)
    width = tab.evaluate("document.documentElement.scrollWidth")
    if width > PHONE_WIDTH:
        found.insert(0, f"the page, {width} px wide")
    return found


def _seed_values_without_breaks(db: Database, settings: Settings) -> tuple[int, int]:
    """An order with a long external id, e-mail address and tracking number, an API key with a
    long name and a webhook with a long URL whose deliveries fail with an error message:
    values a phone has to wrap. Returns the order's and the subscription's ids."""
    order_id = place(
        db,
        "gid-shopify-order-" + "5" * 40,
        (LONG_EMAIL, "Maximiliane", "Mustermann-Lüdenscheid"),
        [("SKU-1", 1)],
    )
    ship_fulfillment_order(
        db,
        get_order(db, order_id)["fulfillment_orders"][0]["id"],
        ShipmentDraft("dhl", "JJD" + "0" * 60),
        actor="staff:Anna Agent",
    )
    create_api_key(db, "warenwirtschaft-" + "x" * 40, ["orders:read", "fulfillment:read"])
    subscription = create_subscription(
        db,
        NewSubscription("http://127.0.0.1:9/hooks?token=" + "a1b2c3d4" * 10, ["*"], "Lager"),
        allow_private=True,
    )
    run_once(db, settings)  # nothing listens on port 9: every delivery fails, with its error
    return order_id, int(subscription["id"])


def _seed_non_stock(db: Database) -> list[str]:
    """Gift wrapping (non-stock) and an order with it: the pages that show them."""
    add_product(db, "WRAP-1", "Geschenkverpackung", stock_policy="non_stock")
    order_id = place(
        db, "NS-1", ("nina@example.de", "Nina", "Nowak"), [("SKU-1", 1), ("WRAP-1", 1)]
    )
    fulfillment_order_ids = [fo["id"] for fo in get_order(db, order_id)["fulfillment_orders"]]
    assert fulfillment_order_ids, "the wrapping rides along at once"
    return [
        "/catalogue/products/WRAP-1",
        "/catalogue/products/WRAP-1/stock-policy",
        f"/orders/{order_id}",
        *(f"/fulfillment/{fo_id}" for fo_id in fulfillment_order_ids),
        NON_STOCK_AVAILABILITY,
    ]


NON_STOCK_AVAILABILITY = "/availability?skus=WRAP-1,SKU-1&channel=webshop&postal_code=10115"


def _back_office_paths(db: Database, settings: Settings) -> list[str]:
    """Seeds a shop and returns every back-office page it has, each order and fulfilment
    order of it with its own detail page."""
    order_ids = [*vars(seed_shop(db)).values()]
    long_order_id, subscription_id = _seed_values_without_breaks(db, settings)
    order_ids.append(long_order_id)
    fulfillment_order_ids = [
        fulfillment_order["id"]
        for order_id in order_ids
        for fulfillment_order in get_order(db, order_id)["fulfillment_orders"]
    ]
    staff_id = add_staff(db)
    purchase_order = _seed_supply(db)
    transfer_id, import_id = seed_stock_operations(db)
    _seed_sourcing_rules(db)
    non_stock_paths = _seed_non_stock(db)
    return [
        *non_stock_paths,
        "/orders",
        *(f"/orders/{order_id}" for order_id in order_ids),
        "/fulfillment",
        *(f"/fulfillment/{fulfillment_order_id}" for fulfillment_order_id in fulfillment_order_ids),
        "/dashboard",
        "/stock",
        "/stock/SKU-1/ber",
        "/stock/receive",
        "/transfers",
        "/transfers/new",
        f"/transfers/{transfer_id}",
        "/stock-imports",
        f"/stock-imports/{import_id}",
        "/catalogue",
        "/catalogue/new",
        "/catalogue/products/SKU-1",
        "/catalogue/products/SKU-1/stock-policy",
        "/stock/checkout-holds",
        "/catalogue/import",
        "/channels",
        "/channels/new",
        "/channels/webshop/edit",
        "/locations",
        "/locations/new",
        "/locations/ber/edit",
        "/locations/ber/promise",
        "/channels/webshop/sell-scope",
        "/channels/webshop/sourcing",
        "/channels/webshop/sourcing/1/simulate",
        "/sourcing/unfulfillable",
        "/availability?skus=SKU-1,SKU-2,UNKNOWN-SKU&channel=webshop&postal_code=10115",
        "/users",
        "/users/new",
        f"/users/{staff_id}",
        "/roles",
        "/account",
        "/api-keys",
        "/purchase-orders",
        "/purchase-orders/new",
        f"/purchase-orders/{purchase_order}",
        f"/purchase-orders/{purchase_order}/edit",
        "/suppliers",
        "/suppliers/new",
        "/suppliers/nordholz-grosshandel/edit",
        "/replenishment",
        "/webhooks",
        f"/webhooks/{subscription_id}",
    ]


def _seed_sourcing_rules(db: Database) -> None:
    """A draft of sourcing rules with every filter, so the versions table has a long row."""
    rules = parse_rules(
        {
            "filters": [
                {"kind": "capability", "capability": "ship_from_store"},
                {"kind": "country", "countries": ["AT", "CH", "LU"]},
                {"kind": "max_distance", "km": 400},
                {"kind": "no_store_for_bulky", "grams": 25000},
                {"kind": "keep_units", "units": 2},
                {"kind": "daily_capacity", "orders": 500},
            ],
            "strategy": "fewest_shipments",
            "split": {"policy": "max_shipments", "max_shipments": 2},
        }
    )
    create_rule_draft(db, "webshop", rules, actor="staff:buchhaltungundversandnord@example.de")


def _seed_supply(db: Database) -> str:
    """A supplier with long names, a replenishment rule that suggests, and a sent purchase
    order; returns its number."""
    supplier = SupplierDraft(
        "nordholz-grosshandel",
        "Nordholz Großhandel für Haushaltswaren und Küchenbedarf GmbH & Co. KG",
        minimum_order_value=Decimal("250"),
        contacts=(Contact("Jana Krüger-Oberhausen", LONG_EMAIL, "+49 40 12345678"),),
        products=(SuppliedProduct("SKU-1", "NH-KAFFEEBECHER-WEISS-300ML", Decimal("2.10"), 24),),
    )
    create_supplier(db, supplier, actor="test")
    save_rule(db, RuleInput("SKU-1", "ham", 10, 2, 60, "nordholz-grosshandel"), actor="test")
    draft = PurchaseOrderDraft(
        "nordholz-grosshandel",
        "ber",
        (LineDraft("SKU-1", 48), LineDraft("SKU-3", 12, Decimal("1"))),
        note="Bitte an Rampe 3 liefern, Anlieferung nur Mo–Fr 7–14 Uhr.",
    )
    number = str(create_purchase_order(db, draft, actor="test")["number"])
    send_purchase_order(db, number, actor="test")
    return number


def test_every_page_fits_a_390_px_wide_phone_without_sideways_scrolling(
    db: Database,
    settings: Settings,
    base_url: str,  # noqa: F811
    phone: Page,
) -> None:
    pages = _back_office_paths(db, settings)
    phone.goto(base_url + "/orders")
    _sign_in(phone)
    scrolling: dict[str, list[str]] = {}
    for path in pages:
        phone.goto(base_url + path)
        if found := _sideways_scrolling(phone):
            scrolling[path] = found
    # A non-stock product answers "always sellable" in the availability table.
    phone.goto(base_url + NON_STOCK_AVAILABILITY)
    expect(phone.locator("[data-always-sellable]")).to_have_count(1)
    # To look at: the order list, the order with the longest values, the webhook log's top.
    longest_order = [path for path in pages if path.startswith("/orders/")][-1]
    for path, name in (("/orders", "orders"), (longest_order, "order")):
        phone.goto(base_url + path)
        phone.screenshot(
            path=str(SCREENSHOT_DIRECTORY / f"ordnung-{name}-phone.png"), full_page=True
        )
    phone.goto(base_url + pages[-1])
    phone.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-webhook-log-phone.png"))
    # A form shown again with its problems, and the list of a refused import's rows.
    phone.goto(base_url + "/catalogue/new")
    phone.get_by_role("button", name="Artikel anlegen").click()
    expect(phone.locator("#sku-error")).to_be_visible()
    scrolling_after_refusal = _sideways_scrolling(phone)
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
    assert scrolling == {}
    assert scrolling_after_refusal == []
    assert _sideways_scrolling(phone) == []

    # Lists become one card per row: the header row is hidden, each value under its label.
    for path, table in (("/catalogue", "table.products"), ("/orders", "table.orders")):
        phone.goto(base_url + path)
        expect(phone.locator(f"{table} thead")).to_have_css("position", "absolute")
        first_cell = phone.locator(f"{table} tbody tr").first.locator("td").first
        expect(first_cell).to_have_css("display", "block")
    phone.goto(base_url + "/catalogue")
    phone.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-catalogue-phone.png"))
