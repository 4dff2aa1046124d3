"""Processing a parcel returned to sender, one transaction: per line, units back on the
shelf (a stock `return` booking with cause `returned_to_sender`) and units written off; the
restocked units go to the orders waiting for them, as every return to stock does
(`stock_operations.book_stock`); the parcel closes with an event on the order's timeline.

Why every unit is first booked back and the written-off ones then written off: the units left
the position when the parcel was shipped, and they did come back through the door. Booking
them in and out keeps the ledger telling what happened (and equal to the positions) — a
write-off alone would take units off the shelf that were never put back on it.

Lock order: the parcel first (only parcel actions lock it), then the stock positions, then
whatever sourcing locks for the waiting orders (as `book_stock` does).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ValidationError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.fulfillment import returned_parcel_model as rules
from ordnung.fulfillment.returned_parcels import lock_waiting_parcel, mark_processed
from ordnung.inventory import bookings
from ordnung.inventory.bookings import StockBooking
from ordnung.inventory.locations import location_names
from ordnung.inventory.operations import RETURN, WRITE_OFF
from ordnung.inventory.service import announce_stock_change
from ordnung.sourcing.service import allocate_backorders

RESTOCK_CAUSE = "returned_to_sender"


@dataclass(frozen=True, slots=True)
class ParcelSettlement:
    lines: list[rules.LineSettlement]
    write_off_cause: str = "damaged"
    note: str = ""


@dataclass(frozen=True, slots=True)
class ProcessedParcel:
    returned_parcel_id: int
    status: str
    processed_at: datetime
    restocked: int
    written_off: int
    lines: list[dict[str, int | str]]


def process_returned_parcel(
    db: Database,
    parcel_id: int,
    settlement: ParcelSettlement,
    *,
    actor: str,
    only_location_id: int | None = None,
    idempotency: IdempotentRequest[ProcessedParcel] | None = None,
) -> ProcessedParcel:
    """Restock and write off the parcel's units as split per line (every unit, once). Two
    people processing at once: the second waits for the parcel's lock and gets 409."""
    if settlement.write_off_cause not in rules.WRITE_OFF_CAUSES:
        raise ValidationError(
            f"write_off_cause must be one of {', '.join(rules.WRITE_OFF_CAUSES)}.",
            field="write_off_cause",
        )
    note = rules.check_note(settlement.note)

    def work(uow: UnitOfWork) -> ProcessedParcel:
        parcel, lines = lock_waiting_parcel(uow, parcel_id, only_location_id)
        settled = rules.check_settlement(parcel["status"], lines, settlement.lines)
        per_sku = rules.units_by_sku(lines, settled)
        location_id = parcel["location_id"]
        code = location_names(uow.connection, {location_id})[location_id]["code"]
        booking_note = f"{parcel['order_number']} / {parcel['tracking_number']}"
        _book(uow, code, per_sku, settlement.write_off_cause, f"{booking_note} {note}".strip())
        processed_at = mark_processed(uow, parcel, lines, settled, settlement.write_off_cause)
        return ProcessedParcel(
            parcel_id,
            rules.PROCESSED,
            processed_at,
            sum(int(item["restocked"]) for item in per_sku),
            sum(int(item["written_off"]) for item in per_sku),
            per_sku,
        )

    return db.write(work, actor=actor, idempotency=idempotency)


def _book(
    uow: UnitOfWork, code: str, per_sku: list[dict[str, int | str]], cause: str, note: str
) -> None:
    """Back in, then out what is written off; waiting orders take what stays (after the
    write-off, so they never take a unit that is being thrown away)."""
    changes = []
    gained: dict[str, int] = defaultdict(int)
    for item in per_sku:
        sku = str(item["sku"])
        restocked, written_off = int(item["restocked"]), int(item["written_off"])
        back = StockBooking(RETURN, restocked + written_off, RESTOCK_CAUSE, note)
        changes.append(bookings.book_stock(uow, sku, code, back))
        if written_off:
            out = StockBooking(WRITE_OFF, written_off, cause, note)
            changes.append(bookings.book_stock(uow, sku, code, out))
        gained[sku] += restocked
    skus = {sku for sku, units in gained.items() if units > 0}
    if skus:
        allocate_backorders(uow, skus)
    for change in changes:
        announce_stock_change(uow, change)
