"""`ordnung db reindex-search` rebuilds every order's search key, showing its progress."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from ordnung.cli import app
from ordnung.core.db import Database
from ordnung.orders.tables import order_search_table
from tests.factories import put_stock, standard_setup
from tests.web.seed import place


def test_a_lost_search_key_is_rebuilt_with_progress(
    db: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    order_id = place(db, "EXT-1", ("anna@example.de", "Anna", "Böhm"), [("SKU-1", 1)])
    with db.engine.begin() as connection:
        connection.execute(update(order_search_table).values(text="lost"))
    monkeypatch.setenv("ORDNUNG_DATABASE_URL", database_url)
    result = CliRunner().invoke(app, ["db", "reindex-search"])
    assert result.exit_code == 0, result.output
    assert "Search keys rebuilt for 1 orders." in result.output
    assert "1 / 1 orders" in result.output
    with db.engine.connect() as connection:
        text = connection.execute(
            select(order_search_table.c.text).where(order_search_table.c.order_id == order_id)
        ).scalar_one()
    assert "boehm" in text and "bohm" in text
