"""A small shop for API tests that send generated requests: the names the OpenAPI document
uses in its examples exist (channel `webshop`, location `lager-nord`, SKU `OD-0001`), with
stock, an allocated order, an order on hold and a webhook subscription, so the operations
have something to read and change."""

from __future__ import annotations

from sqlalchemy import insert

from ordnung.automation.service import NewSubscription, create_subscription
from ordnung.core import clock
from ordnung.core.auth import hash_api_key, new_api_key
from ordnung.core.db import Database
from ordnung.core.tables import api_key_table
from tests.factories import add_channel, add_location, add_product, put_stock
from tests.web.seed import place


def add_admin_key(db: Database) -> str:
    token = new_api_key()
    with db.engine.begin() as connection:
        connection.execute(
            insert(api_key_table).values(
                name="contract-test",
                prefix=token[:8],
                key_hash=hash_api_key(token),
                scopes=["admin"],
                created_at=clock.now(),
            )
        )
    return token


def seed_contract_shop(db: Database) -> str:
    """Seeds the shop and returns an admin API key."""
    add_channel(db, "webshop")
    warehouse = add_location(db, "lager-nord", 1)
    add_product(db, "OD-0001", "Olivenöl nativ extra, 0,5 l")
    add_product(db, "OD-0002", "Balsamico, 0,25 l")
    put_stock(db, "OD-0001", warehouse, 1000)
    place(db, "100233", ("erika@example.de", "Erika", "Mustermann"), [("OD-0001", 2)])
    place(db, "100234", ("max@example.de", "Max", "Müller"), [("UNKNOWN-1", 1)])
    create_subscription(
        db,
        NewSubscription("http://127.0.0.1:9/hooks", ["order.shipped"], "contract test"),
        allow_private=True,
    )
    return add_admin_key(db)
