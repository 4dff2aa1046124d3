"""Setting passwords: by an admin, through a one-time link, and ending sessions.

Whenever a password changes or is taken away, the account's `session_version` goes up, so
every session signed in before ends at its next request (the session carries the version it
was signed in with; `ordnung.web.security` compares them on every page). The new password is
hashed before the transaction opens: argon2 is slow on purpose and must not hold a lock.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import ColumnElement, and_, select, update

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import NotFoundError
from ordnung.core.tables import staff_user_table
from ordnung.staff.hashing import UNUSABLE_PASSWORD, new_password_hash
from ordnung.staff.model import check_password, new_password_link, password_link_hash
from ordnung.staff.queries import StaffAccount, existing_staff_row, get_staff_account

staff = staff_user_table.c

_LINK_INVALID = "This link to set a password is unknown, used or expired."


def set_staff_password(db: Database, staff_id: int, password: str) -> int:
    """A new password (an admin's reset, or the person's own change). Ends every session of
    the account; returns the new session version, so a person changing their own password
    can carry it into the session they are using."""
    password_hash = new_password_hash(check_password(password))

    def work(uow: UnitOfWork) -> int:
        existing_staff_row(uow.connection, staff_id)
        return _replace_password(uow, staff_id, password_hash)

    return db.write(work)


def issue_password_link(db: Database, staff_id: int) -> str:
    """A reset by link: the old password stops working at once and every session ends; the
    returned token (shown once) lets the person choose a new password."""
    link = new_password_link(clock.now())

    def work(uow: UnitOfWork) -> None:
        row = existing_staff_row(uow.connection, staff_id)
        if not row.is_active:
            raise NotFoundError(f"Staff user {staff_id} is deactivated; reactivate it first.")
        uow.connection.execute(
            update(staff_user_table)
            .where(staff.id == staff_id)
            .values(
                password_hash=UNUSABLE_PASSWORD,
                session_version=staff.session_version + 1,
                password_token_hash=link.token_hash,
                password_token_expires_at=link.expires_at,
            )
        )

    db.write(work)
    return link.token


def find_password_link(db: Database, token: str) -> StaffAccount | None:
    """The active account a still valid link belongs to, else None."""
    staff_id = db.read(
        lambda connection: connection.execute(select(staff.id).where(_valid_link(token))).scalar()
    )
    return None if staff_id is None else get_staff_account(db, int(staff_id))


def set_password_with_link(db: Database, token: str, password: str) -> int:
    """Sets the password of the link's account and uses the link up; returns the account id.
    Of two requests with the same link, only the first sets a password."""
    password_hash = new_password_hash(check_password(password))

    def work(uow: UnitOfWork) -> int:
        staff_id = uow.connection.execute(
            select(staff.id).where(_valid_link(token)).with_for_update()
        ).scalar()
        if staff_id is None:
            raise NotFoundError(_LINK_INVALID)
        _replace_password(uow, int(staff_id), password_hash)
        return int(staff_id)

    return db.write(work)


def end_sessions(db: Database, staff_id: int) -> int:
    """Signs the account out everywhere; returns the new session version."""

    def work(uow: UnitOfWork) -> int:
        existing_staff_row(uow.connection, staff_id)
        return _next_session_version(uow, staff_id, {})

    return db.write(work)


def _replace_password(uow: UnitOfWork, staff_id: int, password_hash: str) -> int:
    # A link still open would let someone else set the password again: it is used up too.
    values = {
        "password_hash": password_hash,
        "password_token_hash": None,
        "password_token_expires_at": None,
    }
    return _next_session_version(uow, staff_id, values)


def _next_session_version(uow: UnitOfWork, staff_id: int, values: Mapping[str, object]) -> int:
    return int(
        uow.connection.execute(
            update(staff_user_table)
            .where(staff.id == staff_id)
            .values(session_version=staff.session_version + 1, **values)
            .returning(staff.session_version)
        ).scalar_one()
    )


def _valid_link(token: str) -> ColumnElement[bool]:
    return and_(
        staff.password_token_hash == password_link_hash(token),
        staff.password_token_expires_at > clock.now(),
        staff.is_active.is_(True),
    )
