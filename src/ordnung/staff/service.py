"""Staff accounts and API keys: one function per action, one transaction each.

Passwords are hashed with argon2 and API keys with SHA-256 (see `ordnung.core.auth` for why the
two differ); neither the password nor the key token is ever stored or returned again.
Passwords and one-time links are changed in `passwords.py`; signing in, throttled, in
`sign_in.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ordnung.core import clock
from ordnung.core.auth import hash_api_key, new_api_key, unknown_scopes
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, NotFoundError, ValidationError
from ordnung.core.tables import api_key_table, staff_user_table
from ordnung.inventory.locations import location_id_for_code, location_names
from ordnung.staff.hashing import UNUSABLE_PASSWORD, new_password_hash, password_matches
from ordnung.staff.model import (
    ADMIN,
    NewStaffUser,
    PasswordLink,
    check_language,
    check_name,
    check_password,
    check_role,
    new_password_link,
)

# Pages have always imported the signed-in user's type from here.
from ordnung.staff.model import StaffUser as StaffUser
from ordnung.staff.queries import (
    count_accounts,
    existing_staff_row,
    normalise_email,
    staff_row,
    staff_row_by_email,
    staff_user_from_row,
)

staff = staff_user_table.c
ALREADY_SET_UP = "Ordnung is set up already: sign in instead."
# Taken by a first start on PostgreSQL: it conflicts with itself and with every insert into
# the table, so two first starts (or a first start and `ordnung user create`) queue.
FIRST_ADMIN_LOCK = text("LOCK TABLE staff_user IN SHARE ROW EXCLUSIVE MODE")
# Shown in lists so a person can tell keys apart; long enough to be useful, far too short to use.
_KEY_PREFIX_LENGTH = 8


@dataclass(frozen=True, slots=True)
class CreatedStaffUser:
    id: int
    # The one-time link's token when the account was created without a password: shown once.
    password_link: str | None


@dataclass(frozen=True, slots=True)
class StaffChanges:
    name: str
    language: str
    role: str
    location_code: str | None = None


@dataclass(frozen=True, slots=True)
class PreparedAccount:
    """A new account checked and hashed outside any transaction: argon2 is slow on purpose
    and must not hold the write lock."""

    email: str
    name: str
    language: str
    role: str
    location_code: str | None
    password_hash: str
    link: PasswordLink | None


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None
    location_code: str | None = None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


def prepare_account(new: NewStaffUser) -> PreparedAccount:
    """Checks every field and hashes the password (or makes a one-time link without one)."""
    email = normalise_email(new.email)
    name = check_name(new.name)
    language = check_language(new.language)
    check_role(new.role, new.location_code)
    if new.password is None:
        return PreparedAccount(
            email,
            name,
            language,
            new.role,
            new.location_code,
            UNUSABLE_PASSWORD,
            new_password_link(clock.now()),
        )
    password_hash = new_password_hash(check_password(new.password))
    return PreparedAccount(email, name, language, new.role, new.location_code, password_hash, None)


def add_staff_user(db: Database, new: NewStaffUser) -> CreatedStaffUser:
    """Creates an active account: with a password, or — without one — with a one-time link to
    set it, whose token is in the answer and never again."""
    prepared = prepare_account(new)
    try:
        staff_id = db.write(lambda uow: insert_account(uow, prepared))
    except IntegrityError as error:  # a concurrent sign-up with the same e-mail won the race
        raise _email_taken(prepared.email) from error
    return CreatedStaffUser(staff_id, prepared.link.token if prepared.link else None)


def create_staff_user(
    db: Database, email: str, name: str, password: str, language: str = "de", role: str = ADMIN
) -> int:
    """Creates an active account with a password (the command line, the demo, tests)."""
    return add_staff_user(db, NewStaffUser(email, name, language, role, password=password)).id


def insert_account(uow: UnitOfWork, prepared: PreparedAccount) -> int:
    """Stores a prepared account inside the caller's transaction."""
    connection = uow.connection
    if staff_row_by_email(connection, prepared.email) is not None:
        raise _email_taken(prepared.email)
    link = prepared.link
    result = connection.execute(
        insert(staff_user_table)
        .values(
            email=prepared.email,
            name=prepared.name,
            password_hash=prepared.password_hash,
            language=prepared.language,
            role=prepared.role,
            location_id=_location_id(connection, prepared.location_code),
            is_active=True,
            created_at=clock.now(),
            password_token_hash=link.token_hash if link else None,
            password_token_expires_at=link.expires_at if link else None,
        )
        .returning(staff.id)
    )
    return int(result.scalar_one())


def add_first_admin(uow: UnitOfWork, prepared: PreparedAccount) -> int:
    """The first account of a new installation, only while there is none.

    Two first starts at once must not make two admins. SQLite's write transaction already
    runs alone (`BEGIN IMMEDIATE`); on PostgreSQL the table lock makes the second wait for
    the first to commit, after which it sees the account and stops."""
    if prepared.role != ADMIN:
        raise ValidationError("The first account is an admin.", field="role")
    connection = uow.connection
    if connection.dialect.name == "postgresql":
        connection.execute(FIRST_ADMIN_LOCK)
    if count_accounts(connection):
        raise ConflictError(ALREADY_SET_UP)
    return insert_account(uow, prepared)


def get_staff_user(db: Database, staff_id: int) -> StaffUser | None:
    """The staff user with this id if the account is still active (checked on every page)."""
    row = db.read(lambda connection: staff_row(connection, staff_id))
    if row is None or not row.is_active:
        return None
    return staff_user_from_row(row)


def authenticate_staff(db: Database, email: str, password: str) -> StaffUser | None:
    """The active staff user with this e-mail and password, else None (never says which
    failed). Not throttled: the back office signs in through `sign_in.sign_in_with_password`."""
    try:
        address = normalise_email(email)
    except ValidationError:
        address = ""
    row = db.read(lambda connection: staff_row_by_email(connection, address)) if address else None
    if not password_matches(None if row is None else row.password_hash, password):
        return None
    assert row is not None
    return staff_user_from_row(row) if row.is_active else None


def update_staff_user(db: Database, staff_id: int, changes: StaffChanges) -> None:
    """Name, language, role and location. Permissions follow at the next request, since every
    page reads the account again; a role change never leaves Ordnung without an admin."""
    name = check_name(changes.name)
    language = check_language(changes.language)
    check_role(changes.role, changes.location_code)

    def work(uow: UnitOfWork) -> None:
        connection = uow.connection
        row = existing_staff_row(connection, staff_id)
        if row.role == ADMIN and changes.role != ADMIN:
            ensure_an_admin_remains(connection, staff_id)
        location_id = _location_id(connection, changes.location_code)
        connection.execute(
            update(staff_user_table)
            .where(staff.id == staff_id)
            .values(name=name, language=language, role=changes.role, location_id=location_id)
        )

    db.write(work)


def set_language(db: Database, staff_id: int, language: str) -> None:
    """The language a person chose for themselves."""
    checked = check_language(language)

    def work(uow: UnitOfWork) -> None:
        existing_staff_row(uow.connection, staff_id)
        uow.connection.execute(
            update(staff_user_table).where(staff.id == staff_id).values(language=checked)
        )

    db.write(work)


def deactivate_staff_user(db: Database, staff_id: int, *, acting_staff_id: int) -> None:
    """The account can no longer sign in, and its open sessions end at their next request.
    Nobody deactivates themselves, and the last active admin stays."""
    if staff_id == acting_staff_id:
        raise ConflictError("You cannot deactivate your own account.")

    def work(uow: UnitOfWork) -> None:
        connection = uow.connection
        row = existing_staff_row(connection, staff_id)
        if row.role == ADMIN and row.is_active:
            ensure_an_admin_remains(connection, staff_id)
        connection.execute(
            update(staff_user_table)
            .where(staff.id == staff_id)
            .values(
                is_active=False,
                session_version=staff.session_version + 1,
                password_token_hash=None,
                password_token_expires_at=None,
            )
        )

    db.write(work)


def reactivate_staff_user(db: Database, staff_id: int) -> None:
    def work(uow: UnitOfWork) -> None:
        existing_staff_row(uow.connection, staff_id)
        uow.connection.execute(
            update(staff_user_table).where(staff.id == staff_id).values(is_active=True)
        )

    db.write(work)


def ensure_an_admin_remains(connection: Connection, leaving_staff_id: int) -> None:
    """Refuses a change that would leave no active admin.

    The active admins are locked first, so two admins demoting each other at the same moment
    cannot both succeed: the second waits, then sees only the one left (on SQLite the write
    transaction runs alone anyway)."""
    admins = connection.execute(
        select(staff.id)
        .where(staff.role == ADMIN, staff.is_active.is_(True))
        .order_by(staff.id)
        .with_for_update()
    ).scalars()
    if not any(admin_id != leaving_staff_id for admin_id in admins):
        raise ConflictError("Ordnung needs at least one active admin; make another admin first.")


def _email_taken(address: str) -> ConflictError:
    return ConflictError(f"A staff user with e-mail {address} exists already.")


def _location_id(connection: Connection, code: str | None) -> int | None:
    if not code:
        return None
    try:
        return location_id_for_code(connection, code)
    except NotFoundError:
        raise ValidationError(f"Unknown location {code!r}.", field="location") from None


# --- API keys ---------------------------------------------------------------------------------

# What a location's own key (a 3PL, a store) may do: read and work its fulfilment orders.
LOCATION_SCOPES = frozenset({"fulfillment:read", "fulfillment:write"})


def create_api_key(
    db: Database, name: str, scopes: list[str], location_code: str | None = None
) -> tuple[int, str]:
    """Creates a key and returns (id, token); the token is shown this once and never again.

    With `location_code` the key belongs to that location (a 3PL, a store): it sees and works
    only that location's fulfilment orders."""
    if not name.strip():
        raise ValidationError("The key needs a name.", field="name")
    if not scopes:
        raise ValidationError("The key needs at least one scope.", field="scopes")
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
        result = uow.connection.execute(
            insert(api_key_table)
            .values(
                location_id=_location_id(uow.connection, location_code),
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

    def read(connection: Connection) -> list[ApiKeyInfo]:
        rows = connection.execute(
            select(
                columns.id,
                columns.name,
                columns.prefix,
                columns.scopes,
                columns.location_id,
                columns.created_at,
                columns.revoked_at,
            ).order_by(columns.id.desc())
        ).all()
        locations = location_names(connection, {row.location_id for row in rows if row.location_id})
        return [
            ApiKeyInfo(
                id=int(row.id),
                name=str(row.name),
                prefix=str(row.prefix),
                scopes=list(row.scopes),
                created_at=row.created_at,
                revoked_at=row.revoked_at,
                location_code=locations[row.location_id]["code"] if row.location_id else None,
            )
            for row in rows
        ]

    return db.read(read)


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
