"""Locations and stock positions: the rules, without the database."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ordnung.core.countries import iso_countries
from ordnung.core.errors import ValidationError

LOCATION_TYPES: frozenset[str] = frozenset({"warehouse", "store", "supplier", "3pl"})
CAPABILITIES: frozenset[str] = frozenset({"ship", "pickup", "ship_from_store", "dropship"})
# Ledger kinds a person may book by hand; reservations and shipments come from order flow.
MANUAL_MOVEMENT_KINDS: frozenset[str] = frozenset({"receipt", "adjustment"})
CODE_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
MAX_REASON_LENGTH = 500
MAX_NAME_LENGTH = 200
MAX_PRIORITY = 1_000_000
# Most units one position may hold: far above any real shelf, far below the 32-bit column
# (2^31 - 1), so repeated receipts are refused with a clear answer before the database would
# overflow (PostgreSQL) or silently widen (SQLite).
MAX_ON_HAND = 1_000_000_000
# Address field lengths, as the API bounds them.
ADDRESS_LIMITS = {"street": 200, "postal_code": 20, "city": 120}


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    postal_code: str
    city: str
    country: str


@dataclass(frozen=True, slots=True)
class LocationDraft:
    code: str
    name: str
    type: str
    address: Address
    capabilities: tuple[str, ...] = ("ship",)
    priority: int = 100


def invalid(field: str, message: str) -> ValidationError:
    """A 422 problem naming the field, shaped like request-validation errors."""
    return ValidationError(
        f"Invalid fields: {field}",
        errors=[{"field": field, "message": message, "type": "value_error"}],
    )


def check_country(country: str) -> str:
    normalised = country.strip().upper()
    if normalised not in iso_countries():
        raise invalid("address.country", f"'{country}' is not an ISO 3166-1 alpha-2 code")
    return normalised


def check_location(draft: LocationDraft) -> LocationDraft:
    """The draft normalised (trimmed, upper-case country, sorted capabilities), or a 422
    naming the first bad field."""
    refused = invalid_location_fields(draft)
    if refused:
        raise invalid(refused[0], _PROBLEMS[refused[0]])
    address = Address(
        street=draft.address.street.strip(),
        postal_code=draft.address.postal_code.strip(),
        city=draft.address.city.strip(),
        country=check_country(draft.address.country),
    )
    return replace(
        draft,
        name=draft.name.strip(),
        address=address,
        capabilities=tuple(sorted(set(draft.capabilities))),
    )


_PROBLEMS = {
    "code": "lower-case letters, digits and inner dashes, 1 to 40 characters",
    "name": f"must be 1 to {MAX_NAME_LENGTH} characters",
    "type": f"must be one of {', '.join(sorted(LOCATION_TYPES))}",
    "capabilities": f"each one of {', '.join(sorted(CAPABILITIES))}",
    "priority": f"must be between 0 and {MAX_PRIORITY}",
    **{
        f"address.{name}": f"must be 1 to {limit} characters"
        for name, limit in ADDRESS_LIMITS.items()
    },
    "address.country": "must be an ISO 3166-1 alpha-2 code",
}


def invalid_location_fields(draft: LocationDraft) -> list[str]:
    """Every field the rules refuse, in form order, so a form shows all its problems at once."""
    checks = {
        "code": CODE_PATTERN.fullmatch(draft.code) is not None,
        "name": 0 < len(draft.name.strip()) <= MAX_NAME_LENGTH,
        "type": draft.type in LOCATION_TYPES,
        "capabilities": set(draft.capabilities) <= CAPABILITIES,
        "priority": 0 <= draft.priority <= MAX_PRIORITY,
        **{
            f"address.{name}": 0 < len(getattr(draft.address, name).strip()) <= limit
            for name, limit in ADDRESS_LIMITS.items()
        },
        "address.country": draft.address.country.strip().upper() in iso_countries(),
    }
    return [field for field, is_valid in checks.items() if not is_valid]


def available(on_hand: int, reserved: int, safety_stock: int) -> int:
    """Units that may still be promised; safety stock is held back, never below zero."""
    return max(0, on_hand - reserved - safety_stock)


def check_reason(reason: str) -> str:
    # Every manual change must say why: auditors and the next shift read the ledger.
    cleaned = reason.strip()
    if not cleaned or len(cleaned) > MAX_REASON_LENGTH:
        raise invalid("reason", f"must be 1 to {MAX_REASON_LENGTH} characters")
    return cleaned


def check_manual_change(kind: str, delta: int) -> None:
    """A by-hand adjustment: a receipt adds stock; an adjustment corrects it either way."""
    if kind not in MANUAL_MOVEMENT_KINDS:
        raise invalid("kind", f"must be one of {', '.join(sorted(MANUAL_MOVEMENT_KINDS))}")
    if delta == 0:
        raise invalid("delta", "must not be zero")
    if kind == "receipt" and delta < 0:
        raise invalid("delta", "a receipt adds stock; book removals as an adjustment")
