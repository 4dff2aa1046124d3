"""The catalogue as a CSV file: reading an import file row by row, writing an export. Pure.

One format both ways, so an export can be edited and imported again:

    sku;name;gtin;weight_grams;vat_percent;active;stock_policy
    TSH-RED-M;T-Shirt rot M;4006381333931;180;19;1;stocked

- Columns by name in the header (any order, any case); `sku`, `name`, `gtin`, `weight_grams`
  and `vat_percent` are required, so every row describes the whole product; `active` is
  optional (`1`/`0`, `ja`/`nein`, `yes`/`no`, `true`/`false`; empty keeps the product's state,
  a new product is active). Empty `gtin` or `weight_grams` means none. `stock_policy` is
  optional too (`stocked`, `preorder`, `non_stock`; empty keeps the product's policy, a new
  product is stocked); a pre-order's release day and cap are set in the back office.
- `vat_percent` is the German VAT rate in percent (`19`, `7`, `0`, also `19 %` or `19,0`).
- Separator `;` or `,` (or tab), read from the header line. UTF-8 with or without BOM; a file
  that is not UTF-8 is read as Windows-1252, which Excel's plain "CSV" writes in Germany.
- Rows are numbered as a spreadsheet numbers them: the header is row 1.
- Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is written with a
  leading `'` and read back without it, so an export opened in Excel runs nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ordnung.catalog.model import (
    STOCK_POLICIES,
    TAX_RATES,
    Product,
    ProductDraft,
    ProductImportRow,
    check_product,
    invalid_fields,
)

COLUMNS = ("sku", "name", "gtin", "weight_grams", "vat_percent", "active", "stock_policy")
REQUIRED_COLUMNS = frozenset(COLUMNS) - {"active", "stock_policy"}
# About 250 bytes a row would still pass the request body limit; far more rows than a
# person checks by eye, few enough to hold and write in one transaction.
MAX_ROWS = 20_000
_TRUE = frozenset({"1", "ja", "yes", "true", "wahr", "x"})
_FALSE = frozenset({"0", "nein", "no", "false", "falsch"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PERCENT_TO_CLASS = {rate: tax_class for tax_class, rate in TAX_RATES.items()}

# Row problems: a column name (its value is not acceptable) or one of these.
DUPLICATE_SKU = "duplicate_sku"
EXTRA_CELLS = "extra_cells"
# File problems.
EMPTY_FILE = "empty_file"
MISSING_COLUMNS = "missing_columns"
UNKNOWN_COLUMNS = "unknown_columns"
DUPLICATE_COLUMNS = "duplicate_columns"
TOO_MANY_ROWS = "too_many_rows"
NOT_CSV = "not_csv"  # NUL bytes, a field beyond the csv module's limit: not a text table


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    problem: str  # the column whose value is refused, or DUPLICATE_SKU / EXTRA_CELLS
    value: str = ""  # what the row holds there, to show beside the message


@dataclass(frozen=True, slots=True)
class FileProblem:
    problem: str  # EMPTY_FILE, MISSING_COLUMNS, UNKNOWN_COLUMNS, DUPLICATE_COLUMNS, ...
    columns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReadFile:
    """An import file read: the rows that can be imported and every problem found."""

    rows: list[ProductImportRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    file_problem: FileProblem | None = None
    row_count: int = 0  # data rows read, blank rows not counted

    @property
    def is_importable(self) -> bool:
        return self.file_problem is None and not self.problems and bool(self.rows)


@dataclass(frozen=True, slots=True)
class CsvDialect:
    delimiter: str
    has_bom: bool


# German Excel opens a double-clicked file with `;` and needs the BOM to read UTF-8.
EXCEL = CsvDialect(";", has_bom=True)
PLAIN = CsvDialect(",", has_bom=False)


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped); anything else is taken for Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_products(data: bytes) -> ReadFile:
    """Every row of the file checked; the rows to import only if the whole file is good."""
    text = decode(data)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(records, None)
        if header is None or not any(cell.strip() for cell in header):
            return ReadFile(file_problem=FileProblem(EMPTY_FILE))
        columns = [cell.strip().lower() for cell in header]
        file_problem = _header_problem(columns)
        if file_problem is not None:
            return ReadFile(file_problem=file_problem)
        return _read_rows(records, columns)
    except csv.Error:
        return ReadFile(file_problem=FileProblem(NOT_CSV))


def _read_rows(records: Iterable[list[str]], columns: list[str]) -> ReadFile:
    rows: list[ProductImportRow] = []
    problems: list[RowProblem] = []
    first_row_of: dict[str, int] = {}
    count = 0
    for number, cells in enumerate(records, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, often at the end of a file saved by a spreadsheet
        count += 1
        if count > MAX_ROWS:
            return ReadFile(file_problem=FileProblem(TOO_MANY_ROWS), row_count=count)
        row, row_problems = _read_row(number, cells, columns)
        if row is not None and row.draft.sku in first_row_of:
            row_problems.append(RowProblem(number, DUPLICATE_SKU, row.draft.sku))
        elif row is not None:
            first_row_of[row.draft.sku] = number
        problems.extend(row_problems)
        if row is not None and not row_problems:
            rows.append(row)
    return ReadFile(rows if not problems else [], problems, None, count)


def _read_row(
    number: int, cells: list[str], columns: list[str]
) -> tuple[ProductImportRow | None, list[RowProblem]]:
    """One row as a checked product, or what is wrong with it (with the product as far as it
    could be read, so that a SKU given twice is found even in rows with other problems)."""
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        (name, _unprotect(cell.strip())) for name, cell in zip(columns, cells, strict=False)
    )
    weight, is_weight_readable = _whole_number(values["weight_grams"])
    tax_class = _tax_class(values["vat_percent"])
    is_active, is_active_readable = _yes_no(values["active"])
    stock_policy = values["stock_policy"].lower() or None
    draft = ProductDraft(
        sku=values["sku"],
        name=values["name"],
        tax_class=tax_class or "standard",
        gtin=values["gtin"] or None,
        weight_grams=weight,
    )
    refused = set(invalid_fields(draft))
    if not is_weight_readable:
        refused.add("weight_grams")
    if tax_class is None:
        refused.add("vat_percent")
    if not is_active_readable:
        refused.add("active")
    if stock_policy is not None and stock_policy not in STOCK_POLICIES:
        refused.add("stock_policy")
    problems = [RowProblem(number, name, values[name]) for name in COLUMNS if name in refused]
    if any(cell.strip() for cell in cells[len(columns) :]):
        problems.append(RowProblem(number, EXTRA_CELLS))
    if problems:
        return (None if "sku" in refused else ProductImportRow(draft)), problems
    return ProductImportRow(check_product(draft), is_active, stock_policy), []


def _header_problem(columns: list[str]) -> FileProblem | None:
    named = [name for name in columns if name]
    unknown = tuple(sorted(set(named) - set(COLUMNS)))
    if unknown:
        return FileProblem(UNKNOWN_COLUMNS, unknown)
    missing = tuple(name for name in COLUMNS if name in REQUIRED_COLUMNS and name not in named)
    if missing:
        return FileProblem(MISSING_COLUMNS, missing)
    repeated = tuple(sorted({name for name in named if named.count(name) > 1}))
    return FileProblem(DUPLICATE_COLUMNS, repeated) if repeated else None


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


def _whole_number(text: str) -> tuple[int | None, bool]:
    """(the number or None when empty, whether the text was readable). Digits only: `1.000`
    might be a thousand grams or one and a bit, so it is refused rather than guessed."""
    if not text:
        return None, True
    return (int(text), True) if text.isascii() and text.isdigit() else (None, False)


def _tax_class(text: str) -> str | None:
    """`19`, `19 %`, `19,0` → the tax class with that rate; None if there is none."""
    cleaned = text.replace("%", "").replace(" ", "").replace("\xa0", "").replace(",", ".")
    try:
        percent = Decimal(cleaned)
    except InvalidOperation:
        return None
    return _PERCENT_TO_CLASS.get(percent) if percent.is_finite() else None


def _yes_no(text: str) -> tuple[bool | None, bool]:
    """(True, False or None when empty, whether the text was readable)."""
    lowered = text.lower()
    if not lowered:
        return None, True
    if lowered in _TRUE:
        return True, True
    return False, lowered in _FALSE


def vat_percent(tax_class: str) -> str:
    """The tax class as the file writes it: `19`, `7`, `0`."""
    return f"{TAX_RATES[tax_class].normalize():f}"


def write_products(products: Iterable[Product], dialect: CsvDialect) -> str:
    """The products as a file `read_products` reads back to the same products."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for product in products:
        writer.writerow(
            (
                product.sku,
                _protect(product.name),
                product.gtin or "",
                "" if product.weight_grams is None else product.weight_grams,
                vat_percent(product.tax_class),
                "1" if product.is_active else "0",
                product.stock_policy,
            )
        )
    return ("\ufeff" if dialect.has_bom else "") + out.getvalue()


def _protect(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _unprotect(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS) else text
