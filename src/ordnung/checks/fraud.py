"""The fraud signals: each a small named rule worth points; `model.fraud_score` adds them up.
Pure Python.

Disposable e-mail domains come from the `disposable-email-domains` package (the community
list at github.com/disposable-email-domains/disposable-email-domains).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from disposable_email_domains import blocklist

from ordnung.checks.facts import OrderFacts
from ordnung.checks.findings import money_fact
from ordnung.core.money import from_minor
from ordnung.orders.model import Order

# Points per signal and the thresholds they use; a channel may override any of them.
DEFAULT_PARAMS: dict[str, Any] = {
    "threshold": 60,
    "velocity_hours": 24,
    "velocity_limit": 3,
    "first_order_limit": "500",
    "failed_payments_limit": 3,
    "points": {
        "velocity_email": 25,
        "velocity_address": 20,
        "velocity_card": 30,
        "first_order_value": 20,
        "country_mismatch": 15,
        "disposable_email": 25,
        "fraud_history": 60,
        "failed_payments": 20,
    },
}


@dataclass(frozen=True, slots=True)
class Signal:
    rule: str
    points: int
    values: dict[str, Any]

    def as_fact(self) -> dict[str, Any]:
        return {"rule": self.rule, "points": self.points, "values": self.values}


def signals(order: Order, facts: OrderFacts, params: dict[str, Any], now: datetime) -> list[Signal]:
    """Every signal that fired, with the channel's points (0 points: the signal is off)."""
    points = {**DEFAULT_PARAMS["points"], **params.get("points", {})}
    limit = int(params["velocity_limit"])
    found: list[tuple[str, dict[str, Any]] | None] = [
        _velocity("velocity_email", facts.orders_by_email, limit),
        _velocity("velocity_address", facts.orders_by_address, limit),
        _velocity("velocity_card", facts.orders_by_card, limit),
        _first_order_value(order, facts, Decimal(str(params["first_order_limit"]))),
        _country_mismatch(order),
        _disposable_email(order),
        _fraud_history(facts),
        _failed_payments(facts, int(params["failed_payments_limit"])),
    ]
    return [
        Signal(rule, int(points.get(rule, 0)), values)
        for rule, values in (item for item in found if item is not None)
        if int(points.get(rule, 0)) > 0
    ]


def _velocity(rule: str, earlier: int, limit: int) -> tuple[str, dict[str, Any]] | None:
    """More orders than the limit in the window (this one included)."""
    if earlier + 1 <= limit:
        return None
    return rule, {"count": earlier + 1, "limit": limit}


def _first_order_value(
    order: Order, facts: OrderFacts, limit: Decimal
) -> tuple[str, dict[str, Any]] | None:
    if not facts.is_first_order:
        return None
    total = from_minor(order.totals().total, order.currency)
    if total <= limit:
        return None
    values = {
        "total": money_fact(total, order.currency),
        "limit": money_fact(limit, order.currency),
    }
    return "first_order_value", values


def _country_mismatch(order: Order) -> tuple[str, dict[str, Any]] | None:
    billing, shipping = order.billing_address.country, order.shipping_address.country
    if billing == shipping:
        return None
    return "country_mismatch", {"billing": billing, "shipping": shipping}


def _disposable_email(order: Order) -> tuple[str, dict[str, Any]] | None:
    domain = order.email.rpartition("@")[2].lower()
    if domain not in blocklist:
        return None
    return "disposable_email", {"domain": domain}


def _fraud_history(facts: OrderFacts) -> tuple[str, dict[str, Any]] | None:
    if facts.fraud_history == 0:
        return None
    return "fraud_history", {"count": facts.fraud_history}


def _failed_payments(facts: OrderFacts, limit: int) -> tuple[str, dict[str, Any]] | None:
    if facts.failed_payments < limit:
        return None
    return "failed_payments", {"count": facts.failed_payments, "limit": limit}
