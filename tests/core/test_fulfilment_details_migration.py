"""Migration 0024 fills the new columns of fulfilment orders released before it, set-wise,
from their orders, order lines and products."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from ordnung.api import create_app
from ordnung.catalog.tables import product_table
from ordnung.core.db import Database
from ordnung.core.migrate import alembic_config, upgrade_database
from ordnung.core.settings import Settings
from ordnung.fulfillment.tables import fulfillment_order_line_table, fulfillment_order_table
from ordnung.staff.service import create_api_key
from tests.factories import order_payload, put_stock, standard_setup


def test_work_released_before_0024_gets_its_ship_to_and_line_facts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade_database(url)
    db = Database(url)
    try:
        ids = standard_setup(db)
        put_stock(db, "SKU-1", ids["A"], 5)
        with db.engine.begin() as connection:
            connection.execute(update(product_table).values(gtin="4006381333931", weight_grams=320))
        _id, token = create_api_key(db, "shop", ["admin"])
        with TestClient(create_app(Settings(database_url=url), db)) as client:
            client.headers["Authorization"] = f"Bearer {token}"
            body = order_payload([("SKU-1", 2)], shipping_method="hermes")
            assert client.post("/api/v1/orders", json=body).status_code == 201
        db.dispose()
        config = alembic_config(url)
        command.downgrade(config, "0023")  # as if released before 0024
        command.upgrade(config, "head")
        db = Database(url)
        fo = db.read(lambda c: c.execute(select(fulfillment_order_table)).mappings().one())
        line = db.read(lambda c: c.execute(select(fulfillment_order_line_table)).mappings().one())
    finally:
        db.dispose()
    assert fo["ship_to"]["city"] == "Köln"
    assert (fo["contact_email"], fo["shipping_method"]) == ("erika@example.de", "hermes")
    assert (fo["service_level"], fo["priority"], fo["gift_note"]) == ("standard", "normal", None)
    assert fo["promised_ship_on"] is not None
    assert (line["name"], line["gtin"], line["weight_grams"]) == (
        "Artikel SKU-1",
        "4006381333931",
        320,
    )
