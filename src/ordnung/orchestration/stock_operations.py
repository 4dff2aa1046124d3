"""Stock operations as business actions, one transaction each: transfers sent, received and
cancelled, write-offs and returns, stock imports from outside systems. Whatever frees units
gives them to the orders waiting for them in the same transaction, as a stock receipt does
(`stock_actions.py`), and announces the positions it changed (`stock.changed`)."""

from __future__ import annotations

from dataclasses import replace

from ordnung.core.db import Database, UnitOfWork
from ordnung.core.idempotency import IdempotentRequest
from ordnung.inventory import bookings, imports, transfer_queries, transfers
from ordnung.inventory.bookings import StockBooking
from ordnung.inventory.imports import ImportOutcome, Progress
from ordnung.inventory.operations import TransferDraft, TransferReceipt
from ordnung.inventory.service import StockPosition, announce_stock_change
from ordnung.inventory.stock_sync import SyncBatch
from ordnung.inventory.transfers import MovedUnits
from ordnung.sourcing.service import allocate_backorders


def send_transfer(
    db: Database,
    draft: TransferDraft,
    *,
    actor: str = "system",
    idempotency: IdempotentRequest[MovedUnits] | None = None,
) -> MovedUnits:
    """Creates a transfer and takes its units off the source (never reserved ones)."""

    def work(uow: UnitOfWork) -> MovedUnits:
        moved = transfers.send_transfer(uow, draft)
        for change in moved.changes:
            announce_stock_change(uow, change)
        return _with_details(uow, moved)

    return db.write(work, actor=actor, idempotency=idempotency)


def receive_transfer(
    db: Database,
    transfer_id: int,
    receipt: TransferReceipt,
    *,
    actor: str = "system",
    idempotency: IdempotentRequest[MovedUnits] | None = None,
) -> MovedUnits:
    """Books arrived units at the destination; waiting orders may take them at once."""

    def work(uow: UnitOfWork) -> MovedUnits:
        moved = transfers.receive_transfer(uow, transfer_id, receipt)
        _to_waiting_orders(uow, moved)
        return _with_details(uow, moved)

    return db.write(work, actor=actor, idempotency=idempotency)


def cancel_transfer(
    db: Database,
    transfer_id: int,
    *,
    note: str,
    expected_version: int | None = None,
    actor: str = "system",
    idempotency: IdempotentRequest[MovedUnits] | None = None,
) -> MovedUnits:
    """Calls a transfer off; what had not arrived is back at the source, for waiting orders."""

    def work(uow: UnitOfWork) -> MovedUnits:
        moved = transfers.cancel_transfer(
            uow, transfer_id, note=note, expected_version=expected_version
        )
        _to_waiting_orders(uow, moved)
        return _with_details(uow, moved)

    return db.write(work, actor=actor, idempotency=idempotency)


def book_stock(
    db: Database,
    sku: str,
    location_code: str,
    booking: StockBooking,
    *,
    actor: str = "system",
    idempotency: IdempotentRequest[StockPosition] | None = None,
) -> StockPosition:
    """A write-off (never of reserved units) or a return to sellable stock."""

    def work(uow: UnitOfWork) -> StockPosition:
        change = bookings.book_stock(uow, sku, location_code, booking)
        if change.delta > 0 and change.position.available > 0:
            allocate_backorders(uow, {sku})
        return announce_stock_change(uow, change)

    return db.write(work, actor=actor, idempotency=idempotency)


def import_stock(
    db: Database,
    batch: SyncBatch,
    *,
    actor: str = "system",
    on_progress: Progress | None = None,
    idempotency: IdempotentRequest[ImportOutcome] | None = None,
) -> ImportOutcome:
    """Applies an outside system's snapshot or delta in one transaction; SKUs that gained
    units go to waiting orders in the same transaction."""

    def work(uow: UnitOfWork) -> ImportOutcome:
        outcome = imports.apply_import(
            uow, batch.source, batch.mode, batch.lines, on_progress=on_progress
        )
        if outcome.raised_skus:
            allocate_backorders(uow, outcome.raised_skus)
        return replace(outcome, report=imports.read_report(uow.connection, outcome.id))

    return db.write(work, actor=actor, idempotency=idempotency)


def _to_waiting_orders(uow: UnitOfWork, moved: MovedUnits) -> None:
    """Received units are free stock: the orders waiting for them take them, oldest first;
    each changed position is announced (channels update availability from it)."""
    if moved.skus:
        allocate_backorders(uow, set(moved.skus))
    for change in moved.changes:
        announce_stock_change(uow, change)


def _with_details(uow: UnitOfWork, moved: MovedUnits) -> MovedUnits:
    """The transfer as the action leaves it, read in the same transaction (the answer)."""
    return replace(moved, details=transfer_queries.read_transfer(uow.connection, moved.transfer_id))
