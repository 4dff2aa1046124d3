"""Test data builders: a channel, locations, products and stock in a few calls."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy import insert, select

from ordnung.catalog.tables import product_table
from ordnung.channels.tables import sales_channel_table
from ordnung.checks.tables import channel_check_rule_table
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.inventory import stock
from ordnung.inventory.tables import location_table, stock_position_table

_external_ids = itertools.count(1)


def add_channel(db: Database, code: str = "webshop", currency: str = "EUR") -> int:
    """A web shop channel. Its duplicate check is off: tests send the same customer's same
    order many times on purpose (bursts, batches); tests/checks turn the check on."""
    with db.engine.begin() as connection:
        channel_id = int(
            connection.execute(
                insert(sales_channel_table)
                .values(
                    code=code,
                    name=code.title(),
                    type="webshop",
                    currency=currency,
                    created_at=clock.now(),
                )
                .returning(sales_channel_table.c.id)
            ).scalar_one()
        )
        connection.execute(
            insert(channel_check_rule_table).values(
                channel_id=channel_id,
                rule="duplicate_order",
                mode="off",
                params={},
                updated_at=clock.now(),
                updated_by="test",
            )
        )
    return channel_id


def add_location(
    db: Database, code: str, priority: int, capabilities: tuple[str, ...] = ("ship",)
) -> int:
    with db.engine.begin() as connection:
        return int(
            connection.execute(
                insert(location_table)
                .values(
                    code=code,
                    name=f"Lager {code}",
                    type="warehouse",
                    address={
                        "street": "Hafenstraße 1",
                        "postal_code": "20457",
                        "city": "Hamburg",
                        "country": "DE",
                    },
                    capabilities=list(capabilities),
                    priority=priority,
                    created_at=clock.now(),
                )
                .returning(location_table.c.id)
            ).scalar_one()
        )


def add_product(
    db: Database,
    sku: str,
    name: str | None = None,
    *,
    stock_policy: str = "stocked",
    allow_backorder: bool = True,
    release_on: date | None = None,
) -> None:
    now = clock.now()
    with db.engine.begin() as connection:
        connection.execute(
            insert(product_table).values(
                sku=sku,
                name=name or f"Artikel {sku}",
                tax_class="standard",
                stock_policy=stock_policy,
                allow_backorder=allow_backorder,
                release_on=release_on,
                created_at=now,
                updated_at=now,
            )
        )


def put_stock(db: Database, sku: str, location_id: int, on_hand: int, safety: int = 0) -> int:
    """Creates the position with a receipt ledger row, as a goods receipt would."""
    now = clock.now()
    with db.engine.begin() as connection:
        position_id = int(
            connection.execute(
                insert(stock_position_table)
                .values(
                    sku=sku,
                    location_id=location_id,
                    on_hand=on_hand,
                    reserved=0,
                    safety_stock=safety,
                    updated_at=now,
                )
                .returning(stock_position_table.c.id)
            ).scalar_one()
        )
        stock.record_movements(
            connection,
            [stock.Movement(position_id, stock.RECEIPT, on_hand, 0, "test receipt")],
            actor="test",
            now=now,
        )
    return position_id


def position(db: Database, sku: str, location_id: int) -> dict[str, int]:
    with db.engine.connect() as connection:
        row = connection.execute(
            select(stock_position_table).where(
                stock_position_table.c.sku == sku,
                stock_position_table.c.location_id == location_id,
            )
        ).one()
    return {"on_hand": row.on_hand, "reserved": row.reserved, "safety_stock": row.safety_stock}


def order_payload(lines: list[tuple[str, int]], **overrides: Any) -> dict[str, Any]:
    """A valid order body; `lines` are (sku, quantity) at 19.99 EUR gross, 19 % VAT."""
    address = {
        "first_name": "Erika",
        "last_name": "Mustermann",
        "street": "Heidestraße 17",
        "postal_code": "51147",
        "city": "Köln",
        "country": "DE",
    }
    body: dict[str, Any] = {
        "channel": "webshop",
        "external_id": f"EXT-{next(_external_ids)}",
        "currency": "EUR",
        "customer": {"email": "erika@example.de", "first_name": "Erika", "last_name": "Mustermann"},
        "billing_address": address,
        "shipping_amount": "4.90",
        "lines": [
            {"sku": sku, "quantity": quantity, "unit_price": "19.99", "tax_rate": "19"}
            for sku, quantity in lines
        ],
    }
    body.update(overrides)
    return body


def standard_setup(db: Database) -> dict[str, int]:
    """Web shop channel; warehouses A (priority 1), B (2) and store C (3, pickup only)."""
    add_channel(db)
    ids = {
        "A": add_location(db, "A", 1),
        "B": add_location(db, "B", 2),
        "C": add_location(db, "C", 3, ("pickup",)),
    }
    for sku in ("SKU-1", "SKU-2", "SKU-3"):
        add_product(db, sku)
    return ids
