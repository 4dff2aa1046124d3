"""An order's totals from its lines: line totals, VAT per rate group, grand total. Pure Python.

One function for every moment an order's amounts are computed — intake, and later any edit —
so they can never disagree. Amounts are integer minor units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from ordnung.core.money import to_minor


class PricedItem(Protocol):
    """What totals need of a line (a priced draft line or a stored order line)."""

    @property
    def quantity(self) -> int: ...
    @property
    def unit_price(self) -> int: ...
    @property
    def discount(self) -> int: ...
    @property
    def tax_rate(self) -> Decimal: ...


@dataclass(frozen=True, slots=True)
class Totals:
    """Minor units. `line_totals` in line order; VAT per rate group (EN 16931 BR-CO-17)."""

    line_totals: tuple[int, ...]
    subtotal: int
    shipping: int
    tax: int
    total: int
    tax_by_rate: dict[Decimal, int]


def line_total(line: PricedItem) -> int:
    return line.unit_price * line.quantity - line.discount


def compute_totals(
    lines: Sequence[PricedItem],
    *,
    shipping: int,
    shipping_tax_rate: Decimal,
    prices_include_tax: bool,
) -> Totals:
    """Line totals, subtotal, VAT per rate group and grand total."""
    line_totals = tuple(line_total(line) for line in lines)
    base_by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line, minor in zip(lines, line_totals, strict=True):
        base_by_rate[line.tax_rate] += Decimal(minor)
    base_by_rate[shipping_tax_rate] += Decimal(shipping)
    tax_by_rate = {
        rate: _tax_for_group(base, rate, prices_include_tax)
        for rate, base in base_by_rate.items()
        if base
    }
    subtotal = sum(line_totals)
    tax = sum(tax_by_rate.values())
    total = subtotal + shipping + (0 if prices_include_tax else tax)
    return Totals(line_totals, subtotal, shipping, tax, total, tax_by_rate)


def _tax_for_group(base_minor: Decimal, rate: Decimal, is_gross: bool) -> int:
    # One rounding per rate group, not per line (EN 16931 BR-CO-17). The base is already in
    # minor units, so rounding to a whole number is rounding to the currency's minor unit.
    raw = base_minor - base_minor / (1 + rate / 100) if is_gross else base_minor * rate / 100
    return int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def mismatched_totals(
    expected: tuple[tuple[str, Decimal | None], ...], totals: Totals, currency: str
) -> list[str]:
    """Names of the totals a channel sent (name, amount) that differ from ours."""
    computed = {"subtotal": totals.subtotal, "tax": totals.tax, "total": totals.total}
    mismatches = []
    for name, given in expected:
        if given is None:
            continue
        try:
            if to_minor(given, currency) != computed[name]:
                mismatches.append(name)
        except ValueError:
            mismatches.append(name)
    return mismatches
