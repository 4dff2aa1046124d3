"""Fulfilment orders follow a change of the order's lines: reserved units a line no longer
needs are taken back from the location, inside the caller's unit of work.

A line cancel treats units as an order cancel does: work not started on
(`model.CANCELLABLE_WITHOUT_ASKING`) is taken back without asking; units a location is
picking or has packed are in someone's hands, so the location is asked for them (a
cancellation request for those units of that line, `cancellation_requests`). A SKU
replacement still takes back only work not accepted yet (`released`) and is refused with a
conflict otherwise: it needs every reserved unit back at once.
The caller has locked the order and the stock positions of its SKUs (the system's lock order,
README: Architecture); the fulfilment orders are locked here, in id order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
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
    taken, missing = _first_units(lines, units)
    if missing:
        raise ConflictError(
            f"{missing} of these units are with a location that has accepted its "
            "fulfilment order; ask the location to cancel them first.",
            current_status=model.ACCEPTED,
        )
    return _take_back(uow, order_id, fos, taken)


@dataclass(frozen=True, slots=True)
class UnitsToAsk:
    """Units of one order line that a location picking or packing them is to be asked for."""

    fulfillment_order_id: int
    order_line_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class LineUnitsTaken:
    """What a line cancel did at the locations: units taken back, and units to ask for."""

    given_back: GivenBack = field(default_factory=GivenBack)
    to_ask: list[UnitsToAsk] = field(default_factory=list)

    @property
    def asked_units(self) -> int:
        return sum(ask.quantity for ask in self.to_ask)


def take_or_ask_line_units(
    uow: UnitOfWork, order_id: int, order_line_id: int, units: int
) -> LineUnitsTaken:
    """Takes `units` reserved units of one order line back from fulfilment orders not started
    on (newest first), releasing their stock; the rest are held by fulfilment orders being
    picked or packed, and are named for the caller to ask those locations (newest first)."""
    if units <= 0:
        return LineUnitsTaken()
    lines = _reserved_lines(uow.connection, order_id, order_line_id)
    fos = {fo_id: _load(uow.connection, fo_id) for fo_id in sorted({li["fo_id"] for li in lines})}
    free = [li for li in lines if fos[li["fo_id"]]["status"] in model.CANCELLABLE_WITHOUT_ASKING]
    held = [li for li in lines if fos[li["fo_id"]]["status"] in model.CANCELLATION_NEEDS_CONSENT]
    taken, remaining = _first_units(free, units)
    asked, missing = _first_units(held, remaining)
    if missing:  # the order's buckets and its fulfilment orders disagree: never silently
        raise ConflictError(f"{missing} of these units are at no location; reload the order.")
    to_ask: dict[int, int] = defaultdict(int)
    for line, count in asked:
        to_ask[line["fo_id"]] += count
    given_back = _take_back(uow, order_id, fos, taken) if taken else GivenBack()
    return LineUnitsTaken(
        given_back,
        [UnitsToAsk(fo_id, order_line_id, count) for fo_id, count in sorted(to_ask.items())],
    )


def take_units_from(uow: UnitOfWork, fo: Row, order_line_id: int, units: int) -> GivenBack:
    """Takes up to `units` of one order line off one fulfilment order (its location accepted
    a request for them), releasing their stock; an emptied fulfilment order is cancelled."""
    lines = [
        line
        for line in _reserved_lines(uow.connection, fo["order_id"], order_line_id)
        if line["fo_id"] == fo["id"]
    ]
    taken, _ = _first_units(lines, units)
    return _take_back(uow, fo["order_id"], {fo["id"]: fo}, taken) if taken else GivenBack()


def _first_units(lines: list[Row], units: int) -> tuple[list[tuple[Row, int]], int]:
    """Units from the lines in their order, and how many of `units` they could not give."""
    taken: list[tuple[Row, int]] = []
    remaining = units
    for line in lines:
        if remaining == 0:
            break
        count = min(remaining, line["quantity"])
        taken.append((line, count))
        remaining -= count
    return taken, remaining


def _take_back(
    uow: UnitOfWork, order_id: int, fos: dict[int, Row], taken: list[tuple[Row, int]]
) -> GivenBack:
    now = clock.now()
    movements = []
    # Positions in id order: the same order every stock change takes. A non-stock
    # product's units (no position) give no stock back and write no ledger row.
    stocked = [(line, count) for line, count in taken if line["position_id"] is not None]
    for line, count in sorted(stocked, key=lambda item: item[0]["position_id"]):
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
    return GivenBack(dict(units), frozenset(line["sku"] for line, _ in stocked))


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
        # Units in a package are not given back here: the package is taken apart first
        # (fulfillment/packages.py); the conditions make that a refusal, not a broken CHECK.
        if count == line["quantity"]:
            changed = uow.connection.execute(
                delete(fo_line_table).where(
                    fo_line_table.c.id == line["id"], fo_line_table.c.packed_quantity == 0
                )
            )
        else:
            changed = uow.connection.execute(
                update(fo_line_table)
                .where(
                    fo_line_table.c.id == line["id"],
                    fo_line_table.c.quantity - count
                    >= fo_line_table.c.shipped_quantity + fo_line_table.c.packed_quantity,
                )
                .values(quantity=fo_line_table.c.quantity - count)
            )
        if changed.rowcount != 1:
            raise ConflictError(
                f"Units of fulfilment order {fo['id']} are in a package: remove the package first."
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
