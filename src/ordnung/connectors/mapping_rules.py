"""What every platform mapper shares: reading money and rates with the path of the field,
addresses (Packstation), and spreading an order-level discount over lines. Pure Python.

A mapper turns a platform's order into the body of `POST /orders` (`OrderIn`), so the
order goes through the same checks as any other; `MappedOrder` carries that body and what
the body has no place for (the customer's note, the platform's payment status).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from ordnung.connectors.model import MappingError

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class MappedLine:
    """A line before the channel's SKU mapping: `platform_sku` is the platform's SKU, or
    `product:<id>` / `variant:<id>` when the shop sent the line without one."""

    platform_sku: str
    path: str


@dataclass(frozen=True, slots=True)
class MappedOrder:
    body: dict[str, Any]  # the OrderIn body; lines carry the platform's SKUs
    lines: tuple[MappedLine, ...]
    note: str | None = None
    payment_status: str | None = None
    is_cancelled: bool = False
    # Paid with a gift card of the shop: a payment, so the totals stay as the shop shows them.
    gift_card_amount: Decimal = Decimal(0)


def amount(value: object, path: str) -> Decimal:
    """A money amount as platforms write it (a string, or a JSON number)."""
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MappingError(f"{value!r} is no amount", path=path)
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        raise MappingError(f"{value!r} is no amount", path=path) from None
    if not parsed.is_finite():
        raise MappingError(f"{value!r} is no amount", path=path)
    return parsed


def text(value: object) -> str:
    return "" if value is None else str(value).strip()


def as_body_amount(value: Decimal) -> str:
    """As OrderIn wants money: plain digits, no exponent."""
    return format(value.normalize() if value else Decimal(0), "f")


def as_body_rate(percent: Decimal) -> str:
    return format(percent.normalize(), "f") if percent else "0"


def unit_price_and_discount(line_total_before: Decimal, quantity: int) -> tuple[Decimal, Decimal]:
    """A line's amount before discounts as a unit price exact to the cent and a rest.

    Platforms that send only a line amount (3 for 10.00) have no exact unit price; the
    unit price is rounded up to the cent and the cents too many become part of the line's
    discount, so the line total stays the platform's to the cent."""
    unit = (line_total_before / quantity).quantize(CENT, rounding=ROUND_DOWN)
    if unit * quantity != line_total_before:
        unit += CENT
    return unit, unit * quantity - line_total_before


def spread(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`total` split over lines in proportion to `weights`, to the cent, summing exactly to
    `total` (largest remainder): how an order-level discount lands on lines."""
    whole = sum(weights, Decimal(0))
    if not whole or not total:
        return [Decimal(0) for _ in weights]
    shares = [(total * weight / whole) for weight in weights]
    rounded = [share.quantize(CENT, rounding=ROUND_DOWN) for share in shares]
    rest = int((total - sum(rounded, Decimal(0))) / CENT)
    order = sorted(range(len(shares)), key=lambda index: rounded[index] - shares[index])
    for index in order[:rest]:
        rounded[index] += CENT
    return rounded


_PACKSTATION = re.compile(r"\b(?:packstation|paketstation)\s*(?:nr\.?\s*)?(\d{3})\b", re.I)
_POST_NUMBER = re.compile(r"\b(\d{6,10})\b")


def street_lines(first: str, second: str) -> tuple[str, str]:
    """DHL Packstation addresses written either way round ("Packstation 123" and the
    customer's post number, in either address line) become street "Packstation 123" and
    street2 the post number alone, as DHL labels want them."""
    joined = f"{first} {second}"
    station = _PACKSTATION.search(joined)
    if station is None:
        return first, second
    rest = _PACKSTATION.sub(" ", joined)
    post_number = _POST_NUMBER.search(rest)
    if post_number is None:
        return first, second
    return f"Packstation {station.group(1)}", post_number.group(1)


def address(raw: Mapping[str, Any], path: str, *, keys: Mapping[str, str]) -> dict[str, str]:
    """An AddressIn body from a platform address; `keys` names the platform's fields for
    street, street2, postal_code, country (code) and city."""
    first_name, last_name = text(raw.get("first_name")), text(raw.get("last_name"))
    company = text(raw.get("company"))
    if not (first_name or last_name):
        first_name, last_name = _split_name(text(raw.get("name")) or company)
    if not last_name:
        raise MappingError("the address names no person or company", path=f"{path}.last_name")
    street, street2 = street_lines(text(raw.get(keys["street"])), text(raw.get(keys["street2"])))
    country = text(raw.get(keys["country"])).upper()
    if not street:
        raise MappingError("the address has no street", path=f"{path}.{keys['street']}")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise MappingError(
            f"{country!r} is no two-letter country code", path=f"{path}.{keys['country']}"
        )
    found = {
        "first_name": first_name or last_name,
        "last_name": last_name,
        "company": company,
        "street": street,
        "street2": street2,
        "postal_code": text(raw.get(keys["postal_code"])) or "-",
        "city": text(raw.get(keys["city"])),
        "country": country,
        "phone": text(raw.get("phone"))[:40],
    }
    if not found["city"]:
        raise MappingError("the address has no city", path=f"{path}.{keys['city']}")
    return found


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.rpartition(" ")
    return (first, last) if first else ("", name)


_VAT_KEYS = {"vat_id", "vat", "vat_number", "ustid", "ust_id", "tax_id", "_billing_vat_id"}


def vat_id_from(pairs: Sequence[tuple[object, object]]) -> str | None:
    """A business customer's VAT id from a platform's free key/value attributes
    (Shopify note_attributes, WooCommerce meta_data) under one of the usual names."""
    for key, value in pairs:
        normalised = text(key).lower().replace(" ", "_").replace("-", "_")
        found = text(value).replace(" ", "")
        if normalised in _VAT_KEYS and found:
            return found
    return None
