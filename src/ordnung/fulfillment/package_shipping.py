"""Shipping one package: exactly its units leave the location's stock, with their own
shipment. A step inside the caller's unit of work (`orchestration/package_actions.py`), which
has locked the order; here the fulfilment order is locked, then the package, then the
stock positions in id order — as whole shipping does (service.ship) and as packing does
(fulfilment order, then package), so no two of them wait on each other in a circle.

Why a second booking path beside `service.book_out`: that one ships every unit still
reserved on a fulfilment order; a package ships only some, line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import UnitOfWork
from ordnung.core.errors import ConflictError
from ordnung.fulfillment import events, package_model
from ordnung.fulfillment.packages import locked_package, pack_lines, package_lines
from ordnung.fulfillment.service import Shipment, ShipmentDraft, load_locked, transition
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line_table
from ordnung.fulfillment.tables import package_table, shipment_line_table, shipment_table
from ordnung.inventory import stock

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PackageShipment:
    """What shipping the package did: its shipment, the units by order line id, and where
    the fulfilment order stands now."""

    package_id: int
    package_number: str
    shipment: Shipment
    units_by_line_id: dict[int, int]
    fulfillment_order_status: str


def ship_package(
    uow: UnitOfWork, fo_id: int, package_id: int, draft: ShipmentDraft
) -> PackageShipment:
    """Books out the package's units, records its shipment, marks it shipped; the fulfilment
    order becomes `shipped` when nothing is left to ship. The caller has locked the order."""
    now = clock.now()
    fo = load_locked(uow.connection, fo_id)
    package = locked_package(uow.connection, package_id)
    package_model.check_shippable(package["status"], fo["status"])
    contents = _contents(uow.connection, package_id)
    _book_out(uow, fo, contents, now)
    shipment = _record_shipment(uow, fo, contents, draft, now)
    _mark_shipped(uow.connection, package_id, shipment.id, now)
    after = package_model.status_after_shipping(fo["status"], pack_lines(uow.connection, fo_id))
    if after != fo["status"]:
        transition(uow, fo, events.FulfillmentOrderShipped(fo["status"], after, fo["location_id"]))
    units: dict[int, int] = {}
    for line in contents:
        units[line["order_line_id"]] = units.get(line["order_line_id"], 0) + line["quantity"]
    return PackageShipment(package_id, package["number"], shipment, units, fo["status"])


def _mark_shipped(connection: Connection, package_id: int, shipment_id: int, now: datetime) -> None:
    """Compare-and-set: only a packed package becomes shipped, exactly once."""
    moved = connection.execute(
        update(package_table)
        .where(package_table.c.id == package_id, package_table.c.status == package_model.PACKED)
        .values(status=package_model.SHIPPED, shipment_id=shipment_id, shipped_at=now)
    )
    if moved.rowcount != 1:
        raise ConflictError(f"Package {package_id} was shipped meanwhile.")


def _contents(connection: Connection, package_id: int) -> list[Row]:
    """The package's lines with their fulfilment order line's SKU, order line and position,
    in position id order (the lock order)."""
    ids = {
        line["fulfillment_order_line_id"]: line["quantity"]
        for line in package_lines(connection, package_id)
    }
    rows = connection.execute(
        select(
            fo_line_table.c.id,
            fo_line_table.c.order_line_id,
            fo_line_table.c.position_id,
            fo_line_table.c.sku,
        )
        .where(fo_line_table.c.id.in_(sorted(ids)))
        .order_by(fo_line_table.c.position_id, fo_line_table.c.id)
    ).mappings()
    return [dict(row) | {"quantity": ids[row["id"]]} for row in rows]


def _book_out(uow: UnitOfWork, fo: Row, contents: list[Row], now: datetime) -> None:
    """The units leave the stock with their ledger rows, and move on their fulfilment order
    lines from packed to shipped — compare-and-set, so a unit never ships twice."""
    movements = []
    for line in contents:
        moved = uow.connection.execute(
            update(fo_line_table)
            .where(
                fo_line_table.c.id == line["id"],
                fo_line_table.c.packed_quantity >= line["quantity"],
                fo_line_table.c.shipped_quantity + line["quantity"] <= fo_line_table.c.quantity,
            )
            .values(
                shipped_quantity=fo_line_table.c.shipped_quantity + line["quantity"],
                packed_quantity=fo_line_table.c.packed_quantity - line["quantity"],
            )
        )
        if moved.rowcount != 1:
            raise ConflictError(f"Fulfilment order {fo['id']} changed meanwhile; reload it.")
        if line["position_id"] is None:  # a non-stock product's units leave no stock
            continue
        stock.ship_out(uow.connection, line["position_id"], line["quantity"], now)
        movements.append(
            stock.Movement(
                line["position_id"],
                stock.SHIPMENT,
                -line["quantity"],
                -line["quantity"],
                "",
                fo["order_id"],
                fo["id"],
            )
        )
    stock.record_movements(uow.connection, movements, actor=uow.actor, now=now)


def _record_shipment(
    uow: UnitOfWork, fo: Row, contents: list[Row], draft: ShipmentDraft, now: datetime
) -> Shipment:
    values = {
        "fulfillment_order_id": fo["id"],
        "order_id": fo["order_id"],
        "carrier": draft.carrier,
        "service": draft.service,
        "tracking_number": draft.tracking_number,
        "status": "shipped",
        "shipped_at": now,
    }
    shipment_id = uow.connection.execute(
        insert(shipment_table).values(**values).returning(shipment_table.c.id)
    ).scalar_one()
    uow.connection.execute(
        insert(shipment_line_table),
        [
            {
                "shipment_id": shipment_id,
                "fulfillment_order_line_id": line["id"],
                "quantity": line["quantity"],
            }
            for line in contents
        ],
    )
    lines = [{"sku": line["sku"], "quantity": line["quantity"]} for line in contents]
    event = events.ShipmentShipped(id=shipment_id, **values, lines=lines)
    uow.record(event, aggregate_id=shipment_id, order_id=fo["order_id"])
    return Shipment(id=shipment_id, **values, lines=lines)
