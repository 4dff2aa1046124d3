"""ISO 3166-1 alpha-2 country codes, from CLDR via Babel (already a dependency for currencies)
minus the regions CLDR adds that ISO 3166-1 does not assign, rather than a table of our own."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

# CLDR region codes that are not ISO 3166-1 alpha-2 country codes.
_NOT_ISO_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)


@lru_cache(maxsize=1)
def iso_countries() -> frozenset[str]:
    codes = {code for code in Locale("en").territories if isinstance(code, str)}
    iso = {code for code in codes if len(code) == 2 and code.isalpha()}
    return frozenset(iso - _NOT_ISO_COUNTRIES)


def is_iso_country(code: str) -> bool:
    return code in iso_countries()
