"""Stock operations in the back office (without a browser): a transfer sent from the form,
received line by line and listed; a write-off with its cause in the ledger; a stock import
uploaded, its progress streamed and its reconciliation shown — in German and English."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from tests.inventory.stock_operations_setup import figures, reserve, stocked
from tests.web.admin_forms import field_errors, flash, landed, submit
from tests.web.conftest import csrf_from


@pytest.fixture
def shop(db: Database) -> dict[str, int]:
    return stocked(db)


def _send(client: TestClient, lines: str, to: str = "sued") -> object:
    fields = {"from_location": "nord", "to_location": to, "lines": lines, "cause": "rebalance"}
    return submit(client, "/transfers/new", "/transfers/new", fields)


def test_a_transfer_is_sent_received_in_two_steps_and_listed(
    signed_in: TestClient, shop: dict[str, int], db: Database
) -> None:
    sent = _send(signed_in, "MUG-1 12\nTEE-1;3")
    assert sent.status_code == 303, sent.text
    detail = sent.headers["location"]
    html = landed(signed_in, sent, detail)
    assert flash(html) == "Umlagerung TR-000001 ist unterwegs."
    assert figures(db, "MUG-1", "nord") == (28, 0)

    arrived = submit(
        signed_in,
        detail,
        detail + "/receive",
        {"sku_0": "MUG-1", "quantity_0": 5, "sku_1": "TEE-1", "quantity_1": 0},
    )
    html = landed(signed_in, arrived, detail)
    assert flash(html) == "Eingang zu TR-000001 gebucht."
    assert figures(db, "MUG-1", "sued") == (5, 0)
    assert "Unterwegs hierher" in signed_in.get("/stock/MUG-1/sued").text
    rest = submit(
        signed_in,
        detail,
        detail + "/receive",
        {"sku_0": "MUG-1", "left_0": 7, "sku_1": "TEE-1", "left_1": 3, "everything": 1},
    )
    html = landed(signed_in, rest, detail)
    assert flash(html) == "Umlagerung TR-000001 ist vollständig eingegangen."
    listed = signed_in.get("/transfers?status=received").text
    assert "TR-000001" in listed and "stack-on-mobile" in listed
    ledger = signed_in.get("/stock/MUG-1/sued").text
    assert "Umlagerung an" in ledger and "Bestandsausgleich" in ledger


def test_a_transfer_form_with_problems_is_shown_again_and_reserved_units_are_refused(
    signed_in: TestClient, shop: dict[str, int], db: Database
) -> None:
    same = _send(signed_in, "MUG-1 zwölf", to="nord")
    assert same.status_code == 422
    assert set(field_errors(same.text)) == {"lines", "to_location"}
    reserve(db, "MUG-1", "nord", 38)
    refused = _send(signed_in, "MUG-1 5")
    assert refused.status_code == 422
    assert flash(refused.text) == (
        "Nicht genug freie Einheiten von MUG-1 in nord: 40 am Lager, 38 reserviert, also 2 frei; "
        "5 angefragt."
    )


def test_a_write_off_shows_its_cause_in_the_ledger(
    signed_in: TestClient, shop: dict[str, int]
) -> None:
    answer = submit(
        signed_in,
        "/stock/MUG-1/nord",
        "/stock/MUG-1/nord/write-off",
        {"quantity": 3, "cause": "damaged", "note": "Bruch"},
    )
    html = landed(signed_in, answer, "/stock/MUG-1/nord")
    assert flash(html) == "3 × MUG-1 in nord abgeschrieben; Bestand jetzt 37."
    assert "Abschreibung" in html and "Beschädigt" in html


def test_an_uploaded_import_streams_its_progress_and_shows_the_reconciliation(
    signed_in: TestClient, shop: dict[str, int], db: Database
) -> None:
    reserve(db, "TEE-1", "nord", 4)
    token = csrf_from(signed_in.get("/stock-imports").text)
    csv = b"sku;location;quantity\nMUG-1;nord;35\nTEE-1;nord;1\nNOPE;nord;3\n"
    answer = signed_in.post(
        "/stock-imports",
        data={"csrf_token": token, "source": "WMS Nord", "mode": "snapshot"},
        files={"file": ("bestand.csv", csv, "text/csv")},
    )
    assert answer.status_code == 200
    assert "Fertig: 1 geändert, 0 unverändert, 2 abgelehnt." in answer.text
    report_url = re.search(r'href="(/stock-imports/\d+)"', answer.text)
    assert report_url
    report = signed_in.get(report_url.group(1)).text
    assert "Weniger als reserviert (4)" in report
    assert "Unbekannte SKU" in report
    assert '<dd class="num strong" id="refused-count">2</dd>' in report
    assert figures(db, "MUG-1", "nord") == (35, 0)
    signed_in.get(f"/language/en?next={report_url.group(1)}")
    english = signed_in.get(report_url.group(1)).text
    assert "Below the reserved 4" in english
    assert "Needs attention — not booked" in english


def test_a_bad_import_file_is_refused_and_nothing_is_booked(
    signed_in: TestClient, shop: dict[str, int], db: Database
) -> None:
    token = csrf_from(signed_in.get("/stock-imports").text)
    answer = signed_in.post(
        "/stock-imports",
        data={"csrf_token": token, "source": "POS", "mode": "delta"},
        files={"file": ("x.csv", b"sku;location;quantity\nMUG-1;nord;viele\n", "text/csv")},
    )
    assert answer.status_code == 422
    assert "Zeile 2" in answer.text
    assert figures(db, "MUG-1", "nord") == (40, 0)
