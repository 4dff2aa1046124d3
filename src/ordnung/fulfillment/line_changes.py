"""Fulfilment orders follow a change of the order's lines: reserved units a line no longer
needs are taken back from the location, inside the caller's unit of work.

Only work the location has not accepted yet (`released`) is changed without asking: once a
location accepted, it may be picking, so taking units away is a request the location answers
(cancellation requests, a later step); until then such a change is refused with a conflict.
The caller has locked the order and the stock positions of its SKUs (the system's lock order,
README: Architecture); the fulfilment orders are locked here, in id order.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import UnitOfWork
from ordnung.core.errors import ConflictError
from ordnung.fulfillment import model
from ordnung.fulfillment.service import GivenBack, _load, _transition
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line_table
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table
from ordnung.inventory import stock

Row = dict[str, Any]


def open_fulfillment_order_ids(connection: Connection, order_id: int) -> list[int]:
    """The order's fulfilment orders that still hold stock: their locations must follow a
    change of where or how the order ships."""
    rows = connection.execute(
        select(fo_table.c.id)
        .where(fo_table.c.order_id == order_id, fo_table.c.status.in_(model.OPEN_STATUSES))
        .order_by(fo_table.c.id)
    ).scalars()
    return [int(fo_id) for fo_id in rows]


def free_line_units(uow: UnitOfWork, order_id: int, order_line_id: int, units: int) -> GivenBack:
    """Takes `units` reserved units of one order line back from the fulfilment orders not yet
    accepted (newest first), releasing their stock; a fulfilment order left empty is
    cancelled. Refused (409) when fewer such units exist: the rest sit with a location that
    has started on them."""
    if units <= 0:
        return GivenBack()
    lines = _reserved_lines(uow.connection, order_id, order_line_id)
    # Locked before deciding: a location accepting right now is either before us (and its
    # work is not taken away) or waits until we are done.
    fos = {fo_id: _load(uow.connection, fo_id) for fo_id in sorted({li["fo_id"] for li in lines})}
    lines = [line for line in lines if fos[line["fo_id"]]["status"] == model.RELEASED]
    takeable = sum(line["quantity"] for line in lines)
    if takeable < units:
        raise ConflictError(
            f"{units - takeable} of these units are with a location that has accepted its "
            "fulfilment order; ask the location to cancel them first.",
            current_status=model.ACCEPTED,
        )
    taken: list[tuple[Row, int]] = []
    remaining = units
    for line in lines:
        if remaining == 0:
            break
        count = min(remaining, line["quantity"])
        taken.append((line, count))
        remaining -= count
    return _take_back(uow, order_id, fos, taken)


def _take_back(
    uow: UnitOfWork, order_id: int, fos: dict[int, Row], taken: list[tuple[Row, int]]
) -> GivenBack:
    now = clock.now()
    movements = []
    # Positions in id order: the same order every stock change takes.
    for line, count in sorted(taken, key=lambda item: item[0]["position_id"]):
        stock.release(uow.connection, line["position_id"], count, now)
        movements.append(
            stock.Movement(
                line["position_id"],
                stock.RELEASE,
                0,
                -count,
                "order changed",
                order_id,
                line["fo_id"],
            )
        )
    stock.record_movements(uow.connection, movements, actor=uow.actor, now=now)
    for fo_id in sorted({line["fo_id"] for line, _ in taken}):
        _shrink(uow, fos[fo_id], [(line, n) for line, n in taken if line["fo_id"] == fo_id])
    units: dict[int, int] = defaultdict(int)
    for line, count in taken:
        units[line["order_line_id"]] += count
    return GivenBack(dict(units), frozenset(line["sku"] for line, _ in taken))


def _shrink(uow: UnitOfWork, fo: Row, taken: list[tuple[Row, int]]) -> None:
    """Lowers the lines' units; a fulfilment order with nothing left is cancelled (its lines
    stay as they were, as the record of what it was asked to ship)."""
    left = uow.connection.execute(
        select(fo_line_table.c.id, fo_line_table.c.quantity).where(
            fo_line_table.c.fulfillment_order_id == fo["id"]
        )
    ).all()
    taken_by_line = {line["id"]: count for line, count in taken}
    if all(quantity == taken_by_line.get(line_id, 0) for line_id, quantity in left):
        _transition(uow, fo, model.CANCELLED)
        return
    for line, count in taken:
        if count == line["quantity"]:
            uow.connection.execute(delete(fo_line_table).where(fo_line_table.c.id == line["id"]))
        else:
            uow.connection.execute(
                update(fo_line_table)
                .where(fo_line_table.c.id == line["id"])
                .values(quantity=fo_line_table.c.quantity - count)
            )


def _reserved_lines(connection: Connection, order_id: int, order_line_id: int) -> list[Row]:
    """The open fulfilment lines of one order line, newest fulfilment order first."""
    rows = connection.execute(
        select(
            fo_line_table.c.id,
            fo_line_table.c.fulfillment_order_id.label("fo_id"),
            fo_line_table.c.order_line_id,
            fo_line_table.c.position_id,
            fo_line_table.c.sku,
            (fo_line_table.c.quantity - fo_line_table.c.shipped_quantity).label("quantity"),
        )
        .join(fo_table, fo_table.c.id == fo_line_table.c.fulfillment_order_id)
        .where(
            fo_table.c.order_id == order_id,
            fo_line_table.c.order_line_id == order_line_id,
            fo_table.c.status.in_(model.OPEN_STATUSES),
            fo_line_table.c.shipped_quantity < fo_line_table.c.quantity,
        )
        .order_by(fo_table.c.id.desc(), fo_line_table.c.id)
    ).mappings()
    return [dict(row) for row in rows]
