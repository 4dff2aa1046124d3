"""A small network for promise tests: a warehouse in Köln, a store in München, a supplier."""

from __future__ import annotations

from sqlalchemy import insert, update

from ordnung.channels.tables import sales_channel_table
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.inventory.tables import location_table, stock_position_table
from tests.factories import add_channel, add_product, put_stock


def add_place(
    db: Database,
    code: str,
    kind: str,
    postal_code: str,
    capabilities: tuple[str, ...],
    priority: int = 10,
) -> int:
    with db.engine.begin() as connection:
        return int(
            connection.execute(
                insert(location_table)
                .values(
                    code=code,
                    name=f"{kind.title()} {code}",
                    type=kind,
                    address={
                        "street": "Hauptstraße 1",
                        "postal_code": postal_code,
                        "city": "Stadt",
                        "country": "DE",
                    },
                    capabilities=list(capabilities),
                    priority=priority,
                    created_at=clock.now(),
                )
                .returning(location_table.c.id)
            ).scalar_one()
        )


def reserve(db: Database, position_id: int, units: int) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            update(stock_position_table)
            .where(stock_position_table.c.id == position_id)
            .values(reserved=units)
        )


def seed_network(db: Database) -> dict[str, int]:
    add_channel(db, "web")
    store_channel = add_channel(db, "kasse")
    with db.engine.begin() as connection:
        connection.execute(
            update(sales_channel_table)
            .where(sales_channel_table.c.id == store_channel)
            .values(type="store")
        )
    warehouse = add_place(db, "dc-koeln", "warehouse", "50667", ("ship",), 1)
    store = add_place(db, "store-muc", "store", "80331", ("ship_from_store", "pickup"), 5)
    supplier = add_place(db, "supplier", "supplier", "20457", ("dropship",), 9)
    for sku in ("TEE-1", "MUG-1", "NEW-1"):
        add_product(db, sku)
    reserve(db, put_stock(db, "TEE-1", warehouse, 10, safety=3), 2)
    put_stock(db, "TEE-1", store, 6, safety=1)
    put_stock(db, "TEE-1", supplier, 50)
    put_stock(db, "MUG-1", store, 2)
    return {"warehouse": warehouse, "store": store, "supplier": supplier}
