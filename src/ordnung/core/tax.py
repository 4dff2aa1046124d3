"""VAT rates an order line may carry, from the maintained `eu-vat-rates-data` package (EU-27
and 18 more European VAT jurisdictions, from the EU Commission's TEDB), not a table of ours.

A rate is a percentage (`19`, `7`, `25.5`) everywhere in Ordnung. A line shipped to a country
may carry that country's rates (OSS: the customer's country taxes the sale) or the merchant's
own (below the OSS threshold the merchant's country does), or 0 (exports, zero-rated goods).
For a country the data does not know, any rate from 0 to 100 is accepted.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import eu_vat_rates_data

# The merchant's country: German market first (design.md). Its rates are always allowed.
MERCHANT_COUNTRY = "DE"
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@lru_cache(maxsize=256)
def country_vat_rates(country: str) -> frozenset[Decimal] | None:
    """The VAT rates of a country as percentages, or None if the data does not know it."""
    rate = eu_vat_rates_data.get_rate(country)
    if rate is None:
        return None
    values = [rate["standard"], *rate["reduced"], rate["super_reduced"], rate["parking"]]
    return frozenset(_percent(value) for value in values if value is not None)


@lru_cache(maxsize=256)
def allowed_vat_rates(ship_to_country: str) -> frozenset[Decimal] | None:
    """Rates a line shipped to this country may carry; None: any rate from 0 to 100."""
    destination = country_vat_rates(ship_to_country)
    if destination is None:
        return None
    return destination | (country_vat_rates(MERCHANT_COUNTRY) or frozenset()) | {ZERO}


def is_allowed_vat_rate(rate: Decimal, ship_to_country: str) -> bool:
    allowed = allowed_vat_rates(ship_to_country)
    if allowed is None:
        return ZERO <= rate <= HUNDRED
    return rate in allowed


def _percent(value: float) -> Decimal:
    # The data holds floats such as 25.5; through str they become the exact decimal shown.
    return Decimal(str(value))
