"""The `ordnung` command as an operator uses it: schema, staff users, API keys, readable errors."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from typer.testing import CliRunner

from ordnung.api import create_app
from ordnung.cli import app
from ordnung.core.db import Database
from ordnung.core.http import forget_cached_keys
from ordnung.core.settings import Settings
from ordnung.staff.service import authenticate_staff, list_api_keys

PASSWORD = "ein-langes-passwort"


@pytest.fixture
def cli(database_url: str, db: Database) -> CliRunner:
    """A runner whose commands see the test database (emptied by the `db` fixture)."""
    return CliRunner(env={"ORDNUNG_DATABASE_URL": database_url})


@pytest.fixture
def api(db: Database, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, db)) as client:
        yield client


def token_from(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("ord_"))


def test_db_upgrade_creates_the_schema_in_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/fresh.db"
    result = CliRunner(env={"ORDNUNG_DATABASE_URL": url}).invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    database = Database(url)
    tables = set(inspect(database.engine).get_table_names())
    database.dispose()
    assert {"sales_order", "stock_position", "api_key", "alembic_version"} <= tables


def test_user_create_makes_a_login_that_works(cli: CliRunner, db: Database) -> None:
    arguments = ["--email", "Lena@Example.de", "--name", "Lena Lager", "--language", "en"]
    result = cli.invoke(app, ["user", "create", *arguments, "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    staff = authenticate_staff(db, "lena@example.de", PASSWORD)
    assert staff is not None
    assert (staff.name, staff.language) == ("Lena Lager", "en")


def test_user_create_asks_for_the_password_when_it_is_not_given(
    cli: CliRunner, db: Database
) -> None:
    result = cli.invoke(
        app,
        ["user", "create", "--email", "tom@example.de", "--name", "Tom"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert authenticate_staff(db, "tom@example.de", PASSWORD) is not None


def test_a_created_api_key_works_against_the_api_within_its_scopes(
    cli: CliRunner, api: TestClient
) -> None:
    result = cli.invoke(app, ["apikey", "create", "--name", "shop", "--scopes", "orders:read"])
    assert result.exit_code == 0, result.output
    headers = {"Authorization": f"Bearer {token_from(result.output)}"}
    assert api.get("/api/v1/orders", headers=headers).status_code == 200
    assert api.get("/api/v1/products", headers=headers).status_code == 403


def test_a_revoked_api_key_is_refused(cli: CliRunner, api: TestClient, db: Database) -> None:
    created = cli.invoke(app, ["apikey", "create", "--name", "erp", "--scopes", "admin"])
    token = token_from(created.output)
    key_id = list_api_keys(db)[0].id
    listed = cli.invoke(app, ["apikey", "list"])
    assert f"{key_id}\terp\t{token[:8]}" in listed.output
    assert token not in listed.output
    assert cli.invoke(app, ["apikey", "revoke", str(key_id)]).exit_code == 0
    forget_cached_keys()
    response = api.get("/api/v1/orders", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_an_unknown_scope_is_named_in_one_line_and_no_key_is_made(
    cli: CliRunner, db: Database
) -> None:
    result = cli.invoke(app, ["apikey", "create", "--name", "x", "--scopes", "orders:read,ordrs"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: unknown scope(s): ordrs"
    assert list_api_keys(db) == []


def test_revoking_a_missing_key_says_so_without_a_traceback(cli: CliRunner) -> None:
    result = cli.invoke(app, ["apikey", "revoke", "999"])
    assert result.exit_code == 1
    assert "999" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "url", ["not a url", "mysql://shop:geheim@localhost/shop", "mariadb+pymysql://x@y/z", ""]
)
@pytest.mark.parametrize("command", [["db", "upgrade"], ["worker"], ["user", "list"], ["serve"]])
def test_an_unsupported_database_url_is_one_line_that_says_what_works(
    url: str, command: list[str]
) -> None:
    runner = CliRunner(env={"ORDNUNG_DATABASE_URL": url, "ORDNUNG_ALLOW_DEMO_SECRET": "true"})
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1, result.output
    assert result.output.startswith("Error: invalid setting: ORDNUNG_DATABASE_URL: unsupported")
    assert "sqlite:///" in result.output and "postgresql://" in result.output
    assert "geheim" not in result.output  # a password in the URL is not echoed


@pytest.mark.parametrize("command", [["worker"], ["user", "list"], ["apikey", "list"]])
def test_an_unmigrated_database_is_one_line_that_says_to_upgrade(
    tmp_path: Path, command: list[str]
) -> None:
    runner = CliRunner(env={"ORDNUNG_DATABASE_URL": f"sqlite:///{tmp_path}/empty.db"})
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1, result.output
    assert "no Ordnung tables yet: run `ordnung db upgrade`" in result.output


def test_a_database_of_an_older_or_newer_schema_says_which_and_what_to_do(
    tmp_path: Path,
) -> None:
    from alembic import command as alembic_command

    from ordnung.core.migrate import alembic_config

    url = f"sqlite:///{tmp_path}/old.db"
    alembic_command.upgrade(alembic_config(url), "0001")
    runner = CliRunner(env={"ORDNUNG_DATABASE_URL": url})
    older = runner.invoke(app, ["user", "list"])
    assert older.exit_code == 1
    assert "schema 0001" in older.output and "run `ordnung db upgrade`" in older.output

    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["user", "list"]).exit_code == 0

    database = Database(url)
    with database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    database.dispose()
    newer = runner.invoke(app, ["user", "list"])
    assert newer.exit_code == 1
    assert "newer version" in newer.output


def test_serve_refuses_the_demo_secret_key(database_url: str) -> None:
    unset = {"ORDNUNG_SECRET_KEY": None, "ORDNUNG_ALLOW_DEMO_SECRET": None}
    runner = CliRunner(env={"ORDNUNG_DATABASE_URL": database_url, **unset})
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 1
    assert "ORDNUNG_SECRET_KEY" in result.output
    assert "ORDNUNG_ALLOW_DEMO_SECRET" in result.output


def test_serve_on_a_taken_port_says_so(tmp_path: Path) -> None:
    env = {
        "ORDNUNG_DATABASE_URL": f"sqlite:///{tmp_path}/serve.db",
        "ORDNUNG_SECRET_KEY": "a-long-random-production-secret",
    }
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner(env=env).invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
