"""Shared fixtures: a migrated database per backend (SQLite always, PostgreSQL when
ORDNUNG_TEST_DATABASE_URL is set), emptied before each test, plus API clients with keys."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from ordnung.api import create_app
from ordnung.core import auth, clock
from ordnung.core.auth import hash_api_key, new_api_key
from ordnung.core.db import Database
from ordnung.core.http import forget_cached_keys
from ordnung.core.migrate import upgrade_database
from ordnung.core.settings import Settings
from ordnung.core.tables import api_key_table
from ordnung.promising.snapshot import forget_snapshots
from ordnung.schema import metadata

PG_URL = os.environ.get("ORDNUNG_TEST_DATABASE_URL")

# Hypothesis' per-example deadline (200 ms) is a timing assertion: on a loaded two-core CI
# machine a pure model test can miss it and fail for nothing. Properties are checked, not time.
hypothesis_settings.register_profile("ordnung", deadline=None)
hypothesis_settings.load_profile("ordnung")


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """argon2 at its production cost (64 MiB, a fifth of a second on a busy CI machine) would
    dominate every test that signs someone in; these tests are about who may sign in, not
    about the strength of the hash, so they hash cheaply."""
    original = auth._password_hasher
    auth._password_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth._password_hasher = original


BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _postgres_test_url(worker: str) -> str:
    """A fresh database of our own beside the one CI names, so parallel runs do not collide."""
    assert PG_URL is not None
    url = make_url(PG_URL.replace("postgresql+psycopg://", "postgresql://"))
    name = f"ordnung_test_{worker}_{os.getpid()}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(drivername="postgresql", database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    assert PG_URL is not None
    admin = make_url(PG_URL.replace("postgresql+psycopg://", "postgresql://"))
    name = make_url(url).database
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'ordnung.db'}"
    else:
        url = _postgres_test_url(worker)
    upgrade_database(url)
    yield url
    if request.param == "postgresql":
        _drop_postgres_database(url)


@pytest.fixture(scope="session")
def session_db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


def _empty_all_tables(database: Database) -> None:
    names = [table.name for table in reversed(metadata.sorted_tables)]
    with database.engine.begin() as connection:
        if database.is_sqlite:
            for name in names:
                connection.execute(text(f'DELETE FROM "{name}"'))
        else:
            joined = ", ".join(f'"{name}"' for name in names)
            connection.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))


@pytest.fixture
def db(session_db: Database) -> Iterator[Database]:
    _empty_all_tables(session_db)
    forget_cached_keys()
    # Emptied tables hand out the same ids again, so a remembered snapshot of the locations
    # could match the next test's fingerprint while describing other locations.
    forget_snapshots()
    yield session_db


@pytest.fixture
def backend(db: Database) -> str:
    return "sqlite" if db.is_sqlite else "postgresql"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, webhook_allow_private=True)


@pytest.fixture
def app_client(db: Database, settings: Settings) -> Iterator[TestClient]:
    """An HTTP client without credentials."""
    app = create_app(settings, db)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def make_api_key(db: Database) -> Callable[..., str]:
    """Creates an API key with the given scopes and returns the token."""

    def make(*scopes: str, name: str = "test") -> str:
        token = new_api_key()
        with db.engine.begin() as connection:
            connection.execute(
                insert(api_key_table).values(
                    name=name,
                    prefix=token[:8],
                    key_hash=hash_api_key(token),
                    scopes=list(scopes) or ["admin"],
                    created_at=clock.now(),
                )
            )
        return token

    return make


@pytest.fixture
def client(app_client: TestClient, make_api_key: Callable[..., str]) -> TestClient:
    """An HTTP client that sends an admin API key."""
    app_client.headers["Authorization"] = f"Bearer {make_api_key('admin', name='admin-test')}"
    return app_client


@pytest.fixture
def samples_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "shared" / "samples"
