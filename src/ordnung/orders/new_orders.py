"""Storing orders that are new: holds, customer, number, stock, rows, events — for many orders
in a few statements, inside the intake's unit of work.

Each step handles the whole batch at once (one upsert for the customers, one locked read and
one conditional update per stock position for the reservations, one insert per table), so a
batch of orders costs about as many round trips as a single one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from ordnung.channels.service import ChannelRef
from ordnung.core.db import UnitOfWork, insert_rows
from ordnung.core.driver import driver_of
from ordnung.core.events import DomainEvent
from ordnung.core.idempotency import Outcome
from ordnung.core.money import to_minor
from ordnung.customers.model import normalise_email
from ordnung.customers.service import Person, find_or_create_customers
from ordnung.fulfillment.service import Release, Released, release_fulfillment_orders_for
from ordnung.orders import model
from ordnung.orders.queries import OrderRows, shape_order_detail
from ordnung.orders.tables import order_hold_table as hold_table
from ordnung.orders.tables import order_line_table as line_table
from ordnung.orders.tables import sales_order_table as order_table
from ordnung.sourcing.model import Allocation, Need
from ordnung.sourcing.service import reserve_stock_for_orders

Hold = tuple[str, str]  # (reason, detail)


@dataclass(frozen=True, slots=True)
class NewOrderToStore:
    """A new order that passed the checks at intake, with who sent it and its totals."""

    order: model.NewOrder
    actor: str
    channel: ChannelRef
    totals: model.Totals


def store_new_orders(
    uow: UnitOfWork, orders: Sequence[NewOrderToStore], now: datetime
) -> list[Outcome]:
    """Stores and sources orders known to be new and valid; answers each with its detail.

    Locks are taken in one order by every batch — customers, then stock positions, then the
    new rows — so concurrent batches queue instead of deadlocking.
    """
    if not orders:
        return []
    connection = uow.connection
    names = _catalog_names(connection, {line.sku for o in orders for line in o.order.lines})
    holds = [_intake_holds(o.order, o.totals, names) for o in orders]
    customer_ids = find_or_create_customers(
        connection,
        [
            Person(o.order.email, o.order.first_name, o.order.last_name, o.order.phone)
            for o in orders
        ],
        now,
    )
    numbers = _next_order_numbers(connection, len(orders))
    plans = _reserve(connection, orders, holds, now)
    buckets = [_buckets(o.order, plan) for o, plan in zip(orders, plans, strict=True)]
    order_rows = [
        _order_row(o, number, customer_ids[normalise_email(o.order.email)], now)
        | {"status": model.derive_status(b, has_active_hold=bool(h))}
        for o, number, b, h in zip(orders, numbers, buckets, holds, strict=True)
    ]
    insert_rows(connection, order_table, order_rows)
    line_rows = [
        _line_rows(row["id"], o, names, b)
        for row, o, b in zip(order_rows, orders, buckets, strict=True)
    ]
    insert_rows(connection, line_table, [line for lines in line_rows for line in lines])
    hold_rows = [_hold_rows(row["id"], h, now) for row, h in zip(order_rows, holds, strict=True)]
    insert_rows(connection, hold_table, [hold for rows in hold_rows for hold in rows])
    for row, o, h in zip(order_rows, orders, holds, strict=True):
        _record_intake_events(uow, row, o, h)
    released = release_fulfillment_orders_for(
        uow,
        [
            Release(row["id"], _with_line_ids(plan, lines), o.actor)
            for row, plan, lines, o in zip(order_rows, plans, line_rows, orders, strict=True)
            if plan
        ],
    )
    return _outcomes(uow, orders, order_rows, line_rows, hold_rows, released, now)


def _reserve(
    connection: Connection,
    orders: Sequence[NewOrderToStore],
    holds: list[list[Hold]],
    now: datetime,
) -> list[list[Allocation]]:
    """Reservations per order; an order on hold is not sourced until its holds are released.
    `line_key` is the line's index in the order."""
    sourced = [index for index, order_holds in enumerate(holds) if not order_holds]
    needs = [
        [Need(i, line.sku, line.quantity) for i, line in enumerate(orders[index].order.lines)]
        for index in sourced
    ]
    plans: list[list[Allocation]] = [[] for _ in orders]
    reserved = reserve_stock_for_orders(connection, needs, now=now)
    for index, plan in zip(sourced, reserved, strict=True):
        plans[index] = plan
    return plans


def _buckets(order: model.NewOrder, plan: list[Allocation]) -> list[model.LineBuckets]:
    buckets = [model.LineBuckets(line.quantity, open=line.quantity) for line in order.lines]
    for allocation in plan:
        buckets[allocation.line_key].allocate(allocation.quantity)
    return buckets


def _with_line_ids(plan: list[Allocation], lines: list[dict[str, Any]]) -> list[Allocation]:
    return [
        Allocation(lines[a.line_key]["id"], a.sku, a.location_id, a.position_id, a.quantity)
        for a in plan
    ]


def _catalog_names(connection: Connection, skus: set[str]) -> dict[str, str]:
    driver = driver_of(connection)
    source, parameters = driver.row_source([(sku,) for sku in sorted(skus)], ("text",))
    return dict(driver.fetch_all(_CATALOG_NAMES.format(skus=source), parameters))


def _intake_holds(order: model.NewOrder, totals: model.Totals, names: dict[str, str]) -> list[Hold]:
    """Validation at intake: reasons the order may not proceed, as (reason, detail)."""
    holds = []
    unknown = sorted({line.sku for line in order.lines} - set(names))
    if unknown:
        holds.append(("unknown_sku", "Unknown SKUs: " + ", ".join(unknown)))
    mismatched = model.totals_mismatches(order.expected, totals, order.currency)
    if mismatched:
        holds.append(("totals_mismatch", "Channel totals differ: " + ", ".join(mismatched)))
    return holds


def _next_order_numbers(connection: Connection, count: int) -> list[str]:
    driver = driver_of(connection)
    if driver.is_postgresql:
        values = sorted(row[0] for row in driver.fetch_all(_NEXT_NUMBERS_PG, [count]))
    else:
        # SQLite writers are serialised by BEGIN IMMEDIATE, so a counter row costs nothing.
        last = int(driver.fetch_all(_NEXT_NUMBERS_SQLITE, [count, count])[0][0])
        values = list(range(last - count + 1, last + 1))
    return [f"ORD-{int(value):06d}" for value in values]


def _order_row(
    new: NewOrderToStore, number: str, customer_id: int, now: datetime
) -> dict[str, Any]:
    order, totals = new.order, new.totals
    return {
        "number": number,
        "channel_id": new.channel.id,
        "external_id": order.external_id,
        "customer_id": customer_id,
        "email": order.email.lower(),
        "customer_name": f"{order.first_name} {order.last_name}".strip(),
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


def _line_rows(
    order_id: int, new: NewOrderToStore, names: dict[str, str], buckets: list[model.LineBuckets]
) -> list[dict[str, Any]]:
    order, totals = new.order, new.totals
    return [
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


def _hold_rows(order_id: int, holds: list[Hold], now: datetime) -> list[dict[str, Any]]:
    return [
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


def _record_intake_events(
    uow: UnitOfWork, order_row: dict[str, Any], new: NewOrderToStore, holds: list[Hold]
) -> None:
    order_id, number, status = order_row["id"], order_row["number"], order_row["status"]
    order = new.order
    received = {"number": number, "channel": order.channel, "external_id": order.external_id}
    uow.record(
        DomainEvent("order.received", "order", order_id, order_id, received), actor=new.actor
    )
    for reason, detail in holds:
        held = {"number": number, "reason": reason, "detail": detail}
        uow.record(DomainEvent("order.held", "order", order_id, order_id, held), actor=new.actor)
    if status != model.ON_HOLD:
        changed = {"number": number, "from": model.RECEIVED, "to": status}
        uow.record(
            DomainEvent(f"order.{status}", "order", order_id, order_id, changed), actor=new.actor
        )


def _outcomes(
    uow: UnitOfWork,
    orders: Sequence[NewOrderToStore],
    order_rows: list[dict[str, Any]],
    line_rows: list[list[dict[str, Any]]],
    hold_rows: list[list[dict[str, Any]]],
    released: Released,
    now: datetime,
) -> list[Outcome]:
    """Each order's detail, built from what was just written (no re-reading)."""
    locations = _location_names(uow.connection, {fo["location_id"] for fo in released.orders})
    fos_by_order: dict[int, list[dict[str, Any]]] = {row["id"]: [] for row in order_rows}
    for fo in released.orders:
        fos_by_order[fo["order_id"]].append(fo | locations[fo["location_id"]])
    fo_lines_by_fo: dict[int, list[dict[str, Any]]] = {fo["id"]: [] for fo in released.orders}
    for line in released.lines:
        fo_lines_by_fo[line["fulfillment_order_id"]].append(line)
    events_by_order: dict[int, list[dict[str, Any]]] = {row["id"]: [] for row in order_rows}
    for event in uow.flush_events(now):
        events_by_order[event["order_id"]].append(event)
    outcomes = []
    for new, row, lines, holds in zip(orders, order_rows, line_rows, hold_rows, strict=True):
        fos = fos_by_order[row["id"]]
        detail = OrderRows(
            order=row,
            channel_code=new.channel.code,
            channel_name=new.channel.name,
            holds=holds,
            lines=lines,
            fulfillment_orders=fos,
            fulfillment_lines=[line for fo in fos for line in fo_lines_by_fo[fo["id"]]],
            shipments=[],
            events=events_by_order[row["id"]],
        )
        outcomes.append(Outcome(shape_order_detail(detail), created=True))
    return outcomes


def _location_names(connection: Connection, ids: set[int]) -> dict[int, dict[str, str]]:
    if not ids:
        return {}
    driver = driver_of(connection)
    source, parameters = driver.row_source([(i,) for i in sorted(ids)], ("integer",))
    rows = driver.fetch_all(_LOCATION_NAMES.format(ids=source), parameters)
    return {location_id: {"code": code, "name": name} for location_id, code, name in rows}


_CATALOG_NAMES = "SELECT sku, name FROM product WHERE sku IN ({skus})"
_LOCATION_NAMES = "SELECT id, code, name FROM location WHERE id IN ({ids})"
_NEXT_NUMBERS_PG = "SELECT nextval('order_number_seq') FROM generate_series(1, ?)"
_NEXT_NUMBERS_SQLITE = (
    "INSERT INTO counter (name, value) VALUES ('order_number', ?)"
    " ON CONFLICT (name) DO UPDATE SET value = value + ? RETURNING value"
)
