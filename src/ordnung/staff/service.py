"""Staff users and API keys: one function per action, one transaction each.

Passwords are hashed with argon2 and API keys with SHA-256 (see `ordnung.core.auth` for why the
two differ); neither the password nor the key token is ever stored or returned again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from ordnung.core import clock
from ordnung.core.auth import hash_api_key, hash_password, new_api_key, unknown_scopes
from ordnung.core.auth import verify_password as verify_password_hash
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, NotFoundError, ValidationError
from ordnung.core.tables import api_key_table, staff_user_table
from ordnung.inventory.tables import location_table

MIN_PASSWORD_LENGTH = 10
LANGUAGES = ("de", "en")
# Shown in lists so a person can tell keys apart; long enough to be useful, far too short to use.
_KEY_PREFIX_LENGTH = 8

# Verified against when the e-mail is unknown, so a wrong e-mail costs as much time as a wrong
# password and response times do not tell which accounts exist.
_DUMMY_PASSWORD_HASH = hash_password("ordnung-timing-equaliser")


@dataclass(frozen=True, slots=True)
class StaffUser:
    id: int
    email: str
    name: str
    language: str
    is_active: bool


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


def normalise_email(email: str) -> str:
    """Lower-cased and syntax-checked; staff sign in by e-mail, so it must compare exactly."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationError(f"Invalid e-mail address: {error}") from error
    return checked.normalized.lower()


def create_staff_user(
    db: Database, email: str, name: str, password: str, language: str = "de"
) -> int:
    """Creates an active staff account; the e-mail must not be taken yet."""
    address = normalise_email(email)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if language not in LANGUAGES:
        raise ValidationError(f"Unknown language {language!r}; use one of {', '.join(LANGUAGES)}.")
    if not name.strip():
        raise ValidationError("The name must not be empty.")
    # Hash outside the transaction: argon2 is slow on purpose and must not hold the write lock.
    password_hash = hash_password(password)

    def work(uow: UnitOfWork) -> int:
        if _staff_row_by_email(uow.connection, address) is not None:
            raise ConflictError(f"A staff user with e-mail {address} exists already.")
        result = uow.connection.execute(
            insert(staff_user_table)
            .values(
                email=address,
                name=name.strip(),
                password_hash=password_hash,
                language=language,
                is_active=True,
                created_at=clock.now(),
            )
            .returning(staff_user_table.c.id)
        )
        return int(result.scalar_one())

    try:
        return db.write(work)
    except IntegrityError as error:  # a concurrent sign-up with the same e-mail won the race
        raise ConflictError(f"A staff user with e-mail {address} exists already.") from error


def authenticate_staff(db: Database, email: str, password: str) -> StaffUser | None:
    """The active staff user with this e-mail and password, else None (never says which failed)."""
    try:
        address = normalise_email(email)
    except ValidationError:
        address = ""
    row = db.read(lambda connection: _staff_row_by_email(connection, address)) if address else None
    if row is None:
        verify_password_hash(_DUMMY_PASSWORD_HASH, password)
        return None
    if not verify_password_hash(row.password_hash, password) or not row.is_active:
        return None
    return _staff_user(row)


def get_staff_user(db: Database, staff_id: int) -> StaffUser | None:
    """The staff user with this id if the account is still active (checked on every page)."""
    row = db.read(
        lambda connection: connection.execute(
            select(staff_user_table).where(staff_user_table.c.id == staff_id)
        ).first()
    )
    if row is None or not row.is_active:
        return None
    return _staff_user(row)


def _staff_row_by_email(connection: Connection, address: str) -> Row[Any] | None:
    return connection.execute(
        select(staff_user_table).where(staff_user_table.c.email == address)
    ).first()


def _staff_user(row: Row[Any]) -> StaffUser:
    return StaffUser(
        id=int(row.id),
        email=str(row.email),
        name=str(row.name),
        language=str(row.language),
        is_active=bool(row.is_active),
    )


# What a location's own key (a 3PL, a store) may do: read and work its fulfilment orders.
LOCATION_SCOPES = frozenset({"fulfillment:read", "fulfillment:write"})


def create_api_key(
    db: Database, name: str, scopes: list[str], location_code: str | None = None
) -> tuple[int, str]:
    """Creates a key and returns (id, token); the token is shown this once and never again.

    With `location_code` the key belongs to that location (a 3PL, a store): it sees and works
    only that location's fulfilment orders."""
    if not name.strip():
        raise ValidationError("The key needs a name.")
    if not scopes:
        raise ValidationError("The key needs at least one scope.")
    unknown = unknown_scopes(scopes)
    if unknown:
        raise ValidationError(f"Unknown scopes: {', '.join(unknown)}.", unknown_scopes=unknown)
    if location_code is not None and not set(scopes) <= LOCATION_SCOPES:
        raise ValidationError(
            "A key bound to a location may only carry "
            + " and ".join(sorted(LOCATION_SCOPES))
            + ": it works that location's fulfilment orders and sees nothing else.",
            field="scopes",
        )
    token = new_api_key()

    def work(uow: UnitOfWork) -> int:
        location_id = None
        if location_code is not None:
            location_id = uow.connection.execute(
                select(location_table.c.id).where(location_table.c.code == location_code)
            ).scalar()
            if location_id is None:
                raise ValidationError(f"Unknown location {location_code!r}.", field="location")
        result = uow.connection.execute(
            insert(api_key_table)
            .values(
                location_id=location_id,
                name=name.strip(),
                prefix=token[:_KEY_PREFIX_LENGTH],
                key_hash=hash_api_key(token),
                scopes=sorted(set(scopes)),
                created_at=clock.now(),
            )
            .returning(api_key_table.c.id)
        )
        return int(result.scalar_one())

    return db.write(work), token


def list_api_keys(db: Database) -> list[ApiKeyInfo]:
    """All keys, newest first, revoked ones included (they explain old log lines)."""
    columns = api_key_table.c
    rows = db.read(
        lambda connection: connection.execute(
            select(
                columns.id,
                columns.name,
                columns.prefix,
                columns.scopes,
                columns.created_at,
                columns.revoked_at,
            ).order_by(columns.id.desc())
        ).all()
    )
    return [
        ApiKeyInfo(
            id=int(row.id),
            name=str(row.name),
            prefix=str(row.prefix),
            scopes=list(row.scopes),
            created_at=row.created_at,
            revoked_at=row.revoked_at,
        )
        for row in rows
    ]


def revoke_api_key(db: Database, key_id: int) -> None:
    """Revokes a key; revoking twice keeps the first revocation time.

    The API caches key look-ups for a few seconds (`ordnung.core.http`), so a revoked key stops
    working within that time rather than instantly.
    """

    def work(uow: UnitOfWork) -> None:
        exists = uow.connection.execute(
            select(api_key_table.c.id).where(api_key_table.c.id == key_id)
        ).first()
        if exists is None:
            raise NotFoundError(f"API key {key_id} does not exist.")
        uow.connection.execute(
            update(api_key_table)
            .where(api_key_table.c.id == key_id, api_key_table.c.revoked_at.is_(None))
            .values(revoked_at=clock.now())
        )

    db.write(work)
