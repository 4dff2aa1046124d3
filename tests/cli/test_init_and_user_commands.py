"""`ordnung init` sets up an empty installation; the user commands manage staff with roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ordnung.channels.service import list_channels
from ordnung.cli import app
from ordnung.core.db import Database
from ordnung.inventory.locations import list_locations
from ordnung.staff.queries import list_staff_accounts
from ordnung.staff.service import authenticate_staff, get_staff_user
from tests.factories import add_location

PASSWORD = "ein-langes-passwort"
INIT = [
    "init",
    "--admin",
    "Ada Admin <Ada@Example.de>",
    "--channel",
    "onlineshop:Online-Shop",
    "--location",
    "lager-nord:Lager Nord",
    "--address",
    "Hafenstraße 1, 20457 Hamburg, DE",
]


@pytest.fixture
def cli(database_url: str, db: Database) -> CliRunner:
    return CliRunner(env={"ORDNUNG_DATABASE_URL": database_url})


def test_init_with_flags_sets_up_admin_channel_and_location(cli: CliRunner, db: Database) -> None:
    result = cli.invoke(app, [*INIT, "--language", "en"], env={"ORDNUNG_ADMIN_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert "Ordnung is set up. Sign in as <ada@example.de>" in result.output
    admin = authenticate_staff(db, "ada@example.de", PASSWORD)
    assert admin is not None and (admin.role, admin.language) == ("admin", "en")
    assert [channel["name"] for channel in list_channels(db)] == ["Online-Shop"]
    [location] = list_locations(db)
    assert location["address"] == {
        "street": "Hafenstraße 1",
        "postal_code": "20457",
        "city": "Hamburg",
        "country": "DE",
    }


def test_init_asks_for_what_is_missing(cli: CliRunner, db: Database) -> None:
    answers = "\n".join(
        [
            "Ada Admin <ada@example.de>",
            "onlineshop:Online-Shop",
            "lager-nord:Lager Nord",
            "Hafenstraße 1, 20457 Hamburg, DE",
            PASSWORD,
            PASSWORD,
        ]
    )
    result = cli.invoke(app, ["init"], input=answers + "\n")
    assert result.exit_code == 0, result.output
    assert authenticate_staff(db, "ada@example.de", PASSWORD) is not None


def test_init_runs_once_only(cli: CliRunner, db: Database) -> None:
    env = {"ORDNUNG_ADMIN_PASSWORD": PASSWORD}
    assert cli.invoke(app, INIT, env=env).exit_code == 0
    again = cli.invoke(app, [*INIT[:2], "Eve <eve@example.de>", *INIT[3:]], env=env)
    assert again.exit_code == 1
    assert "Error: Ordnung is set up already" in again.output
    assert len(list_staff_accounts(db)) == 1


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--admin", "ada@example.de", 'give the admin as "Name <e-mail>"'),
        ("--channel", "onlineshop", 'give the channel as "code:Name"'),
        ("--address", "Hafenstraße 1, Hamburg", 'give the address as "Street 1, 12345 City, DE"'),
        ("--location", "Lager Nord:lager", "Invalid fields: code"),
    ],
)
def test_init_explains_a_malformed_option_in_one_line_and_writes_nothing(
    cli: CliRunner, db: Database, option: str, value: str, message: str
) -> None:
    arguments = list(INIT)
    arguments[arguments.index(option) + 1] = value
    result = cli.invoke(app, arguments, env={"ORDNUNG_ADMIN_PASSWORD": PASSWORD})
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert list_staff_accounts(db) == []


def test_init_migrates_a_brand_new_database_first(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/fresh.db"
    runner = CliRunner(env={"ORDNUNG_DATABASE_URL": url, "ORDNUNG_ADMIN_PASSWORD": PASSWORD})
    result = runner.invoke(app, INIT)
    assert result.exit_code == 0, result.output
    database = Database(url)
    try:
        assert authenticate_staff(database, "ada@example.de", PASSWORD) is not None
    finally:
        database.dispose()


def test_user_create_makes_a_warehouse_login_bound_to_its_location(
    cli: CliRunner, db: Database
) -> None:
    location_id = add_location(db, "koeln", 1)
    arguments = ["--email", "lena@example.de", "--name", "Lena", "--password", PASSWORD]
    result = cli.invoke(
        app, ["user", "create", *arguments, "--role", "warehouse", "--location", "koeln"]
    )
    assert result.exit_code == 0, result.output
    staff = authenticate_staff(db, "lena@example.de", PASSWORD)
    assert staff is not None and (staff.role, staff.location_id) == ("warehouse", location_id)
    refused = cli.invoke(
        app,
        [
            "user",
            "create",
            "--email",
            "x@example.de",
            "--name",
            "X",
            "--password",
            PASSWORD,
            "--role",
            "warehouse",
        ],
    )
    assert refused.exit_code == 1
    assert "Error: The role warehouse needs a location." in refused.output


def test_user_list_set_password_and_deactivate(cli: CliRunner, db: Database) -> None:
    for email in ("ada@example.de", "tom@example.de"):
        created = cli.invoke(
            app, ["user", "create", "--email", email, "--name", "N", "--password", PASSWORD]
        )
        assert created.exit_code == 0, created.output
    listed = cli.invoke(app, ["user", "list"])
    assert "tom@example.de\tN\tadmin\t-\tactive" in listed.output
    reset = cli.invoke(
        app,
        ["user", "set-password", "TOM@example.de"],
        input="neues-passwort-1\nneues-passwort-1\n",
    )
    assert reset.exit_code == 0, reset.output
    assert authenticate_staff(db, "tom@example.de", "neues-passwort-1") is not None
    deactivated = cli.invoke(app, ["user", "deactivate", "tom@example.de"])
    assert deactivated.exit_code == 0, deactivated.output
    [tom] = [a for a in list_staff_accounts(db) if a.email == "tom@example.de"]
    assert get_staff_user(db, tom.id) is None
    last_admin = cli.invoke(app, ["user", "deactivate", "ada@example.de"])
    assert last_admin.exit_code == 1
    assert "at least one active admin" in last_admin.output
    unknown = cli.invoke(app, ["user", "deactivate", "nobody@example.de"])
    assert "Error: There is no staff user with e-mail nobody@example.de." in unknown.output
