"""Staff accounts and API keys, on a real database."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from ordnung.core.auth import hash_api_key
from ordnung.core.db import Database
from ordnung.core.errors import ConflictError, NotFoundError, ValidationError
from ordnung.core.http import forget_cached_keys
from ordnung.core.tables import api_key_table, staff_user_table
from ordnung.staff.service import (
    authenticate_staff,
    create_api_key,
    create_staff_user,
    get_staff_user,
    list_api_keys,
    revoke_api_key,
)

PASSWORD = "ein-sicheres-passwort"


def test_a_staff_user_signs_in_with_email_and_password(db: Database) -> None:
    staff_id = create_staff_user(db, "Anna@Example.de", "Anna Agent", PASSWORD, language="en")
    staff = authenticate_staff(db, "anna@example.de", PASSWORD)
    assert staff is not None
    assert (staff.id, staff.email, staff.name, staff.language) == (
        staff_id,
        "anna@example.de",
        "Anna Agent",
        "en",
    )


def test_the_password_is_stored_as_an_argon2_hash_only(db: Database) -> None:
    create_staff_user(db, "anna@example.de", "Anna", PASSWORD)
    with db.engine.connect() as connection:
        stored = connection.execute(select(staff_user_table.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2")
    assert PASSWORD not in stored


def test_a_wrong_password_or_unknown_email_does_not_authenticate(db: Database) -> None:
    create_staff_user(db, "anna@example.de", "Anna", PASSWORD)
    assert authenticate_staff(db, "anna@example.de", "falsches-passwort") is None
    assert authenticate_staff(db, "bob@example.de", PASSWORD) is None
    assert authenticate_staff(db, "not an e-mail", PASSWORD) is None


def test_a_deactivated_account_can_no_longer_sign_in(db: Database) -> None:
    staff_id = create_staff_user(db, "anna@example.de", "Anna", PASSWORD)
    with db.engine.begin() as connection:
        connection.execute(update(staff_user_table).values(is_active=False))
    assert authenticate_staff(db, "anna@example.de", PASSWORD) is None
    assert get_staff_user(db, staff_id) is None


def test_an_email_can_belong_to_one_staff_user_only(db: Database) -> None:
    create_staff_user(db, "anna@example.de", "Anna", PASSWORD)
    with pytest.raises(ConflictError):
        create_staff_user(db, "ANNA@example.de", "Anna Zwei", PASSWORD)


@pytest.mark.parametrize(
    ("email", "password", "language"),
    [
        ("anna@example.de", "kurz", "de"),
        ("anna@example.de", "123456789", "de"),
        ("keine-adresse", PASSWORD, "de"),
        ("anna@example.de", PASSWORD, "fr"),
    ],
)
def test_short_passwords_bad_emails_and_unknown_languages_are_refused(
    db: Database, email: str, password: str, language: str
) -> None:
    with pytest.raises(ValidationError):
        create_staff_user(db, email, "Anna", password, language=language)


def test_an_api_key_token_is_returned_once_and_stored_as_a_hash(db: Database) -> None:
    key_id, token = create_api_key(db, "shop-sync", ["orders:write", "orders:read"])
    with db.engine.connect() as connection:
        row = connection.execute(select(api_key_table)).one()
    assert row.id == key_id
    assert row.key_hash == hash_api_key(token)
    assert token not in (row.key_hash, row.prefix)
    assert token.startswith(row.prefix)
    [listed] = list_api_keys(db)
    assert listed.name == "shop-sync"
    assert listed.scopes == ["orders:read", "orders:write"]
    assert not listed.is_revoked


def test_unknown_scopes_or_no_scope_make_no_key(db: Database) -> None:
    with pytest.raises(ValidationError, match="orders:delete"):
        create_api_key(db, "bad", ["orders:read", "orders:delete"])
    with pytest.raises(ValidationError):
        create_api_key(db, "empty", [])
    assert list_api_keys(db) == []


def test_a_revoked_key_stays_listed_with_its_first_revocation_time(db: Database) -> None:
    key_id, _token = create_api_key(db, "old", ["admin"])
    revoke_api_key(db, key_id)
    first = list_api_keys(db)[0].revoked_at
    revoke_api_key(db, key_id)
    assert first is not None
    assert list_api_keys(db)[0].revoked_at == first
    with pytest.raises(NotFoundError):
        revoke_api_key(db, key_id + 100)


def test_a_revoked_key_no_longer_opens_the_api(db: Database, app_client: TestClient) -> None:
    key_id, token = create_api_key(db, "old", ["orders:read"])
    headers = {"Authorization": f"Bearer {token}"}
    assert app_client.get("/api/v1/orders", headers=headers).status_code == 200
    revoke_api_key(db, key_id)
    forget_cached_keys()  # the API caches key look-ups for a few seconds
    assert app_client.get("/api/v1/orders", headers=headers).status_code == 401
