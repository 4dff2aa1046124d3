"""Storing and loading the order aggregate: the only writer of the order tables.

Loading locks the order row (PostgreSQL; on SQLite the write transaction already holds the
database), so changes to one order serialise; saving compares the version, so a stale human
edit is a 409 and a lost race is retried. New orders are stored set-wise — one statement per
table for a whole intake batch — through the driver (core/driver.py).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection, RowMapping

from ordnung.core.db import UnitOfWork, insert_rows
from ordnung.core.driver import driver_of
from ordnung.core.errors import NotFoundError, StaleVersionError
from ordnung.core.numbering import next_counter_values
from ordnung.orders.draft import Address
from ordnung.orders.model import Hold, LineBuckets, Order, OrderLine
from ordnung.orders.search_index import new_order_keys
from ordnung.orders.tables import order_hold_table as hold_table
from ordnung.orders.tables import order_line_table as line_table
from ordnung.orders.tables import order_search_table as search_table
from ordnung.orders.tables import sales_order_table as order_table

Row = dict[str, Any]

# -- new orders ---------------------------------------------------------------------------


def next_order_numbers(connection: Connection, count: int) -> list[str]:
    """`count` fresh human order numbers (ORD-000123), in ascending order."""
    driver = driver_of(connection)
    if driver.is_postgresql:
        # A sequence: concurrent intake on PostgreSQL does not queue on one counter row.
        values = sorted(row[0] for row in driver.fetch_all(_NEXT_NUMBERS_PG, [count]))
    else:
        # SQLite writers are serialised by BEGIN IMMEDIATE, so a counter row costs nothing.
        values = next_counter_values(connection, "order_number", count)
    return [f"ORD-{int(value):06d}" for value in values]


def find_order_ids(
    connection: Connection, keys: Collection[tuple[int, str]]
) -> dict[tuple[int, str], int]:
    """Ids of the orders stored under these (channel id, external id) keys."""
    if not keys:
        return {}
    driver = driver_of(connection)
    wanted, parameters = driver.with_rows(
        "wanted", ("channel_id", "external_id"), sorted(keys), ("bigint", "text")
    )
    rows = driver.fetch_all(wanted + EXISTING_ORDERS, parameters)
    return {(channel_id, external_id): order_id for order_id, channel_id, external_id in rows}


@dataclass(frozen=True, slots=True)
class StoredRows:
    """The rows just written for new orders (with their ids), by order: what an answer to
    the order is built from without reading them back."""

    orders: list[Row]
    lines: list[list[Row]]
    holds: list[list[Row]]


def add_orders(uow: UnitOfWork, orders: Sequence[Order], actors: Sequence[str]) -> StoredRows:
    """Stores new orders — rows, lines, holds and their events (each with the actor who sent
    the order) — in one statement per table, and gives each order, line and hold its id."""
    for order in orders:
        order.settle_status()
    order_rows = [order_row(order) for order in orders]
    insert_rows(uow.connection, order_table, order_rows)
    for order, row in zip(orders, order_rows, strict=True):
        order.id = row["id"]
    line_rows = [line_row(order, line) for order in orders for line in order.lines]
    insert_rows(uow.connection, line_table, line_rows)
    hold_rows = [hold_row(order, hold) for order in orders for hold in order.holds]
    insert_rows(uow.connection, hold_table, hold_rows)
    stored = _give_ids(orders, order_rows, line_rows, hold_rows)
    driver_of(uow.connection).append(search_table, new_order_keys(orders))
    for order, actor in zip(orders, actors, strict=True):
        _record_events(uow, order, actor)
    return stored


def _give_ids(
    orders: Sequence[Order], order_rows: list[Row], line_rows: list[Row], hold_rows: list[Row]
) -> StoredRows:
    lines = iter(line_rows)
    holds = iter(hold_rows)
    stored = StoredRows(order_rows, [], [])
    for order in orders:
        stored.lines.append([next(lines) for _ in order.lines])
        stored.holds.append([next(holds) for _ in order.holds])
        for line, row in zip(order.lines, stored.lines[-1], strict=True):
            line.id = row["id"]
        for hold, row in zip(order.holds, stored.holds[-1], strict=True):
            hold.id = row["id"]
    return stored


def _record_events(uow: UnitOfWork, order: Order, actor: str | None = None) -> None:
    assert order.id is not None
    for event in order.pull_events():
        uow.record(event, aggregate_id=order.id, order_id=order.id, actor=actor)


# -- orders that exist --------------------------------------------------------------------


def load_order(
    connection: Connection, order_id: int, *, expected_version: int | None = None
) -> Order:
    """The order, its row locked for the rest of the transaction. With `expected_version`
    (the version a person saw), a newer order is refused before anything is done."""
    row = connection.execute(_LOCKED_ORDER, {"order_id": order_id}).mappings().first()
    if row is None:
        raise NotFoundError(f"Order {order_id} does not exist.")
    lines = connection.execute(_LINES, {"order_id": order_id}).mappings().all()
    holds = connection.execute(_HOLDS, {"order_id": order_id}).mappings().all()
    order = _order_from_rows(row, lines, holds)
    order.check_version(expected_version)
    return order


def save_order(uow: UnitOfWork, order: Order, now: datetime) -> None:
    """Writes what an action changed: line buckets, holds, the settled status and the next
    version (compare-and-set: a concurrent change in between is a conflict), and the events."""
    order.settle_status()
    assert order.id is not None
    connection = uow.connection
    _save_lines(connection, order)
    _save_holds(connection, order)
    result = connection.execute(
        update(order_table)
        .where(order_table.c.id == order.id, order_table.c.version == order.version)
        .values(
            status=order.status, version=order.version + 1, updated_at=now, **_changeable(order)
        )
    )
    if result.rowcount != 1:
        raise StaleVersionError(f"Order {order.number} was changed concurrently; try again.")
    order.version += 1
    order.updated_at = now
    _record_events(uow, order)


def _save_lines(connection: Connection, order: Order) -> None:
    """Stored lines get their buckets and what an edit may change; lines added after intake
    are inserted (orders/changes.py)."""
    stored = [_line_values(line) for line in order.lines if line.id is not None]
    connection.execute(_UPDATE_LINE, stored)
    add_new_lines(connection, order)


def add_new_lines(connection: Connection, order: Order) -> None:
    """Inserts the lines added since the order was loaded and gives them ids (sourcing needs
    them before the order is saved)."""
    added = [line for line in order.lines if line.id is None]
    rows = [line_row(order, line) for line in added]
    insert_rows(connection, line_table, rows)
    for line, row in zip(added, rows, strict=True):
        line.id = row["id"]


def _changeable(order: Order) -> Row:
    """The order's columns an edit after intake may change (shipping, and the totals that
    follow every change of lines)."""
    totals = order.totals()
    return {
        "shipping_address": order.shipping_address.as_dict(),
        "shipping_method": order.shipping_method,
        "subtotal_amount": totals.subtotal,
        "tax_amount": totals.tax,
        "total_amount": totals.total,
    }


def _save_holds(connection: Connection, order: Order) -> None:
    new = [hold_row(order, hold) for hold in order.holds if hold.id is None]
    insert_rows(connection, hold_table, new)
    for hold, row in zip((h for h in order.holds if h.id is None), new, strict=True):
        hold.id = row["id"]
    released = [
        {
            "hold_id": hold.id,
            "released_at": hold.released_at,
            "released_by": hold.released_by,
            "release_note": hold.release_note,
        }
        for hold in order.holds
        if not hold.is_active
    ]
    if released:
        connection.execute(_RELEASE_HOLD, released)


def waiting_order_ids(connection: Connection, skus: Collection[str], limit: int) -> list[int]:
    """Orders that wait for units of these SKUs, oldest first, that nobody else is working on
    right now: their rows are locked here, and rows another transaction holds are skipped
    (PostgreSQL), so giving stock to backorders never waits for — or deadlocks with — an
    agent's or a location's action on one of them."""
    query = (
        select(order_table.c.id)
        .where(
            order_table.c.status.in_(_WAITING_STATUSES),
            order_table.c.id.in_(
                select(line_table.c.order_id).where(
                    line_table.c.sku.in_(sorted(skus)), line_table.c.open_quantity > 0
                )
            ),
        )
        .order_by(order_table.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(connection.execute(query).scalars())


def waiting_lines(connection: Connection) -> list[tuple[int, str]]:
    """(order id, SKU) of every line that waits for stock on an order not on hold."""
    query = (
        select(line_table.c.order_id, line_table.c.sku)
        .where(
            line_table.c.open_quantity > 0,
            line_table.c.order_id.in_(
                select(order_table.c.id).where(order_table.c.status.in_(_WAITING_STATUSES))
            ),
        )
        .distinct()
    )
    return [(int(order_id), str(sku)) for order_id, sku in connection.execute(query)]


# -- rows ---------------------------------------------------------------------------------


def order_row(order: Order) -> Row:
    totals = order.totals()
    return {
        "number": order.number,
        "channel_id": order.channel_id,
        "external_id": order.external_id,
        "customer_id": order.customer_id,
        "email": order.email,
        "customer_name": order.customer_name,
        "status": order.status,
        "currency": order.currency,
        "prices_include_tax": 1 if order.prices_include_tax else 0,
        "billing_address": order.billing_address.as_dict(),
        "shipping_address": order.shipping_address.as_dict(),
        "shipping_method": order.shipping_method,
        "shipping_amount": order.shipping_amount,
        "shipping_tax_rate": str(order.shipping_tax_rate),
        "subtotal_amount": totals.subtotal,
        "tax_amount": totals.tax,
        "total_amount": totals.total,
        "placed_at": order.placed_at,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "version": order.version,
        "vat_id": order.vat_id,
        "payment_method": order.payment_method,
        "card_fingerprint": order.card_fingerprint,
        "ship_to_key": order.shipping_address.key(),
        "service_level": order.service_level,
        "priority": order.priority,
        "gift_note": order.gift_note,
        "language": order.language,
    }


def line_row(order: Order, line: OrderLine) -> Row:
    return {
        "order_id": order.id,
        "line_number": line.line_number,
        "sku": line.sku,
        "name": line.name,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "discount_amount": line.discount,
        "tax_rate": str(line.tax_rate),
        "line_total": line.total,
        "open_quantity": line.buckets.open,
        "allocated_quantity": line.buckets.allocated,
        "shipped_quantity": line.buckets.shipped,
        "cancelled_quantity": line.buckets.cancelled,
        "returned_quantity": line.buckets.returned,
        "requested_delivery_on": line.requested_delivery_on,
        "promised_ship_on": line.promised_ship_on,
        "promised_delivery_on": line.promised_delivery_on,
    }


def hold_row(order: Order, hold: Hold) -> Row:
    return {
        "order_id": order.id,
        "reason": hold.reason,
        "detail": hold.detail,
        "created_at": hold.created_at,
        "released_at": hold.released_at,
        "released_by": hold.released_by,
        "release_note": hold.release_note,
        "facts": hold.facts,
    }


def _line_values(line: OrderLine) -> Row:
    return {
        "line_id": line.id,
        "sku": line.sku,
        "name": line.name,
        "unit_price": line.unit_price,
        "discount_amount": line.discount,
        "line_total": line.total,
        "open_quantity": line.buckets.open,
        "allocated_quantity": line.buckets.allocated,
        "shipped_quantity": line.buckets.shipped,
        "cancelled_quantity": line.buckets.cancelled,
        "promised_ship_on": line.promised_ship_on,
        "promised_delivery_on": line.promised_delivery_on,
    }


def _order_from_rows(
    row: RowMapping, lines: Sequence[RowMapping], holds: Sequence[RowMapping]
) -> Order:
    return Order(
        id=row["id"],
        number=row["number"],
        channel_id=row["channel_id"],
        external_id=row["external_id"],
        customer_id=row["customer_id"],
        email=row["email"],
        customer_name=row["customer_name"],
        currency=row["currency"],
        prices_include_tax=bool(row["prices_include_tax"]),
        billing_address=Address(**row["billing_address"]),
        shipping_address=Address(**row["shipping_address"]),
        shipping_method=row["shipping_method"],
        shipping_amount=row["shipping_amount"],
        shipping_tax_rate=Decimal(row["shipping_tax_rate"]),
        placed_at=row["placed_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        status=row["status"],
        version=row["version"],
        vat_id=row["vat_id"],
        payment_method=row["payment_method"],
        card_fingerprint=row["card_fingerprint"],
        service_level=row["service_level"],
        priority=row["priority"],
        gift_note=row["gift_note"],
        language=row["language"],
        lines=[_line_from_row(line) for line in lines],
        holds=[_hold_from_row(hold) for hold in holds],
    )


def _line_from_row(row: RowMapping) -> OrderLine:
    return OrderLine(
        id=row["id"],
        line_number=row["line_number"],
        sku=row["sku"],
        name=row["name"],
        unit_price=row["unit_price"],
        discount=row["discount_amount"],
        tax_rate=Decimal(row["tax_rate"]),
        buckets=LineBuckets(
            quantity=row["quantity"],
            open=row["open_quantity"],
            allocated=row["allocated_quantity"],
            shipped=row["shipped_quantity"],
            cancelled=row["cancelled_quantity"],
            returned=row["returned_quantity"],
        ),
        requested_delivery_on=row["requested_delivery_on"],
        promised_ship_on=row["promised_ship_on"],
        promised_delivery_on=row["promised_delivery_on"],
    )


def _hold_from_row(row: RowMapping) -> Hold:
    return Hold(
        id=row["id"],
        reason=row["reason"],
        detail=row["detail"],
        created_at=row["created_at"],
        released_at=row["released_at"],
        released_by=row["released_by"],
        release_note=row["release_note"],
        facts=row["facts"],
    )


# Statuses in which an order may still get stock for open units (not held, not finished).
_WAITING_STATUSES = ("backordered", "allocated", "partially_shipped")

# Built once: SQLAlchemy then skips statement construction and cache-key work per call.
_LOCKED_ORDER = (
    select(order_table).where(order_table.c.id == bindparam("order_id")).with_for_update()
)
_LINES = (
    select(line_table)
    .where(line_table.c.order_id == bindparam("order_id"))
    .order_by(line_table.c.line_number)
)
_HOLDS = (
    select(hold_table)
    .where(hold_table.c.order_id == bindparam("order_id"))
    .order_by(hold_table.c.id)
)
_UPDATE_LINE = (
    update(line_table)
    .where(line_table.c.id == bindparam("line_id"))
    .values(
        sku=bindparam("sku"),
        name=bindparam("name"),
        unit_price=bindparam("unit_price"),
        discount_amount=bindparam("discount_amount"),
        line_total=bindparam("line_total"),
        open_quantity=bindparam("open_quantity"),
        allocated_quantity=bindparam("allocated_quantity"),
        shipped_quantity=bindparam("shipped_quantity"),
        cancelled_quantity=bindparam("cancelled_quantity"),
        promised_ship_on=bindparam("promised_ship_on"),
        promised_delivery_on=bindparam("promised_delivery_on"),
    )
)
# Only a hold still active is released: a release is never rewritten by a later save.
_RELEASE_HOLD = (
    update(hold_table)
    .where(hold_table.c.id == bindparam("hold_id"), hold_table.c.released_at.is_(None))
    .values(
        released_at=bindparam("released_at"),
        released_by=bindparam("released_by"),
        release_note=bindparam("release_note"),
    )
)
EXISTING_ORDERS = (
    " SELECT o.id, o.channel_id, o.external_id FROM wanted JOIN sales_order o"
    " ON o.channel_id = wanted.channel_id AND o.external_id = wanted.external_id"
)
_NEXT_NUMBERS_PG = "SELECT nextval('order_number_seq') FROM generate_series(1, ?)"


def open_units_by_sku(connection: Connection, skus: Collection[str]) -> dict[str, int]:
    """Open units of these SKUs on orders that are not on hold: what waits for them (the
    pre-order cap counts these). One statement, for a batch that has capped pre-orders."""
    if not skus:
        return {}
    query = (
        select(line_table.c.sku, func.sum(line_table.c.open_quantity))
        .join(order_table, order_table.c.id == line_table.c.order_id)
        .where(
            line_table.c.sku.in_(sorted(skus)),
            line_table.c.open_quantity > 0,
            order_table.c.status != "on_hold",
        )
        .group_by(line_table.c.sku)
    )
    return {str(sku): int(units) for sku, units in connection.execute(query)}


def order_language(connection: Connection, order_id: int) -> str:
    """The language the order's documents are printed in (`de` or `en`)."""
    language = connection.execute(
        select(order_table.c.language).where(order_table.c.id == order_id)
    ).scalar()
    if language is None:
        raise NotFoundError(f"Order {order_id} does not exist.")
    return str(language)
