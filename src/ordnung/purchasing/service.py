"""Purchase orders: create and edit drafts, send, confirm, cancel, receive (inside the
caller's unit of work — stock and waiting orders move in `orchestration/purchase_receipts.py`),
list and read; and the open supply the promise counts on.

Every status change is a compare-and-set on the status (`model.allowed_sources`) that counts
its row, and records exactly one event (conventions §2). Receiving raises each line's received
quantity with one conditional UPDATE (`received + q <= quantity`): two receipts of the same
line at once can never book more than was ordered.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.service import non_stock_skus, product_exists
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, NotFoundError, StaleVersionError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.core.money import format_minor, from_minor, to_minor
from ordnung.core.numbering import next_counter_values
from ordnung.inventory.locations import location_id_for_code, location_names
from ordnung.purchasing import events, model
from ordnung.purchasing.model import IncomingSupply, LineDraft, OpenLine, PurchaseOrderDraft
from ordnung.purchasing.suppliers import supplier_prices, supplier_row
from ordnung.purchasing.tables import purchase_order_line_table as po_line
from ordnung.purchasing.tables import purchase_order_table as po
from ordnung.purchasing.tables import purchase_receipt_table as receipt_table
from ordnung.purchasing.tables import supplier_table as supplier

Rows = Row[Any]


@dataclass(frozen=True, slots=True)
class GoodsReceived:
    """What one receipt booked: the order, where the goods went, and units per SKU."""

    number: str
    location_code: str
    units: dict[str, int]


# -- creating and editing drafts ------------------------------------------------------------


def _resolved(
    connection: Connection, draft: PurchaseOrderDraft
) -> tuple[Rows, int, list[LineDraft]]:
    """Supplier row, location id and the lines with prices and dates filled in; 422 naming
    the field for anything unknown."""
    found = supplier_row(connection, draft.supplier_code)
    try:
        location_id = location_id_for_code(connection, draft.location_code)
    except NotFoundError:
        raise model.invalid("location", f"no location with code '{draft.location_code}'") from None
    non_stock = non_stock_skus(connection, {line.sku for line in draft.lines})
    for index, line in enumerate(draft.lines):
        if not product_exists(connection, line.sku):
            raise model.invalid(f"lines[{index}].sku", f"no product with SKU '{line.sku}'")
        if line.sku in non_stock:  # nothing of it is ever counted, so nothing to receive
            raise model.invalid(
                f"lines[{index}].sku",
                f"'{line.sku}' is a non-stock product: it is never stocked, so it is not "
                "bought in on a purchase order",
            )
    prices = supplier_prices(connection, found.id)
    expected = clock.now().date() + timedelta(days=found.lead_time_days)
    lines = [
        replace(
            line,
            unit_price=_price(line, prices, found.currency),
            expected_on=line.expected_on or expected,
        )
        for line in draft.lines
    ]
    model.check_purchase_order(replace(draft, lines=tuple(lines)), found.currency)
    return found, location_id, lines


def _price(line: LineDraft, prices: Mapping[str, int], currency: str) -> Decimal | None:
    """The price typed, else the supplier's list price (None: neither, a 422 follows)."""
    if line.unit_price is not None:
        return line.unit_price
    minor = prices.get(line.sku)
    return None if minor is None else from_minor(minor, currency)


def store_lines(
    connection: Connection, order_id: int, currency: str, lines: list[LineDraft]
) -> None:
    """Replaces the order's lines, numbered from 1 (a draft's edit, a new drop-ship order)."""
    connection.execute(delete(po_line).where(po_line.c.purchase_order_id == order_id))
    connection.execute(
        insert(po_line),
        [
            {
                "purchase_order_id": order_id,
                "line_number": number,
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price": to_minor(line.unit_price or Decimal(0), currency),
                "expected_on": line.expected_on,
            }
            for number, line in enumerate(lines, start=1)
        ],
    )


def create_purchase_order(
    db: Database,
    draft: PurchaseOrderDraft,
    *,
    actor: str,
    idempotency: IdempotentRequest[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A draft purchase order with its next number (`PO-2026-000123`)."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        return draft_purchase_order(uow, draft)

    return db.write(work, actor=actor, idempotency=idempotency)


def draft_purchase_order(uow: UnitOfWork, draft: PurchaseOrderDraft) -> dict[str, Any]:
    """Creates a draft inside the caller's unit of work (replenishment creates several)."""
    connection = uow.connection
    found, location_id, lines = _resolved(connection, draft)
    now = clock.now()
    counter = next_counter_values(connection, f"purchase_order:{now.year}", 1)[0]
    number = model.purchase_order_number(now.year, counter)
    order_id = connection.execute(
        insert(po)
        .values(
            number=number,
            supplier_id=found.id,
            location_id=location_id,
            currency=found.currency,
            status=model.DRAFT,
            note=draft.note,
            created_at=now,
            updated_at=now,
            created_by=uow.actor,
        )
        .returning(po.c.id)
    ).scalar_one()
    store_lines(connection, order_id, found.currency, lines)
    event = events.PurchaseOrderCreated(number, found.code, "", model.DRAFT)
    uow.record(event, aggregate_id=order_id)
    return purchase_order_in(connection, number)


def update_draft(
    db: Database,
    number: str,
    draft: PurchaseOrderDraft,
    *,
    actor: str,
    expected_version: int | None,
) -> dict[str, Any]:
    """Replaces supplier, destination, lines and note of a draft; only a draft can be
    edited (409 otherwise), and a stale version is a 409."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        connection = uow.connection
        found, location_id, lines = _resolved(connection, draft)
        condition = [po.c.number == number, po.c.status == model.DRAFT]
        if expected_version is not None:
            condition.append(po.c.version == expected_version)
        order_id = connection.execute(
            update(po)
            .where(*condition)
            .values(
                supplier_id=found.id,
                location_id=location_id,
                currency=found.currency,
                note=draft.note,
                version=po.c.version + 1,
                updated_at=clock.now(),
            )
            .returning(po.c.id)
        ).scalar()
        if order_id is None:
            raise _why_unchanged(connection, number, expected_version, model.DRAFT)
        store_lines(connection, order_id, found.currency, lines)
        return purchase_order_in(connection, number)

    return db.write(work, actor=actor)


def _why_unchanged(
    connection: Connection, number: str, expected_version: int | None, target: str
) -> Exception:
    row = connection.execute(
        select(po.c.status, po.c.version, po.c.kind).where(po.c.number == number)
    ).first()
    if row is None:
        return NotFoundError(f"No purchase order {number}.")
    if row.kind == model.DROPSHIP:
        return _dropship_refused(number, row.status)
    if expected_version is not None and row.version != expected_version:
        return StaleVersionError(
            f"Purchase order {number} was changed by someone else (now version {row.version}).",
            current_version=row.version,
        )
    if target == model.DRAFT:
        return ConflictError(
            f"Purchase order {number} is {row.status}; only a draft can be edited.",
            current_status=row.status,
        )
    model.check_transition(row.status, target)
    return ConflictError(f"Purchase order {number} changed meanwhile; try again.")


def _dropship_refused(number: str, status: str) -> ConflictError:
    return ConflictError(
        f"Purchase order {number} is a drop-ship order: its supplier confirms, ships or "
        "cancels it through the supplier API, and nothing of it is received into stock.",
        current_status=status,
    )


# -- transitions ----------------------------------------------------------------------------


def _transition(
    uow: UnitOfWork,
    number: str,
    target: str,
    expected_version: int | None = None,
    **details: Any,
) -> int:
    """Compare-and-set of the status, then exactly one event; returns the order's id."""
    condition = [
        po.c.number == number,
        po.c.kind == model.STOCK,
        po.c.status.in_(model.allowed_sources(target)),
    ]
    if expected_version is not None:
        condition.append(po.c.version == expected_version)
    row = uow.connection.execute(
        update(po)
        .where(*condition)
        .values(status=target, version=po.c.version + 1, updated_at=clock.now())
        .returning(po.c.id, po.c.supplier_id)
    ).first()
    if row is None:
        raise _why_unchanged(uow.connection, number, expected_version, target)
    code = uow.connection.execute(
        select(supplier.c.code).where(supplier.c.id == row.supplier_id)
    ).scalar_one()
    event_class = events.STATUS_EVENTS[target]
    source = details.pop("from_status")
    uow.record(event_class(number, code, source, target, **details), aggregate_id=row.id)
    return int(row.id)


def _status_of(connection: Connection, number: str) -> str:
    status = connection.execute(select(po.c.status).where(po.c.number == number)).scalar()
    if status is None:
        raise NotFoundError(f"No purchase order {number}.")
    return str(status)


def send_purchase_order(
    db: Database, number: str, *, actor: str, expected_version: int | None = None
) -> dict[str, Any]:
    """The draft goes to the supplier: from now on its lines count as open supply."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        current = _status_of(uow.connection, number)
        _transition(uow, number, model.SENT, expected_version, from_status=current)
        return purchase_order_in(uow.connection, number)

    return db.write(work, actor=actor)


def confirm_purchase_order(
    db: Database,
    number: str,
    confirmed_dates: Mapping[int, date],
    *,
    actor: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """The supplier confirmed, with a delivery date per line (line number → date; lines
    left out keep their expected date)."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        connection = uow.connection
        current = _status_of(connection, number)
        order_id = _transition(uow, number, model.CONFIRMED, expected_version, from_status=current)
        numbers = set(
            connection.execute(
                select(po_line.c.line_number).where(po_line.c.purchase_order_id == order_id)
            ).scalars()
        )
        for line_number, confirmed_on in sorted(confirmed_dates.items()):
            if line_number not in numbers:
                raise model.invalid(f"lines[{line_number}]", "no such line on this order")
            connection.execute(
                update(po_line)
                .where(
                    po_line.c.purchase_order_id == order_id, po_line.c.line_number == line_number
                )
                .values(confirmed_on=confirmed_on)
            )
        return purchase_order_in(connection, number)

    return db.write(work, actor=actor)


def cancel_purchase_order(
    db: Database,
    number: str,
    *,
    reason: str,
    actor: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Cancels a draft, sent or confirmed order; once goods arrived it can no longer be."""
    why = reason.strip()
    if not 0 < len(why) <= model.MAX_NOTE_LENGTH:
        raise model.invalid("reason", f"must be 1 to {model.MAX_NOTE_LENGTH} characters")

    def work(uow: UnitOfWork) -> dict[str, Any]:
        current = _status_of(uow.connection, number)
        _transition(uow, number, model.CANCELLED, expected_version, from_status=current, reason=why)
        return purchase_order_in(uow.connection, number)

    return db.write(work, actor=actor)


# -- receiving ------------------------------------------------------------------------------


def receive_goods(uow: UnitOfWork, number: str, receipt: Mapping[int, int]) -> GoodsReceived:
    """Books received units per line (line number → units) inside the caller's unit of work.
    The caller raises the stock (orchestration). Over-receipt is a 422 naming the line."""
    connection = uow.connection
    now = clock.now()
    # Touching the order takes its row lock (PostgreSQL): receipts of one order queue here,
    # and each then reads the lines as the one before it left them.
    head = connection.execute(
        update(po)
        .where(po.c.number == number)
        .values(updated_at=now)
        .returning(po.c.id, po.c.status, po.c.location_id, po.c.kind)
    ).first()
    if head is None:
        raise NotFoundError(f"No purchase order {number}.")
    if head.kind == model.DROPSHIP:
        raise _dropship_refused(number, head.status)
    if head.status not in model.RECEIVABLE_STATUSES:
        model.check_transition(head.status, model.RECEIVED)
    lines = _open_lines(connection, head.id)
    model.check_receipt(lines, receipt)
    by_number = {line.id: line for line in lines}
    booked = {n: q for n, q in sorted(receipt.items()) if q > 0}
    for line_number, quantity in booked.items():
        raise_received(connection, head.id, by_number[line_number], quantity)
    connection.execute(
        insert(receipt_table),
        [
            {
                "purchase_order_id": head.id,
                "line_id": _line_id(connection, head.id, n),
                "quantity": q,
                "actor": uow.actor,
                "received_at": now,
            }
            for n, q in booked.items()
        ],
    )
    target = model.status_after_receipt(_open_lines(connection, head.id))
    units: dict[str, int] = {}
    for line_number, quantity in booked.items():
        sku = by_number[line_number].sku
        units[sku] = units.get(sku, 0) + quantity
    received = [{"sku": sku, "quantity": q} for sku, q in sorted(units.items())]
    _transition(uow, number, target, from_status=head.status, lines=received)
    code = location_names(connection, {head.location_id})[head.location_id]["code"]
    return GoodsReceived(number, code, units)


def _line_id(connection: Connection, order_id: int, line_number: int) -> int:
    return int(
        connection.execute(
            select(po_line.c.id).where(
                po_line.c.purchase_order_id == order_id, po_line.c.line_number == line_number
            )
        ).scalar_one()
    )


def raise_received(connection: Connection, order_id: int, line: OpenLine, quantity: int) -> None:
    """The guard against over-receipt lives in the WHERE: no concurrent receipt slips in."""
    result = connection.execute(
        update(po_line)
        .where(
            po_line.c.purchase_order_id == order_id,
            po_line.c.line_number == line.id,
            po_line.c.received_quantity + quantity <= po_line.c.quantity,
        )
        .values(received_quantity=po_line.c.received_quantity + quantity)
    )
    if result.rowcount != 1:
        raise model.invalid(
            f"lines[{line.id}].quantity",
            f"{line.sku}: receiving {quantity} would be more than was ordered "
            "(another receipt was booked meanwhile)",
        )


def _open_lines(connection: Connection, order_id: int) -> list[OpenLine]:
    rows = connection.execute(
        select(
            po_line.c.line_number, po_line.c.sku, po_line.c.quantity, po_line.c.received_quantity
        )
        .where(po_line.c.purchase_order_id == order_id)
        .order_by(po_line.c.line_number)
    ).all()
    return [OpenLine(r.line_number, r.sku, r.quantity, r.received_quantity) for r in rows]


# -- reading --------------------------------------------------------------------------------


def _line_dict(row: Rows, currency: str) -> dict[str, Any]:
    return {
        "line_number": row.line_number,
        "sku": row.sku,
        "quantity": row.quantity,
        "received_quantity": row.received_quantity,
        "open_quantity": row.quantity - row.received_quantity,
        "unit_price": format_minor(row.unit_price, currency),
        "line_total": format_minor(row.unit_price * row.quantity, currency),
        "expected_on": row.expected_on,
        "confirmed_on": row.confirmed_on,
    }


def _head_dict(row: Rows, location: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "number": row.number,
        "status": row.status,
        "supplier": {"code": row.supplier_code, "name": row.supplier_name},
        "location": location,
        "currency": row.currency,
        "note": row.note,
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "created_by": row.created_by,
        "kind": row.kind,
        "order_id": row.order_id,
        "order_number": row.order_number,
        "fulfillment_order_id": row.fulfillment_order_id,
        "ship_to": row.ship_to,
        "expected_ship_on": row.expected_ship_on,
        "carrier": row.carrier,
        "tracking_number": row.tracking_number,
        "shipped_at": row.shipped_at,
    }


_HEAD = (po, supplier.c.code.label("supplier_code"), supplier.c.name.label("supplier_name"))


def purchase_order_in(connection: Connection, number: str) -> dict[str, Any]:
    """One purchase order with its lines and receipts."""
    row = connection.execute(
        select(*_HEAD)
        .join(supplier, supplier.c.id == po.c.supplier_id)
        .where(po.c.number == number)
    ).first()
    if row is None:
        raise NotFoundError(f"No purchase order {number}.")
    location = location_names(connection, {row.location_id})[row.location_id]
    lines = connection.execute(
        select(po_line).where(po_line.c.purchase_order_id == row.id).order_by(po_line.c.line_number)
    ).all()
    receipts = connection.execute(
        select(receipt_table, po_line.c.line_number, po_line.c.sku)
        .join(po_line, po_line.c.id == receipt_table.c.line_id)
        .where(receipt_table.c.purchase_order_id == row.id)
        .order_by(receipt_table.c.id)
    ).all()
    line_dicts = [_line_dict(line, row.currency) for line in lines]
    total = sum(line.unit_price * line.quantity for line in lines)
    return {
        **_head_dict(row, location),
        "total": format_minor(total, row.currency),
        "lines": line_dicts,
        "receipts": [
            {
                "line_number": r.line_number,
                "sku": r.sku,
                "quantity": r.quantity,
                "actor": r.actor,
                "received_at": r.received_at,
            }
            for r in receipts
        ],
    }


def get_purchase_order(db: Database, number: str) -> dict[str, Any]:
    return db.read(lambda connection: purchase_order_in(connection, number))


@dataclass(frozen=True, slots=True)
class PurchaseOrderFilter:
    status: str | None = None
    supplier_code: str | None = None
    location_code: str | None = None
    sku: str | None = None
    kind: str | None = None


def list_purchase_orders(
    db: Database, filters: PurchaseOrderFilter, *, after_id: int | None = None, limit: int = 50
) -> dict[str, Any]:
    """Purchase orders, newest first, filtered by status, supplier, destination or SKU."""

    def work(connection: Connection) -> dict[str, Any]:
        sums = (
            select(
                po_line.c.purchase_order_id,
                func.sum(po_line.c.quantity).label("quantity"),
                func.sum(po_line.c.received_quantity).label("received"),
                func.sum(po_line.c.quantity * po_line.c.unit_price).label("total"),
                func.min(func.coalesce(po_line.c.confirmed_on, po_line.c.expected_on)).label(
                    "expected_on"
                ),
            )
            .group_by(po_line.c.purchase_order_id)
            .subquery()
        )
        query = (
            select(*_HEAD, sums.c.quantity, sums.c.received, sums.c.total, sums.c.expected_on)
            .join(supplier, supplier.c.id == po.c.supplier_id)
            .join(sums, sums.c.purchase_order_id == po.c.id)
            .order_by(po.c.id.desc())
            .limit(limit + 1)
        )
        query = _filtered(connection, query, filters)
        if after_id is not None:
            query = query.where(po.c.id < after_id)
        rows = connection.execute(query).all()
        names = location_names(connection, {row.location_id for row in rows})
        items = [
            {
                **_head_dict(row, names[row.location_id]),
                "quantity": int(row.quantity),
                "received_quantity": int(row.received),
                "total": format_minor(int(row.total), row.currency),
                "expected_on": _as_date(row.expected_on),
            }
            for row in rows[:limit]
        ]
        has_more = len(rows) > limit
        return {"items": items, "next_after_id": items[-1]["id"] if has_more else None}

    return db.read(work)


def _as_date(value: Any) -> date | None:
    # SQLite gives MIN() over dates back as text.
    return date.fromisoformat(value) if isinstance(value, str) else value


def _filtered(connection: Connection, query: Any, filters: PurchaseOrderFilter) -> Any:
    if filters.status is not None:
        query = query.where(po.c.status == filters.status)
    if filters.kind is not None:
        query = query.where(po.c.kind == filters.kind)
    if filters.supplier_code is not None:
        query = query.where(supplier.c.code == filters.supplier_code)
    if filters.location_code is not None:
        try:
            location_id = location_id_for_code(connection, filters.location_code)
        except NotFoundError:
            location_id = 0
        query = query.where(po.c.location_id == location_id)
    if filters.sku is not None:
        having = select(po_line.c.id).where(
            and_(po_line.c.purchase_order_id == po.c.id, po_line.c.sku == filters.sku)
        )
        query = query.where(having.exists())
    return query


def incoming_supply(connection: Connection, skus: Collection[str]) -> list[IncomingSupply]:
    """Open quantities (ordered − received) of these SKUs on sent, confirmed and partially
    received purchase orders, with the confirmed date where there is one, else the
    expected one; soonest first. For the availability and the delivery promise."""
    if not skus:
        return []
    rows = connection.execute(
        select(
            po_line.c.sku,
            po.c.location_id,
            (po_line.c.quantity - po_line.c.received_quantity).label("open"),
            func.coalesce(po_line.c.confirmed_on, po_line.c.expected_on).label("expected"),
            po.c.number,
        )
        .join(po, po.c.id == po_line.c.purchase_order_id)
        .where(
            po_line.c.sku.in_(sorted(skus)),
            po.c.status.in_(sorted(model.OPEN_SUPPLY_STATUSES)),
            # Drop-ship goods go to a customer, never into a location's stock.
            po.c.kind == model.STOCK,
            po_line.c.received_quantity < po_line.c.quantity,
        )
        .order_by(po_line.c.sku, po.c.id, po_line.c.line_number)
    ).all()
    supply = [
        IncomingSupply(row.sku, row.location_id, int(row.open), _as_date(row.expected), row.number)
        for row in rows
    ]
    return sorted(supply, key=lambda s: (s.sku, s.expected_date or date.max, s.po_number))


def open_supply_by_position(
    connection: Connection, skus: Collection[str]
) -> dict[tuple[str, int], int]:
    """(SKU, location id) → units still to come on open purchase orders."""
    totals: dict[tuple[str, int], int] = {}
    for item in incoming_supply(connection, skus):
        key = (item.sku, item.location_id)
        totals[key] = totals.get(key, 0) + item.quantity
    return totals
