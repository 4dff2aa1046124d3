"""Click & collect rules: pickup codes, wrong-code locks, the collection deadline. Pure Python.

A pickup code is what the customer shows at the counter. It is short enough to read out and
type (8 characters), drawn from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S,
8/B), and valid only for its fulfilment order at its store: the counter types it on that
fulfilment order's hand-over, never searches a code across orders. 8 characters of 25 give
1.5 × 10^11 codes; with `MAX_WRONG_CODES` tries before a lock, guessing is hopeless.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from ordnung.core.errors import ValidationError

# The alphabet, spelled out once: letters and digits that no one confuses when reading a
# slip aloud or typing it from a phone screen.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8

# After this many wrong codes for one fulfilment order, the counter must wait.
MAX_WRONG_CODES = 5
LOCK_MINUTES = 15

DEFAULT_PICKUP_DAYS = 7


def new_code() -> str:
    """A fresh random pickup code (cryptographically random: it is a credential)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a clerk typed or a scanner read, as stored: spaces and dashes dropped, upper
    case. A code of the wrong shape is a 422 naming the field."""
    code = "".join(typed.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise ValidationError(
            f"A pickup code has {CODE_LENGTH} letters and digits, e.g. {_EXAMPLE}.",
            field="code",
        )
    return code


_EXAMPLE = "KX7R-4MQA"


def shown(code: str) -> str:
    """The code as printed on the slip: two groups of four, easy to read out."""
    return f"{code[:4]}-{code[4:]}"


def expires_at(ready_at: datetime, days: int) -> datetime:
    """Uncollected after this, the order is cancelled and its stock goes back."""
    return ready_at + timedelta(days=days)


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """The verdict on a typed code: right, wrong (counted), or refused unread (locked)."""

    is_right: bool
    is_locked: bool
    wrong_codes: int
    locked_until: datetime | None


def check_code(
    stored: str,
    typed: str,
    wrong_codes: int,
    locked_until: datetime | None,
    now: datetime,
) -> CodeCheck:
    """Compares in constant time. While locked, no code is even compared (a right one
    neither), so a lock cannot be used to confirm guesses; the lock lifts after
    `LOCK_MINUTES` and the count starts again."""
    if locked_until is not None and now < locked_until:
        return CodeCheck(False, True, wrong_codes, locked_until)
    if locked_until is not None:  # the lock has lifted: a fresh count
        wrong_codes = 0
    if secrets.compare_digest(stored, typed):
        return CodeCheck(True, False, wrong_codes, None)
    wrong_codes += 1
    if wrong_codes >= MAX_WRONG_CODES:
        return CodeCheck(False, True, wrong_codes, now + timedelta(minutes=LOCK_MINUTES))
    return CodeCheck(False, False, wrong_codes, None)
