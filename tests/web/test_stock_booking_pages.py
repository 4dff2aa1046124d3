"""Booking stock from the back office: goods receipt, adjustment and count with a reason, the
position's ledger — and new units going to the orders waiting for them."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.inventory.locations import get_location
from ordnung.orders.queries import get_order
from tests.factories import add_channel, add_location, add_product, position, put_stock
from tests.web.admin_forms import field_errors, flash, landed, submit
from tests.web.seed import STAFF_EMAIL, place

POSITION = "/stock/MUG-1/ber"
RECEIVE = "/stock/receive"


@pytest.fixture
def berlin(db: Database) -> int:
    add_product(db, "MUG-1", "Kaffeebecher")
    add_product(db, "NEW-1", "Neuheit")
    location_id = add_location(db, "ber", 1)
    add_location(db, "ham", 2)
    put_stock(db, "MUG-1", location_id, 10)
    return location_id


def _ledger(html: str) -> list[list[str]]:
    """The ledger's rows, newest first: time, kind, on hand ±, reserved ±, after, reason, by."""
    table = html.split('<table class="data ledger', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


def test_a_goods_receipt_raises_on_hand_and_shows_as_the_newest_ledger_row(
    signed_in: TestClient, berlin: int, db: Database
) -> None:
    response = submit(
        signed_in, POSITION, POSITION + "/receipt", {"quantity": 24, "reason": "Lieferschein 4711"}
    )
    html = landed(signed_in, response, POSITION)
    assert flash(html) == ("24 × MUG-1 bei ber eingebucht. Bestand jetzt 34, verfügbar 34.")
    assert position(db, "MUG-1", berlin)["on_hand"] == 34
    assert '<dd class="num strong" id="on-hand">34</dd>' in html
    newest, first = _ledger(html)
    assert newest[1:] == ["Wareneingang", "+24", "–", "34", "Lieferschein 4711", STAFF_EMAIL]
    assert first[1:5] == ["Wareneingang", "+10", "–", "10"]


def test_an_adjustment_books_a_loss_and_a_count_sets_on_hand_and_safety_stock(
    signed_in: TestClient, berlin: int, db: Database
) -> None:
    submit(signed_in, POSITION, POSITION + "/adjustment", {"delta": "−3", "reason": "Bruch"})
    assert position(db, "MUG-1", berlin)["on_hand"] == 7
    response = submit(
        signed_in,
        POSITION,
        POSITION + "/count",
        {"on_hand": 12, "safety_stock": 2, "reason": "Inventur B3"},
    )
    html = landed(signed_in, response, POSITION)
    assert flash(html).startswith("Zählung von MUG-1 bei ber gebucht (12). Bestand jetzt 12")
    assert position(db, "MUG-1", berlin) == {"on_hand": 12, "reserved": 0, "safety_stock": 2}
    assert [row[1:5] for row in _ledger(html)[:2]] == [
        ["Korrektur", "+5", "–", "12"],
        ["Korrektur", "-3", "–", "7"],
    ]


@pytest.mark.parametrize(
    ("action", "fields", "message"),
    [
        (
            "/receipt",
            {"quantity": -5, "reason": "x"},
            "Die Menge muss eine ganze Zahl von 1 bis 1.000.000 sein.",
        ),
        (
            "/receipt",
            {"quantity": "zwölf", "reason": "x"},
            "Die Menge muss eine ganze Zahl von 1 bis 1.000.000 sein.",
        ),
        (
            "/receipt",
            {"quantity": 1_000_001, "reason": "x"},
            "Die Menge muss eine ganze Zahl von 1 bis 1.000.000 sein.",
        ),
        ("/receipt", {"quantity": 5, "reason": " "}, "Bitte einen Grund angeben."),
        (
            "/adjustment",
            {"delta": 0, "reason": "x"},
            "Die Änderung muss eine ganze Zahl ungleich null sein, höchstens 1.000.000 in jede "
            "Richtung, z. B. 5 oder −3.",
        ),
        (
            "/count",
            {"on_hand": -1, "reason": "x"},
            "Bitte eine ganze Zahl von 0 bis 1.000.000 angeben.",
        ),
    ],
)
def test_bad_numbers_and_a_missing_reason_are_refused_with_a_message_and_book_nothing(
    signed_in: TestClient,
    berlin: int,
    db: Database,
    action: str,
    fields: dict[str, object],
    message: str,
) -> None:
    html = landed(signed_in, submit(signed_in, POSITION, POSITION + action, fields), POSITION)
    assert flash(html) == message
    assert position(db, "MUG-1", berlin)["on_hand"] == 10
    assert len(_ledger(html)) == 1


def test_stock_cannot_be_taken_below_what_orders_have_reserved(
    signed_in: TestClient, berlin: int, db: Database
) -> None:
    add_channel(db, "webshop")
    place(db, "EXT-1", ("a@example.de", "A", "B"), [("MUG-1", 8)])
    response = submit(signed_in, POSITION, POSITION + "/count", {"on_hand": 5, "reason": "Zählung"})
    assert flash(landed(signed_in, response, POSITION)) == (
        "Nicht gebucht: 8 Stück sind für Bestellungen reserviert, 10 am Lager; der Bestand darf "
        "nicht unter die Reservierungen fallen."
    )
    assert position(db, "MUG-1", berlin) == {"on_hand": 10, "reserved": 8, "safety_stock": 0}


def test_a_receipt_gives_the_new_units_to_an_order_waiting_for_them(
    signed_in: TestClient, berlin: int, db: Database
) -> None:
    add_channel(db, "webshop")
    waiting = place(db, "EXT-2", ("a@example.de", "A", "B"), [("MUG-1", 15)])
    assert get_order(db, waiting)["status"] == "backordered"
    submit(signed_in, POSITION, POSITION + "/receipt", {"quantity": 5, "reason": "Nachlieferung"})
    assert get_order(db, waiting)["status"] == "allocated"
    html = signed_in.get(POSITION).text
    assert _ledger(html)[0][1] == "Reservierung"
    assert f'href="/orders/{waiting}"' in html


def test_the_receipt_form_books_a_first_receipt_of_a_sku_at_a_location(
    signed_in: TestClient, berlin: int, db: Database
) -> None:
    response = submit(
        signed_in,
        RECEIVE,
        RECEIVE,
        {"sku": "NEW-1", "location": "ham", "quantity": 6, "reason": "Erstbestückung"},
    )
    html = landed(signed_in, response, "/stock/NEW-1/ham")
    assert flash(html) == "6 × NEW-1 bei ham eingebucht. Bestand jetzt 6, verfügbar 6."
    ham = int(get_location(db, "ham")["id"])
    assert position(db, "NEW-1", ham)["on_hand"] == 6


def test_the_receipt_form_shows_every_problem_beside_its_field_and_keeps_the_input(
    signed_in: TestClient, berlin: int, db: Database
) -> None:
    response = submit(
        signed_in,
        RECEIVE,
        RECEIVE,
        {"sku": "NOPE-1", "location": "mars", "quantity": -5, "reason": "Lieferschein"},
    )
    assert response.status_code == 422
    assert field_errors(response.text) == {
        "sku": "Diese SKU gibt es im Katalog nicht; bitte legen Sie den Artikel zuerst an.",
        "location": "Bitte einen Standort wählen.",
        "quantity": "Die Menge muss eine ganze Zahl von 1 bis 1.000.000 sein.",
    }
    assert 'value="Lieferschein"' in response.text
    assert position(db, "MUG-1", berlin)["on_hand"] == 10


def test_the_ledger_pages_from_the_newest_to_older_entries(
    signed_in: TestClient, berlin: int
) -> None:
    for number in range(26):
        submit(signed_in, POSITION, POSITION + "/receipt", {"quantity": 1, "reason": f"R{number}"})
    html = signed_in.get(POSITION).text
    rows = _ledger(html)
    assert len(rows) == 25 and rows[0][5] == "R25" and rows[0][4] == "36"
    older = re.search(r'rel="next" href="([^"]+)"', html)
    assert older is not None
    rest = _ledger(signed_in.get(unescape(older.group(1))).text)
    assert [row[5] for row in rest] == ["R0", "test receipt"]
    assert [row[4] for row in rest] == ["11", "10"]


def test_an_unknown_product_or_location_is_a_translated_404(
    signed_in: TestClient, berlin: int
) -> None:
    assert "Den Artikel NOPE-1 gibt es nicht." in signed_in.get("/stock/NOPE-1/ber").text
    response = signed_in.get("/stock/MUG-1/mars")
    assert response.status_code == 404
    assert "Den Standort mars gibt es nicht." in response.text


def test_a_position_never_stocked_shows_zeros_and_takes_a_first_booking(
    signed_in: TestClient, berlin: int, db: Database
) -> None:
    page = "/stock/NEW-1/ber"
    html = signed_in.get(page).text
    assert "Hier noch nie eingelagert" in html
    submit(signed_in, page, page + "/count", {"on_hand": 4, "reason": "Gefunden"})
    assert position(db, "NEW-1", berlin)["on_hand"] == 4
