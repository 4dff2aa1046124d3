"""The rules of staff roles and of the sign-in throttle, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordnung.core.errors import ValidationError
from ordnung.staff.model import (
    ADMIN,
    CUSTOMER_SERVICE,
    FINANCE,
    OPERATIONS,
    PERMISSIONS,
    ROLE_PERMISSIONS,
    ROLES,
    WAREHOUSE,
    FailedAttempts,
    StaffUser,
    ThrottlePolicy,
    check_role,
)

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
POLICY = ThrottlePolicy(
    failures_before_lock=3,
    first_lock=timedelta(minutes=1),
    longest_lock=timedelta(minutes=15),
    forget_after=timedelta(hours=1),
)


def staff(role: str, location_id: int | None = None) -> StaffUser:
    return StaffUser(1, "a@example.de", "A", "de", True, role, location_id)


def test_an_admin_may_do_everything_and_every_role_only_known_permissions() -> None:
    assert ROLE_PERMISSIONS[ADMIN] == frozenset(PERMISSIONS)
    for role in ROLES:
        assert ROLE_PERMISSIONS[role] <= frozenset(PERMISSIONS), role


def test_the_roles_grant_what_the_merchant_expects_of_them() -> None:
    assert staff(OPERATIONS).can("catalog:write") and staff(OPERATIONS).can("locations:write")
    assert not staff(OPERATIONS).can("users:manage")
    assert staff(CUSTOMER_SERVICE).can("orders:write")
    assert not staff(CUSTOMER_SERVICE).can("fulfillment:write")
    assert ROLE_PERMISSIONS[WAREHOUSE] == {"fulfillment:read", "fulfillment:write"}
    assert ROLE_PERMISSIONS[FINANCE] == {"orders:read"}


def test_an_unknown_role_stored_by_mistake_may_do_nothing() -> None:
    assert staff("intern").permissions == frozenset()
    assert not staff("intern").can("orders:read")


def test_a_warehouse_account_that_lost_its_location_may_do_nothing() -> None:
    assert staff(WAREHOUSE, location_id=3).can("fulfillment:write")
    assert staff(WAREHOUSE, location_id=None).permissions == frozenset()


def test_a_warehouse_account_needs_a_location_and_no_other_role_takes_one() -> None:
    check_role(WAREHOUSE, "lager-nord")
    check_role(ADMIN, None)
    with pytest.raises(ValidationError, match="needs a location"):
        check_role(WAREHOUSE, None)
    with pytest.raises(ValidationError, match="bound to a location"):
        check_role(OPERATIONS, "lager-nord")
    with pytest.raises(ValidationError, match="Unknown role"):
        check_role("root", None)


def test_attempts_are_free_until_the_limit_then_locked_for_a_minute() -> None:
    attempts = FailedAttempts()
    for _ in range(POLICY.failures_before_lock - 1):
        attempts = attempts.counted(NOW, POLICY)
        assert attempts.locked_until(NOW, POLICY) is None
    attempts = attempts.counted(NOW, POLICY)
    assert attempts.locked_until(NOW, POLICY) == NOW + timedelta(minutes=1)
    assert attempts.locked_until(NOW + timedelta(seconds=59), POLICY) is not None
    assert attempts.locked_until(NOW + timedelta(minutes=1), POLICY) is None


def test_each_failure_after_a_lock_doubles_the_next_lock_up_to_the_longest() -> None:
    attempts = FailedAttempts(POLICY.failures_before_lock, NOW)
    locks = []
    moment = NOW
    for _ in range(6):
        until = attempts.locked_until(moment, POLICY)
        assert until is not None
        locks.append(until - moment)
        moment = until
        attempts = attempts.counted(moment, POLICY)
    assert locks == [timedelta(minutes=m) for m in (1, 2, 4, 8, 15, 15)]


def test_a_counter_without_failures_for_the_forget_time_starts_again() -> None:
    attempts = FailedAttempts(POLICY.failures_before_lock + 10, NOW)
    later = NOW + POLICY.forget_after
    assert attempts.locked_until(later, POLICY) is None
    assert attempts.counted(later, POLICY) == FailedAttempts(1, later)


@given(failures=st.integers(min_value=0, max_value=10_000))
def test_no_lock_is_ever_longer_than_the_longest(failures: int) -> None:
    lock = POLICY.lock_for(failures)
    assert lock is None or POLICY.first_lock <= lock <= POLICY.longest_lock
    assert (lock is None) == (failures < POLICY.failures_before_lock)
