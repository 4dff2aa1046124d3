"""What earlier orders say about new ones, read set-wise for the intake checks
(checks/service.py): how many orders an e-mail, an address or a card sent recently, the same
customer's orders of the last minutes, whether a customer ordered before, and their earlier
cancellations for fraud. Each read is one statement for a whole intake batch, on an index.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, literal_column, or_, select, union_all
from sqlalchemy.engine import Connection

from ordnung.core.tables import domain_event_table as event_table
from ordnung.orders.tables import order_line_table as line_table
from ordnung.orders.tables import sales_order_table as order_table

# What velocity is counted by: the order column per kind.
_VELOCITY_COLUMNS = {
    "email": order_table.c.email,
    "address": order_table.c.ship_to_key,
    "card": order_table.c.card_fingerprint,
}

# (kind, value, since): orders with this e-mail / address key / card fingerprint since then.
VelocityKey = tuple[str, str, datetime]


def count_recent_orders(
    connection: Connection, keys: Sequence[VelocityKey]
) -> dict[VelocityKey, int]:
    """For each key, how many stored orders match it since its time. One statement per
    distinct time (normally one per batch) of a fixed shape per kinds present, so SQLAlchemy
    compiles it once; each part counts a range of its index (e-mail, address key + time,
    card + time)."""
    by_since: dict[datetime, dict[str, set[str]]] = {}
    for kind, value, since in keys:
        by_since.setdefault(since, {}).setdefault(kind, set()).add(value)
    counts: dict[VelocityKey, int] = {}
    for since, values in by_since.items():
        parts = [_count_by(kind, since) for kind in sorted(values)]
        parameters = {f"{kind}_values": sorted(values[kind]) for kind in values}
        for kind, value, count in connection.execute(union_all(*parts), parameters):
            counts[(str(kind), str(value), since)] = int(count)
    return {key: counts.get(key, 0) for key in keys}


def _count_by(kind: str, since: datetime) -> Any:
    column = _VELOCITY_COLUMNS[kind]
    return (
        select(literal_column(f"'{kind}'").label("kind"), column.label("value"), func.count())
        .where(
            column.in_(bindparam(f"{kind}_values", expanding=True)),
            order_table.c.created_at >= since,
        )
        .group_by(column)
    )


@dataclass(frozen=True, slots=True)
class RecentOrderRow:
    channel_id: int
    external_id: str
    customer_id: int
    ship_to_key: str
    created_at: datetime
    lines: tuple[tuple[str, int], ...]


def recent_orders_of_customers(
    connection: Connection, customer_ids: Collection[int], since: datetime
) -> list[RecentOrderRow]:
    """These customers' orders since `since`, with what they bought (SKU, units sorted)."""
    if not customer_ids:
        return []
    orders = connection.execute(
        select(
            order_table.c.id,
            order_table.c.channel_id,
            order_table.c.external_id,
            order_table.c.customer_id,
            order_table.c.ship_to_key,
            order_table.c.created_at,
        ).where(
            order_table.c.customer_id.in_(sorted(customer_ids)),
            order_table.c.created_at >= since,
        )
    ).all()
    if not orders:
        return []
    units: dict[int, dict[str, int]] = {}
    lines = select(line_table.c.order_id, line_table.c.sku, line_table.c.quantity).where(
        line_table.c.order_id.in_([row.id for row in orders])
    )
    for order_id, sku, quantity in connection.execute(lines):
        bought = units.setdefault(order_id, {})
        bought[sku] = bought.get(sku, 0) + quantity
    return [
        RecentOrderRow(
            row.channel_id,
            row.external_id,
            row.customer_id,
            row.ship_to_key or "",
            row.created_at,
            tuple(sorted(units.get(row.id, {}).items())),
        )
        for row in orders
    ]


def customers_with_orders(connection: Connection, customer_ids: Collection[int]) -> set[int]:
    """Those of these customers who have ordered before."""
    if not customer_ids:
        return set()
    query = (
        select(order_table.c.customer_id)
        .where(order_table.c.customer_id.in_(sorted(customer_ids)))
        .distinct()
    )
    return {int(customer_id) for customer_id in connection.execute(query).scalars()}


def fraud_cancellations(connection: Connection, customer_ids: Collection[int]) -> dict[int, int]:
    """Per customer, how many of their orders were cancelled for fraud (reason code `fraud`;
    before reason codes, a reason text `fraud` or `fraud: …`). Only cancelled orders are
    looked at, through the customer index."""
    if not customer_ids:
        return {}
    reason = func.lower(event_table.c.payload["reason"].as_string())
    code = event_table.c.payload["reason_code"].as_string()
    query = (
        select(order_table.c.customer_id, func.count())
        .select_from(order_table.join(event_table, event_table.c.order_id == order_table.c.id))
        .where(
            order_table.c.customer_id.in_(sorted(customer_ids)),
            order_table.c.status == "cancelled",
            event_table.c.type == "order.cancelled",
            or_(code == "fraud", reason == "fraud", reason.like("fraud:%")),
        )
        .group_by(order_table.c.customer_id)
    )
    return {int(customer_id): int(count) for customer_id, count in connection.execute(query)}


def count_customer_orders(connection: Connection, customer_id: int) -> int:
    query = select(func.count()).where(order_table.c.customer_id == customer_id)
    return int(connection.execute(query).scalar_one())
