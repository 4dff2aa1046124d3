"""Stock operations in a real browser (Debian's Chromium through Playwright): a transfer sent
from the form, received in two steps and seen in the destination's ledger; a stock import
uploaded, its progress shown and its reconciliation read — refused lines with their reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ordnung.core.db import Database
from ordnung.inventory.operations import TransferDraft, TransferLine, TransferReceipt
from ordnung.inventory.stock_sync import SyncBatch, SyncLine
from ordnung.orchestration.stock_operations import import_stock, receive_transfer, send_transfer
from tests.inventory.stock_operations_setup import figures
from tests.web.seed import STAFF_EMAIL, STAFF_PASSWORD, add_staff, seed_shop
from tests.web.test_browser import (  # noqa: F401 - fixtures shared with the other browser tests
    base_url,
    browser,
    page,
)

pytestmark = pytest.mark.browser


def seed_stock_operations(db: Database) -> tuple[int, int]:
    """In the seeded shop (ber, ham): a transfer ber → ham partly received, and a snapshot
    import of ham with a refused line. Returns (transfer id, import id)."""
    draft = TransferDraft("ber", "ham", (TransferLine("SKU-1", 6),), "rebalance", "Umlagerung")
    moved = send_transfer(db, draft, actor="staff:seed")
    receive_transfer(db, moved.transfer_id, TransferReceipt({"SKU-1": 2}), actor="staff:seed")
    lines = [SyncLine(2, "SKU-3", "ham", 4), SyncLine(3, "UNBEKANNT-99", "ham", 1)]
    outcome = import_stock(db, SyncBatch("WMS Hamburg", "delta", lines), actor="staff:seed")
    return moved.transfer_id, outcome.id


def _sign_in(tab: Page) -> None:
    tab.get_by_label("E-Mail").fill(STAFF_EMAIL)
    tab.get_by_label("Passwort").fill(STAFF_PASSWORD)
    tab.get_by_role("button", name="Anmelden").click()


def test_a_transfer_is_sent_and_received_in_the_browser(
    db: Database,
    base_url: str,  # noqa: F811
    page: Page,  # noqa: F811
) -> None:
    seed_shop(db)
    add_staff(db)
    page.goto(base_url + "/stock")
    _sign_in(page)
    page.get_by_role("link", name="Umlagerungen").click()
    page.get_by_role("link", name="Neue Umlagerung").click()
    page.get_by_label("Von").select_option("ber")
    page.get_by_label("Nach").select_option("ham")
    page.get_by_label("Positionen").fill("SKU-1 30")  # only 18 are free at ber
    page.get_by_role("button", name="Umlagerung versenden").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nicht genug freie Einheiten")
    page.get_by_label("Positionen").fill("SKU-1 8")
    page.get_by_role("button", name="Umlagerung versenden").click()
    expect(page.get_by_role("status")).to_have_text("Umlagerung TR-000001 ist unterwegs.")
    assert figures(db, "SKU-1", "ber")[0] == 12

    page.get_by_label("Jetzt eingegangen SKU-1").fill("3")
    page.get_by_role("button", name="Eingang buchen").click()
    expect(page.get_by_role("status")).to_have_text("Eingang zu TR-000001 gebucht.")
    page.get_by_role("button", name="Alles ist angekommen").click()
    expect(page.get_by_role("status")).to_have_text(
        "Umlagerung TR-000001 ist vollständig eingegangen."
    )
    assert figures(db, "SKU-1", "ham")[0] == 13
    page.get_by_role("link", name="SKU-1").click()
    ledger = page.locator("table.ledger tbody tr")
    expect(ledger.first).to_contain_text("Umlagerung an")
    expect(ledger.first).to_contain_text("TR-000001")


def test_a_stock_import_shows_its_reconciliation_in_the_browser(
    db: Database,
    base_url: str,  # noqa: F811
    page: Page,  # noqa: F811
) -> None:
    seed_shop(db)
    add_staff(db)
    page.goto(base_url + "/stock-imports")
    _sign_in(page)
    page.get_by_label("Quelle").fill("WMS Berlin")
    page.get_by_label("Stichtagsbestand").check()
    page.get_by_label("CSV-Datei").set_input_files(
        {
            "name": "bestand.csv",
            "mimeType": "text/csv",
            "buffer": "\ufeffsku;location;quantity\nSKU-1;ber;25\nSKU-9;ber;1\n".encode(),
        }
    )
    page.get_by_role("button", name="Importieren").click()
    expect(page.get_by_role("status")).to_contain_text("Fertig: 1 geändert")
    page.get_by_role("link", name="Abgleich ansehen").click()
    expect(page.locator("#changed-count")).to_have_text("1")
    attention = page.locator("table.import-attention tbody tr")
    expect(attention).to_have_count(1)
    expect(attention.first).to_contain_text("Unbekannte SKU")
    expect(page.locator("table.import-changes")).to_contain_text("+5")
    assert figures(db, "SKU-1", "ber")[0] == 25
