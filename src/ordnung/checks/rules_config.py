"""Checking a channel's rule settings as a person or an API client sends them. Pure Python.

Each rule's parameters have a declared kind; anything else is refused with the field named
(`rules.fraud_score.params.threshold`), never stored and later failing at intake.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ordnung.checks.fraud import DEFAULT_PARAMS
from ordnung.checks.model import DEFAULT_RULES, MODES, RuleSetting
from ordnung.core.countries import is_iso_country
from ordnung.core.errors import ValidationError

# rule → parameter → kind: "int" (whole number ≥ 0), "amount" (decimal ≥ 0 as a string),
# "countries" (ISO codes), "words" (short texts), "points" (signal → int), "limits"
# (e-mail → amount).
PARAMETERS: dict[str, dict[str, str]] = {
    "ship_to_country": {"countries": "countries"},
    "packstation": {"methods": "words"},
    "fraud_score": {
        "threshold": "int",
        "velocity_hours": "int",
        "velocity_limit": "int",
        "first_order_limit": "amount",
        "failed_payments_limit": "int",
        "points": "points",
    },
    "duplicate_order": {"window_minutes": "int"},
    "b2b_approval": {"limit": "amount", "customer_limits": "limits"},
}
MAX_WHOLE = 100_000
MAX_ITEMS = 200


def checked_rules(rules: Mapping[str, Mapping[str, Any]]) -> dict[str, RuleSetting]:
    """`{rule: {"mode": …, "params": {…}}}` checked; raises ValidationError naming the field."""
    checked = {}
    for name, entry in rules.items():
        if name not in DEFAULT_RULES:
            raise ValidationError(f"Unknown rule {name!r}.", field=f"rules.{name}")
        mode = entry.get("mode")
        if mode not in MODES:
            raise ValidationError(
                f"The mode must be one of {', '.join(MODES)}.", field=f"rules.{name}.mode"
            )
        params = entry.get("params") or {}
        checked[name] = RuleSetting(str(mode), _checked_params(name, params))
    return checked


def _checked_params(rule: str, params: Mapping[str, Any]) -> dict[str, Any]:
    kinds = PARAMETERS.get(rule, {})
    checked = {}
    for name, value in params.items():
        field = f"rules.{rule}.params.{name}"
        kind = kinds.get(name)
        if kind is None:
            raise ValidationError(f"Rule {rule} has no parameter {name!r}.", field=field)
        checked[name] = _CHECKERS[kind](value, field)
    return checked


def _whole(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WHOLE:
        raise ValidationError(f"A whole number from 0 to {MAX_WHOLE} is needed.", field=field)
    return value


def _amount(value: Any, field: str) -> str:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0 or amount > Decimal(10) ** 12:
        raise ValidationError('An amount such as "500.00" is needed.', field=field)
    return str(amount)


def _countries(value: Any, field: str) -> list[str]:
    codes = _list(value, field)
    for code in codes:
        if not is_iso_country(code):
            raise ValidationError(f"{code!r} is not an ISO 3166-1 country code.", field=field)
    return codes


def _words(value: Any, field: str) -> list[str]:
    words = _list(value, field)
    if any(not word or len(word) > 64 for word in words):
        raise ValidationError("Each entry needs 1 to 64 characters.", field=field)
    return words


def _list(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise ValidationError(f"A list of at most {MAX_ITEMS} texts is needed.", field=field)
    if not all(isinstance(item, str) for item in value):
        raise ValidationError("Every entry must be a text.", field=field)
    return [item.strip() for item in value]


def _points(value: Any, field: str) -> dict[str, int]:
    if not isinstance(value, dict):
        raise ValidationError("Points per signal are needed.", field=field)
    known = DEFAULT_PARAMS["points"]
    for signal in value:
        if signal not in known:
            raise ValidationError(f"Unknown fraud signal {signal!r}.", field=f"{field}.{signal}")
    return {signal: _whole(points, f"{field}.{signal}") for signal, points in value.items()}


def _limits(value: Any, field: str) -> dict[str, str]:
    if not isinstance(value, dict) or len(value) > MAX_ITEMS:
        raise ValidationError("Limits per customer e-mail are needed.", field=field)
    return {
        str(email).lower(): _amount(limit, f"{field}.{email}") for email, limit in value.items()
    }


_CHECKERS: dict[str, Any] = {
    "int": _whole,
    "amount": _amount,
    "countries": _countries,
    "words": _words,
    "points": _points,
    "limits": _limits,
}
