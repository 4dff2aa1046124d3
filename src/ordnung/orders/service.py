"""Order use cases: place (intake + validation + sourcing + release), cancel, release a hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.engine import Connection

from ordnung.catalog.tables import product_table
from ordnung.channels.service import find_channel_by_code
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, insert_returning_ids
from ordnung.core.errors import ConflictError, NotFoundError, ValidationError
from ordnung.core.events import DomainEvent
from ordnung.core.idempotency import IdempotencyClaim, Outcome, StoredResponse
from ordnung.core.money import to_minor
from ordnung.customers.service import find_or_create_customer
from ordnung.fulfillment.service import (
    cancel_open_fulfillment_orders,
    release_fulfillment_orders,
    resource_open_lines,
)
from ordnung.inventory.tables import location_table
from ordnung.orders import model
from ordnung.orders.queries import OrderRows, load_order_detail, shape_order_detail
from ordnung.orders.repository import load_order_state, save_order_state
from ordnung.orders.tables import order_hold_table as hold_table
from ordnung.orders.tables import order_line_table as line_table
from ordnung.orders.tables import sales_order_table as order_table
from ordnung.sourcing.model import Allocation, Need
from ordnung.sourcing.service import reserve_stock


def place_order(
    db: Database,
    order: model.NewOrder,
    *,
    actor: str,
    idempotency: IdempotencyClaim | None = None,
) -> StoredResponse:
    """Takes an order from a channel exactly once and sources it.

    A repeat of `(channel, external_id)` answers with the stored order (200) and writes
    nothing; a repeat of the Idempotency-Key replays the first answer byte for byte.
    """
    return db.write_idempotent(lambda uow: _place(uow, order), claim=idempotency, actor=actor)


def _place(uow: UnitOfWork, order: model.NewOrder) -> Outcome:
    connection = uow.connection
    now = clock.now()
    channel = find_channel_by_code(connection, order.channel)
    if channel is None:
        raise ValidationError(f"Unknown sales channel {order.channel!r}.", field="channel")
    existing = connection.execute(
        _EXISTING_ORDER, {"channel_id": channel.id, "external_id": order.external_id}
    ).scalar()
    if existing is not None:
        return Outcome(load_order_detail(connection, existing), created=False)
    totals = model.compute_totals(order)
    names = _catalog_names(connection, [line.sku for line in order.lines])
    holds = _intake_holds(order, totals, names)
    buckets = [model.LineBuckets(line.quantity, open=line.quantity) for line in order.lines]
    customer_id = find_or_create_customer(
        connection, order.email, order.first_name, order.last_name, order.phone, now
    )
    number = _next_order_number(connection)
    # Stock rows are locked from here to the commit (PostgreSQL), so reserve as late as we can.
    allocations: list[Allocation] = []
    if not holds:
        needs = [Need(i, line.sku, line.quantity) for i, line in enumerate(order.lines)]
        allocations = reserve_stock(connection, needs, now=now)
        for allocation in allocations:
            buckets[allocation.line_key].allocate(allocation.quantity)
    status = model.derive_status(buckets, has_active_hold=bool(holds))
    head = _OrderHead(number, channel.id, customer_id, status)
    order_row = _insert_order(connection, order, head, totals, now)
    lines = _insert_lines(connection, order_row["id"], order, totals, names, buckets)
    allocations = [_with_line_id(a, [line["id"] for line in lines]) for a in allocations]
    hold_rows = _insert_holds(connection, order_row["id"], holds, now)
    _record_intake_events(uow, order_row, order, holds)
    released = release_fulfillment_orders(uow, order_row["id"], allocations)
    rows = OrderRows(
        order=order_row,
        channel_code=channel.code,
        channel_name=channel.name,
        holds=hold_rows,
        lines=lines,
        fulfillment_orders=_with_location_names(connection, released.orders),
        fulfillment_lines=released.lines,
        shipments=[],
        events=uow.flush_events(now),
    )
    return Outcome(shape_order_detail(rows), created=True)


def _record_intake_events(
    uow: UnitOfWork, order_row: dict[str, Any], order: model.NewOrder, holds: list[tuple[str, str]]
) -> None:
    order_id, number, status = order_row["id"], order_row["number"], order_row["status"]
    received = {"number": number, "channel": order.channel, "external_id": order.external_id}
    uow.record(DomainEvent("order.received", "order", order_id, order_id, received))
    for reason, detail in holds:
        held = {"number": number, "reason": reason, "detail": detail}
        uow.record(DomainEvent("order.held", "order", order_id, order_id, held))
    if status != model.ON_HOLD:
        changed = {"number": number, "from": model.RECEIVED, "to": status}
        uow.record(DomainEvent(f"order.{status}", "order", order_id, order_id, changed))


def _with_location_names(
    connection: Connection, fulfillment_orders: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    if not fulfillment_orders:
        return []
    ids = [fo["location_id"] for fo in fulfillment_orders]
    names = {row.id: row for row in connection.execute(_LOCATION_NAMES, {"ids": ids})}
    return [
        {**fo, "code": names[fo["location_id"]].code, "name": names[fo["location_id"]].name}
        for fo in fulfillment_orders
    ]


_EXISTING_ORDER = select(order_table.c.id).where(
    order_table.c.channel_id == bindparam("channel_id"),
    order_table.c.external_id == bindparam("external_id"),
)
_LOCATION_NAMES = select(location_table.c.id, location_table.c.code, location_table.c.name).where(
    location_table.c.id.in_(bindparam("ids", expanding=True))
)
_CATALOG_NAMES = select(product_table.c.sku, product_table.c.name).where(
    product_table.c.sku.in_(bindparam("skus", expanding=True))
)
_INSERT_ORDER = insert(order_table).returning(order_table.c.id)


def _with_line_id(allocation: Allocation, line_ids: list[int]) -> Allocation:
    return Allocation(
        line_ids[allocation.line_key],
        allocation.sku,
        allocation.location_id,
        allocation.position_id,
        allocation.quantity,
    )


def _catalog_names(connection: Connection, skus: list[str]) -> dict[str, str]:
    rows = connection.execute(_CATALOG_NAMES, {"skus": sorted(set(skus))})
    return {row.sku: row.name for row in rows}


def _intake_holds(
    order: model.NewOrder, totals: model.Totals, names: dict[str, str]
) -> list[tuple[str, str]]:
    """Validation at intake: reasons the order may not proceed, as (reason, detail)."""
    holds = []
    unknown = sorted({line.sku for line in order.lines} - set(names))
    if unknown:
        holds.append(("unknown_sku", "Unknown SKUs: " + ", ".join(unknown)))
    mismatched = model.totals_mismatches(order.expected, totals, order.currency)
    if mismatched:
        holds.append(("totals_mismatch", "Channel totals differ: " + ", ".join(mismatched)))
    return holds


def _next_order_number(connection: Connection) -> str:
    if connection.dialect.name == "postgresql":
        value = connection.execute(text("SELECT nextval('order_number_seq')")).scalar_one()
    else:
        # SQLite writers are serialised by BEGIN IMMEDIATE, so a counter row costs nothing.
        value = connection.execute(
            text(
                "INSERT INTO counter (name, value) VALUES ('order_number', 1)"
                " ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value"
            )
        ).scalar_one()
    return f"ORD-{int(value):06d}"


@dataclass(frozen=True, slots=True)
class _OrderHead:
    number: str
    channel_id: int
    customer_id: int
    status: str


def _insert_order(
    connection: Connection,
    order: model.NewOrder,
    head: _OrderHead,
    totals: model.Totals,
    now: datetime,
) -> dict[str, Any]:
    """Stores the order head; returns it as a row."""
    row: dict[str, Any] = {
        "number": head.number,
        "channel_id": head.channel_id,
        "external_id": order.external_id,
        "customer_id": head.customer_id,
        "email": order.email.lower(),
        "customer_name": f"{order.first_name} {order.last_name}".strip(),
        "status": head.status,
        "currency": order.currency,
        "prices_include_tax": 1 if order.prices_include_tax else 0,
        "billing_address": order.billing_address.as_dict(),
        "shipping_address": order.shipping_address.as_dict(),
        "shipping_method": order.shipping_method,
        "shipping_amount": totals.shipping,
        "shipping_tax_rate": str(order.shipping_tax_rate),
        "subtotal_amount": totals.subtotal,
        "tax_amount": totals.tax,
        "total_amount": totals.total,
        "placed_at": order.placed_at or now,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    row["id"] = connection.execute(_INSERT_ORDER, row).scalar_one()
    return row


def _insert_lines(
    connection: Connection,
    order_id: int,
    order: model.NewOrder,
    totals: model.Totals,
    names: dict[str, str],
    buckets: list[model.LineBuckets],
) -> list[dict[str, Any]]:
    rows = [
        {
            "order_id": order_id,
            "line_number": index + 1,
            "sku": line.sku,
            # The order keeps its own copy of the name: a catalogue change never rewrites it.
            "name": line.name or names.get(line.sku, line.sku),
            "quantity": line.quantity,
            "unit_price": to_minor(line.unit_price, order.currency),
            "discount_amount": to_minor(line.discount, order.currency),
            "tax_rate": str(line.tax_rate),
            "line_total": totals.line_totals[index],
            "open_quantity": buckets[index].open,
            "allocated_quantity": buckets[index].allocated,
            "shipped_quantity": 0,
            "cancelled_quantity": 0,
            "returned_quantity": 0,
        }
        for index, line in enumerate(order.lines)
    ]
    ids = insert_returning_ids(connection, line_table, rows)
    return [{**row, "id": line_id} for row, line_id in zip(rows, ids, strict=True)]


def _insert_holds(
    connection: Connection, order_id: int, holds: list[tuple[str, str]], now: datetime
) -> list[dict[str, Any]]:
    if not holds:
        return []
    rows: list[dict[str, Any]] = [
        {
            "order_id": order_id,
            "reason": reason,
            "detail": detail,
            "created_at": now,
            "released_at": None,
            "released_by": None,
            "release_note": None,
        }
        for reason, detail in holds
    ]
    ids = insert_returning_ids(connection, hold_table, rows)
    return [{**row, "id": hold_id} for row, hold_id in zip(rows, ids, strict=True)]


def cancel_order(
    db: Database,
    order_id: int,
    *,
    reason: str,
    actor: str,
    expected_version: int | None = None,
    idempotency: IdempotencyClaim | None = None,
) -> StoredResponse:
    """Cancels every unit not yet shipped and gives its stock back. Only before shipment."""

    def work(uow: UnitOfWork) -> Outcome:
        now = clock.now()
        order = load_order_state(uow.connection, order_id)
        if order.status == model.CANCELLED:
            return Outcome(load_order_detail(uow.connection, order_id), created=False)
        if any(line.shipped for line in order.lines.values()):
            raise ConflictError(
                f"Order {order.number} has shipped units; it can no longer be cancelled whole."
            )
        cancel_open_fulfillment_orders(uow, order)
        for line in order.lines.values():
            line.cancel_unshipped()
        save_order_state(
            uow, order, now, expected_version=expected_version, event_payload={"reason": reason}
        )
        uow.flush_events(now)
        return Outcome(load_order_detail(uow.connection, order_id), created=False)

    return db.write_idempotent(work, claim=idempotency, actor=actor)


def release_hold(
    db: Database,
    order_id: int,
    hold_id: int,
    *,
    note: str,
    actor: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """A person releases a hold with a note; with no hold left, the order is sourced."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        now = clock.now()
        order = load_order_state(uow.connection, order_id)
        released = uow.connection.execute(
            update(hold_table)
            .where(
                hold_table.c.id == hold_id,
                hold_table.c.order_id == order_id,
                hold_table.c.released_at.is_(None),
            )
            .values(released_at=now, released_by=actor, release_note=note)
        )
        if released.rowcount != 1:
            raise NotFoundError(f"Order {order.number} has no active hold {hold_id}.")
        payload = {"number": order.number, "hold_id": hold_id, "note": note}
        uow.record(DomainEvent("order.hold_released", "order", order_id, order_id, payload))
        order.has_active_hold = _has_active_hold(uow.connection, order_id)
        if not order.has_active_hold and order.status != model.CANCELLED:
            resource_open_lines(uow, order)
        save_order_state(uow, order, now, expected_version=expected_version)
        uow.flush_events(now)
        return load_order_detail(uow.connection, order_id)

    return db.write(work, actor=actor)


def _has_active_hold(connection: Connection, order_id: int) -> bool:
    row = connection.execute(
        select(hold_table.c.id)
        .where(hold_table.c.order_id == order_id, hold_table.c.released_at.is_(None))
        .limit(1)
    ).first()
    return row is not None
