"""Stock sync from outside systems (a WMS, a POS, a supplier feed), as rules without the
database: reading the CSV file and deciding, line by line, what a snapshot or a delta does to
a position.

The file: a header `sku;location;quantity` (`,` works too, detected from the header), UTF-8
with or without byte order mark. Python's `csv` module reads it (quoting, embedded
separators); only the column check and the numbers are ours.

A line is never applied if it would break the ledger invariant: an unknown SKU or location,
a count below what orders hold reserved, or a delta below zero is a line needing attention.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

SNAPSHOT = "snapshot"
DELTA = "delta"
MODES = (SNAPSHOT, DELTA)
COLUMNS = ("sku", "location", "quantity")
# One import is one transaction (all lines or none): this bounds how long it holds the write
# lock. Bigger feeds are sent in several imports (delta), or per location (snapshot).
MAX_LINES = 50_000
MAX_QUANTITY = 1_000_000_000

# Line outcomes.
CHANGED = "changed"
UNCHANGED = "unchanged"
UNKNOWN_SKU = "unknown_sku"
UNKNOWN_LOCATION = "unknown_location"
NON_STOCK = "non_stock"  # the product has no stock (a service, a digital good, made to order)
BELOW_RESERVED = "below_reserved"
BELOW_ZERO = "below_zero"
TOO_MANY = "too_many"
DUPLICATE = "duplicate"
APPLIED_OUTCOMES = (CHANGED, UNCHANGED)
REFUSED_OUTCOMES = (
    UNKNOWN_SKU,
    NON_STOCK,
    UNKNOWN_LOCATION,
    BELOW_RESERVED,
    BELOW_ZERO,
    TOO_MANY,
    DUPLICATE,
)
# Import status: every line applied, or some need a person.
APPLIED = "applied"
NEEDS_ATTENTION = "needs_attention"


@dataclass(frozen=True, slots=True)
class SyncLine:
    """One line as sent: `line_number` is its row in the file (2 is the first after the
    header), None for a position a snapshot did not name (counted as 0)."""

    line_number: int | None
    sku: str
    location: str
    quantity: int


@dataclass(frozen=True, slots=True)
class FileProblem:
    line_number: int
    message: str


@dataclass(frozen=True, slots=True)
class ReadSyncFile:
    lines: list[SyncLine]
    problems: list[FileProblem]


def read_sync_file(data: bytes) -> ReadSyncFile:
    """The file's lines, or its problems (then nothing is imported)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ReadSyncFile([], [FileProblem(1, "the file is not UTF-8")])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        message = f"the header must name {';'.join(COLUMNS)} (missing: {', '.join(missing)})"
        return ReadSyncFile([], [FileProblem(1, message)])
    sku_at, location_at, quantity_at = (header.index(name) for name in COLUMNS)
    lines: list[SyncLine] = []
    problems: list[FileProblem] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        number = reader.line_num
        if len(lines) + len(problems) >= MAX_LINES:
            problems.append(FileProblem(number, f"more than {MAX_LINES} lines"))
            break
        cells = row + [""] * (len(header) - len(row))
        problem = _line_problem(cells[sku_at], cells[location_at], cells[quantity_at])
        if problem:
            problems.append(FileProblem(number, problem))
            continue
        sku, location = cells[sku_at].strip(), cells[location_at].strip()
        lines.append(SyncLine(number, sku, location, int(cells[quantity_at].strip())))
    return ReadSyncFile(lines, problems)


def _line_problem(sku: str, location: str, quantity: str) -> str | None:
    if not sku.strip() or len(sku.strip()) > 64:
        return "sku must be 1 to 64 characters"
    if not location.strip() or len(location.strip()) > 40:
        return "location must be 1 to 40 characters"
    try:
        value = int(quantity.strip())
    except ValueError:
        return f"quantity '{quantity.strip()}' is not a whole number"
    if abs(value) > MAX_QUANTITY:
        return f"quantity must be between -{MAX_QUANTITY} and {MAX_QUANTITY}"
    return None


def check_lines(mode: str, lines: list[SyncLine]) -> str | None:
    """Why the import as a whole is refused (a 422), or None."""
    if mode not in MODES:
        return f"mode must be one of {', '.join(MODES)}"
    if not lines:
        return "the import holds no lines"
    if len(lines) > MAX_LINES:
        return f"at most {MAX_LINES} lines per import"
    if mode == SNAPSHOT and any(line.quantity < 0 for line in lines):
        return "a snapshot counts units: quantities must not be negative"
    return None


@dataclass(frozen=True, slots=True)
class PositionFigures:
    on_hand: int
    reserved: int


@dataclass(frozen=True, slots=True)
class LineDecision:
    outcome: str
    before: int | None
    after: int | None

    @property
    def difference(self) -> int:
        if self.before is None or self.after is None or self.outcome != CHANGED:
            return 0
        return self.after - self.before


def decide_line(mode: str, quantity: int, figures: PositionFigures) -> LineDecision:
    """What one known line does to its position: a snapshot sets on hand, a delta adds to
    it; neither may leave fewer units than are reserved, nor below zero, nor above the
    largest position."""
    before = figures.on_hand
    after = quantity if mode == SNAPSHOT else before + quantity
    if after < 0:
        return LineDecision(BELOW_ZERO, before, after)
    if after < figures.reserved:
        return LineDecision(BELOW_RESERVED, before, after)
    if after > MAX_QUANTITY:
        return LineDecision(TOO_MANY, before, after)
    return LineDecision(CHANGED if after != before else UNCHANGED, before, after)


@dataclass(frozen=True, slots=True)
class SyncBatch:
    """One import as sent: where it comes from (`source`, e.g. "WMS Nord"), how to read the
    quantities, and its lines."""

    source: str
    mode: str
    lines: list[SyncLine]
