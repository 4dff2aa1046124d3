"""Reading packages: a fulfilment order's packing state, one package, an order's packages,
and the facts of a delivery note. Another location's packages answer as if they did not
exist (design.md §8)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError
from ordnung.fulfillment.delivery_note_pdf import DeliveryNoteDocument, DeliveryNoteLine
from ordnung.fulfillment.queries import fulfillment_order_in
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line_table
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table
from ordnung.fulfillment.tables import package_line_table, package_table, shipment_table
from ordnung.inventory.locations import location_sender

Row = dict[str, Any]


def packing_state(
    db: Database, fo_id: int, *, only_location_id: int | None = None
) -> dict[str, Any]:
    """The fulfilment order's lines with the units left to pack, and its packages."""

    def read(connection: Connection) -> dict[str, Any]:
        fo = fulfillment_order_in(connection, fo_id, only_location_id=only_location_id)
        packed = dict(
            connection.execute(
                select(fo_line_table.c.id, fo_line_table.c.packed_quantity).where(
                    fo_line_table.c.fulfillment_order_id == fo_id
                )
            ).all()
        )
        lines = [
            {
                "id": line["id"],
                "sku": line["sku"],
                "name": line["name"],
                "gtin": line["gtin"],
                "quantity": line["quantity"],
                "shipped_quantity": line["shipped_quantity"],
                "packed_quantity": packed[line["id"]],
                "unpacked_quantity": line["quantity"]
                - line["shipped_quantity"]
                - packed[line["id"]],
            }
            for line in fo["lines"]
        ]
        return {
            "fulfillment_order_id": fo_id,
            "order_id": fo["order_id"],
            "order_number": fo["order_number"],
            "status": fo["status"],
            "location": fo["location"],
            "lines": lines,
            "packages": _packages(connection, package_table.c.fulfillment_order_id == fo_id),
        }

    return db.read(read)


def get_package(
    db: Database, package_id: int, *, only_location_id: int | None = None
) -> dict[str, Any]:
    def read(connection: Connection) -> dict[str, Any]:
        found = _packages(connection, package_table.c.id == package_id)
        if not found or only_location_id not in (None, found[0]["location_id"]):
            raise NotFoundError(f"Package {package_id} does not exist.")
        return found[0]

    return db.read(read)


def packages_of_order(connection: Connection, order_id: int) -> list[dict[str, Any]]:
    """Every package of the order, oldest first, with its lines and shipment (the order
    page)."""
    return _packages(connection, package_table.c.order_id == order_id)


def order_packages(db: Database, order_id: int) -> list[dict[str, Any]]:
    return db.read(lambda connection: packages_of_order(connection, order_id))


def order_id_of_package(connection: Connection, package_id: int) -> int:
    order_id = connection.execute(
        select(package_table.c.order_id).where(package_table.c.id == package_id)
    ).scalar()
    if order_id is None:
        raise NotFoundError(f"Package {package_id} does not exist.")
    return int(order_id)


def delivery_note_document(
    connection: Connection, package_id: int, *, only_location_id: int | None = None
) -> DeliveryNoteDocument:
    found = _packages(connection, package_table.c.id == package_id)
    if not found or only_location_id not in (None, found[0]["location_id"]):
        raise NotFoundError(f"Package {package_id} does not exist.")
    package = found[0]
    fo = fulfillment_order_in(connection, package["fulfillment_order_id"])
    name, address = location_sender(connection, package["location_id"])
    return DeliveryNoteDocument(
        order_id=package["order_id"],
        order_number=fo["order_number"],
        package_number=package["number"],
        issued_on=(package["shipped_at"] or clock.now()).date(),
        sender=[name, *_address_lines(address)],
        ship_to=_recipient_lines(fo["ship_to"] or {}),
        lines=[
            DeliveryNoteLine(
                line["sku"], line["name"] or line["sku"], line["quantity"], line["gtin"]
            )
            for line in package["lines"]
        ],
        gift_note=fo["gift_note"],
    )


def _address_lines(address: dict[str, str]) -> list[str]:
    return [
        address.get("street", ""),
        address.get("street2", ""),
        f"{address.get('postal_code', '')} {address.get('city', '')}".strip(),
        address.get("country", ""),
    ]


def _recipient_lines(ship_to: dict[str, str]) -> list[str]:
    name = f"{ship_to.get('first_name', '')} {ship_to.get('last_name', '')}".strip()
    return [name, ship_to.get("company", ""), *_address_lines(ship_to)]


def _packages(connection: Connection, condition: Any) -> list[dict[str, Any]]:
    rows = connection.execute(
        select(
            package_table,
            fo_table.c.order_number,
            shipment_table.c.carrier,
            shipment_table.c.service,
            shipment_table.c.tracking_number,
        )
        .join(fo_table, fo_table.c.id == package_table.c.fulfillment_order_id)
        .outerjoin(shipment_table, shipment_table.c.id == package_table.c.shipment_id)
        .where(condition)
        .order_by(package_table.c.id)
    ).mappings()
    packages = [_package_dict(row) for row in rows]
    lines = _lines_by_package([package["id"] for package in packages], connection)
    for package in packages:
        package["lines"] = lines[package["id"]]
    return packages


def _package_dict(row: Any) -> dict[str, Any]:
    shipment = None
    if row["shipment_id"] is not None:
        shipment = {
            "id": row["shipment_id"],
            "carrier": row["carrier"],
            "service": row["service"],
            "tracking_number": row["tracking_number"],
        }
    return {
        "id": row["id"],
        "number": row["number"],
        "fulfillment_order_id": row["fulfillment_order_id"],
        "order_id": row["order_id"],
        "order_number": row["order_number"],
        "location_id": row["location_id"],
        "package_type": row["package_type"],
        "weight_grams": row["weight_grams"],
        "length_mm": row["length_mm"],
        "width_mm": row["width_mm"],
        "height_mm": row["height_mm"],
        "status": row["status"],
        "created_by": row["created_by"],
        "created_at": row["created_at"],
        "shipped_at": row["shipped_at"],
        "shipment": shipment,
    }


def _lines_by_package(ids: list[int], connection: Connection) -> dict[int, list[Row]]:
    by_package: dict[int, list[Row]] = defaultdict(list)
    if not ids:
        return by_package
    rows = connection.execute(
        select(
            package_line_table.c.package_id,
            package_line_table.c.fulfillment_order_line_id,
            package_line_table.c.quantity,
            fo_line_table.c.sku,
            fo_line_table.c.name,
            fo_line_table.c.gtin,
        )
        .join(fo_line_table, fo_line_table.c.id == package_line_table.c.fulfillment_order_line_id)
        .where(package_line_table.c.package_id.in_(ids))
        .order_by(package_line_table.c.id)
    ).mappings()
    for row in rows:
        # Plain str keys (the JSON encoder refuses SQLAlchemy's str subclasses).
        by_package[row["package_id"]].append(
            {
                key: row[key]
                for key in ("fulfillment_order_line_id", "quantity", "sku", "name", "gtin")
            }
        )
    return by_package
