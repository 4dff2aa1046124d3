"""Parcels returned to sender: recording the return of a shipment (its own transaction, no
stock moves yet) and the fulfilment side of settling the parcel (called by
`orchestration/returned_parcel_actions.py`, which also books the stock).

Recording is independent of HTTP: the API calls it for a location's user or key or an agent,
and carrier tracking will call it with a carrier's reason later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, InvalidTransitionError, NotFoundError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.fulfillment import returned_parcel_model as rules
from ordnung.fulfillment.returned_parcel_events import (
    ReturnedParcelProcessed,
    ShipmentReturnedToSender,
)
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line_table
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table
from ordnung.fulfillment.tables import returned_parcel_line_table as parcel_line
from ordnung.fulfillment.tables import returned_parcel_table as parcel
from ordnung.fulfillment.tables import shipment_line_table, shipment_table

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ParcelReturn:
    """What the person (or later the carrier) says about the parcel that came back."""

    reason: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class RecordedReturn:
    returned_parcel_id: int
    shipment_id: int
    shipment_status: str
    order_id: int
    location_id: int
    status: str
    recorded_at: datetime


def record_returned_to_sender(
    db: Database,
    shipment_id: int,
    parcel_return: ParcelReturn,
    *,
    actor: str,
    only_location_id: int | None = None,
    idempotency: IdempotentRequest[RecordedReturn] | None = None,
) -> RecordedReturn:
    """The shipment becomes `returned_to_sender` and its units wait, as a returned parcel,
    in the queue of the location that shipped it. A second record of the same shipment is a
    409 (the unique shipment id backs this up under concurrency)."""
    reason = rules.check_reason(parcel_return.reason)
    note = rules.check_note(parcel_return.note)

    def work(uow: UnitOfWork) -> RecordedReturn:
        shipment = _shipment(uow.connection, shipment_id, only_location_id)
        _move_shipment(uow.connection, shipment)
        now = clock.now()
        parcel_id = _insert_parcel(uow, shipment, reason, note, now)
        lines = _insert_lines(uow.connection, parcel_id, shipment_id)
        uow.record(
            ShipmentReturnedToSender(
                shipment["fulfillment_order_id"],
                shipment["location_id"],
                parcel_id,
                shipment["tracking_number"],
                shipment["status"],
                reason,
                note,
                lines,
            ),
            aggregate_id=shipment_id,
            order_id=shipment["order_id"],
        )
        return RecordedReturn(
            parcel_id,
            shipment_id,
            rules.RETURNED_TO_SENDER,
            shipment["order_id"],
            shipment["location_id"],
            rules.WAITING,
            now,
        )

    return db.write(work, actor=actor, idempotency=idempotency)


def _shipment(connection: Connection, shipment_id: int, only_location_id: int | None) -> Row:
    """The shipment with its location and order number; another location's answers 404."""
    row = (
        connection.execute(
            select(
                shipment_table,
                fo_table.c.location_id,
                fo_table.c.order_number,
            )
            .join(fo_table, fo_table.c.id == shipment_table.c.fulfillment_order_id)
            .where(shipment_table.c.id == shipment_id)
        )
        .mappings()
        .first()
    )
    if row is None or only_location_id not in (None, row["location_id"]):
        raise NotFoundError(f"Shipment {shipment_id} does not exist.")
    return dict(row)


def _move_shipment(connection: Connection, shipment: Row) -> None:
    """Compare-and-set from the status just read: of two records at once, one moves it."""
    exists = connection.execute(
        select(parcel.c.id).where(parcel.c.shipment_id == shipment["id"])
    ).first()
    problem = rules.record_problem(shipment["id"], shipment["status"], exists is not None)
    if problem is not None:
        raise ConflictError(problem)
    moved = connection.execute(
        update(shipment_table)
        .where(shipment_table.c.id == shipment["id"], shipment_table.c.status == shipment["status"])
        .values(status=rules.RETURNED_TO_SENDER)
    )
    if moved.rowcount != 1:
        raise ConflictError(f"Shipment {shipment['id']} is already recorded as returned to sender.")


def _insert_parcel(uow: UnitOfWork, shipment: Row, reason: str, note: str, now: datetime) -> int:
    return int(
        uow.connection.execute(
            insert(parcel)
            .values(
                shipment_id=shipment["id"],
                fulfillment_order_id=shipment["fulfillment_order_id"],
                order_id=shipment["order_id"],
                order_number=shipment["order_number"],
                location_id=shipment["location_id"],
                tracking_number=shipment["tracking_number"],
                reason=reason,
                note=note,
                status=rules.WAITING,
                recorded_by=uow.actor,
                recorded_at=now,
            )
            .returning(parcel.c.id)
        ).scalar_one()
    )


def _insert_lines(connection: Connection, parcel_id: int, shipment_id: int) -> list[Row]:
    """One parcel line per shipment line: the units that left are the units that came back."""
    rows = connection.execute(
        select(
            shipment_line_table.c.id,
            shipment_line_table.c.quantity,
            fo_line_table.c.sku,
            fo_line_table.c.name,
        )
        .join(fo_line_table, fo_line_table.c.id == shipment_line_table.c.fulfillment_order_line_id)
        .where(shipment_line_table.c.shipment_id == shipment_id)
        .order_by(shipment_line_table.c.id)
    ).all()
    values = [
        {
            "returned_parcel_id": parcel_id,
            "shipment_line_id": row.id,
            "sku": row.sku,
            "name": row.name,
            "units": row.quantity,
        }
        for row in rows
    ]
    if values:
        connection.execute(insert(parcel_line), values)
    return [{"sku": v["sku"], "units": v["units"]} for v in values]


# -- settling the parcel (inside the caller's unit of work) ---------------------------------


def lock_waiting_parcel(
    uow: UnitOfWork, parcel_id: int, only_location_id: int | None
) -> tuple[Row, list[rules.ParcelLine]]:
    """The parcel, locked for this transaction, and its lines. Another location's answers
    404; a processed one 409 (the second of two people processing at once gets this)."""
    row = (
        uow.connection.execute(select(parcel).where(parcel.c.id == parcel_id).with_for_update())
        .mappings()
        .first()
    )
    if row is None or only_location_id not in (None, row["location_id"]):
        raise NotFoundError(f"Returned parcel {parcel_id} does not exist.")
    if row["status"] != rules.WAITING:
        raise InvalidTransitionError(
            f"Returned parcel {parcel_id} is already processed.", status=row["status"]
        )
    lines = [
        rules.ParcelLine(line.id, line.sku, line.units)
        for line in uow.connection.execute(
            select(parcel_line.c.id, parcel_line.c.sku, parcel_line.c.units)
            .where(parcel_line.c.returned_parcel_id == parcel_id)
            .order_by(parcel_line.c.id)
        )
    ]
    return dict(row), lines


def mark_processed(
    uow: UnitOfWork,
    parcel_row: Row,
    lines: list[rules.ParcelLine],
    settled: dict[int, rules.LineSettlement],
    write_off_cause: str,
) -> datetime:
    """Writes each line's split and closes the parcel (compare-and-set on `waiting`), with
    the order's `returned_parcel.processed` event."""
    now = clock.now()
    closed = uow.connection.execute(
        update(parcel)
        .where(parcel.c.id == parcel_row["id"], parcel.c.status == rules.WAITING)
        .values(status=rules.PROCESSED, processed_by=uow.actor, processed_at=now)
    )
    if closed.rowcount != 1:
        raise ConflictError(f"Returned parcel {parcel_row['id']} is already processed.")
    for line in lines:
        item = settled[line.id]
        uow.connection.execute(
            update(parcel_line)
            .where(parcel_line.c.id == line.id)
            .values(restocked=item.restocked, written_off=item.written_off)
        )
    uow.record(
        ReturnedParcelProcessed(
            parcel_row["shipment_id"],
            parcel_row["location_id"],
            write_off_cause,
            rules.units_by_sku(lines, settled),
        ),
        aggregate_id=parcel_row["id"],
        order_id=parcel_row["order_id"],
    )
    return now
