"""The first start of an empty installation: admin, sales channel and location in one
transaction, once."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection

from ordnung.channels.model import ChannelDraft
from ordnung.channels.service import list_channels
from ordnung.core.db import Database
from ordnung.core.errors import ConflictError, ValidationError
from ordnung.inventory.locations import list_locations
from ordnung.inventory.model import Address, LocationDraft
from ordnung.orchestration.first_start import FirstStart, set_up_installation
from ordnung.staff import service as staff_service
from ordnung.staff.model import ADMIN, NewStaffUser
from ordnung.staff.queries import has_staff_users, list_staff_accounts
from ordnung.staff.service import ALREADY_SET_UP, authenticate_staff, create_staff_user

PASSWORD = "ein-sicheres-passwort"
MEETING_SECONDS = 1.5


def first_start(
    email: str = "ada@example.de", channel: str = "onlineshop", location: str = "lager-nord"
) -> FirstStart:
    return FirstStart(
        admin=NewStaffUser(email, "Ada Admin", "en", password=PASSWORD),
        channel=ChannelDraft(channel, "Online-Shop", "webshop"),
        location=LocationDraft(
            location, "Lager Nord", "warehouse", Address("Hafenstr. 1", "20457", "Hamburg", "de")
        ),
    )


def test_the_first_start_creates_an_admin_a_channel_and_a_location(db: Database) -> None:
    assert not has_staff_users(db)
    installation = set_up_installation(db, first_start())
    admin = authenticate_staff(db, "ada@example.de", PASSWORD)
    assert admin is not None and admin.id == installation.admin_id
    assert (admin.role, admin.language, admin.location_id) == (ADMIN, "en", None)
    assert [channel["code"] for channel in list_channels(db)] == ["onlineshop"]
    [location] = list_locations(db)
    assert (location["code"], location["address"]["country"]) == ("lager-nord", "DE")
    assert has_staff_users(db)


def test_it_runs_only_while_no_account_exists(db: Database) -> None:
    create_staff_user(db, "ops@example.de", "Ops", PASSWORD, role="operations")
    with pytest.raises(ConflictError, match="set up already"):
        set_up_installation(db, first_start())
    assert list_channels(db) == []


def test_a_bad_field_writes_nothing_at_all(db: Database) -> None:
    broken = replace(first_start(), location=replace(first_start().location, type="castle"))
    with pytest.raises(ValidationError):
        set_up_installation(db, broken)
    without_password = replace(first_start(), admin=NewStaffUser("ada@example.de", "Ada"))
    with pytest.raises(ValidationError, match="password"):
        set_up_installation(db, without_password)
    assert (list_staff_accounts(db), list_channels(db), list_locations(db)) == ([], [], [])


def test_a_taken_channel_code_undoes_the_admin_too(db: Database) -> None:
    from tests.factories import add_channel

    add_channel(db, "onlineshop")
    with pytest.raises(ConflictError, match="onlineshop"):
        set_up_installation(db, first_start())
    assert not has_staff_users(db)
    assert list_locations(db) == []


def _first_starts_meeting_after_the_count(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> list[BaseException]:
    """Two first starts at once, each waiting after it counted the accounts until the other
    has counted too — the moment two admins would be made without a guard."""
    meeting = threading.Barrier(2)
    counted = staff_service.count_accounts

    def count_then_meet(connection: Connection) -> int:
        result = counted(connection)
        # Broken: the other first start queues behind this one, so go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(MEETING_SECONDS)
        return result

    monkeypatch.setattr(staff_service, "count_accounts", count_then_meet)
    # Both are past the quick check before the transaction, as two browsers would be.
    monkeypatch.setattr("ordnung.orchestration.first_start.has_staff_users", lambda _db: False)
    errors: list[BaseException] = []

    def run(action: Callable[[], object]) -> None:
        try:
            action()
        except BaseException as error:
            errors.append(error)

    setups = (
        first_start("ada@example.de", "shop-a", "lager-a"),
        first_start("bob@example.de", "shop-b", "lager-b"),
    )
    threads = [
        threading.Thread(target=run, args=(lambda s=setup: set_up_installation(db, s),))
        for setup in setups
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_two_first_starts_at_once_make_one_admin(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors = _first_starts_meeting_after_the_count(db, monkeypatch)
    assert [str(error) for error in errors] == [ALREADY_SET_UP]
    assert len(list_staff_accounts(db)) == 1


@pytest.mark.postgres_only
def test_without_the_table_lock_two_first_starts_make_two_admins(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: the race the lock prevents happens on PostgreSQL without it."""
    if db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time; the lock is a PostgreSQL matter")
    monkeypatch.setattr(staff_service, "FIRST_ADMIN_LOCK", text("SELECT 1"))
    errors = _first_starts_meeting_after_the_count(db, monkeypatch)
    assert errors == []
    assert len(list_staff_accounts(db)) == 2
