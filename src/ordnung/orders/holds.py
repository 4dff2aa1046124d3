"""Hold rules: the checks that stop an order until a person or a rule lets it go. Pure Python.

Each rule is a small named function over the order and what it may know besides (`HoldContext`)
that answers with the reason and a readable detail, or None. Intake and every later change of
an order run the same tuple, `HOLD_RULES`, through `holds_for`; a new check (fraud, payment,
address, credit) is one more function in that tuple.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ordnung.core.money import from_minor
from ordnung.orders.draft import ExpectedTotals
from ordnung.orders.model import Order
from ordnung.orders.totals import mismatched_totals


@dataclass(frozen=True, slots=True)
class HoldContext:
    """What the rules may look at besides the order itself."""

    known_skus: frozenset[str]
    channel_totals: ExpectedTotals = field(default_factory=ExpectedTotals)


@dataclass(frozen=True, slots=True)
class HoldDecision:
    reason: str
    detail: str
    facts: dict[str, Any] | None = None  # for the back office: see checks/findings.py


HoldRule = Callable[[Order, HoldContext], HoldDecision | None]


def unknown_sku(order: Order, context: HoldContext) -> HoldDecision | None:
    """A SKU the catalogue does not know cannot be sourced or invoiced."""
    unknown = sorted({line.sku for line in order.lines} - context.known_skus)
    if not unknown:
        return None
    return HoldDecision("unknown_sku", "Unknown SKUs: " + ", ".join(unknown))


def totals_mismatch(order: Order, context: HoldContext) -> HoldDecision | None:
    """The channel's totals differ from ours: a price, discount or tax was read wrongly."""
    expected = context.channel_totals
    given = (("subtotal", expected.subtotal), ("tax", expected.tax), ("total", expected.total))
    if all(amount is None for _name, amount in given):
        return None  # the channel sent no totals to compare with
    computed = order.totals()
    mismatched = mismatched_totals(given, computed, order.currency)
    if not mismatched:
        return None
    detail = "Channel totals differ: " + ", ".join(mismatched)
    return HoldDecision("totals_mismatch", detail, _totals_facts(mismatched, expected, order))


def _totals_facts(names: list[str], expected: ExpectedTotals, order: Order) -> dict[str, Any]:
    """One finding per total that differs, with the channel's and our figure, so a person
    reads "Summe laut Kanal 54,93 €, berechnet 49,98 €"."""
    computed = order.totals()
    ours = {"subtotal": computed.subtotal, "tax": computed.tax, "total": computed.total}
    given = {"subtotal": expected.subtotal, "tax": expected.tax, "total": expected.total}
    findings = [
        {
            "rule": "totals_mismatch",
            "key": f"check.totals_mismatch.{name}",
            "values": {
                "channel": {"amount": str(given[name]), "currency": order.currency},
                "computed": {
                    "amount": str(from_minor(ours[name], order.currency)),
                    "currency": order.currency,
                },
            },
        }
        for name in names
    ]
    return {"findings": findings}


HOLD_RULES: tuple[HoldRule, ...] = (unknown_sku, totals_mismatch)


def holds_for(
    order: Order, context: HoldContext, rules: tuple[HoldRule, ...] = HOLD_RULES
) -> list[HoldDecision]:
    """Every hold the rules put on this order, in rule order."""
    return [decision for rule in rules if (decision := rule(order, context)) is not None]
