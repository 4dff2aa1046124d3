"""Read side of orders: the detail an agent sees and the filtered, paginated list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.engine import Connection, RowMapping

from ordnung.channels.tables import sales_channel_table as channel_table
from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError, ValidationError
from ordnung.core.list_position import parse_position_text, position_text
from ordnung.core.money import format_minor
from ordnung.core.tables import domain_event_table as events
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line_table
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table
from ordnung.fulfillment.tables import shipment_table
from ordnung.inventory.tables import location_table
from ordnung.orders.model import ORDER_STATUSES, is_promise_after_request
from ordnung.orders.notes_queries import tagged_with
from ordnung.orders.search_index import matching_orders, recent_window, trigram_frequency
from ordnung.orders.tables import order_hold_table as hold_table
from ordnung.orders.tables import order_line_table as line_table
from ordnung.orders.tables import sales_order_table as order_table

# The order as the API and the back office show it: plain JSON-ready data.
OrderView = dict[str, Any]


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def get_order(db: Database, order_id: int) -> OrderView:
    return db.read(lambda connection: load_order_detail(connection, order_id))


def find_order_id_by_number(db: Database, number: str) -> int | None:
    return db.read(
        lambda connection: connection.execute(
            select(order_table.c.id).where(order_table.c.number == number)
        ).scalar()
    )


@dataclass(frozen=True, slots=True)
class OrderRows:
    """Everything an order detail is made of, as rows (from the database or from memory).

    Intake builds this from what it has just written, so answering a new order costs no
    extra queries; reads load it from the database. Both go through `shape_order_detail`.
    """

    order: Mapping[Any, Any]
    channel_code: str
    channel_name: str
    holds: Sequence[Mapping[Any, Any]]
    lines: Sequence[Mapping[Any, Any]]
    fulfillment_orders: Sequence[Mapping[Any, Any]]  # with location `code` and `name`
    fulfillment_lines: Sequence[Mapping[Any, Any]]
    shipments: Sequence[Mapping[Any, Any]]
    events: Sequence[Mapping[Any, Any]]


def load_order_detail(connection: Connection, order_id: int) -> OrderView:
    """The whole order as the API and the back office show it (one query per part)."""
    row = connection.execute(_ORDER_WITH_CHANNEL, {"order_id": order_id}).first()
    if row is None:
        raise NotFoundError(f"Order {order_id} does not exist.")
    fos = connection.execute(_FULFILLMENT_ORDERS, {"order_id": order_id}).mappings().all()
    fo_lines = (
        connection.execute(_FULFILLMENT_LINES, {"ids": [fo["id"] for fo in fos]}).mappings().all()
        if fos
        else []
    )
    order = row._mapping
    rows = OrderRows(
        order=order,
        channel_code=order["code"],
        channel_name=order["channel_name"],
        holds=connection.execute(_HOLDS, {"order_id": order_id}).mappings().all(),
        lines=connection.execute(_LINES, {"order_id": order_id}).mappings().all(),
        fulfillment_orders=fos,
        fulfillment_lines=fo_lines,
        shipments=connection.execute(_SHIPMENTS, {"order_id": order_id}).mappings().all(),
        events=connection.execute(_EVENTS, {"order_id": order_id}).mappings().all(),
    )
    return shape_order_detail(rows)


# Built once: SQLAlchemy then skips statement construction and cache-key work per call.
_ORDER_WITH_CHANNEL = (
    select(order_table, channel_table.c.code, channel_table.c.name.label("channel_name"))
    .join(channel_table, channel_table.c.id == order_table.c.channel_id)
    .where(order_table.c.id == bindparam("order_id"))
)
_HOLDS = (
    select(hold_table)
    .where(hold_table.c.order_id == bindparam("order_id"))
    .order_by(hold_table.c.id)
)
_LINES = (
    select(line_table)
    .where(line_table.c.order_id == bindparam("order_id"))
    .order_by(line_table.c.line_number)
)
_FULFILLMENT_ORDERS = (
    select(fo_table, location_table.c.code, location_table.c.name)
    .join(location_table, location_table.c.id == fo_table.c.location_id)
    .where(fo_table.c.order_id == bindparam("order_id"))
    .order_by(fo_table.c.id)
)
_FULFILLMENT_LINES = (
    select(fo_line_table)
    .where(fo_line_table.c.fulfillment_order_id.in_(bindparam("ids", expanding=True)))
    .order_by(fo_line_table.c.id)
)
_SHIPMENTS = (
    select(shipment_table)
    .where(shipment_table.c.order_id == bindparam("order_id"))
    .order_by(shipment_table.c.id)
)
_EVENTS = (
    select(events.c.id, events.c.type, events.c.actor, events.c.occurred_at, events.c.payload)
    .where(events.c.order_id == bindparam("order_id"))
    .order_by(events.c.id)
)


def detail_of_new_order(
    rows: tuple[Mapping[Any, Any], Sequence[Mapping[Any, Any]], Sequence[Mapping[Any, Any]]],
    channel: tuple[str, str],
    fulfillment: tuple[Sequence[Mapping[Any, Any]], Sequence[Mapping[Any, Any]]],
    events: Sequence[Mapping[Any, Any]],
) -> OrderView:
    """The detail of an order just stored, from the rows written (no re-reading): intake
    answers a whole batch this way. `rows` is (order, lines, holds) as the repository stored
    them, `channel` is (code, name), `fulfillment` the fulfilment orders (with location code
    and name) and their lines."""
    order, lines, holds = rows
    detail = OrderRows(
        order=order,
        channel_code=channel[0],
        channel_name=channel[1],
        holds=holds,
        lines=lines,
        fulfillment_orders=fulfillment[0],
        fulfillment_lines=fulfillment[1],
        shipments=[],
        events=events,
    )
    return shape_order_detail(detail)


def shape_order_detail(rows: OrderRows) -> OrderView:
    order = rows.order
    currency = order["currency"]
    return {
        "id": order["id"],
        "number": order["number"],
        "channel": {"code": rows.channel_code, "name": rows.channel_name},
        "external_id": order["external_id"],
        "status": order["status"],
        "currency": currency,
        "customer": {
            "id": order["customer_id"],
            "email": order["email"],
            "name": order["customer_name"],
        },
        "billing_address": order["billing_address"],
        "shipping_address": order["shipping_address"],
        "shipping_method": order["shipping_method"],
        "service_level": order["service_level"],
        "priority": order["priority"],
        "gift_note": order["gift_note"],
        "language": order["language"],
        "prices_include_tax": bool(order["prices_include_tax"]),
        "totals": {
            "subtotal": format_minor(order["subtotal_amount"], currency),
            "shipping": format_minor(order["shipping_amount"], currency),
            "tax": format_minor(order["tax_amount"], currency),
            "total": format_minor(order["total_amount"], currency),
        },
        "placed_at": _iso(order["placed_at"]),
        "created_at": _iso(order["created_at"]),
        "updated_at": _iso(order["updated_at"]),
        "version": order["version"],
        "holds": [_hold(r) for r in rows.holds],
        "lines": [_line(r, currency) for r in rows.lines],
        "fulfillment_orders": _fulfillment_orders(rows),
        "shipments": [_shipment(r) for r in rows.shipments],
        "timeline": [_event(r) for r in rows.events],
    }


def _hold(r: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        "id": r["id"],
        "reason": r["reason"],
        "detail": r["detail"],
        "created_at": _iso(r["created_at"]),
        "released_at": _iso(r["released_at"]),
        "released_by": r["released_by"],
        "release_note": r["release_note"],
        "facts": r["facts"],
    }


def _line(r: Mapping[Any, Any], currency: str) -> dict[str, Any]:
    return {
        "id": r["id"],
        "line_number": r["line_number"],
        "sku": r["sku"],
        "name": r["name"],
        "quantity": r["quantity"],
        "unit_price": format_minor(r["unit_price"], currency),
        "discount": format_minor(r["discount_amount"], currency),
        "tax_rate": r["tax_rate"],
        "line_total": format_minor(r["line_total"], currency),
        "open": r["open_quantity"],
        "allocated": r["allocated_quantity"],
        "shipped": r["shipped_quantity"],
        "cancelled": r["cancelled_quantity"],
        "returned": r["returned_quantity"],
        **line_dates(r),
    }


def line_dates(r: Mapping[Any, Any]) -> dict[str, Any]:
    """A line's requested and promised dates (ISO text), and whether the promise misses the
    request (docs/promise.md)."""
    requested, promised = r["requested_delivery_on"], r["promised_delivery_on"]
    return {
        "requested_delivery_on": _day(requested),
        "promised_ship_on": _day(r["promised_ship_on"]),
        "promised_delivery_on": _day(promised),
        "is_promised_after_requested": is_promise_after_request(requested, promised),
    }


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _fulfillment_orders(rows: OrderRows) -> list[dict[str, Any]]:
    lines_by_fo: dict[int, list[dict[str, Any]]] = {fo["id"]: [] for fo in rows.fulfillment_orders}
    for line in rows.fulfillment_lines:
        lines_by_fo[line["fulfillment_order_id"]].append(
            {
                "id": line["id"],
                "order_line_id": line["order_line_id"],
                "sku": line["sku"],
                "quantity": line["quantity"],
                "shipped_quantity": line["shipped_quantity"],
            }
        )
    return [
        {
            "id": fo["id"],
            "location": {"id": fo["location_id"], "code": fo["code"], "name": fo["name"]},
            "status": fo["status"],
            "reject_reason": fo["reject_reason"],
            "created_at": _iso(fo["created_at"]),
            "updated_at": _iso(fo["updated_at"]),
            "lines": lines_by_fo[fo["id"]],
        }
        for fo in rows.fulfillment_orders
    ]


def _shipment(r: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        "id": r["id"],
        "fulfillment_order_id": r["fulfillment_order_id"],
        "carrier": r["carrier"],
        "service": r["service"],
        "tracking_number": r["tracking_number"],
        "status": r["status"],
        "shipped_at": _iso(r["shipped_at"]),
    }


def _event(r: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        "id": r["id"],
        "type": r["type"],
        "actor": r["actor"],
        "occurred_at": _iso(r["occurred_at"]),
        "payload": r["payload"],
    }


@dataclass(frozen=True, slots=True)
class OrderFilter:
    status: str | None = None
    channel: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: str | None = None
    tag: str | None = None


def list_orders(
    db: Database, filters: OrderFilter, cursor: str | None, limit: int
) -> dict[str, Any]:
    """Newest first. `cursor` is the `next_cursor` of the previous page (opaque to callers)."""
    if filters.status is not None and filters.status not in ORDER_STATUSES:
        raise ValidationError(f"Unknown status {filters.status!r}.", field="status")
    dialect = "sqlite" if db.is_sqlite else "postgresql"
    before = _cursor(cursor)
    rows = db.read(lambda connection: _page_rows(connection, filters, dialect, before, limit))
    items = [
        {
            "id": r["id"],
            "number": r["number"],
            "channel": r["code"],
            "external_id": r["external_id"],
            "status": r["status"],
            "customer_name": r["customer_name"],
            "email": r["email"],
            "total": format_minor(r["total_amount"], r["currency"]),
            "currency": r["currency"],
            "line_count": r["line_count"],
            "created_at": _iso(r["created_at"]),
        }
        for r in rows[:limit]
    ]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        at = (last["created_at"] - _EPOCH) // _MICROSECOND if _in_time_order(filters) else None
        next_cursor = position_text(last["id"], at)
    return {"items": items, "next_cursor": next_cursor}


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

# Where the previous page ended: an order id, or (in time order) its time and id.
Before = int | tuple[datetime, int]


def _cursor(cursor: str | None) -> Before | None:
    if not cursor:
        return None
    order_id, at = parse_position_text(cursor)
    return order_id if at is None else (_EPOCH + at * _MICROSECOND, order_id)


def _in_time_order(filters: OrderFilter) -> bool:
    """A list of a time range, without a search, is read newest first by time: the range's
    index then hands over the page itself, where id order meant reading and sorting every
    order of the range (a month of one channel at 1,000,000 orders: 44 ms)."""
    return (filters.created_from is not None or filters.created_to is not None) and not (
        filters.q and filters.q.strip()
    )


def _page_rows(
    connection: Connection, filters: OrderFilter, dialect: str, before: Before | None, limit: int
) -> Sequence[RowMapping]:
    """The page's rows (one more than `limit`, to tell whether another page follows).

    A search first reads only the newest orders' keys (search_index.recent_window): a word
    that many orders hold (`gmail`, a popular SKU) fills the page from there at once, where
    the index would hand over every match to be sorted. When the window holds too few
    matches, the index is asked for the stretches below it, newest first, until the page is
    full; each stretch's rows come in id order below the last, so they simply follow."""
    if filters.q and filters.q.strip():
        if isinstance(before, tuple):  # a time cursor belongs to a list without a search
            raise ValidationError("The cursor is not valid for a search.", field="cursor")
        window = recent_window(connection, filters.q, before)
        if window is None:  # no terms, or no window configured: the index alone
            found = matching_orders(filters.q, dialect, trigram_frequency(connection))
            query = _ordered(_list_query(filters, dialect, found), filters, before, limit)
            return connection.execute(query).mappings().all()
        query = _list_query(filters, dialect, window.condition)
        rows = list(connection.execute(_ordered(query, filters, before, limit)).mappings())
        if window.is_everything:
            return rows
        frequency = trigram_frequency(connection)
        for stretch in window.older_stretches():
            if len(rows) > limit:
                break
            found = matching_orders(filters.q, dialect, frequency, stretch)
            query = _ordered(_list_query(filters, dialect, found), filters, before, limit)
            rows += connection.execute(query).mappings()
        return rows[: limit + 1]
    query = _ordered(_list_query(filters, dialect), filters, before, limit)
    return connection.execute(query).mappings().all()


def _ordered(
    query: Select[Any], filters: OrderFilter, before: Before | None, limit: int
) -> Select[Any]:
    if _in_time_order(filters):
        if isinstance(before, tuple):
            at, order_id = before
            created = order_table.c.created_at
            query = query.where(created <= at, or_(created < at, order_table.c.id < order_id))
        elif before is not None:
            raise ValidationError("The cursor is not valid for this list.", field="cursor")
        newest = (order_table.c.created_at.desc(), order_table.c.id.desc())
        return query.order_by(*newest).limit(limit + 1)
    if isinstance(before, tuple):
        raise ValidationError("The cursor is not valid for this list.", field="cursor")
    if before is not None:
        query = query.where(order_table.c.id < before)
    return query.order_by(order_table.c.id.desc()).limit(limit + 1)


def _list_query(filters: OrderFilter, dialect: str, found: Any = None) -> Select[Any]:
    line_count = (
        select(func.count())
        .where(line_table.c.order_id == order_table.c.id)
        .scalar_subquery()
        .label("line_count")
    )
    query = select(
        order_table.c.id,
        order_table.c.number,
        order_table.c.external_id,
        order_table.c.status,
        order_table.c.customer_name,
        order_table.c.email,
        order_table.c.total_amount,
        order_table.c.currency,
        order_table.c.created_at,
        channel_table.c.code,
        line_count,
    ).join(channel_table, channel_table.c.id == order_table.c.channel_id)
    conditions = []
    if filters.status:
        conditions.append(order_table.c.status == filters.status)
    if filters.channel:
        conditions.append(channel_table.c.code == filters.channel)
    if filters.created_from:
        conditions.append(order_table.c.created_at >= filters.created_from)
    if filters.created_to:
        conditions.append(order_table.c.created_at < filters.created_to)
    if filters.tag:
        conditions.append(order_table.c.id.in_(tagged_with(filters.tag)))
    if found is not None:
        conditions.append(found)
    elif filters.q and filters.q.strip():
        conditions.append(matching_orders(filters.q, dialect))
    return query.where(and_(*conditions)) if conditions else query
