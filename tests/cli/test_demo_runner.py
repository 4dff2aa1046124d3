"""Starting the demo again keeps its data, its login and the API keys it printed before."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ordnung.api import create_app
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.demo.runner import DEMO_EMAIL, DEMO_PASSWORD, prepare_demo
from ordnung.orders.tables import sales_order_table
from ordnung.staff.service import authenticate_staff, list_api_keys


def order_count(database: Database) -> int:
    query = select(func.count(sales_order_table.c.id))
    return int(database.read(lambda connection: connection.execute(query).scalar_one()))


def test_a_second_start_keeps_the_data_and_the_key_printed_before(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}")
    messages: list[str] = []
    first = prepare_demo(settings, is_fresh=False, echo=messages.append)
    database = Database(settings.database_url)
    orders_after_first_start = order_count(database)

    second = prepare_demo(settings, is_fresh=False, echo=messages.append)

    assert order_count(database) == orders_after_first_start
    assert sum("Seeding" in message for message in messages) == 1
    assert second.api_key != first.api_key
    # The admin keys printed at each start; the demo's drop-ship supplier has its own, bound
    # to its location.
    keys = [key for key in list_api_keys(database) if key.location_code is None]
    assert [key.revoked_at is None for key in keys] == [True, True]  # both still valid
    assert [key.scopes for key in keys] == [["admin"], ["admin"]]
    settings_app = Settings(database_url=settings.database_url)
    with TestClient(create_app(settings_app, database)) as client:
        for token in (first.api_key, second.api_key):
            answer = client.get("/api/v1/channels", headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 200
    assert authenticate_staff(database, DEMO_EMAIL, DEMO_PASSWORD) is not None
    database.dispose()


def test_fresh_starts_over_from_an_empty_database(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}")
    prepare_demo(settings, is_fresh=False, echo=lambda _message: None)
    prepare_demo(settings, is_fresh=True, echo=lambda _message: None)
    database = Database(settings.database_url)
    keys = list_api_keys(database)
    assert [key.location_code for key in keys].count(None) == 1
    assert [key.location_code for key in keys if key.location_code] == ["moebel-direkt"]
    database.dispose()
