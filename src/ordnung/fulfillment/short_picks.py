"""Short picks: a location finds fewer units on the shelf than it reserved for an order.

The missing units leave the fulfilment order (its line shrinks; when nothing is left to ship
the fulfilment order is closed as cancelled), their reservation ends, and the location's on
hand drops by the same units with a `short_pick` ledger row: the units are not there, so they
must not be promised to anyone again. (If they turn up, a stock count books them back.)
Sourcing then decides for the order's units (orchestration/); what it decided is stored per
line in `short_pick_report`, which is the order's "short pick reported" marker until an agent
acknowledges it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, insert_rows
from ordnung.core.errors import ConflictError, NotFoundError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.fulfillment import events, model
from ordnung.fulfillment.cancellation_requests import has_open_request
from ordnung.fulfillment.model import MissingUnits, PickLine
from ordnung.fulfillment.service import _load, _open_lines, _transition
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line_table
from ordnung.fulfillment.tables import short_pick_report_table as report_table
from ordnung.inventory import stock

MAX_NOTE_LENGTH = 300


@dataclass(frozen=True, slots=True)
class ShortPickedLine:
    fulfillment_order_line_id: int
    order_line_id: int
    sku: str
    missing: int


@dataclass(frozen=True, slots=True)
class ShortPicked:
    """What left the fulfilment order; `is_closed` when nothing was left to ship."""

    fulfillment_order_id: int
    order_id: int
    location_id: int
    status: str
    lines: list[ShortPickedLine]

    @property
    def units_by_line_id(self) -> dict[int, int]:
        units: dict[int, int] = {}
        for line in self.lines:
            units[line.order_line_id] = units.get(line.order_line_id, 0) + line.missing
        return units


def _check_not_packed(rows: dict[int, dict[str, Any]], reported: Sequence[MissingUnits]) -> None:
    """Units in a package are in hand, not missing: take the package apart first."""
    for item in reported:
        line = rows[item.line_id]
        unpacked = line["quantity"] - line["shipped_quantity"] - line["packed_quantity"]
        if item.missing > unpacked:
            raise ConflictError(
                f"Line {item.line_id} has {line['packed_quantity']} units in packages; at most"
                f" {unpacked} can be missing. Remove the package first."
            )


def short_pick(uow: UnitOfWork, fo_id: int, reported: Sequence[MissingUnits]) -> ShortPicked:
    """Takes the missing units out of the fulfilment order and the location's stock. The
    caller has locked the order and the stock positions of its SKUs."""
    fo = _load(uow.connection, fo_id)
    if has_open_request(uow.connection, fo_id):
        raise ConflictError(
            f"Fulfilment order {fo_id} has an open cancellation request: decide it first."
        )
    rows = {row["id"]: row for row in _open_lines(uow.connection, fo_id)}
    lines = [
        PickLine(r["id"], r["order_line_id"], r["sku"], r["quantity"] - r["shipped_quantity"])
        for r in rows.values()
    ]
    model.check_short_pick(fo["status"], lines, list(reported))
    _check_not_packed(rows, reported)
    is_whole = model.is_whole_fulfillment_order_missing(lines, list(reported))
    # Positions in id order: the system's lock order (README: Architecture).
    ordered = sorted(reported, key=lambda item: rows[item.line_id]["position_id"] or 0)
    _write_off(uow, fo, [(rows[item.line_id], item.missing) for item in ordered])
    if is_whole:
        _transition(uow, fo, model.CANCELLED)
    else:
        _shrink_lines(uow.connection, [(rows[item.line_id], item.missing) for item in ordered])
    picked = [
        ShortPickedLine(
            item.line_id,
            rows[item.line_id]["order_line_id"],
            rows[item.line_id]["sku"],
            item.missing,
        )
        for item in reported
    ]
    return ShortPicked(fo_id, fo["order_id"], fo["location_id"], fo["status"], picked)


def _write_off(
    uow: UnitOfWork, fo: dict[str, Any], missing: list[tuple[dict[str, Any], int]]
) -> None:
    now = clock.now()
    movements = []
    for line, units in missing:
        if line["position_id"] is None:  # a non-stock product's units: no stock to write off
            continue
        stock.ship_out(uow.connection, line["position_id"], units, now)
        movements.append(
            stock.Movement(
                line["position_id"],
                stock.SHORT_PICK,
                -units,
                -units,
                "short pick",
                fo["order_id"],
                fo["id"],
            )
        )
    stock.record_movements(uow.connection, movements, actor=uow.actor, now=now)


def _shrink_lines(connection: Connection, missing: list[tuple[dict[str, Any], int]]) -> None:
    """The line keeps what is still to ship; a line with nothing left goes (the report keeps
    what it held). Lines of a fulfilment order being picked have shipped nothing yet."""
    for line, units in missing:
        if units == line["quantity"] - line["shipped_quantity"] and not line["shipped_quantity"]:
            connection.execute(delete(fo_line_table).where(fo_line_table.c.id == line["id"]))
        else:
            connection.execute(
                update(fo_line_table)
                .where(fo_line_table.c.id == line["id"])
                .values(quantity=fo_line_table.c.quantity - units)
            )


def record_reports(
    uow: UnitOfWork,
    picked: ShortPicked,
    backordered_by_line_id: Mapping[int, int],
    *,
    note: str,
) -> list[int]:
    """Stores what sourcing made of the missing units (one report per line) and records
    `fulfillment_order.short_picked`. `backordered_by_line_id`: units still waiting, by order
    line id; the rest of the missing units were sourced again."""
    now = clock.now()
    waiting = dict(backordered_by_line_id)
    rows: list[dict[str, Any]] = []
    for line in picked.lines:
        # The units waiting now beyond those that waited before are the missing ones; if
        # sourcing served older waiting units too, none of these wait. Kept within 0..missing.
        backordered = max(0, min(line.missing, waiting.get(line.order_line_id, 0)))
        waiting[line.order_line_id] = waiting.get(line.order_line_id, 0) - backordered
        rows.append(
            {
                "fulfillment_order_id": picked.fulfillment_order_id,
                "order_id": picked.order_id,
                "order_line_id": line.order_line_id,
                "location_id": picked.location_id,
                "sku": line.sku,
                "missing": line.missing,
                "resourced": line.missing - backordered,
                "backordered": backordered,
                "note": note,
                "reported_by": uow.actor,
                "reported_at": now,
                "acknowledged_by": None,
                "acknowledged_at": None,
            }
        )
    insert_rows(uow.connection, report_table, rows)
    summary = [{k: row[k] for k in ("sku", "missing", "resourced", "backordered")} for row in rows]
    uow.record(
        events.FulfillmentOrderShortPicked(picked.location_id, summary, note),
        aggregate_id=picked.fulfillment_order_id,
        order_id=picked.order_id,
    )
    return [int(row["id"]) for row in rows]


def acknowledge_short_pick(
    db: Database,
    order_id: int,
    report_id: int,
    *,
    actor: str,
    idempotency: IdempotentRequest[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An agent has seen the report: the order's marker goes. Acknowledging again changes
    nothing and answers the report as it is."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        uow.connection.execute(
            update(report_table)
            .where(
                report_table.c.id == report_id,
                report_table.c.order_id == order_id,
                report_table.c.acknowledged_at.is_(None),
            )
            .values(acknowledged_by=uow.actor, acknowledged_at=clock.now())
        )
        return _report(uow.connection, order_id, report_id)

    return db.write(work, actor=actor, idempotency=idempotency)


# -- reads ------------------------------------------------------------------------------------


def short_picks_of_order(connection: Connection, order_id: int) -> list[dict[str, Any]]:
    rows = connection.execute(
        _REPORTS.where(report_table.c.order_id == order_id).order_by(report_table.c.id)
    ).mappings()
    return [_report_out(row) for row in rows]


def orders_with_open_short_picks(connection: Connection, order_ids: Sequence[int]) -> set[int]:
    """Which of these orders carry a short pick no agent has acknowledged (the list badge)."""
    if not order_ids:
        return set()
    return set(
        connection.execute(
            select(report_table.c.order_id)
            .where(
                report_table.c.order_id.in_(sorted(set(order_ids))),
                report_table.c.acknowledged_at.is_(None),
            )
            .distinct()
        ).scalars()
    )


def _report(connection: Connection, order_id: int, report_id: int) -> dict[str, Any]:
    row = (
        connection.execute(
            _REPORTS.where(report_table.c.id == report_id, report_table.c.order_id == order_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFoundError(f"Order {order_id} has no short pick report {report_id}.")
    return _report_out(row)


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def _report_out(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "fulfillment_order_id": row["fulfillment_order_id"],
        "order_line_id": row["order_line_id"],
        "location_id": row["location_id"],
        "sku": row["sku"],
        "missing": row["missing"],
        "resourced": row["resourced"],
        "backordered": row["backordered"],
        "outcome": model.BACKORDERED if row["backordered"] else model.RESOURCED,
        "note": row["note"],
        "reported_by": row["reported_by"],
        "reported_at": _iso(row["reported_at"]),
        "acknowledged_by": row["acknowledged_by"],
        "acknowledged_at": _iso(row["acknowledged_at"]),
    }


_REPORTS = select(report_table)


def list_short_picks(db: Database, order_id: int) -> list[dict[str, Any]]:
    """The order's short-pick reports, oldest first."""
    return db.read(lambda connection: short_picks_of_order(connection, order_id))


def order_ids_with_open_short_picks(db: Database, order_ids: Sequence[int]) -> set[int]:
    return db.read(lambda connection: orders_with_open_short_picks(connection, order_ids))
