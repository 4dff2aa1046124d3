"""Read side of staff: accounts as pages and commands show them, and the rows the use cases
build on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Row

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError, ValidationError
from ordnung.core.tables import staff_user_table
from ordnung.inventory.locations import location_names
from ordnung.staff.hashing import UNUSABLE_PASSWORD
from ordnung.staff.model import StaffUser

staff = staff_user_table.c


def normalise_email(email: str) -> str:
    """Lower-cased and syntax-checked; staff sign in by e-mail, so it must compare exactly."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationError(f"Invalid e-mail address: {error}", field="email") from error
    return checked.normalized.lower()


@dataclass(frozen=True, slots=True)
class StaffAccount:
    """An account as the user administration shows it."""

    id: int
    email: str
    name: str
    language: str
    role: str
    location_code: str | None
    location_name: str | None
    is_active: bool
    has_password: bool
    has_open_link: bool
    created_at: datetime


def has_staff_users(db: Database) -> bool:
    """False on an empty installation: then the back office offers its first-start setup."""
    return db.read(count_accounts) > 0


def staff_id_for_email(db: Database, email: str) -> int:
    address = normalise_email(email)
    row = db.read(lambda connection: staff_row_by_email(connection, address))
    if row is None:
        raise NotFoundError(f"There is no staff user with e-mail {address}.")
    return int(row.id)


def list_staff_accounts(db: Database) -> list[StaffAccount]:
    """Every account, active ones first, then by name."""

    def read(connection: Connection) -> list[StaffAccount]:
        rows = connection.execute(
            select(staff_user_table).order_by(staff.is_active.desc(), staff.name, staff.id)
        ).all()
        return _accounts(connection, rows)

    return db.read(read)


def get_staff_account(db: Database, staff_id: int) -> StaffAccount:
    def read(connection: Connection) -> StaffAccount:
        row = staff_row(connection, staff_id)
        if row is None:
            raise NotFoundError(f"Staff user {staff_id} does not exist.")
        return _accounts(connection, [row])[0]

    return db.read(read)


def staff_row(connection: Connection, staff_id: int) -> Row[Any] | None:
    return connection.execute(select(staff_user_table).where(staff.id == staff_id)).first()


def existing_staff_row(connection: Connection, staff_id: int) -> Row[Any]:
    row = staff_row(connection, staff_id)
    if row is None:
        raise NotFoundError(f"Staff user {staff_id} does not exist.")
    return row


def staff_user_from_row(row: Row[Any]) -> StaffUser:
    return StaffUser(
        id=int(row.id),
        email=str(row.email),
        name=str(row.name),
        language=str(row.language),
        is_active=bool(row.is_active),
        role=str(row.role),
        location_id=None if row.location_id is None else int(row.location_id),
        session_version=int(row.session_version),
    )


def staff_row_by_email(connection: Connection, address: str) -> Row[Any] | None:
    return connection.execute(select(staff_user_table).where(staff.email == address)).first()


def count_accounts(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(staff_user_table)).scalar_one())


def _accounts(connection: Connection, rows: Sequence[Row[Any]]) -> list[StaffAccount]:
    locations = location_names(connection, {row.location_id for row in rows if row.location_id})
    now = clock.now()
    return [
        StaffAccount(
            id=int(row.id),
            email=str(row.email),
            name=str(row.name),
            language=str(row.language),
            role=str(row.role),
            location_code=locations[row.location_id]["code"] if row.location_id else None,
            location_name=locations[row.location_id]["name"] if row.location_id else None,
            is_active=bool(row.is_active),
            has_password=row.password_hash != UNUSABLE_PASSWORD,
            has_open_link=row.password_token_expires_at is not None
            and row.password_token_expires_at > now,
            created_at=row.created_at,
        )
        for row in rows
    ]
