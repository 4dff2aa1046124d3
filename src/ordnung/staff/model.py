"""Who may do what in the back office, and how often a sign-in may fail — the rules as data
and pure functions, without the database.

Roles are a fixed list here rather than rows an admin edits: every back-office route names the
permission it needs, and a role is only a name for a set of them. Adding a role is one line.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from ordnung.core.errors import OrdnungError, ValidationError

# Every permission a back-office route can require. The names follow the API's scopes
# (`resource:action`), so a person reads both the same way.
ORDERS_READ = "orders:read"  # order list, order page, dashboard
ORDERS_WRITE = "orders:write"  # cancel an order, release a hold
FULFILLMENT_READ = "fulfillment:read"  # the fulfilment work list and its pages
FULFILLMENT_WRITE = "fulfillment:write"  # accept, ship, reject a fulfilment order
STOCK_READ = "stock:read"
STOCK_WRITE = "stock:write"
CATALOG_READ = "catalog:read"
CATALOG_WRITE = "catalog:write"
CHANNELS_READ = "channels:read"
CHANNELS_WRITE = "channels:write"
LOCATIONS_READ = "locations:read"
LOCATIONS_WRITE = "locations:write"
USERS_MANAGE = "users:manage"  # staff users and their roles
API_KEYS_MANAGE = "api_keys:manage"
WEBHOOKS_MANAGE = "webhooks:manage"

PERMISSIONS: tuple[str, ...] = (
    ORDERS_READ,
    ORDERS_WRITE,
    FULFILLMENT_READ,
    FULFILLMENT_WRITE,
    STOCK_READ,
    STOCK_WRITE,
    CATALOG_READ,
    CATALOG_WRITE,
    CHANNELS_READ,
    CHANNELS_WRITE,
    LOCATIONS_READ,
    LOCATIONS_WRITE,
    USERS_MANAGE,
    API_KEYS_MANAGE,
    WEBHOOKS_MANAGE,
)

ADMIN = "admin"
OPERATIONS = "operations"
CUSTOMER_SERVICE = "customer_service"
WAREHOUSE = "warehouse"
FINANCE = "finance"

# The one place that says what each role may do.
ROLE_PERMISSIONS: Mapping[str, frozenset[str]] = {
    ADMIN: frozenset(PERMISSIONS),
    OPERATIONS: frozenset(
        {
            ORDERS_READ,
            ORDERS_WRITE,
            FULFILLMENT_READ,
            FULFILLMENT_WRITE,
            STOCK_READ,
            STOCK_WRITE,
            CATALOG_READ,
            CATALOG_WRITE,
            CHANNELS_READ,
            CHANNELS_WRITE,
            LOCATIONS_READ,
            LOCATIONS_WRITE,
        }
    ),
    CUSTOMER_SERVICE: frozenset({ORDERS_READ, ORDERS_WRITE}),
    # Bound to one location: sees and works only that location's fulfilment orders.
    WAREHOUSE: frozenset({FULFILLMENT_READ, FULFILLMENT_WRITE}),
    # Reads orders; invoices and payments join when they exist.
    FINANCE: frozenset({ORDERS_READ}),
}
ROLES: tuple[str, ...] = tuple(ROLE_PERMISSIONS)
LOCATION_BOUND_ROLES: frozenset[str] = frozenset({WAREHOUSE})

LANGUAGES = ("de", "en")
MIN_PASSWORD_LENGTH = 10
# argon2 takes any length, but a megabyte-long "password" is only a way to burn CPU.
MAX_PASSWORD_LENGTH = 1024
MAX_NAME_LENGTH = 200
# How long a one-time link to set a password works: long enough for an invitation sent on a
# Friday to be opened on Monday.
PASSWORD_LINK_LIFETIME = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class StaffUser:
    """A back-office account as pages see it; re-read on every request."""

    id: int
    email: str
    name: str
    language: str
    is_active: bool
    role: str = ADMIN
    # Set for a warehouse, store or 3PL worker: they see only this location's work.
    location_id: int | None = None
    # Raised by a password change or deactivation; sessions that carry an older one end.
    session_version: int = 0

    @property
    def permissions(self) -> frozenset[str]:
        # Fail closed: a location-bound role without its location would otherwise see every
        # location's work.
        if self.role in LOCATION_BOUND_ROLES and self.location_id is None:
            return frozenset()
        return ROLE_PERMISSIONS.get(self.role, frozenset())

    @property
    def is_location_bound(self) -> bool:
        return self.location_id is not None

    def can(self, permission: str) -> bool:
        return permission in self.permissions


@dataclass(frozen=True, slots=True)
class NewStaffUser:
    """What a person fills in to create an account. Without a password the account can only be
    entered through a one-time link (an invitation)."""

    email: str
    name: str
    language: str = "de"
    role: str = ADMIN
    location_code: str | None = None
    password: str | None = None


def check_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > MAX_NAME_LENGTH:
        raise ValidationError(f"The name must be 1 to {MAX_NAME_LENGTH} characters.", field="name")
    return cleaned


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValidationError(
            f"Unknown language {language!r}; use one of {', '.join(LANGUAGES)}.", field="language"
        )
    return language


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"The password needs at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            f"The password may have at most {MAX_PASSWORD_LENGTH} characters.", field="password"
        )
    return password


def check_role(role: str, location_code: str | None) -> None:
    """A warehouse account needs its location; every other role works across locations."""
    if role not in ROLE_PERMISSIONS:
        raise ValidationError(
            f"Unknown role {role!r}; use one of {', '.join(ROLES)}.", field="role"
        )
    if role in LOCATION_BOUND_ROLES and not location_code:
        raise ValidationError(f"The role {role} needs a location.", field="location")
    if role not in LOCATION_BOUND_ROLES and location_code:
        raise ValidationError(
            f"Only {', '.join(sorted(LOCATION_BOUND_ROLES))} accounts are bound to a location.",
            field="location",
        )


@dataclass(frozen=True, slots=True)
class PasswordLink:
    """A one-time link to set a password. Only `token_hash` is stored; `token` is shown once."""

    token: str
    token_hash: str
    expires_at: datetime


def new_password_link(now: datetime) -> PasswordLink:
    token = secrets.token_urlsafe(32)
    return PasswordLink(token, password_link_hash(token), now + PASSWORD_LINK_LIFETIME)


def password_link_hash(token: str) -> str:
    # 32 random bytes need no slow hash (as API keys, see ordnung.core.auth).
    return hashlib.sha256(token.encode()).hexdigest()


# --- sign-in throttling -----------------------------------------------------------------------


class SignInThrottledError(OrdnungError):
    """Too many failed sign-ins for this account or from this address; `retry_at` says when
    the next attempt will be heard."""

    type_slug = "too-many-attempts"
    status = 429
    title = "Too many failed sign-ins"

    def __init__(self, retry_at: datetime) -> None:
        super().__init__(f"Too many failed sign-ins; try again after {retry_at.isoformat()}.")
        self.retry_at = retry_at


class SignInBusyError(OrdnungError):
    """Every password-hash slot of this process is taken: answered at once instead of queuing
    (each argon2 hash holds 64 MiB)."""

    type_slug = "sign-in-busy"
    status = 429
    title = "Too many sign-ins at once"


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """After `failures_before_lock` failures, attempts wait `first_lock`, doubling with every
    further failure up to `longest_lock`. A counter that has seen no failure for
    `forget_after` starts again from zero."""

    failures_before_lock: int
    first_lock: timedelta
    longest_lock: timedelta
    forget_after: timedelta

    def lock_for(self, failures: int) -> timedelta | None:
        if failures < self.failures_before_lock:
            return None
        # Capped exponent: the product must not overflow timedelta for absurd counts.
        doublings = min(failures - self.failures_before_lock, 30)
        return min(self.first_lock * (1 << doublings), self.longest_lock)


@dataclass(frozen=True, slots=True)
class FailedAttempts:
    """The unsuccessful sign-ins of one account or one client address.

    An attempt is counted *before* its password is checked and forgiven when it succeeds, so
    however many requests arrive at once, no more than `failures_before_lock` passwords are
    tried before the lock holds."""

    failures: int = 0
    last_failure_at: datetime | None = None

    def current(self, now: datetime, policy: ThrottlePolicy) -> FailedAttempts:
        if self.last_failure_at is None or now - self.last_failure_at >= policy.forget_after:
            return FailedAttempts()
        return self

    def locked_until(self, now: datetime, policy: ThrottlePolicy) -> datetime | None:
        """When the next attempt will be heard, or None when it may be made now."""
        current = self.current(now, policy)
        lock = policy.lock_for(current.failures)
        if lock is None or current.last_failure_at is None:
            return None
        until = current.last_failure_at + lock
        return until if until > now else None

    def counted(self, now: datetime, policy: ThrottlePolicy) -> FailedAttempts:
        return FailedAttempts(self.current(now, policy).failures + 1, now)
