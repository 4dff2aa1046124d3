"""Sales channels: where orders come from, and the currency they are sold in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from ordnung.core.errors import ValidationError
from ordnung.core.money import is_known_currency

CHANNEL_TYPES: frozenset[str] = frozenset({"webshop", "marketplace", "store", "phone", "b2b"})
# Codes are slugs: they appear in URLs, connector configs and order numbers.
CODE_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
MAX_NAME_LENGTH = 200


@dataclass(frozen=True, slots=True)
class ChannelDraft:
    code: str
    name: str
    type: str
    currency: str = "EUR"


@dataclass(frozen=True, slots=True)
class Channel:
    """A stored sales channel. The field order is the order of the API's JSON keys."""

    id: int
    code: str
    name: str
    type: str
    currency: str
    created_at: datetime
    version: int = 1


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(
        f"Invalid fields: {field}",
        errors=[{"field": field, "message": message, "type": "value_error"}],
    )


def check_code(code: str) -> str:
    if not CODE_PATTERN.fullmatch(code):
        raise _invalid("code", "lower-case letters, digits and inner dashes, 1 to 40 characters")
    return code


def check_currency(currency: str) -> str:
    # Upper-case is the ISO 4217 spelling; accept 'eur' from hand-written requests.
    normalised = currency.strip().upper()
    if len(normalised) != 3 or not is_known_currency(normalised):
        raise _invalid("currency", f"'{currency}' is not an ISO 4217 currency code")
    return normalised


def check_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > MAX_NAME_LENGTH:
        raise _invalid("name", f"must be 1 to {MAX_NAME_LENGTH} characters")
    return cleaned


def check_type(channel_type: str) -> str:
    if channel_type not in CHANNEL_TYPES:
        raise _invalid("type", f"must be one of {', '.join(sorted(CHANNEL_TYPES))}")
    return channel_type


def invalid_channel_fields(draft: ChannelDraft) -> list[str]:
    """Every field the checks refuse, in form order, so a form shows all its problems at once."""
    checks: tuple[tuple[str, Callable[[str], str], str], ...] = (
        ("code", check_code, draft.code),
        ("name", check_name, draft.name),
        ("type", check_type, draft.type),
        ("currency", check_currency, draft.currency),
    )
    refused = []
    for field, check, value in checks:
        try:
            check(value)
        except ValidationError:
            refused.append(field)
    return refused


def check_channel(draft: ChannelDraft) -> ChannelDraft:
    """The draft normalised, or a 422 naming the first bad field."""
    name = check_name(draft.name)
    check_type(draft.type)
    return replace(
        draft, code=check_code(draft.code), name=name, currency=check_currency(draft.currency)
    )
