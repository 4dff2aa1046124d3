"""Signing in, throttled per account and per client address in the database, and the bound on
password hashes running at once."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.errors import ValidationError
from ordnung.staff import hashing, sign_in
from ordnung.staff.model import (
    SignInBusyError,
    SignInThrottledError,
    StaffUser,
    ThrottlePolicy,
)
from ordnung.staff.service import create_staff_user, deactivate_staff_user, get_staff_user
from ordnung.staff.sign_in import (
    Credentials,
    SignInPolicy,
    change_own_password,
    sign_in_with_password,
)
from ordnung.staff.tables import login_throttle_table

PASSWORD = "ein-sicheres-passwort"
WRONG = "falsches-passwort"
START = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
POLICY = SignInPolicy(
    account=ThrottlePolicy(3, timedelta(minutes=1), timedelta(minutes=15), timedelta(hours=1)),
    address=ThrottlePolicy(5, timedelta(minutes=1), timedelta(minutes=15), timedelta(hours=1)),
)


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    fixed = clock.FixedClock(START)
    previous = clock.use_clock(fixed)
    yield fixed
    clock.use_clock(previous)


@pytest.fixture
def anna(db: Database) -> int:
    return create_staff_user(db, "anna@example.de", "Anna", PASSWORD)


def attempt(
    db: Database, password: str, email: str = "anna@example.de", address: str = "10.0.0.1"
) -> StaffUser | None:
    return sign_in_with_password(db, Credentials(email, password, address), POLICY)


def fail_times(db: Database, count: int, **where: str) -> None:
    for _ in range(count):
        assert attempt(db, WRONG, **where) is None


def test_the_right_password_signs_in_and_a_wrong_one_does_not(
    db: Database, anna: int, fixed_clock: clock.FixedClock
) -> None:
    assert attempt(db, WRONG) is None
    signed_in = attempt(db, PASSWORD)
    assert signed_in is not None and signed_in.id == anna


def test_after_too_many_failures_even_the_right_password_waits_for_the_lock(
    db: Database, anna: int, fixed_clock: clock.FixedClock
) -> None:
    fail_times(db, 3)
    with pytest.raises(SignInThrottledError) as refused:
        attempt(db, PASSWORD)
    assert refused.value.retry_at == START + timedelta(minutes=1)
    fixed_clock.set(START + timedelta(seconds=59))
    with pytest.raises(SignInThrottledError):
        attempt(db, PASSWORD)
    fixed_clock.set(START + timedelta(minutes=1))
    assert attempt(db, PASSWORD) is not None
    # Success forgives the account: three fresh attempts before the next lock (from another
    # address, whose own count is not at stake here).
    fail_times(db, 2, address="10.0.0.9")
    assert attempt(db, PASSWORD, address="10.0.0.9") is not None


def test_each_failure_after_a_lock_doubles_the_wait(
    db: Database, anna: int, fixed_clock: clock.FixedClock
) -> None:
    fail_times(db, 3)
    fixed_clock.set(START + timedelta(minutes=1))
    fail_times(db, 1)
    with pytest.raises(SignInThrottledError) as refused:
        attempt(db, PASSWORD)
    assert refused.value.retry_at == START + timedelta(minutes=3)


def test_an_unknown_email_is_throttled_like_a_real_one(
    db: Database, anna: int, fixed_clock: clock.FixedClock
) -> None:
    fail_times(db, 3, email="nobody@example.de")
    with pytest.raises(SignInThrottledError):
        attempt(db, WRONG, email="NOBODY@example.de")
    assert attempt(db, PASSWORD) is not None  # another account, the same address, under 5


def test_one_address_trying_many_accounts_is_locked_but_others_are_not(
    db: Database, anna: int, fixed_clock: clock.FixedClock
) -> None:
    for number in range(5):
        assert attempt(db, WRONG, email=f"guess{number}@example.de") is None
    with pytest.raises(SignInThrottledError):
        attempt(db, PASSWORD)
    assert attempt(db, PASSWORD, address="10.0.0.2") is not None


def test_a_success_forgives_its_address_one_attempt_not_all(
    db: Database, anna: int, fixed_clock: clock.FixedClock
) -> None:
    for number in range(4):
        assert attempt(db, WRONG, email=f"guess{number}@example.de") is None
    assert attempt(db, PASSWORD) is not None  # the 5th attempt from the address, forgiven
    assert attempt(db, WRONG, email="guess9@example.de") is None  # the 5th failure: locked
    with pytest.raises(SignInThrottledError):
        attempt(db, PASSWORD)


def test_a_deactivated_account_cannot_sign_in_with_its_right_password(
    db: Database, anna: int, fixed_clock: clock.FixedClock
) -> None:
    other_admin = create_staff_user(db, "bert@example.de", "Bert", PASSWORD)
    deactivate_staff_user(db, anna, acting_staff_id=other_admin)
    assert attempt(db, PASSWORD) is None
    fail_times(db, 2)
    with pytest.raises(SignInThrottledError):
        attempt(db, PASSWORD)  # its right password counted as a failure too


def test_the_lock_holds_for_another_process_on_the_same_database(
    db: Database, database_url: str, anna: int, fixed_clock: clock.FixedClock
) -> None:
    fail_times(db, 3)
    other_process = Database(database_url)
    try:
        with pytest.raises(SignInThrottledError):
            attempt(other_process, PASSWORD)
    finally:
        other_process.dispose()


GUESSERS = 8


def _guess_all_at_once(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Eight wrong guesses for one account, all past the quick lock check before any is
    counted (they meet at a barrier there); returns the passwords actually checked."""
    checked: list[str] = []
    real_check, real_counters = sign_in.password_matches, sign_in._counters
    meeting = threading.Barrier(GUESSERS)

    def counting(password_hash: str | None, password: str) -> bool:
        checked.append(password)
        return real_check(password_hash, password)

    def read_then_meet(connection: Connection, subjects: Any) -> Any:
        counters = real_counters(connection, subjects)
        meeting.wait(timeout=30)
        return counters

    monkeypatch.setattr(sign_in, "password_matches", counting)
    monkeypatch.setattr(sign_in, "_counters", read_then_meet)
    previous = hashing.hash_slots().size
    hashing.use_hash_slots(GUESSERS)
    try:
        with ThreadPoolExecutor(max_workers=GUESSERS) as pool:
            futures = [pool.submit(attempt, db, WRONG) for _ in range(GUESSERS)]
            for future in futures:
                with contextlib.suppress(SignInThrottledError):
                    assert future.result() is None
    finally:
        hashing.use_hash_slots(previous)
    return checked


def test_guesses_arriving_all_at_once_try_no_more_passwords_than_the_limit(
    db: Database, anna: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = _guess_all_at_once(db, monkeypatch)
    assert len(checked) == POLICY.account.failures_before_lock


def test_without_counting_before_checking_every_guess_at_once_is_tried(
    db: Database, anna: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: check the password first and count afterwards (here: not at all),
    and the quick lock check alone lets every simultaneous guess through."""
    monkeypatch.setattr(
        sign_in,
        "_count_attempt",
        lambda uow, subjects, _policy: sign_in._account_row(uow.connection, subjects),
    )
    checked = _guess_all_at_once(db, monkeypatch)
    assert len(checked) == GUESSERS


def test_when_every_hash_slot_is_busy_the_attempt_is_refused_at_once_and_not_counted(
    db: Database, anna: int
) -> None:
    slots = hashing.hash_slots()
    taken, release = threading.Barrier(slots.size + 1), threading.Event()

    def hold_a_slot() -> None:
        with slots.taken():
            taken.wait()
            release.wait(timeout=30)

    holders = [threading.Thread(target=hold_a_slot) for _ in range(slots.size)]
    for holder in holders:
        holder.start()
    taken.wait()
    try:
        with pytest.raises(SignInBusyError):
            attempt(db, PASSWORD)
    finally:
        release.set()
        for holder in holders:
            holder.join()
    with db.engine.connect() as connection:
        counted = connection.execute(select(func.count()).select_from(login_throttle_table))
        assert counted.scalar_one() == 0
    assert attempt(db, PASSWORD) is not None


def test_changing_ones_password_needs_the_current_one(
    db: Database, anna: int, fixed_clock: clock.FixedClock
) -> None:
    user = get_staff_user(db, anna)
    assert user is not None
    wrong = Credentials("anna@example.de", WRONG, "10.0.0.1")
    with pytest.raises(ValidationError, match="current password"):
        change_own_password(db, user, wrong, "ganz-neues-passwort", POLICY)
    right = Credentials("anna@example.de", PASSWORD, "10.0.0.1")
    version = change_own_password(db, user, right, "ganz-neues-passwort", POLICY)
    assert version == user.session_version + 1
    assert attempt(db, "ganz-neues-passwort") is not None


def test_forgotten_counters_are_cleaned_up_by_later_attempts(
    db: Database, anna: int, fixed_clock: clock.FixedClock
) -> None:
    fail_times(db, 2, email="typo@example.de", address="10.0.0.7")
    fixed_clock.set(START + POLICY.account.forget_after + timedelta(seconds=1))
    assert attempt(db, PASSWORD) is not None
    with db.engine.connect() as connection:
        subjects = connection.execute(select(login_throttle_table.c.subject)).scalars().all()
    assert "typo@example.de" not in subjects and "10.0.0.7" not in subjects
