"""Staff accounts with roles: invitations by one-time link, resets, role changes and
deactivation, on a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.errors import ConflictError, NotFoundError, ValidationError
from ordnung.core.tables import staff_user_table
from ordnung.staff.model import ADMIN, OPERATIONS, WAREHOUSE, NewStaffUser
from ordnung.staff.passwords import (
    end_sessions,
    find_password_link,
    issue_password_link,
    set_password_with_link,
    set_staff_password,
)
from ordnung.staff.queries import get_staff_account, list_staff_accounts, staff_id_for_email
from ordnung.staff.service import (
    StaffChanges,
    add_staff_user,
    authenticate_staff,
    create_staff_user,
    deactivate_staff_user,
    get_staff_user,
    reactivate_staff_user,
    update_staff_user,
)
from tests.factories import add_location

PASSWORD = "ein-sicheres-passwort"
OTHER_PASSWORD = "ein-anderes-passwort"


@pytest.fixture
def admin_id(db: Database) -> int:
    return create_staff_user(db, "admin@example.de", "Ada Admin", PASSWORD)


def _version(db: Database, staff_id: int) -> int:
    user = get_staff_user(db, staff_id)
    assert user is not None
    return user.session_version


def test_a_warehouse_worker_is_bound_to_the_location_named_by_its_code(db: Database) -> None:
    location_id = add_location(db, "lager-nord", 1)
    new = NewStaffUser("lena@example.de", "Lena", "de", WAREHOUSE, "lager-nord", PASSWORD)
    staff_id = add_staff_user(db, new).id
    user = get_staff_user(db, staff_id)
    assert user is not None
    assert (user.role, user.location_id, user.is_location_bound) == (WAREHOUSE, location_id, True)
    assert user.permissions == {"fulfillment:read", "fulfillment:write"}
    [account] = [a for a in list_staff_accounts(db) if a.id == staff_id]
    assert (account.location_code, account.location_name) == ("lager-nord", "Lager lager-nord")


def test_an_unknown_location_makes_no_account(db: Database) -> None:
    new = NewStaffUser("lena@example.de", "Lena", "de", WAREHOUSE, "nirgendwo", PASSWORD)
    with pytest.raises(ValidationError, match="Unknown location"):
        add_staff_user(db, new)
    assert list_staff_accounts(db) == []


def test_an_invitation_has_no_password_until_its_link_is_used_once(db: Database) -> None:
    created = add_staff_user(db, NewStaffUser("tom@example.de", "Tom", role=OPERATIONS))
    assert created.password_link is not None
    account = get_staff_account(db, created.id)
    assert (account.has_password, account.has_open_link) == (False, True)
    # No password works before the link is used, not even an empty one.
    assert authenticate_staff(db, "tom@example.de", "") is None
    with db.engine.connect() as connection:
        stored = connection.execute(select(staff_user_table.c.password_token_hash)).scalar()
    assert stored is not None and created.password_link not in stored

    found = find_password_link(db, created.password_link)
    assert found is not None and found.email == "tom@example.de"
    assert set_password_with_link(db, created.password_link, PASSWORD) == created.id
    assert authenticate_staff(db, "tom@example.de", PASSWORD) is not None
    assert find_password_link(db, created.password_link) is None
    with pytest.raises(NotFoundError):
        set_password_with_link(db, created.password_link, OTHER_PASSWORD)
    assert authenticate_staff(db, "tom@example.de", PASSWORD) is not None


def test_a_link_expires_after_three_days(db: Database) -> None:
    start = clock.now()
    token = add_staff_user(db, NewStaffUser("tom@example.de", "Tom")).password_link
    assert token is not None
    previous = clock.use_clock(clock.FixedClock(start + timedelta(days=3, seconds=1)))
    try:
        assert find_password_link(db, token) is None
        with pytest.raises(NotFoundError):
            set_password_with_link(db, token, PASSWORD)
    finally:
        clock.use_clock(previous)


def test_a_short_password_through_a_link_leaves_the_link_usable(db: Database) -> None:
    token = add_staff_user(db, NewStaffUser("tom@example.de", "Tom")).password_link
    assert token is not None
    with pytest.raises(ValidationError):
        set_password_with_link(db, token, "kurz")
    assert find_password_link(db, token) is not None


def test_a_reset_by_link_stops_the_old_password_and_ends_sessions(
    db: Database, admin_id: int
) -> None:
    before = _version(db, admin_id)
    token = issue_password_link(db, admin_id)
    assert authenticate_staff(db, "admin@example.de", PASSWORD) is None
    assert _version(db, admin_id) > before
    set_password_with_link(db, token, OTHER_PASSWORD)
    assert authenticate_staff(db, "admin@example.de", OTHER_PASSWORD) is not None


def test_a_new_password_ends_every_session_and_uses_up_an_open_link(db: Database) -> None:
    created = add_staff_user(db, NewStaffUser("tom@example.de", "Tom"))
    assert created.password_link is not None
    before = _version(db, created.id)
    assert set_staff_password(db, created.id, PASSWORD) == before + 1
    assert find_password_link(db, created.password_link) is None
    assert end_sessions(db, created.id) == before + 2


def test_nobody_deactivates_themselves_or_the_last_admin(db: Database, admin_id: int) -> None:
    with pytest.raises(ConflictError, match="your own"):
        deactivate_staff_user(db, admin_id, acting_staff_id=admin_id)
    with pytest.raises(ConflictError, match="at least one active admin"):
        deactivate_staff_user(db, admin_id, acting_staff_id=0)
    with pytest.raises(ConflictError, match="at least one active admin"):
        update_staff_user(db, admin_id, StaffChanges("Ada", "de", OPERATIONS))
    assert get_staff_user(db, admin_id) is not None


def test_with_a_second_admin_one_may_be_demoted_and_deactivated(
    db: Database, admin_id: int
) -> None:
    second = create_staff_user(db, "bert@example.de", "Bert", PASSWORD, role=ADMIN)
    update_staff_user(db, admin_id, StaffChanges("Ada A.", "en", OPERATIONS))
    user = get_staff_user(db, admin_id)
    assert user is not None and (user.name, user.language, user.role) == (
        "Ada A.",
        "en",
        OPERATIONS,
    )
    with pytest.raises(ConflictError):
        deactivate_staff_user(db, second, acting_staff_id=admin_id)


def test_a_deactivated_account_ends_its_sessions_and_can_come_back(
    db: Database, admin_id: int
) -> None:
    worker = create_staff_user(db, "tom@example.de", "Tom", PASSWORD, role=OPERATIONS)
    with db.engine.connect() as connection:
        before = connection.execute(
            select(staff_user_table.c.session_version).where(staff_user_table.c.id == worker)
        ).scalar_one()
    deactivate_staff_user(db, worker, acting_staff_id=admin_id)
    assert get_staff_user(db, worker) is None
    assert authenticate_staff(db, "tom@example.de", PASSWORD) is None
    account = get_staff_account(db, worker)
    assert not account.is_active
    reactivate_staff_user(db, worker)
    assert _version(db, worker) == before + 1
    assert authenticate_staff(db, "tom@example.de", PASSWORD) is not None


def test_a_role_change_to_warehouse_needs_a_location(db: Database, admin_id: int) -> None:
    worker = create_staff_user(db, "tom@example.de", "Tom", PASSWORD, role=OPERATIONS)
    with pytest.raises(ValidationError, match="needs a location"):
        update_staff_user(db, worker, StaffChanges("Tom", "de", WAREHOUSE))
    add_location(db, "koeln", 1)
    update_staff_user(db, worker, StaffChanges("Tom", "de", WAREHOUSE, "koeln"))
    user = get_staff_user(db, worker)
    assert user is not None and user.is_location_bound


def test_accounts_are_found_by_email_whatever_its_case(db: Database, admin_id: int) -> None:
    assert staff_id_for_email(db, "ADMIN@example.de") == admin_id
    with pytest.raises(NotFoundError):
        staff_id_for_email(db, "nobody@example.de")
