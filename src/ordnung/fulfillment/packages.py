"""Packing: units of a fulfilment order go into packages, and come out again.

Each action locks its fulfilment order first (the system's lock order: order, stock
positions, fulfilment order — packing touches neither order nor stock) and decides with
`package_model`. The units in unshipped packages are counted on the fulfilment order line
(`packed_quantity`), where a CHECK refuses packing a unit twice even if a rule were missed.
Shipping a package changes the order too: `package_shipping` and `orchestration/`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, NotFoundError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.core.numbering import next_counter_values
from ordnung.fulfillment import events, model, package_model
from ordnung.fulfillment.package_model import Measures, PackedUnits, Packing, PackLine
from ordnung.fulfillment.service import load_locked, transition
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line_table
from ordnung.fulfillment.tables import package_line_table, package_table

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PackageCreated:
    id: int
    number: str
    fulfillment_order_id: int
    status: str
    fulfillment_order_status: str


@dataclass(frozen=True, slots=True)
class PackageRemoved:
    id: int
    fulfillment_order_id: int
    fulfillment_order_status: str


def pack(
    db: Database,
    fo_id: int,
    packing: Packing,
    *,
    actor: str,
    only_location_id: int | None = None,
    idempotency: IdempotentRequest[PackageCreated] | None = None,
) -> PackageCreated:
    """Puts these units into a new package. An accepted fulfilment order starts picking
    first (the units are in hand); when every unit still to ship is in a package it becomes
    `packed`. Both steps are recorded on the order's timeline."""

    def work(uow: UnitOfWork) -> PackageCreated:
        fo = locked_in_scope(uow.connection, fo_id, only_location_id)
        lines = pack_lines(uow.connection, fo_id)
        package_model.check_packing(fo["status"], lines, packing.units, packing.measures)
        package_id, number = _insert_package(uow, fo, packing.measures)
        _insert_lines(uow.connection, package_id, packing.units)
        if fo["status"] == model.ACCEPTED:
            transition(
                uow,
                fo,
                events.FulfillmentOrderPickingStarted(
                    fo["status"], model.PICKING, fo["location_id"]
                ),
            )
        if package_model.becomes_packed(fo["status"], pack_lines(uow.connection, fo_id)):
            transition(
                uow,
                fo,
                events.FulfillmentOrderPacked(fo["status"], model.PACKED, fo["location_id"]),
            )
        return PackageCreated(package_id, number, fo_id, package_model.PACKED, fo["status"])

    return db.write(work, actor=actor, idempotency=idempotency)


def remove_package(
    db: Database, package_id: int, *, actor: str, only_location_id: int | None = None
) -> PackageRemoved:
    """Takes an unshipped package apart: its units are unpacked again. A `packed`
    fulfilment order goes back to `picking` (not everything is in a package any more)."""

    def work(uow: UnitOfWork) -> PackageRemoved:
        fo_id = fulfillment_order_of_package(uow.connection, package_id, only_location_id)
        fo = load_locked(uow.connection, fo_id)
        package = _locked_package(uow.connection, package_id)
        package_model.check_removable(package["status"])
        for line in package_lines(uow.connection, package_id):
            uow.connection.execute(
                update(fo_line_table)
                .where(fo_line_table.c.id == line["fulfillment_order_line_id"])
                .values(packed_quantity=fo_line_table.c.packed_quantity - line["quantity"])
            )
        uow.connection.execute(
            delete(package_line_table).where(package_line_table.c.package_id == package_id)
        )
        uow.connection.execute(delete(package_table).where(package_table.c.id == package_id))
        if fo["status"] == model.PACKED:
            transition(
                uow,
                fo,
                events.FulfillmentOrderUnpacked(fo["status"], model.PICKING, fo["location_id"]),
            )
        return PackageRemoved(package_id, fo_id, fo["status"])

    return db.write(work, actor=actor)


# -- shared with package_shipping and the queries ---------------------------------------------


def locked_in_scope(connection: Connection, fo_id: int, only_location_id: int | None) -> Row:
    """The fulfilment order, locked; another location's answers as if it did not exist."""
    fo = load_locked(connection, fo_id)
    if only_location_id not in (None, fo["location_id"]):
        raise NotFoundError(f"Fulfilment order {fo_id} does not exist.")
    return fo


def fulfillment_order_of_package(
    connection: Connection, package_id: int, only_location_id: int | None
) -> int:
    """The fulfilment order a package belongs to (it never changes: no lock needed)."""
    row = connection.execute(
        select(package_table.c.fulfillment_order_id, package_table.c.location_id).where(
            package_table.c.id == package_id
        )
    ).first()
    if row is None or only_location_id not in (None, row.location_id):
        raise NotFoundError(f"Package {package_id} does not exist.")
    return int(row.fulfillment_order_id)


def pack_lines(connection: Connection, fo_id: int) -> list[PackLine]:
    rows = connection.execute(
        select(
            fo_line_table.c.id,
            fo_line_table.c.sku,
            fo_line_table.c.quantity,
            fo_line_table.c.shipped_quantity,
            fo_line_table.c.packed_quantity,
        )
        .where(fo_line_table.c.fulfillment_order_id == fo_id)
        .order_by(fo_line_table.c.id)
    )
    return [PackLine(r.id, r.sku, r.quantity, r.shipped_quantity, r.packed_quantity) for r in rows]


def package_lines(connection: Connection, package_id: int) -> list[Row]:
    rows = connection.execute(
        select(package_line_table)
        .where(package_line_table.c.package_id == package_id)
        .order_by(package_line_table.c.id)
    ).mappings()
    return [dict(row) for row in rows]


def has_unshipped_packages(connection: Connection, fo_id: int) -> bool:
    return (
        connection.execute(
            select(package_table.c.id).where(
                package_table.c.fulfillment_order_id == fo_id,
                package_table.c.status == package_model.PACKED,
            )
        ).first()
        is not None
    )


def check_nothing_packed(connection: Connection, fo_id: int) -> None:
    """Shipping a whole fulfilment order at once would leave its packages behind: ship them
    one at a time, or remove them first."""
    if has_unshipped_packages(connection, fo_id):
        raise ConflictError(
            f"Fulfilment order {fo_id} has packages: ship them one at a time or remove them."
        )


def _locked_package(connection: Connection, package_id: int) -> Row:
    row = connection.execute(
        select(package_table).where(package_table.c.id == package_id).with_for_update()
    ).first()
    if row is None:  # removed by someone else meanwhile
        raise NotFoundError(f"Package {package_id} does not exist.")
    return dict(row._mapping)


def locked_package(connection: Connection, package_id: int) -> Row:
    """The package row, locked (after its fulfilment order)."""
    return _locked_package(connection, package_id)


def _insert_package(uow: UnitOfWork, fo: Row, measures: Measures) -> tuple[int, str]:
    [value] = next_counter_values(uow.connection, "package", 1)
    number = f"PK-{value:06d}"
    package_id = uow.connection.execute(
        insert(package_table)
        .values(
            number=number,
            fulfillment_order_id=fo["id"],
            order_id=fo["order_id"],
            location_id=fo["location_id"],
            package_type=measures.package_type,
            weight_grams=measures.weight_grams,
            length_mm=measures.length_mm,
            width_mm=measures.width_mm,
            height_mm=measures.height_mm,
            status=package_model.PACKED,
            created_by=uow.actor,
            created_at=clock.now(),
        )
        .returning(package_table.c.id)
    ).scalar_one()
    return int(package_id), number


def _insert_lines(connection: Connection, package_id: int, units: Sequence[PackedUnits]) -> None:
    connection.execute(
        insert(package_line_table),
        [
            {
                "package_id": package_id,
                "fulfillment_order_line_id": u.line_id,
                "quantity": u.quantity,
            }
            for u in units
        ],
    )
    for item in units:
        connection.execute(
            update(fo_line_table)
            .where(fo_line_table.c.id == item.line_id)
            .values(packed_quantity=fo_line_table.c.packed_quantity + item.quantity)
        )
