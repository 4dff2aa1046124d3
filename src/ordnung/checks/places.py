"""Address rules: complete, postal-code format, countries served, DHL Packstation and
Postfiliale; and the tax rate a product's class has in a country. Pure Python."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

import eu_vat_rates_data

from ordnung.catalog.model import TAX_RATES
from ordnung.checks.findings import Finding
from ordnung.checks.postal_codes import matches_postal_format
from ordnung.core.tax import MERCHANT_COUNTRY
from ordnung.orders.draft import Address

# "Packstation 123" / "Postfiliale 456" (DHL's own spelling; also "Paketstation"), and the
# customer's post number (Postnummer) of 6 to 10 digits, which DHL needs to deliver there.
_PACKSTATION = re.compile(r"^\s*(packstation|paketstation|postfiliale)\b", re.IGNORECASE)
_POST_NUMBER = re.compile(r"(?<!\d)\d{6,10}(?!\d)")


def missing_fields(address: Address) -> list[Finding]:
    required = {
        "last_name": address.last_name or address.company,
        "street": address.street,
        "postal_code": address.postal_code,
        "city": address.city,
    }
    missing = [name for name, value in required.items() if not value.strip()]
    if not missing:
        return []
    text = "Shipping address lacks " + ", ".join(missing)
    return [
        Finding("address_complete", "address", "check.address_missing", {"fields": missing}, text)
    ]


def wrong_postal_code(address: Address) -> list[Finding]:
    if not address.postal_code.strip() or matches_postal_format(
        address.country, address.postal_code
    ):
        return []
    values = {"postal_code": address.postal_code, "country": address.country}
    text = f"Postal code {address.postal_code!r} does not have the format of {address.country}"
    return [Finding("postal_code_format", "address", "check.postal_code", values, text)]


def country_not_served(address: Address, allowed: Sequence[str]) -> list[Finding]:
    if not allowed or address.country in allowed:
        return []
    values = {"country": address.country, "allowed": ", ".join(allowed)}
    text = f"The channel does not ship to {address.country} (only {values['allowed']})"
    return [Finding("ship_to_country", "address", "check.country_not_served", values, text)]


def is_packstation(address: Address) -> bool:
    return address.country == "DE" and any(
        _PACKSTATION.match(line) for line in (address.street, address.street2)
    )


def packstation_problems(
    address: Address, shipping_method: str, methods: Sequence[str]
) -> list[Finding]:
    if not is_packstation(address):
        return []
    findings = []
    numbers = " ".join((address.street2, address.company, address.first_name, address.last_name))
    if not _POST_NUMBER.search(numbers):
        text = "Packstation/Postfiliale address without the customer's post number (6-10 digits)"
        findings.append(Finding("packstation", "address", "check.post_number_missing", {}, text))
    if shipping_method.lower() not in {method.lower() for method in methods}:
        values = {"method": shipping_method, "methods": ", ".join(methods)}
        text = f"Shipping method {shipping_method!r} does not deliver to a Packstation/Postfiliale"
        findings.append(Finding("packstation", "address", "check.packstation_method", values, text))
    return findings


def rates_for_class(tax_class: str, country: str) -> frozenset[Decimal] | None:
    """The rates a product of this class may carry when shipped to `country`: the merchant's
    own (below the OSS threshold) or the destination's rates of the same kind (OSS). None when
    the class or the country is unknown: then the rule cannot tell and stays silent."""
    own = TAX_RATES.get(tax_class)
    if own is None:
        return None
    if country == MERCHANT_COUNTRY or tax_class == "zero":
        return frozenset({own})
    destination = _destination_rates(country)
    if destination is None:
        return None
    standard, reduced = destination
    return frozenset({own, standard}) if tax_class == "standard" else frozenset({own, *reduced})


@lru_cache(maxsize=64)
def _destination_rates(country: str) -> tuple[Decimal, frozenset[Decimal]] | None:
    data = eu_vat_rates_data.get_rate(country)
    if data is None:
        return None
    reduced = [*data["reduced"], data["super_reduced"], data["parking"]]
    return _percent(data["standard"]), frozenset(_percent(r) for r in reduced if r is not None)


def _percent(value: float) -> Decimal:
    return Decimal(str(value))
