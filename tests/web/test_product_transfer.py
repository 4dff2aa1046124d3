"""CSV import and export from the catalogue pages: a bad file imports nothing and lists its
problems by row; a good one is written at once with its progress streamed; the same file twice
changes nothing; the export reads back in."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from ordnung.catalog.model import ProductDraft
from ordnung.catalog.service import create_product, deactivate_product, find_products, get_product
from ordnung.core.db import Database
from ordnung.core.errors import ConflictError
from ordnung.web.pages import product_transfer
from tests.web.conftest import csrf_from

HEADER = "sku;name;gtin;weight_grams;vat_percent;active"


def _upload(client: TestClient, content: bytes, file_name: str = "katalog.csv") -> Response:
    token = csrf_from(client.get("/catalogue/import").text)
    return client.post(
        "/catalogue/import",
        data={"csrf_token": token},
        files={"file": (file_name, content, "text/csv")},
    )


def _problems(html: str) -> list[tuple[str, str, str]]:
    """(row, column, message) of each listed problem."""
    rows = re.findall(
        r'<td data-label="Zeile" class="num">(\d+)</td>\s*'
        r'<td data-label="Spalte" class="mono">([^<]*)</td>\s*'
        r'<td data-label="Wert" class="mono">[^<]*</td>\s*'
        r'<td data-label="Fehler">([^<]*)</td>',
        html,
    )
    return [(row, column, unescape(message)) for row, column, message in rows]


def _outcome(html: str) -> str:
    match = re.search(r'<p class="alert (?:success|error)" role="\w+">([^<]*)</p>', html)
    assert match, "the import page shows no outcome"
    return unescape(match.group(1))


def test_a_good_file_is_imported_with_its_progress_and_an_account_of_what_changed(
    signed_in: TestClient, db: Database
) -> None:
    create_product(db, ProductDraft("KEEP-1", "Unverändert"))
    create_product(db, ProductDraft("EDIT-1", "Alter Name"))
    rows = [f"NEW-{n:04d};Neuer Artikel {n};;{n};19;" for n in range(1200)]
    content = "\n".join(
        [HEADER, "KEEP-1;Unverändert;;;19;", "EDIT-1;Neuer Name;;;7;0", *rows]
    ).encode()
    response = _upload(signed_in, content)
    assert response.status_code == 200
    html = response.text
    assert "Geschriebene Zeilen: 500 von 1.202" in html
    assert "Geschriebene Zeilen: 1.000 von 1.202" in html
    assert _outcome(html) == (
        "Fertig. Übernommene Zeilen: 1.202 — neu: 1.200, geändert: 1, unverändert: 1."
    )
    edited = get_product(db, "EDIT-1")
    assert (edited.name, edited.tax_class, edited.is_active) == ("Neuer Name", "reduced", False)
    assert get_product(db, "NEW-1199").weight_grams == 1199


def test_the_same_file_twice_changes_nothing_the_second_time(
    signed_in: TestClient, db: Database
) -> None:
    content = f"{HEADER}\nA-1;Becher;4006381333931;250;19;1\nB-1;Buch;;;7;0\n".encode()
    _upload(signed_in, content)
    before = [get_product(db, sku) for sku in ("A-1", "B-1")]
    html = _upload(signed_in, content).text
    assert _outcome(html) == "Fertig. Übernommene Zeilen: 2 — neu: 0, geändert: 0, unverändert: 2."
    assert [get_product(db, sku) for sku in ("A-1", "B-1")] == before


def test_a_file_with_bad_rows_lists_every_problem_by_row_and_imports_nothing(
    signed_in: TestClient, db: Database
) -> None:
    content = (
        f"{HEADER}\n"
        "OK-1;Gut;;;19;\n"
        "OK-2;;4006381333932;;19;\n"
        "OK-3;Gut;;-4;20;\n"
        "OK-1;Doppelt;;;19;\n"
    ).encode("cp1252")
    response = _upload(signed_in, content)
    assert response.status_code == 422
    assert "katalog.csv – Zeilen mit Fehlern: 3 von 4. Nichts wurde importiert." in unescape(
        response.text
    )
    assert _problems(response.text) == [
        ("3", "name", "Name fehlt oder ist länger als 300 Zeichen."),
        ("3", "gtin", "Keine gültige GTIN (8, 12, 13 oder 14 Ziffern mit Prüfziffer)."),
        ("4", "weight_grams", "Gewicht muss eine ganze Zahl von 0 bis 1.000.000 sein."),
        ("4", "vat_percent", "MwSt.-Satz muss 19, 7 oder 0 sein."),
        ("5", "–", "Diese SKU steht schon in einer früheren Zeile."),
    ]
    assert find_products(db, is_active=None).items == []


def test_a_file_without_the_required_columns_is_refused_as_a_whole(
    signed_in: TestClient, db: Database
) -> None:
    response = _upload(signed_in, b"sku,name,price\nA-1,Becher,9.99\n")
    assert response.status_code == 422
    assert "Unbekannte Spalten in der Kopfzeile: price. Nichts wurde importiert." in unescape(
        response.text
    )
    assert find_products(db, is_active=None).items == []


def test_a_binary_file_or_an_overlong_field_is_refused_instead_of_failing(
    signed_in: TestClient, db: Database
) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
    response = _upload(signed_in, png, "bild.png")
    assert response.status_code == 422
    assert "Unbekannte Spalten in der Kopfzeile" in response.text
    overlong = f'{HEADER}\n"A{"x" * 200_000}";B;;;19;\n'.encode()
    response = _upload(signed_in, overlong)
    assert response.status_code == 422
    assert "Die Datei ist keine CSV-Textdatei" in response.text
    assert find_products(db, is_active=None).items == []


def test_no_file_or_a_header_alone_is_refused_with_a_message(signed_in: TestClient) -> None:
    token = csrf_from(signed_in.get("/catalogue/import").text)
    no_file = signed_in.post("/catalogue/import", data={"csrf_token": token})
    assert no_file.status_code == 422
    assert "Bitte eine CSV-Datei wählen." in no_file.text
    header_only = _upload(signed_in, f"{HEADER}\n".encode())
    assert "Die Datei enthält keine Artikelzeilen; nichts wurde importiert." in header_only.text


def test_the_excel_export_is_utf8_with_bom_and_semicolons_and_holds_inactive_products(
    signed_in: TestClient, db: Database
) -> None:
    create_product(db, ProductDraft("B-1", "Müslischale; groß", gtin="4006381333931"))
    create_product(db, ProductDraft("A-1", "Tee", tax_class="reduced", weight_grams=100))
    deactivate_product(db, "A-1")
    response = signed_in.get("/catalogue/export.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig").splitlines() == [
        HEADER + ";stock_policy",
        "A-1;Tee;;100;7;0;stocked",
        'B-1;"Müslischale; groß";4006381333931;;19;1;stocked',
    ]


def test_the_plain_export_uses_commas_without_bom_and_imports_back_unchanged(
    signed_in: TestClient, db: Database
) -> None:
    create_product(db, ProductDraft("A-1", "Becher, blau", weight_grams=250))
    exported = signed_in.get("/catalogue/export.csv", params={"format": "plain"}).content
    assert exported.startswith(b"sku,name,")
    html = _upload(signed_in, exported).text
    assert _outcome(html) == "Fertig. Übernommene Zeilen: 1 — neu: 0, geändert: 0, unverändert: 1."


def test_an_import_that_fails_while_writing_ends_its_page_with_the_reason(
    signed_in: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ConflictError("Someone else is importing.")

    monkeypatch.setattr(product_transfer, "import_products", refuse)
    html = _upload(signed_in, f"{HEADER}\nA-1;Becher;;;19;\n".encode()).text
    assert _outcome(html) == (
        "Der Import ist fehlgeschlagen: Someone else is importing. Nichts wurde importiert."
    )


def test_an_unexpected_failure_still_ends_the_page_with_a_message(
    signed_in: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(product_transfer, "import_products", crash)
    html = _upload(signed_in, f"{HEADER}\nA-1;Becher;;;19;\n".encode()).text
    assert _outcome(html) == ("Der Import ist unerwartet fehlgeschlagen. Nichts wurde importiert.")
