"""The catalogue CSV format: what an import file may hold, and an export that reads back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ordnung.catalog.model import Product, ProductDraft, ProductImportRow
from ordnung.catalog.product_csv import (
    DUPLICATE_SKU,
    EMPTY_FILE,
    EXCEL,
    EXTRA_CELLS,
    MISSING_COLUMNS,
    PLAIN,
    UNKNOWN_COLUMNS,
    RowProblem,
    read_products,
    write_products,
)

HEADER = "sku;name;gtin;weight_grams;vat_percent;active"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _product(sku: str, name: str, **overrides: object) -> Product:
    values: dict[str, object] = {
        "id": 1,
        "sku": sku,
        "name": name,
        "gtin": None,
        "weight_grams": None,
        "tax_class": "standard",
        "tax_rate": "19",
        "created_at": NOW,
        "updated_at": NOW,
        "is_active": True,
        "version": 1,
    }
    values.update(overrides)
    return Product(**values)  # type: ignore[arg-type]


def test_a_good_file_gives_one_checked_product_per_row() -> None:
    data = (
        f"{HEADER}\n"
        "TSH-RED-M;  T-Shirt rot M ;4006-381333931;180;19 %;1\n"
        "BOOK-42;Kochbuch;;950;7;\n"
        "GIFT-1;Gutschein;;;0;nein\n"
    ).encode()
    read = read_products(data)
    assert read.is_importable
    assert read.row_count == 3
    assert read.rows == [
        ProductImportRow(
            ProductDraft("TSH-RED-M", "T-Shirt rot M", "standard", "4006381333931", 180), True
        ),
        ProductImportRow(ProductDraft("BOOK-42", "Kochbuch", "reduced", None, 950), None),
        ProductImportRow(ProductDraft("GIFT-1", "Gutschein", "zero", None, None), False),
    ]


def test_every_bad_value_of_every_row_is_reported_and_no_row_is_given_to_import() -> None:
    data = (
        f"{HEADER}\n"
        "OK-1;Gut;;;19;\n"
        "BAD 1;;4006381333932;schwer;16;vielleicht\n"
        "OK-1;Doppelt;;;19;;extra\n"
    ).encode()
    read = read_products(data)
    assert not read.is_importable
    assert read.rows == []
    assert read.problems == [
        RowProblem(3, "sku", "BAD 1"),
        RowProblem(3, "name", ""),
        RowProblem(3, "gtin", "4006381333932"),
        RowProblem(3, "weight_grams", "schwer"),
        RowProblem(3, "vat_percent", "16"),
        RowProblem(3, "active", "vielleicht"),
        RowProblem(4, EXTRA_CELLS),
        RowProblem(4, DUPLICATE_SKU, "OK-1"),
    ]


@pytest.mark.parametrize("weight", ["1.000", "1,5", "-3", "1e3", "٣"])
def test_a_weight_must_be_plain_digits(weight: str) -> None:
    read = read_products(f"{HEADER}\nA-1;A;;{weight};19;\n".encode())
    assert [problem.problem for problem in read.problems] == ["weight_grams"]


def test_the_separator_is_read_from_the_header_and_a_bom_is_dropped() -> None:
    data = '\ufeffsku,name,gtin,weight_grams,vat_percent\nA-1,"Becher, blau",,250,19\n'
    read = read_products(data.encode())
    assert read.rows[0].draft.name == "Becher, blau"
    assert read.rows[0].is_active is None


def test_a_windows_1252_file_from_german_excel_keeps_its_umlauts() -> None:
    data = f"{HEADER}\nM-1;Müslischale groß;;;19;1\n".encode("cp1252")
    assert read_products(data).rows[0].draft.name == "Müslischale groß"


def test_columns_may_come_in_any_order_and_case_and_blank_lines_are_skipped() -> None:
    data = b"VAT_PERCENT;Name;SKU;gtin;Weight_Grams\n\n7;Tee;T-1;;\n;;;;\n"
    read = read_products(data)
    assert read.row_count == 1
    assert read.rows[0].draft == ProductDraft("T-1", "Tee", "reduced")


@pytest.mark.parametrize(
    ("header", "problem", "columns"),
    [
        ("", EMPTY_FILE, ()),
        ("sku;name;gtin", MISSING_COLUMNS, ("weight_grams", "vat_percent")),
        (HEADER + ";price;farbe", UNKNOWN_COLUMNS, ("farbe", "price")),
    ],
)
def test_a_header_without_the_required_columns_refuses_the_file(
    header: str, problem: str, columns: tuple[str, ...]
) -> None:
    read = read_products(f"{header}\nA-1;A;;;19;1\n".encode())
    assert read.file_problem is not None
    assert (read.file_problem.problem, read.file_problem.columns) == (problem, columns)
    assert not read.is_importable


def test_an_export_reads_back_to_the_same_products_in_both_dialects() -> None:
    products = [
        _product("A-1", "Becher; blau", gtin="4006381333931", weight_grams=250),
        _product("B-2", 'Buch "Kochen"', tax_class="reduced", is_active=False),
        _product("C-3", "Gutschein", tax_class="zero"),
    ]
    for dialect in (EXCEL, PLAIN):
        text = write_products(products, dialect)
        assert text.startswith("\ufeff") is dialect.has_bom
        read = read_products(text.encode())
        assert [(row.draft, row.is_active) for row in read.rows] == [
            (ProductDraft("A-1", "Becher; blau", "standard", "4006381333931", 250), True),
            (ProductDraft("B-2", 'Buch "Kochen"', "reduced"), False),
            (ProductDraft("C-3", "Gutschein", "zero"), True),
        ]


def test_the_excel_export_uses_semicolons_and_writes_vat_as_a_percentage() -> None:
    text = write_products([_product("A-1", "Becher", tax_class="reduced")], EXCEL)
    assert text.splitlines() == [f"\ufeff{HEADER};stock_policy", "A-1;Becher;;;7;1;stocked"]


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_exported_inert_and_read_back() -> None:
    text = write_products([_product("X-1", "=HYPERLINK(1)")], PLAIN)
    assert "'=HYPERLINK(1)" in text
    assert read_products(text.encode()).rows[0].draft.name == "=HYPERLINK(1)"


def test_the_optional_stock_policy_column_is_read_checked_and_written() -> None:
    data = f"{HEADER};stock_policy\nW-1;Geschenkverpackung;;60;19;1;non_stock\nB-1;Becher;;;19;;\n"
    read = read_products(data.encode())
    assert read.problems == []
    assert [(row.draft.sku, row.stock_policy) for row in read.rows] == [
        ("W-1", "non_stock"),
        ("B-1", None),  # empty: the product keeps its policy
    ]
    refused = read_products(f"{HEADER};stock_policy\nW-1;W;;;19;1;service\n".encode())
    assert [(p.row, p.problem, p.value) for p in refused.problems] == [
        (2, "stock_policy", "service")
    ]
    written = write_products(
        [_product("W-1", "Geschenkverpackung", stock_policy="non_stock")], EXCEL
    )
    assert written.splitlines()[1] == "W-1;Geschenkverpackung;;;19;1;non_stock"
