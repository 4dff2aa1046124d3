"""The last orders of a channel as a sourcing replay needs them: where they went and what
was ordered (a look, no locks; the simulator plans them again and writes nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ordnung.orders.tables import order_line_table as line_table
from ordnung.orders.tables import sales_order_table as order_table

MAX_REPLAYED = 1000


@dataclass(frozen=True, slots=True)
class ReplayedOrder:
    order_id: int
    number: str
    country: str
    postal_code: str
    lines: tuple[tuple[int, str, int], ...]  # (line number, SKU, units ordered)


def last_orders(connection: Connection, channel_id: int, count: int) -> list[ReplayedOrder]:
    """The channel's `count` newest orders (at most MAX_REPLAYED), newest first."""
    orders = connection.execute(
        select(order_table.c.id, order_table.c.number, order_table.c.shipping_address)
        .where(order_table.c.channel_id == channel_id)
        .order_by(order_table.c.created_at.desc(), order_table.c.id.desc())
        .limit(min(count, MAX_REPLAYED))
    ).all()
    lines: dict[int, list[tuple[int, str, int]]] = {row.id: [] for row in orders}
    if orders:
        for row in connection.execute(
            select(
                line_table.c.order_id,
                line_table.c.line_number,
                line_table.c.sku,
                line_table.c.quantity,
            )
            .where(line_table.c.order_id.in_(list(lines)))
            .order_by(line_table.c.order_id, line_table.c.line_number)
        ):
            lines[row.order_id].append((row.line_number, row.sku, row.quantity))
    return [
        ReplayedOrder(
            row.id,
            row.number,
            str(row.shipping_address.get("country", "")),
            str(row.shipping_address.get("postal_code", "")),
            tuple(lines[row.id]),
        )
        for row in orders
    ]
