"""Drop-ship purchase orders: made for one fulfilment order at a supplier's drop-ship
location, confirmed, shipped or cancelled by the supplier — each step inside the caller's unit
of work (orchestration moves the fulfilment order in the same transaction) — and read as the
supplier sees them.

Every status change is a compare-and-set on status and kind (`model.DROPSHIP_TRANSITIONS`)
that counts its row and records exactly one event (conventions §2). Nothing here moves stock:
the units were reserved at the supplier's location when the fulfilment order was released, and
leave it when the fulfilment order ships.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, NotFoundError
from ordnung.core.money import from_minor
from ordnung.core.numbering import next_counter_values
from ordnung.purchasing import events, model
from ordnung.purchasing.model import DropshipUnits, ShipTo
from ordnung.purchasing.service import purchase_order_in, store_lines
from ordnung.purchasing.suppliers import supplier_prices
from ordnung.purchasing.tables import purchase_order_line_table as po_line
from ordnung.purchasing.tables import purchase_order_table as po
from ordnung.purchasing.tables import supplier_table as supplier

Rows = Row[Any]


@dataclass(frozen=True, slots=True)
class DropshipRequest:
    """A fulfilment order released to a drop-ship location, as purchasing needs it."""

    fulfillment_order_id: int
    order_id: int
    order_number: str
    location_id: int
    units: Sequence[DropshipUnits]
    ship_to: ShipTo


@dataclass(frozen=True, slots=True)
class DropshipOrder:
    """What orchestration needs of a drop-ship purchase order to move its fulfilment order."""

    id: int
    number: str
    status: str
    fulfillment_order_id: int
    location_id: int


def dropship_supplier_id(connection: Connection, location_id: int) -> int | None:
    """The active supplier whose drop-ship location this is, if any."""
    found = connection.execute(
        select(supplier.c.id).where(
            supplier.c.dropship_location_id == location_id, supplier.c.is_active.is_(True)
        )
    ).scalar()
    return None if found is None else int(found)


def dropship_location_ids(connection: Connection) -> frozenset[int]:
    """Every location a supplier drop-ships from (read once per dispatch batch)."""
    rows = connection.execute(
        select(supplier.c.dropship_location_id).where(
            supplier.c.dropship_location_id.is_not(None), supplier.c.is_active.is_(True)
        )
    ).scalars()
    return frozenset(int(location_id) for location_id in rows)


def open_dropship_order(uow: UnitOfWork, request: DropshipRequest) -> str | None:
    """Creates the sent drop-ship purchase order for this fulfilment order and returns its
    number; None when the location is no active supplier's, or when the fulfilment order has
    its purchase order already (a repeat changes nothing: one per fulfilment order)."""
    connection = uow.connection
    supplier_id = dropship_supplier_id(connection, request.location_id)
    if supplier_id is None or _number_for(connection, request.fulfillment_order_id) is not None:
        return None
    head = connection.execute(select(supplier).where(supplier.c.id == supplier_id)).one()
    prices = {
        sku: from_minor(minor, head.currency)
        for sku, minor in supplier_prices(connection, supplier_id).items()
    }
    lines, unpriced = model.dropship_lines(request.units, prices)
    now = clock.now()
    counter = next_counter_values(connection, f"purchase_order:{now.year}", 1)[0]
    number = model.purchase_order_number(now.year, counter)
    note = "" if not unpriced else "No list price for: " + ", ".join(unpriced)
    order_id = connection.execute(
        insert(po)
        .values(
            number=number,
            supplier_id=supplier_id,
            location_id=request.location_id,
            currency=head.currency,
            status=model.SENT,
            note=note,
            created_at=now,
            updated_at=now,
            created_by=uow.actor,
            kind=model.DROPSHIP,
            order_id=request.order_id,
            order_number=request.order_number,
            fulfillment_order_id=request.fulfillment_order_id,
            ship_to=asdict(request.ship_to),
        )
        .returning(po.c.id)
    ).scalar_one()
    store_lines(connection, order_id, head.currency, list(lines))
    event = events.PurchaseOrderCreated(number, head.code, "", model.SENT)
    uow.record(event, aggregate_id=order_id, order_id=request.order_id)
    return number


def _number_for(connection: Connection, fulfillment_order_id: int) -> str | None:
    found = connection.execute(
        select(po.c.number).where(po.c.fulfillment_order_id == fulfillment_order_id)
    ).scalar()
    return None if found is None else str(found)


def dropship_order(
    connection: Connection, number: str, *, only_location_id: int | None = None
) -> DropshipOrder:
    """The drop-ship purchase order; 404 for a stock one, or for another location's when the
    caller is bound to a location (as if it did not exist). Not locked: the action locks the
    order and the fulfilment order first (the system's lock order), and the status change is
    a compare-and-set."""
    condition = [po.c.number == number, po.c.kind == model.DROPSHIP]
    if only_location_id is not None:
        condition.append(po.c.location_id == only_location_id)
    row = connection.execute(
        select(
            po.c.id, po.c.number, po.c.status, po.c.fulfillment_order_id, po.c.location_id
        ).where(*condition)
    ).first()
    if row is None:
        raise NotFoundError(f"No drop-ship purchase order {number}.")
    return DropshipOrder(
        row.id, row.number, row.status, int(row.fulfillment_order_id), row.location_id
    )


def dropship_order_for(connection: Connection, fulfillment_order_id: int) -> DropshipOrder | None:
    number = _number_for(connection, fulfillment_order_id)
    return None if number is None else dropship_order(connection, number)


def _transition(uow: UnitOfWork, found: DropshipOrder, target: str, **values: Any) -> None:
    """Compare-and-set on status and kind, then exactly one event."""
    model.check_transition(found.status, target, model.DROPSHIP)
    details = dict(values.pop("event_details", {}))
    row = uow.connection.execute(
        update(po)
        .where(
            po.c.id == found.id,
            po.c.kind == model.DROPSHIP,
            po.c.status.in_(model.allowed_sources(target, model.DROPSHIP)),
        )
        .values(status=target, version=po.c.version + 1, updated_at=clock.now(), **values)
        .returning(po.c.supplier_id, po.c.order_id)
    ).first()
    if row is None:
        raise ConflictError(f"Purchase order {found.number} changed meanwhile; try again.")
    code = uow.connection.execute(
        select(supplier.c.code).where(supplier.c.id == row.supplier_id)
    ).scalar_one()
    event = events.STATUS_EVENTS[target](found.number, code, found.status, target, **details)
    uow.record(event, aggregate_id=found.id, order_id=row.order_id)


def confirm_dropship(uow: UnitOfWork, found: DropshipOrder, expected_ship_on: date | None) -> None:
    """The supplier will ship, by `expected_ship_on` if it says so."""
    if expected_ship_on is not None and expected_ship_on < clock.now().date():
        raise model.invalid("expected_ship_on", "must not be in the past")
    _transition(uow, found, model.CONFIRMED, expected_ship_on=expected_ship_on)
    if expected_ship_on is not None:
        uow.connection.execute(
            update(po_line)
            .where(po_line.c.purchase_order_id == found.id)
            .values(confirmed_on=expected_ship_on)
        )


def ship_dropship(uow: UnitOfWork, found: DropshipOrder, carrier: str, tracking: str) -> None:
    """The supplier handed the parcel to the carrier."""
    model.check_shipping(carrier, tracking)
    _transition(
        uow,
        found,
        model.SHIPPED,
        carrier=carrier,
        tracking_number=tracking,
        shipped_at=clock.now(),
        event_details={"carrier": carrier, "tracking_number": tracking},
    )


def cancel_dropship(uow: UnitOfWork, found: DropshipOrder, reason: str) -> None:
    """The supplier cannot ship (or the fulfilment order went away)."""
    why = reason.strip()
    if not 0 < len(why) <= model.MAX_NOTE_LENGTH:
        raise model.invalid("reason", f"must be 1 to {model.MAX_NOTE_LENGTH} characters")
    _transition(uow, found, model.CANCELLED, event_details={"reason": why})


# -- reading ----------------------------------------------------------------------------------


def dropship_details(connection: Connection, number: str) -> dict[str, Any]:
    """A drop-ship purchase order with lines, ship-to and tracking, as the supplier sees it."""
    detail = purchase_order_in(connection, number)
    if detail["kind"] != model.DROPSHIP:
        raise NotFoundError(f"No drop-ship purchase order {number}.")
    return detail


def get_dropship_order(
    db: Database, number: str, *, only_location_id: int | None = None
) -> dict[str, Any]:
    def work(connection: Connection) -> dict[str, Any]:
        dropship_order(connection, number, only_location_id=only_location_id)
        return dropship_details(connection, number)

    return db.read(work)


def list_dropship_orders(
    db: Database,
    *,
    only_location_id: int | None,
    is_open: bool = True,
    after_id: int | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """Drop-ship purchase orders, oldest first (the order they should leave in); open ones
    (sent, confirmed) unless `is_open` is False. A location-bound caller sees only its own."""

    def work(connection: Connection) -> dict[str, Any]:
        query = select(po.c.id, po.c.number).where(po.c.kind == model.DROPSHIP)
        if only_location_id is not None:
            query = query.where(po.c.location_id == only_location_id)
        if is_open:
            query = query.where(po.c.status.in_(sorted(model.OPEN_DROPSHIP_STATUSES)))
        if after_id is not None:
            query = query.where(po.c.id > after_id)
        rows = connection.execute(query.order_by(po.c.id).limit(limit + 1)).all()
        items = [dropship_details(connection, row.number) for row in rows[:limit]]
        has_more = len(rows) > limit
        return {"items": items, "next_after_id": rows[limit - 1].id if has_more else None}

    return db.read(work)


def dropship_orders_of_order(db: Database, order_id: int) -> dict[int, dict[str, str]]:
    """Fulfilment order id → number and status of its drop-ship purchase order, for the
    order page."""

    def work(connection: Connection) -> dict[int, dict[str, str]]:
        rows = connection.execute(
            select(po.c.fulfillment_order_id, po.c.number, po.c.status).where(
                po.c.order_id == order_id, po.c.kind == model.DROPSHIP
            )
        ).all()
        return {
            int(row.fulfillment_order_id): {"number": row.number, "status": row.status}
            for row in rows
        }

    return db.read(work)
