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

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ordnung.core.driver import driver_of
from ordnung.orders.tables import sales_order_table as order_table

# What velocity is counted by: the order column per kind (each has an index).
_VELOCITY_COLUMNS = {"email": "email", "address": "ship_to_key", "card": "card_fingerprint"}

# (kind, value, since): orders with this e-mail / address key / card fingerprint since then.
VelocityKey = tuple[str, str, datetime]


@dataclass(frozen=True, slots=True)
class IntakeHistory:
    """What earlier orders say about a batch of new ones: the velocity counts, and which of
    the batch's customers ordered before."""

    velocity: dict[VelocityKey, int]
    ordered_before: set[int]


def intake_history(
    connection: Connection, keys: Sequence[VelocityKey], customer_ids: Collection[int]
) -> IntakeHistory:
    """For each velocity key, how many stored orders match it since its time; and which
    customers have ordered before. One statement (intake asks once per batch, through the
    bare driver, core/driver.py says why): a part per kind and time, each counting a range
    of its index (e-mail, address key + time, card + time, customer)."""
    by_since: dict[datetime, dict[str, set[str]]] = {}
    for kind, value, since in keys:
        by_since.setdefault(since, {}).setdefault(kind, set()).add(value)
    driver = driver_of(connection)
    parts: list[str] = []
    parameters: list[Any] = []
    labels: list[tuple[str, datetime]] = []  # (kind, since) of each velocity part
    for since, values in by_since.items():
        for kind in sorted(values):
            column = _VELOCITY_COLUMNS[kind]
            matching, found = driver.value_in(column, sorted(values[kind]), "text")
            parts.append(_COUNT_BY.format(part=len(labels), column=column, matching=matching))
            parameters += [*found, driver.timestamp(since)]
            labels.append((kind, since))
    if customer_ids:
        matching, found = driver.value_in("customer_id", sorted(customer_ids), "bigint")
        parts.append(_ORDERED_BEFORE.format(matching=matching))
        parameters += found
    counts: dict[VelocityKey, int] = {}
    ordered_before: set[int] = set()
    if parts:
        statement = " UNION ALL ".join(parts)
        for part, value, count in driver.fetch_all(statement, parameters, plan_each_time=True):
            if part < 0:
                ordered_before.add(int(value))
            else:
                kind, since = labels[part]
                counts[(kind, str(value), since)] = int(count)
    return IntakeHistory({key: counts.get(key, 0) for key in keys}, ordered_before)


# Each part names itself by a number (its index; -1: the customers who ordered before), so
# one statement answers them all. Values are text on both sides of the UNION.
_COUNT_BY = (
    "SELECT {part}, {column}, count(*) FROM sales_order"
    " WHERE {matching} AND created_at >= ? GROUP BY {column}"
)
_ORDERED_BEFORE = (
    "SELECT DISTINCT -1, CAST(customer_id AS TEXT), 1 FROM sales_order WHERE {matching}"
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
    """These customers' orders since `since`, with what they bought (SKU, units sorted).
    One statement through the driver: intake asks once per batch with returning customers."""
    if not customer_ids:
        return []
    driver = driver_of(connection)
    source, parameters = driver.row_source([(i,) for i in sorted(customer_ids)], ("bigint",))
    rows = driver.fetch_all(
        _RECENT_ORDERS.format(customers=source),
        [*parameters, driver.timestamp(since)],
        plan_each_time=True,
    )
    orders: dict[int, tuple[Any, ...]] = {}
    units: dict[int, dict[str, int]] = {}
    for order_id, *order, sku, quantity in rows:
        orders.setdefault(order_id, tuple(order))
        bought = units.setdefault(order_id, {})
        bought[sku] = bought.get(sku, 0) + quantity
    return [
        RecentOrderRow(
            channel_id,
            external_id,
            customer_id,
            ship_to_key or "",
            driver.timestamp_result(created_at),
            tuple(sorted(units[order_id].items())),
        )
        for order_id, (channel_id, external_id, customer_id, ship_to_key, created_at) in (
            orders.items()
        )
    ]


_RECENT_ORDERS = (
    "SELECT o.id, o.channel_id, o.external_id, o.customer_id, o.ship_to_key, o.created_at,"
    " l.sku, l.quantity FROM sales_order o JOIN order_line l ON l.order_id = o.id"
    " WHERE o.customer_id IN ({customers}) AND o.created_at >= ? ORDER BY o.id, l.id"
)


def fraud_cancellations(connection: Connection, customer_ids: Collection[int]) -> dict[int, int]:
    """Per customer, how many of their orders were cancelled for fraud (reason code `fraud`;
    before reason codes, a reason text `fraud` or `fraud: …`). Only cancelled orders are
    looked at, through the customer index; their `order.cancelled` events (the order's
    event log, read here, written by the order repository) say why."""
    if not customer_ids:
        return {}
    driver = driver_of(connection)
    source, parameters = driver.row_source([(i,) for i in sorted(customer_ids)], ("bigint",))
    if driver.is_postgresql:
        code, reason = "e.payload->>'reason_code'", "lower(e.payload->>'reason')"
    else:
        code, reason = (
            "json_extract(e.payload, '$.reason_code')",
            ("lower(json_extract(e.payload, '$.reason'))"),
        )
    sql = _FRAUD_CANCELLATIONS.format(customers=source, code=code, reason=reason)
    rows = driver.fetch_all(sql, [*parameters, "fraud", "fraud", "fraud:%"], plan_each_time=True)
    return {int(customer_id): int(count) for customer_id, count in rows}


# The LIKE pattern is a parameter: psycopg would read a literal % as a placeholder.
_FRAUD_CANCELLATIONS = (
    "SELECT o.customer_id, count(*) FROM sales_order o"
    " JOIN domain_event e ON e.order_id = o.id"
    " WHERE o.customer_id IN ({customers}) AND o.status = 'cancelled'"
    " AND e.type = 'order.cancelled' AND ({code} = ? OR {reason} = ? OR {reason} LIKE ?)"
    " GROUP BY o.customer_id"
)


def count_customer_orders(connection: Connection, customer_id: int) -> int:
    query = select(func.count()).where(order_table.c.customer_id == customer_id)
    return int(connection.execute(query).scalar_one())
