"""Transfers between locations inside the caller's unit of work: sending takes units that no
order holds off the source (one conditional UPDATE per position, in id order), receiving puts
them on the destination's shelf line by line, cancelling books what never arrived back at the
source. Each writes its ledger rows (transfer_out / transfer_in) in the same transaction.

The business actions that then give received units to waiting orders are in
`orchestration/stock_operations.py`; reading transfers is `transfer_queries.py`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.service import existing_skus
from ordnung.core import clock
from ordnung.core.db import UnitOfWork, insert_returning_ids, insert_rows
from ordnung.core.errors import (
    ConflictError,
    InsufficientStockError,
    NotFoundError,
    StaleVersionError,
)
from ordnung.core.numbering import next_counter_values
from ordnung.inventory import operations
from ordnung.inventory.events import TransferCancelled, TransferReceived, TransferShipped
from ordnung.inventory.model import MAX_ON_HAND, invalid
from ordnung.inventory.operations import (
    IN_TRANSIT,
    TransferDraft,
    TransferReceipt,
    allowed_sources,
    check_receipt,
    check_transfer,
    check_transition,
    ledger_note,
)
from ordnung.inventory.operations_tables import stock_transfer_line_table as transfer_line
from ordnung.inventory.operations_tables import stock_transfer_table as transfer
from ordnung.inventory.positions import location_ids, locked_positions, open_positions
from ordnung.inventory.service import _RETURNED, StockChange, _stock_position
from ordnung.inventory.stock import TRANSFER_IN, TRANSFER_OUT, Movement, record_movements
from ordnung.inventory.tables import location_table as location
from ordnung.inventory.tables import stock_position_table as position

Rows = Row[*tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class MovedUnits:
    """What a transfer action did: which transfer, and the SKUs that arrived where."""

    transfer_id: int
    number: str
    status: str
    location: str  # where units arrived (destination, or the source after a cancel)
    changes: tuple[StockChange, ...]  # each position changed, as the change left it
    details: dict[str, Any] = field(default_factory=dict)  # read_transfer, for the answer

    @property
    def skus(self) -> tuple[str, ...]:
        return tuple(sorted({change.position.sku for change in self.changes}))


def _locations(connection: Connection, draft: TransferDraft) -> tuple[int, int]:
    ids = location_ids(connection, {draft.from_location, draft.to_location})
    for name, code in (("from_location", draft.from_location), ("to_location", draft.to_location)):
        if code not in ids:
            raise invalid(name, f"no location with code '{code}'")
    return ids[draft.from_location], ids[draft.to_location]


def send_transfer(uow: UnitOfWork, draft: TransferDraft) -> MovedUnits:
    """Creates the transfer and takes its units off the source: only units no order holds
    (409 with the figures otherwise); they are then in transit to the destination."""
    draft = check_transfer(draft)
    connection, now = uow.connection, clock.now()
    from_id, to_id = _locations(connection, draft)
    unknown = sorted(
        {line.sku for line in draft.lines}
        - existing_skus(connection, [line.sku for line in draft.lines])
    )
    if unknown:
        raise invalid("lines", f"no product with SKU {', '.join(unknown)}")
    number = operations.transfer_number(next_counter_values(connection, "stock_transfer", 1)[0])
    positions = locked_positions(connection, [(line.sku, from_id) for line in draft.lines])
    note = ledger_note(f"{number} → {draft.to_location}", draft.note)
    missing = [line for line in draft.lines if (line.sku, from_id) not in positions]
    if missing:
        raise _not_enough(
            connection, missing[0].sku, draft.from_location, missing[0].quantity, None
        )
    movements: list[Movement] = []
    changes: list[StockChange] = []
    for line in sorted(draft.lines, key=lambda line: positions[(line.sku, from_id)].id):
        found = positions[(line.sku, from_id)]
        taken = _take_free_units(connection, found.id, line.quantity, now)
        if taken is None:
            raise _not_enough(connection, line.sku, draft.from_location, line.quantity, found)
        movements.append(
            Movement(found.id, TRANSFER_OUT, -line.quantity, 0, note, cause=draft.cause)
        )
        stock = _stock_position(taken, line.sku, draft.from_location)
        changes.append(StockChange(stock, TRANSFER_OUT, -line.quantity, note))
    record_movements(connection, movements, actor=uow.actor, now=now)
    transfer_id = insert_returning_ids(
        connection,
        transfer,
        [
            {
                "number": number,
                "from_location_id": from_id,
                "to_location_id": to_id,
                "status": IN_TRANSIT,
                "cause": draft.cause,
                "note": draft.note,
                "created_by": uow.actor,
                "shipped_at": now,
            }
        ],
    )[0]
    lines = [
        {"transfer_id": transfer_id, "sku": line.sku, "quantity": line.quantity}
        for line in draft.lines
    ]
    insert_rows(connection, transfer_line, lines)
    event = TransferShipped(
        number=number,
        from_location=draft.from_location,
        to_location=draft.to_location,
        lines=[{"sku": line.sku, "quantity": line.quantity} for line in draft.lines],
        cause=draft.cause,
        shipped_at=now,
    )
    uow.record(event, aggregate_id=transfer_id)
    return MovedUnits(transfer_id, number, IN_TRANSIT, draft.from_location, tuple(changes))


def _take_free_units(
    connection: Connection, position_id: int, quantity: int, now: datetime
) -> Rows | None:
    # The guard is in the WHERE: a reservation committing meanwhile cannot be taken away.
    return connection.execute(
        update(position)
        .where(position.c.id == position_id, position.c.on_hand - position.c.reserved >= quantity)
        .values(on_hand=position.c.on_hand - quantity, updated_at=now)
        .returning(*_RETURNED)
    ).first()


def _not_enough(
    connection: Connection, sku: str, location_code: str, quantity: int, found: Any
) -> InsufficientStockError:
    on_hand, reserved = 0, 0
    if found is not None:
        row = connection.execute(
            select(position.c.on_hand, position.c.reserved).where(position.c.id == found.id)
        ).one()
        on_hand, reserved = row.on_hand, row.reserved
    return InsufficientStockError(
        f"{location_code} can send at most {max(0, on_hand - reserved)} units of {sku}: "
        f"{on_hand} on hand, {reserved} reserved for orders; {quantity} asked.",
        sku=sku,
        location=location_code,
        on_hand=on_hand,
        reserved=reserved,
        free=max(0, on_hand - reserved),
        requested=quantity,
    )


def _transfer_row(connection: Connection, transfer_id: int) -> Rows:
    """The transfer, locked (PostgreSQL; SQLite's BEGIN IMMEDIATE holds the database): two
    receipts of a transfer's last units at once must not each see the other's line still
    open and leave it in transit. Lock order: the transfer, then stock positions by id."""
    row = connection.execute(
        select(transfer).where(transfer.c.id == transfer_id).with_for_update()
    ).first()
    if row is None:
        raise NotFoundError(f"No transfer with id {transfer_id}.")
    return row


def _remaining(connection: Connection, transfer_id: int) -> dict[str, int]:
    rows = connection.execute(
        select(
            transfer_line.c.sku, transfer_line.c.quantity - transfer_line.c.received_quantity
        ).where(transfer_line.c.transfer_id == transfer_id)
    )
    return {sku: int(left) for sku, left in rows}


def _code(connection: Connection, location_id: int) -> str:
    return str(
        connection.execute(select(location.c.code).where(location.c.id == location_id)).scalar_one()
    )


def _book_in(
    uow: UnitOfWork,
    location_id: int,
    location_code: str,
    quantities: Mapping[str, int],
    *,
    cause: str,
    note: str,
) -> list[StockChange]:
    """Puts units on a shelf (conditional UPDATE per position, in id order) with their rows."""
    connection, now = uow.connection, clock.now()
    keys = [(sku, location_id) for sku in quantities]
    open_positions(connection, keys, now)
    positions = locked_positions(connection, keys)
    movements, changes = [], []
    for (sku, _), found in sorted(positions.items(), key=lambda item: item[1].id):
        quantity = quantities[sku]
        row = connection.execute(
            update(position)
            .where(position.c.id == found.id, position.c.on_hand + quantity <= MAX_ON_HAND)
            .values(on_hand=position.c.on_hand + quantity, updated_at=now)
            .returning(*_RETURNED)
        ).first()
        if row is None:
            raise invalid("lines", f"{sku}: a position holds at most {MAX_ON_HAND} units")
        movements.append(Movement(found.id, TRANSFER_IN, quantity, 0, note, cause=cause))
        stock = _stock_position(row, sku, location_code)
        changes.append(StockChange(stock, TRANSFER_IN, quantity, note))
    record_movements(connection, movements, actor=uow.actor, now=now)
    return changes


def _mark_received(connection: Connection, transfer_id: int, quantities: Mapping[str, int]) -> None:
    # Compare-and-set per line: a receipt racing another for the same units books once.
    for sku, quantity in sorted(quantities.items()):
        result = connection.execute(
            update(transfer_line)
            .where(
                transfer_line.c.transfer_id == transfer_id,
                transfer_line.c.sku == sku,
                transfer_line.c.received_quantity + quantity <= transfer_line.c.quantity,
            )
            .values(received_quantity=transfer_line.c.received_quantity + quantity)
        )
        if result.rowcount != 1:
            raise ConflictError(f"{sku}: fewer units are still on the way; reload the transfer.")


def _transition(uow: UnitOfWork, row: Rows, to_status: str, **values: Any) -> None:
    check_transition(row.number, row.status, to_status)
    result = uow.connection.execute(
        update(transfer)
        .where(transfer.c.id == row.id, transfer.c.status.in_(allowed_sources(to_status)))
        .values(status=to_status, version=transfer.c.version + 1, **values)
    )
    if result.rowcount != 1:
        raise ConflictError(f"Transfer {row.number} changed meanwhile; reload it.")


def _check_version(row: Rows, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != row.version:
        raise StaleVersionError(
            f"Transfer {row.number} changed since you saw it (version {expected_version}, "
            f"now {row.version}); reload it.",
            current_version=row.version,
        )


def receive_transfer(
    uow: UnitOfWork,
    transfer_id: int,
    receipt: TransferReceipt,
) -> MovedUnits:
    """Books arrived units at the destination (any part of any line); the transfer is
    received once nothing is on the way any more."""
    connection = uow.connection
    row = _transfer_row(connection, transfer_id)
    _check_version(row, receipt.expected_version)
    if row.status != IN_TRANSIT:
        check_transition(row.number, row.status, operations.RECEIVED)
    booked = check_receipt(row.number, _remaining(connection, transfer_id), receipt.quantities)
    _mark_received(connection, transfer_id, booked)
    to_code = _code(connection, row.to_location_id)
    reference = f"{row.number} ← {_code(connection, row.from_location_id)}"
    changes = _book_in(
        uow,
        row.to_location_id,
        to_code,
        booked,
        cause=row.cause,
        note=ledger_note(reference, operations.check_note(receipt.note)),
    )
    status = row.status
    if operations.is_fully_received(list(_remaining(connection, transfer_id).values())):
        now = clock.now()
        _transition(uow, row, operations.RECEIVED, received_at=now)
        uow.record(
            TransferReceived(number=row.number, to_location=to_code, received_at=now),
            aggregate_id=row.id,
        )
        status = operations.RECEIVED
    else:
        connection.execute(
            update(transfer).where(transfer.c.id == row.id).values(version=transfer.c.version + 1)
        )
    return MovedUnits(row.id, row.number, status, to_code, tuple(changes))


def cancel_transfer(
    uow: UnitOfWork, transfer_id: int, *, note: str, expected_version: int | None = None
) -> MovedUnits:
    """Calls a transfer off: what has not arrived goes back on the source's shelf."""
    connection = uow.connection
    row = _transfer_row(connection, transfer_id)
    _check_version(row, expected_version)
    why = operations.check_note(note)
    if not why:
        raise invalid("note", "say why the transfer is cancelled")
    _transition(uow, row, operations.CANCELLED, cancelled_at=clock.now())
    remaining = {sku: left for sku, left in _remaining(connection, transfer_id).items() if left}
    from_code = _code(connection, row.from_location_id)
    changes: list[StockChange] = []
    if remaining:
        changes = _book_in(
            uow,
            row.from_location_id,
            from_code,
            remaining,
            cause=operations.CANCELLED_CAUSE,
            note=ledger_note(f"{row.number} cancelled", why),
        )
    returned = [{"sku": sku, "quantity": left} for sku, left in sorted(remaining.items())]
    uow.record(
        TransferCancelled(number=row.number, returned=returned, note=why), aggregate_id=row.id
    )
    return MovedUnits(row.id, row.number, operations.CANCELLED, from_code, tuple(changes))
