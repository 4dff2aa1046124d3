"""`ordnung demo`: prepare an embedded database with demo data and serve it in one process.

Web UI, API and the outbox worker share the process (design.md §10): uvicorn runs in the main
thread, the worker in a background thread, both on the same `Database`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from ordnung.core.db import Database
from ordnung.core.errors import ConflictError
from ordnung.core.migrate import alembic_config, upgrade_database
from ordnung.core.settings import Settings

DEMO_EMAIL = "demo@ordnung.example"
# Printed on every start; the demo is for trying things out on one machine, not for production.
DEMO_PASSWORD = "ordnung-demo"
DEMO_KEY_NAME = "demo"

Echo = Callable[[str], object]


@dataclass(frozen=True)
class DemoAccess:
    email: str
    password: str
    api_key: str


def prepare_demo(settings: Settings, *, is_fresh: bool, echo: Echo) -> DemoAccess:
    """Migrate, seed when empty, make sure the demo login exists, and issue an API key."""
    from ordnung.demo.seed import has_data, seed_demo

    if is_fresh:
        reset_database(settings.database_url)
    upgrade_database(settings.database_url)
    database = Database.from_settings(settings)
    try:
        if not has_data(database):
            echo("Seeding demo data (German shop: channels, stock, customers, orders) …")
            summary = seed_demo(database)
            echo(f"Seeded {summary}.")
        ensure_staff_login(database)
        api_key = issue_demo_api_key(database)
    finally:
        database.dispose()
    return DemoAccess(DEMO_EMAIL, DEMO_PASSWORD, api_key)


def reset_database(database_url: str) -> None:
    """Start over: delete the SQLite file, or migrate a server database down to nothing."""
    if database_url.startswith("sqlite"):
        name = make_url(database_url).database
        if name and name != ":memory:":
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
        return
    from alembic import command

    command.downgrade(alembic_config(database_url), "base")


def ensure_staff_login(database: Database) -> None:
    from ordnung.staff.service import create_staff_user

    # A login kept from an earlier demo run is fine: the demo password is fixed.
    with suppress(ConflictError):
        create_staff_user(database, DEMO_EMAIL, "Demo Admin", DEMO_PASSWORD, "de")


def issue_demo_api_key(database: Database) -> str:
    """Tokens are stored only as hashes, so each start prints a new key; the keys printed by
    earlier starts stay valid, so a token someone exported still works after a restart."""
    from ordnung.staff.service import create_api_key

    _key_id, token = create_api_key(database, DEMO_KEY_NAME, ["admin"])
    return token


def run_demo_server(settings: Settings, *, host: str, port: int, loop: str, http: str) -> None:
    """Serve until Ctrl+C, with the outbox worker in a background thread of this process."""
    import uvicorn

    from ordnung.api import create_app
    from ordnung.worker import run_worker

    demo_settings = settings.model_copy(update={"allow_demo_secret": True})
    database = Database.from_settings(demo_settings)
    stop_event = threading.Event()
    worker = threading.Thread(
        target=run_worker, args=(database, demo_settings, stop_event), name="outbox-worker"
    )
    worker.start()
    try:
        config = uvicorn.Config(
            create_app(demo_settings, database), host=host, port=port, loop=loop, http=http
        )
        uvicorn.Server(config).run()
    finally:
        # The worker finishes its current batch; events not yet sent stay in the outbox.
        stop_event.set()
        worker.join(timeout=10)
        database.dispose()
