"""A finding: what one rule found about one order, with the facts a person needs. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class Finding:
    """`message_key` and `values` are what the back office translates and formats (money as
    `money_fact`); `text` is the English sentence the API shows in a hold's `detail`."""

    rule: str
    reason: str
    message_key: str
    values: dict[str, Any]
    text: str
    points: int = 0

    def as_fact(self) -> dict[str, Any]:
        fact: dict[str, Any] = {"rule": self.rule, "key": self.message_key, "values": self.values}
        if self.points:
            fact["points"] = self.points
        return fact


def money_fact(amount: Decimal, currency: str) -> dict[str, str]:
    """An amount as facts keep it (JSON): the back office formats it in the reader's locale."""
    return {"amount": str(amount), "currency": currency}
