"""Password hashes, a bounded number at a time.

Each argon2 hash holds 64 MiB for its duration. Measured before this bound: 24 clients posting
wrong passwords raised server memory from 248 MB to 1.7 GB and order-intake latency 15×. So
every hash in this process takes one of a few slots, and when none is free the caller is
answered at once (`SignInBusyError`, a 429) rather than queued: a queue would only hold
request threads that order intake and other pages need.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ordnung.core.auth import hash_password, verify_password
from ordnung.staff.model import SignInBusyError

# Stored for an account that has no password yet (an invitation) or whose password was
# reset by link: no argon2 hash has this form, so no password ever matches it.
UNUSABLE_PASSWORD = "!"
DEFAULT_SLOTS = 2


class HashSlots:
    """A bounded number of password hashes at a time in this process. A thread that holds a
    slot may take it again (`sign_in` takes one before counting an attempt, then hashes)."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("at least one password hash must be allowed at a time")
        self.size = size
        self._semaphore = threading.BoundedSemaphore(size)
        self._holder = threading.local()

    @contextmanager
    def taken(self) -> Iterator[None]:
        if getattr(self._holder, "has_slot", False):
            yield
            return
        if not self._semaphore.acquire(blocking=False):
            raise SignInBusyError("Too many sign-ins at this moment; try again in a few seconds.")
        self._holder.has_slot = True
        try:
            yield
        finally:
            self._holder.has_slot = False
            self._semaphore.release()


_slots = HashSlots(DEFAULT_SLOTS)


def use_hash_slots(size: int) -> HashSlots:
    """Sets this process's bound (from `ORDNUNG_PASSWORD_HASH_SLOTS` when the app starts)."""
    global _slots
    if size != _slots.size:
        _slots = HashSlots(size)
    return _slots


def hash_slots() -> HashSlots:
    return _slots


def new_password_hash(password: str) -> str:
    with _slots.taken():
        return hash_password(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """True when `password` is the one hashed. An unknown account (None) or one without a
    usable password costs the same hash as any other, so response times do not tell which
    accounts exist or have a password."""
    usable = None if password_hash == UNUSABLE_PASSWORD else password_hash
    with _slots.taken():
        matches = verify_password(usable or _equaliser(), password)
    return usable is not None and matches


_equaliser_hash: str | None = None


def _equaliser() -> str:
    # Made on first use, not at import: `ordnung --help` should not pay for an argon2 hash.
    global _equaliser_hash
    if _equaliser_hash is None:
        _equaliser_hash = hash_password("ordnung-timing-equaliser")
    return _equaliser_hash
