"""Stock imports from outside systems inside the caller's unit of work: every line decided by
`stock_sync.decide_line`, every difference one `count` ledger row (cause `sync`, the import in
the note), every line stored with its outcome for the reconciliation report.

One import is one transaction: all of it is applied or none (a failure leaves nothing to
resume). Lines are decided and written in chunks, set-wise, so a progress callback can say how
far it is. The positions are locked in id order first; each change is then a compare-and-set
on the figure just read under that lock, checked by its row count."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.service import existing_skus, non_stock_skus
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, insert_returning_ids, insert_rows
from ordnung.core.errors import ConflictError, NotFoundError
from ordnung.inventory import stock_sync
from ordnung.inventory.events import StockImported
from ordnung.inventory.model import invalid
from ordnung.inventory.operations import SYNC
from ordnung.inventory.operations_tables import stock_import_line_table as import_line
from ordnung.inventory.operations_tables import stock_import_table as stock_import
from ordnung.inventory.positions import (
    Key,
    LockedPosition,
    location_ids,
    locked_positions,
    open_positions,
    positions_at,
)
from ordnung.inventory.stock import COUNT, Movement, apply_counts, record_movements
from ordnung.inventory.stock_sync import PositionFigures, SyncLine, decide_line

CHUNK = 1_000
MAX_SOURCE_LENGTH = 120


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    id: int
    status: str
    changed: int
    unchanged: int
    refused: int
    raised_skus: frozenset[str]  # SKUs that gained units: waiting orders may take them
    report: dict[str, Any] = field(default_factory=dict)  # read_report, for the answer


Progress = Callable[[int], None]


def apply_import(
    uow: UnitOfWork,
    source: str,
    mode: str,
    lines: list[SyncLine],
    *,
    on_progress: Progress | None = None,
) -> ImportOutcome:
    """Applies a snapshot or delta; refused lines are stored, never applied."""
    source = source.strip()
    if not 0 < len(source) <= MAX_SOURCE_LENGTH:
        raise invalid("source", f"must be 1 to {MAX_SOURCE_LENGTH} characters")
    refused_as_whole = stock_sync.check_lines(mode, lines)
    if refused_as_whole:
        raise invalid("lines" if mode in stock_sync.MODES else "mode", refused_as_whole)
    connection, now = uow.connection, clock.now()
    places = location_ids(connection, {line.location for line in lines})
    if mode == stock_sync.SNAPSHOT:
        lines = lines + _unnamed_positions(connection, lines, places)
    known_skus = existing_skus(connection, {line.sku for line in lines})
    # A non-stock product has no stock: its lines are refused, and no position is opened.
    non_stock = non_stock_skus(connection, known_skus)
    known_skus -= non_stock
    import_id = insert_returning_ids(
        connection, stock_import, [_header(uow, source, mode, len(lines), now)]
    )[0]
    keys = {
        (line.sku, places[line.location])
        for line in lines
        if line.sku in known_skus and line.location in places
    }
    open_positions(connection, keys, now)
    figures = locked_positions(connection, keys)
    plan = _Plan(mode, figures, known_skus, places, non_stock)
    counts = {"changed": 0, "unchanged": 0, "refused": 0}
    raised: set[str] = set()
    for start in range(0, len(lines), CHUNK):
        chunk = lines[start : start + CHUNK]
        rows = [plan.decide(line) for line in chunk]
        _apply_chunk(uow, import_id, rows, now)
        _tally(rows, counts, raised)
        if on_progress is not None:
            on_progress(start + len(chunk))
    status = stock_sync.NEEDS_ATTENTION if counts["refused"] else stock_sync.APPLIED
    connection.execute(
        update(stock_import)
        .where(stock_import.c.id == import_id)
        .values(
            status=status,
            changed_count=counts["changed"],
            unchanged_count=counts["unchanged"],
            refused_count=counts["refused"],
        )
    )
    uow.record(
        StockImported(source=source, mode=mode, status=status, **counts), aggregate_id=import_id
    )
    return ImportOutcome(
        import_id,
        status,
        counts["changed"],
        counts["unchanged"],
        counts["refused"],
        frozenset(raised),
    )


def _tally(rows: list[dict[str, Any]], counts: dict[str, int], raised: set[str]) -> None:
    """Adds the chunk's outcomes to the counts; notes SKUs that gained units."""
    for row in rows:
        outcome = row["outcome"]
        if outcome == stock_sync.CHANGED:
            counts["changed"] += 1
        elif outcome == stock_sync.UNCHANGED:
            counts["unchanged"] += 1
        else:
            counts["refused"] += 1
        if row["difference"] > 0:
            raised.add(row["sku"])


def _header(
    uow: UnitOfWork, source: str, mode: str, line_count: int, now: datetime
) -> dict[str, Any]:
    return {
        "source": source,
        "mode": mode,
        "status": stock_sync.APPLIED,
        "line_count": line_count,
        "changed_count": 0,
        "unchanged_count": 0,
        "refused_count": 0,
        "created_by": uow.actor,
        "created_at": now,
    }


def _unnamed_positions(
    connection: Connection, lines: list[SyncLine], places: dict[str, int]
) -> list[SyncLine]:
    """A snapshot is the whole truth for the locations it names: a position there that the
    file leaves out is counted as 0."""
    named_locations = {places[line.location] for line in lines if line.location in places}
    named = {(line.sku, places[line.location]) for line in lines if line.location in places}
    code_of = {location_id: code for code, location_id in places.items()}
    return [
        SyncLine(None, sku, code_of[location_id], 0)
        for (sku, location_id) in sorted(positions_at(connection, named_locations))
        if (sku, location_id) not in named
    ]


class _Plan:
    """Decides line after line, keeping each position's figure as the lines before left it
    (a delta may name a position twice; a snapshot may not)."""

    def __init__(
        self,
        mode: str,
        figures: dict[Key, LockedPosition],
        skus: set[str],
        places: dict[str, int],
        non_stock: set[str],
    ) -> None:
        self.mode = mode
        self.non_stock = non_stock
        self.figures = figures
        self.skus = skus
        self.places = places
        self.current: dict[Key, int] = {}
        self.seen: set[Key] = set()

    def decide(self, line: SyncLine) -> dict[str, Any]:
        row: dict[str, Any] = {
            "line_number": line.line_number,
            "sku": line.sku,
            "location": line.location,
            "quantity": line.quantity,
            "before": None,
            "after": None,
            "difference": 0,
            "reserved": None,
            "position_id": None,
        }
        if line.sku in self.non_stock:
            return {**row, "outcome": stock_sync.NON_STOCK}
        if line.sku not in self.skus:
            return {**row, "outcome": stock_sync.UNKNOWN_SKU}
        if line.location not in self.places:
            return {**row, "outcome": stock_sync.UNKNOWN_LOCATION}
        key = (line.sku, self.places[line.location])
        if self.mode == stock_sync.SNAPSHOT and key in self.seen:
            return {**row, "outcome": stock_sync.DUPLICATE}
        self.seen.add(key)
        found = self.figures.get(key)
        on_hand = self.current.get(key, found.on_hand if found else 0)
        reserved = found.reserved if found else 0
        decision = decide_line(self.mode, line.quantity, PositionFigures(on_hand, reserved))
        if decision.outcome == stock_sync.CHANGED:
            self.current[key] = on_hand + decision.difference
        return {
            **row,
            "before": decision.before,
            "after": decision.after,
            "difference": decision.difference,
            "reserved": reserved,
            "outcome": decision.outcome,
            "position_id": found.id if found else None,
            "on_hand_read": on_hand,
        }


def _apply_chunk(
    uow: UnitOfWork, import_id: int, rows: list[dict[str, Any]], now: datetime
) -> None:
    changes = [row for row in rows if row["outcome"] == stock_sync.CHANGED]
    if changes:
        counted = [(row["position_id"], row["on_hand_read"], row["difference"]) for row in changes]
        # Locked rows cannot have changed since they were read; if one did, start again.
        if not apply_counts(uow.connection, counted, now):
            raise ConflictError("Stock changed while the import was applied; send it again.")
        note = f"import {import_id}"
        movements = [
            Movement(row["position_id"], COUNT, row["difference"], 0, note, cause=SYNC)
            for row in changes
        ]
        record_movements(uow.connection, movements, actor=uow.actor, now=now)
    stored = [{key: row[key] for key in _LINE_COLUMNS} | {"import_id": import_id} for row in rows]
    insert_rows(uow.connection, import_line, stored)


_LINE_COLUMNS = (
    "line_number",
    "sku",
    "location",
    "quantity",
    "before",
    "after",
    "difference",
    "reserved",
    "outcome",
)


# -- reading ---------------------------------------------------------------------------------


def _import_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "source": row.source,
        "mode": row.mode,
        "status": row.status,
        "line_count": row.line_count,
        "changed": row.changed_count,
        "unchanged": row.unchanged_count,
        "refused": row.refused_count,
        "created_by": row.created_by,
        "created_at": row.created_at,
    }


def list_imports(db: Database, *, after_id: int | None = None, limit: int = 50) -> dict[str, Any]:
    """Imports newest first."""
    query = select(stock_import).order_by(stock_import.c.id.desc()).limit(limit + 1)
    if after_id is not None:
        query = query.where(stock_import.c.id < after_id)
    rows = db.read(lambda c: list(c.execute(query)))
    items = [_import_dict(row) for row in rows[:limit]]
    return {"items": items, "next_after_id": items[-1]["id"] if len(rows) > limit else None}


def get_import(db: Database, import_id: int) -> dict[str, Any]:
    return db.read(lambda connection: read_import(connection, import_id))


def read_import(connection: Connection, import_id: int) -> dict[str, Any]:
    row = connection.execute(select(stock_import).where(stock_import.c.id == import_id)).first()
    if row is None:
        raise NotFoundError(f"No stock import with id {import_id}.")
    return _import_dict(row)


def import_lines(
    db: Database,
    import_id: int,
    *,
    outcomes: tuple[str, ...] = (),
    after_id: int | None = None,
    limit: int = 100,
) -> dict[str, Any]:
    """The lines of an import in file order, optionally only some outcomes."""
    return db.read(
        lambda connection: read_import_lines(
            connection, import_id, outcomes=outcomes, after_id=after_id, limit=limit
        )
    )


def read_import_lines(
    connection: Connection,
    import_id: int,
    *,
    outcomes: tuple[str, ...] = (),
    after_id: int | None = None,
    limit: int = 100,
) -> dict[str, Any]:
    query = select(import_line).where(import_line.c.import_id == import_id)
    if outcomes:
        query = query.where(import_line.c.outcome.in_(outcomes))
    if after_id is not None:
        query = query.where(import_line.c.id > after_id)
    rows = list(connection.execute(query.order_by(import_line.c.id).limit(limit + 1)))
    items = [
        {
            "id": row.id,
            "line_number": row.line_number,
            "sku": row.sku,
            "location": row.location,
            "quantity": row.quantity,
            "before": row.before,
            "after": row.after,
            "difference": row.difference,
            "reserved": row.reserved,
            "outcome": row.outcome,
        }
        for row in rows[:limit]
    ]
    return {"items": items, "next_after_id": items[-1]["id"] if len(rows) > limit else None}


def read_report(
    connection: Connection, import_id: int, *, attention_limit: int = 1_000
) -> dict[str, Any]:
    """The import with the lines that need a person (refused), for the reconciliation."""
    attention = read_import_lines(
        connection, import_id, outcomes=stock_sync.REFUSED_OUTCOMES, limit=attention_limit
    )
    return {**read_import(connection, import_id), "attention": attention["items"]}


def import_report(db: Database, import_id: int) -> dict[str, Any]:
    return db.read(lambda connection: read_report(connection, import_id))


def outcome_counts(db: Database, import_id: int) -> dict[str, int]:
    query = (
        select(import_line.c.outcome, func.count())
        .where(import_line.c.import_id == import_id)
        .group_by(import_line.c.outcome)
    )
    return {outcome: int(count) for outcome, count in db.read(lambda c: list(c.execute(query)))}
