"""Signing in with e-mail and password, throttled per account and per client address.

Failed attempts are counted in the database (`login_throttle`), so the limit holds across
every worker process and machine. Each attempt is counted *before* its password is checked
and forgiven when it succeeds: however many requests arrive at once, no more passwords are
tried than the policy allows, and during a lock even the right password does not sign in.
The account is the e-mail as typed (normalised), whether or not such an account exists, so
the throttle does not tell which accounts exist either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, select, tuple_, update
from sqlalchemy.engine import Connection, Row

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.errors import ValidationError
from ordnung.core.settings import Settings
from ordnung.core.tables import staff_user_table
from ordnung.staff.hashing import hash_slots, password_matches
from ordnung.staff.model import (
    FailedAttempts,
    SignInThrottledError,
    StaffUser,
    ThrottlePolicy,
    check_password,
)
from ordnung.staff.passwords import set_staff_password
from ordnung.staff.queries import normalise_email, staff_user_from_row
from ordnung.staff.tables import login_throttle_table as throttle

ACCOUNT = "account"
ADDRESS = "address"
_SUBJECT_LENGTH = 254
# Forgotten counters are removed a few at a time by the attempts themselves.
_CLEAN_UP_BATCH = 100

Subject = tuple[str, str]  # (kind, subject)


@dataclass(frozen=True, slots=True)
class SignInPolicy:
    account: ThrottlePolicy
    address: ThrottlePolicy

    def of(self, kind: str) -> ThrottlePolicy:
        return self.account if kind == ACCOUNT else self.address


def sign_in_policy(settings: Settings) -> SignInPolicy:
    first = timedelta(seconds=settings.login_first_lock_seconds)
    longest = max(first, timedelta(seconds=settings.login_longest_lock_seconds))
    # A counter must outlive its longest lock, or a lock's end would also wipe the count.
    forget_after = max(timedelta(hours=1), 2 * longest)
    return SignInPolicy(
        account=ThrottlePolicy(settings.login_failures_per_account, first, longest, forget_after),
        address=ThrottlePolicy(settings.login_failures_per_address, first, longest, forget_after),
    )


@dataclass(frozen=True, slots=True)
class Credentials:
    email: str
    password: str
    client_address: str


def sign_in_with_password(
    db: Database, credentials: Credentials, policy: SignInPolicy
) -> StaffUser | None:
    """The active account with this e-mail and password, else None (never says which was
    wrong). Raises `SignInThrottledError` during a lock and `SignInBusyError` when this
    process hashes as many passwords as it may."""
    subjects = _subjects(credentials)
    # A cheap read first: a locked account costs neither a hash slot nor a write.
    counters = db.read(lambda connection: _counters(connection, subjects))
    _refuse_if_locked(counters, clock.now(), policy)
    with hash_slots().taken():
        row = db.write(lambda uow: _count_attempt(uow, subjects, policy))
        matches = password_matches(None if row is None else row.password_hash, credentials.password)
    if row is None or not matches or not row.is_active:
        return None
    db.write(lambda uow: _forgive(uow, subjects))
    return staff_user_from_row(row)


def change_own_password(
    db: Database,
    staff: StaffUser,
    credentials: Credentials,
    new_password: str,
    policy: SignInPolicy,
) -> int:
    """A person changes their own password, proving the current one (throttled like a
    sign-in: a borrowed session must not become a way to guess it). Returns the new session
    version: every other session of the account ends."""
    check_password(new_password)
    if normalise_email(credentials.email) != staff.email:
        raise ValidationError("These are another account's credentials.", field="email")
    if sign_in_with_password(db, credentials, policy) is None:
        raise ValidationError("The current password is wrong.", field="current_password")
    return set_staff_password(db, staff.id, new_password)


def _subjects(credentials: Credentials) -> list[Subject]:
    try:
        account = normalise_email(credentials.email)
    except ValidationError:
        account = credentials.email.strip().lower()
    address = credentials.client_address or "unknown"
    # Sorted: every attempt locks its rows in the same order, so two never deadlock.
    return sorted({(ACCOUNT, account[:_SUBJECT_LENGTH]), (ADDRESS, address[:_SUBJECT_LENGTH])})


def _counters(connection: Connection, subjects: Sequence[Subject]) -> dict[Subject, Any]:
    rows = connection.execute(
        select(throttle).where(tuple_(throttle.c.kind, throttle.c.subject).in_(subjects))
    ).all()
    return {(row.kind, row.subject): row for row in rows}


def _refuse_if_locked(counters: Mapping[Subject, Any], now: datetime, policy: SignInPolicy) -> None:
    locks = [
        FailedAttempts(row.failures, row.last_failure_at).locked_until(now, policy.of(kind))
        for (kind, _subject), row in counters.items()
    ]
    until = max((lock for lock in locks if lock is not None), default=None)
    if until is not None:
        raise SignInThrottledError(until)


def _count_attempt(
    uow: UnitOfWork, subjects: Sequence[Subject], policy: SignInPolicy
) -> Row[Any] | None:
    """Counts the attempt for the account and the address (unless one is locked: then nothing
    is written) and returns the account row to check the password against."""
    connection = uow.connection
    now = clock.now()
    _forget_old_counters(
        connection, now - max(policy.account.forget_after, policy.address.forget_after)
    )
    # Make sure both rows exist, then lock them: two first attempts at once count twice.
    insert = dialect_insert(connection)
    connection.execute(
        insert(throttle)
        .values(
            [{"kind": k, "subject": s, "failures": 0, "last_failure_at": now} for k, s in subjects]
        )
        .on_conflict_do_nothing(index_elements=["kind", "subject"])
    )
    counters = {
        (row.kind, row.subject): row
        for row in connection.execute(
            select(throttle)
            .where(tuple_(throttle.c.kind, throttle.c.subject).in_(subjects))
            .order_by(throttle.c.kind, throttle.c.subject)
            .with_for_update()
        ).all()
    }
    _refuse_if_locked(counters, now, policy)
    for (kind, subject), row in counters.items():
        counted = FailedAttempts(row.failures, row.last_failure_at).counted(now, policy.of(kind))
        connection.execute(
            update(throttle)
            .where(throttle.c.kind == kind, throttle.c.subject == subject)
            .values(failures=counted.failures, last_failure_at=counted.last_failure_at)
        )
    return _account_row(connection, subjects)


def _forgive(uow: UnitOfWork, subjects: Sequence[Subject]) -> None:
    """A successful sign-in: the account starts afresh; the address is forgiven this one
    attempt only (an office shares one address, and one right password proves nothing about
    the others' guesses)."""
    for kind, subject in subjects:
        at_subject = and_(throttle.c.kind == kind, throttle.c.subject == subject)
        if kind == ACCOUNT:
            uow.connection.execute(delete(throttle).where(at_subject))
        else:
            uow.connection.execute(
                update(throttle)
                .where(at_subject, throttle.c.failures > 0)
                .values(failures=throttle.c.failures - 1)
            )


def _forget_old_counters(connection: Connection, before: datetime) -> None:
    # SKIP LOCKED: never wait for a counter another attempt is using (SQLite runs alone).
    stale = connection.execute(
        select(throttle.c.kind, throttle.c.subject)
        .where(throttle.c.last_failure_at < before)
        .limit(_CLEAN_UP_BATCH)
        .with_for_update(skip_locked=True)
    ).all()
    if stale:
        keys = [(row.kind, row.subject) for row in stale]
        connection.execute(
            delete(throttle).where(tuple_(throttle.c.kind, throttle.c.subject).in_(keys))
        )


def _account_row(connection: Connection, subjects: Sequence[Subject]) -> Row[Any] | None:
    account = next(subject for kind, subject in subjects if kind == ACCOUNT)
    return connection.execute(
        select(staff_user_table).where(staff_user_table.c.email == account)
    ).first()
