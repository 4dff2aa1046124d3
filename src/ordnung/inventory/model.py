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
    """The draft normalised (upper-case country, sorted capabilities), or a 422."""
    if not CODE_PATTERN.fullmatch(draft.code):
        raise invalid("code", "lower-case letters, digits and inner dashes, 1 to 40 characters")
    if not draft.name.strip():
        raise invalid("name", "must not be blank")
    if draft.type not in LOCATION_TYPES:
        raise invalid("type", f"must be one of {', '.join(sorted(LOCATION_TYPES))}")
    unknown = set(draft.capabilities) - CAPABILITIES
    if unknown:
        raise invalid("capabilities", f"unknown: {', '.join(sorted(unknown))}")
    address = replace(draft.address, country=check_country(draft.address.country))
    return replace(
        draft,
        name=draft.name.strip(),
        address=address,
        capabilities=tuple(sorted(set(draft.capabilities))),
    )


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
