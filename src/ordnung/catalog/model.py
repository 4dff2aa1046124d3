"""Products as the catalogue knows them: identity (SKU, GTIN), weight and tax class.

Pure rules only; the service stores what these functions accept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from stdnum import ean
from stdnum.exceptions import ValidationError as StdnumValidationError

from ordnung.core.errors import ValidationError

# German VAT (UStG §12): the class is stored on the product, the rate is derived, so a rate change
# is one edit here and order lines keep the rate they were placed with (conventions §7).
# Rates are percentages, the one representation of a tax rate everywhere (order lines too).
TAX_RATES: dict[str, Decimal] = {
    "standard": Decimal("19"),
    "reduced": Decimal("7"),
    "zero": Decimal("0"),
}

# SKUs appear in URL paths (/products/{sku}, /stock/{sku}/…), so no slashes or spaces.
SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_NAME_LENGTH = 300
# 1 t: heavier goods go by freight, not parcel; anything above is a typo.
MAX_WEIGHT_GRAMS = 1_000_000


@dataclass(frozen=True, slots=True)
class ProductDraft:
    """A product as submitted for creation or bulk upsert."""

    sku: str
    name: str
    tax_class: str = "standard"
    gtin: str | None = None
    weight_grams: int | None = None
    stock_policy: str = "stocked"
    allow_backorder: bool = True
    release_on: date | None = None
    preorder_cap: int | None = None


@dataclass(frozen=True, slots=True)
class ProductImportRow:
    """One product of an import file: its fields, whether it is sold and its stock policy.
    `is_active` None keeps an existing product's state (a new product is active);
    `stock_policy` None keeps its policy (a new product is stocked)."""

    draft: ProductDraft
    is_active: bool | None = None
    stock_policy: str | None = None


@dataclass(frozen=True, slots=True)
class Product:
    """A stored product. The field order is the order of the API's JSON keys.

    `tax_rate` follows from `tax_class` (see `tax_rate`): a percentage written as a decimal
    string ("19") the way the API writes exact numbers, so the product renders to JSON as it
    is."""

    id: int
    sku: str
    name: str
    gtin: str | None
    weight_grams: int | None
    tax_class: str
    tax_rate: str
    created_at: datetime
    updated_at: datetime
    # Inactive: kept for history, hidden from the back office's default list, not sold
    # (order intake answers only for active products, so an order for one is held).
    is_active: bool = True
    version: int = 1
    stock_policy: str = "stocked"
    allow_backorder: bool = True
    release_on: date | None = None
    preorder_cap: int | None = None


def invalid(field: str, message: str) -> ValidationError:
    """A 422 problem that names the offending field, shaped like request-validation errors."""
    return ValidationError(
        f"Invalid fields: {field}",
        errors=[{"field": field, "message": message, "type": "value_error"}],
    )


def tax_rate(tax_class: str) -> Decimal:
    try:
        return TAX_RATES[tax_class]
    except KeyError:
        raise invalid("tax_class", f"must be one of {', '.join(TAX_RATES)}") from None


def check_tax_class(tax_class: str) -> str:
    tax_rate(tax_class)
    return tax_class


def check_sku(sku: str) -> str:
    if not SKU_PATTERN.fullmatch(sku):
        raise invalid("sku", "1-64 letters, digits, '.', '_' or '-', starting with a letter/digit")
    return sku


def check_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > MAX_NAME_LENGTH:
        raise invalid("name", f"must be 1 to {MAX_NAME_LENGTH} characters")
    return cleaned


def check_gtin(gtin: str | None) -> str | None:
    """GTIN-8/12/13/14 with a correct GS1 check digit, returned without spaces or dashes."""
    if gtin is None:
        return None
    try:
        compact = ean.validate(gtin)
    except StdnumValidationError as error:
        raise invalid("gtin", f"not a valid GTIN: {error}") from None
    return str(compact)


def check_weight(weight_grams: int | None) -> int | None:
    if weight_grams is not None and not 0 <= weight_grams <= MAX_WEIGHT_GRAMS:
        raise invalid("weight_grams", f"must be between 0 and {MAX_WEIGHT_GRAMS}")
    return weight_grams


# How a product meets stock (docs/stock-policy.md): `stocked` is sourced from stock and waits
# as a backorder; `preorder` waits, unsourced, until `release_on`, and orders beyond
# `preorder_cap` open units are held; `non_stock` (services, digital goods, made to order)
# has no stock at all: never reserved, never backordered, no ledger rows — its units ride
# along with the order's parcel (sourcing/model.py `ride_along`).
STOCKED = "stocked"
PREORDER = "preorder"
NON_STOCK = "non_stock"
STOCK_POLICIES = (STOCKED, PREORDER, NON_STOCK)
# The policy fields: the catalogue CSV carries only `stock_policy` (a column of its own, kept
# when empty); an import leaves the others alone.
POLICY_FIELDS = frozenset({"stock_policy", "allow_backorder", "release_on", "preorder_cap"})
MAX_PREORDER_CAP = 10_000_000


def check_stock_policy(stock_policy: str) -> str:
    if stock_policy not in STOCK_POLICIES:
        raise invalid("stock_policy", f"must be one of {', '.join(STOCK_POLICIES)}")
    return stock_policy


def check_preorder_cap(cap: int | None) -> int | None:
    if cap is not None and not 0 <= cap <= MAX_PREORDER_CAP:
        raise invalid("preorder_cap", f"must be between 0 and {MAX_PREORDER_CAP}")
    return cap


def check_allow_backorder(allowed: bool) -> bool:
    return bool(allowed)


def check_release_on(release_on: date | None) -> date | None:
    return release_on


def invalid_fields(draft: ProductDraft) -> list[str]:
    """Every field of the draft that its check refuses, in form order: a form or an import
    row shows all its problems at once rather than one per attempt."""
    checks: tuple[tuple[str, Callable[[], object]], ...] = (
        ("sku", lambda: check_sku(draft.sku)),
        ("name", lambda: check_name(draft.name)),
        ("gtin", lambda: check_gtin(draft.gtin)),
        ("weight_grams", lambda: check_weight(draft.weight_grams)),
        ("tax_class", lambda: check_tax_class(draft.tax_class)),
    )
    refused = []
    for field, check in checks:
        try:
            check()
        except ValidationError:
            refused.append(field)
    return refused


def check_product(draft: ProductDraft) -> ProductDraft:
    """The draft normalised (trimmed name, compact GTIN), or a 422 naming the first bad field."""
    return replace(
        draft,
        tax_class=check_tax_class(draft.tax_class),
        sku=check_sku(draft.sku),
        name=check_name(draft.name),
        gtin=check_gtin(draft.gtin),
        weight_grams=check_weight(draft.weight_grams),
        stock_policy=check_stock_policy(draft.stock_policy),
        preorder_cap=check_preorder_cap(draft.preorder_cap),
    )
