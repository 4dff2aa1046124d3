"""Postal-code formats by country. Pure Python.

No maintained offline library covers this (`pgeocode` downloads its data, `postal-codes-tools`
is unmaintained since 2023), so this is a compact table for the EU, CH, GB, NO, LI and US,
taken from the `zip` patterns of Google's address metadata (libaddressinput,
https://chromium-i18n.appspot.com/ssl-address/data). A country not in the table is not
checked: a wrong refusal would stop real orders.
"""

from __future__ import annotations

import re

_PATTERNS: dict[str, str] = {
    "AT": r"\d{4}",
    "BE": r"\d{4}",
    "BG": r"\d{4}",
    "CH": r"\d{4}",
    "CY": r"\d{4}",
    "CZ": r"\d{3} ?\d{2}",
    "DE": r"\d{5}",
    "DK": r"\d{4}",
    "EE": r"\d{5}",
    "ES": r"\d{5}",
    "FI": r"\d{5}",
    "FR": r"\d{2} ?\d{3}",
    "GB": r"GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}",
    "GR": r"\d{3} ?\d{2}",
    "HR": r"\d{5}",
    "HU": r"\d{4}",
    "IE": r"[\dA-Z]{3} ?[\dA-Z]{4}",
    "IT": r"\d{5}",
    "LI": r"948[5-9]|949[0-7]",
    "LT": r"(LT-)?\d{5}",
    "LU": r"(L-)?\d{4}",
    "LV": r"(LV-)?\d{4}",
    "MT": r"[A-Z]{3} ?\d{2,4}",
    "NL": r"\d{4} ?[A-Z]{2}",
    "NO": r"\d{4}",
    "PL": r"\d{2}-\d{3}",
    "PT": r"\d{4}-\d{3}",
    "RO": r"\d{6}",
    "SE": r"\d{3} ?\d{2}",
    "SI": r"(SI-)?\d{4}",
    "SK": r"\d{3} ?\d{2}",
    "US": r"\d{5}(-\d{4})?",
}
_COMPILED = {country: re.compile(pattern) for country, pattern in _PATTERNS.items()}


def is_known_format(country: str) -> bool:
    return country in _COMPILED


def matches_postal_format(country: str, postal_code: str) -> bool:
    """True if the code has the country's format, or the country is not in the table."""
    pattern = _COMPILED.get(country)
    if pattern is None:
        return True
    return pattern.fullmatch(postal_code.strip().upper()) is not None
