"""The checks a new order goes through at intake, as named pure rules. No database, no HTTP.

Each rule looks at the order (`Order`) and what intake knows besides (`OrderFacts`) and answers
with findings: the rule's name, the hold reason it stands for, a message key with the facts a
person needs (translated and formatted by the back office), and an English sentence for the
API. Every rule has a mode per channel (`off`, `warn`, `hold`; `settings.py` holds the table,
`DEFAULT_RULES` what a channel without its own row gets). `judge` turns the findings into the
holds to put on and the warnings to record.

The fraud rule adds points from several signals into one explainable score; above the
channel's threshold the order is held and the hold lists every signal that fired with its
points. Intake decides a batch in arrival order and remembers each decided order
(`facts.BatchHistory`), so velocity and duplicate checks see earlier orders of the same batch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ordnung.checks import contact, fraud, places
from ordnung.checks.facts import OrderFacts, line_signature
from ordnung.checks.findings import Finding, money_fact
from ordnung.core.money import from_minor
from ordnung.orders.model import Order

OFF = "off"
WARN = "warn"
HOLD = "hold"
MODES = (OFF, WARN, HOLD)


@dataclass(frozen=True, slots=True)
class RuleSetting:
    """How one rule runs for one channel: its mode and its parameters."""

    mode: str
    params: Mapping[str, Any] = field(default_factory=dict)


Rule = Callable[[Order, OrderFacts, RuleSetting, datetime], list[Finding]]


# -- address ------------------------------------------------------------------------------


def address_complete(
    order: Order, facts: OrderFacts, setting: RuleSetting, now: datetime
) -> list[Finding]:
    """A parcel needs a name, a street, a postal code and a city."""
    return places.missing_fields(order.shipping_address)


def postal_code_format(
    order: Order, facts: OrderFacts, setting: RuleSetting, now: datetime
) -> list[Finding]:
    """The postal code has its country's format (a German one has five digits)."""
    return places.wrong_postal_code(order.shipping_address)


def ship_to_country(
    order: Order, facts: OrderFacts, setting: RuleSetting, now: datetime
) -> list[Finding]:
    """The channel ships only to the countries it lists (an empty list: everywhere)."""
    allowed = [str(code) for code in setting.params.get("countries", [])]
    return places.country_not_served(order.shipping_address, allowed)


def packstation(
    order: Order, facts: OrderFacts, setting: RuleSetting, now: datetime
) -> list[Finding]:
    """A DHL Packstation or Postfiliale needs the customer's post number, and a shipping
    method whose carrier delivers there."""
    methods = [str(method) for method in setting.params.get("methods", DHL_METHODS)]
    return places.packstation_problems(order.shipping_address, order.shipping_method, methods)


# -- contact ------------------------------------------------------------------------------


def email_format(
    order: Order, facts: OrderFacts, setting: RuleSetting, now: datetime
) -> list[Finding]:
    """The e-mail address is well-formed (its domain is not looked up: intake works offline)."""
    return contact.bad_email(order.email)


def phone_format(
    order: Order, facts: OrderFacts, setting: RuleSetting, now: datetime
) -> list[Finding]:
    """A phone number given for the delivery is a possible number of its country."""
    address = order.shipping_address
    return contact.bad_phone(address.phone, address.country)


def vat_id_format(
    order: Order, facts: OrderFacts, setting: RuleSetting, now: datetime
) -> list[Finding]:
    """A B2B customer's VAT id has the format and check digit of its country."""
    return contact.bad_vat_id(order.vat_id)


# -- tax ----------------------------------------------------------------------------------


def tax_class(
    order: Order, facts: OrderFacts, setting: RuleSetting, now: datetime
) -> list[Finding]:
    """Each line's tax rate is the one its product's tax class has in the ship-to country
    (a book at 19 % or a lamp at 7 % is a wrong invoice)."""
    country = order.shipping_address.country
    findings = []
    for line in order.lines:
        product_class = facts.tax_classes.get(line.sku)
        if product_class is None:
            continue  # an unknown SKU is its own hold
        allowed = places.rates_for_class(product_class, country)
        if allowed is None or line.tax_rate in allowed:
            continue
        expected = " / ".join(str(rate) for rate in sorted(allowed))
        findings.append(
            Finding(
                "tax_class",
                "tax",
                "check.tax_rate",
                {
                    "line": line.line_number,
                    "sku": line.sku,
                    "tax_class": product_class,
                    "country": country,
                    "expected": str(expected),
                    "received": str(line.tax_rate),
                },
                f"Line {line.line_number} ({line.sku}): tax rate {line.tax_rate} %, "
                f"expected {expected} % ({product_class} in {country})",
            )
        )
    return findings


# -- fraud, duplicates, approval ----------------------------------------------------------


def fraud_score(
    order: Order, facts: OrderFacts, setting: RuleSetting, now: datetime
) -> list[Finding]:
    """Points from each signal that fired; at or above the threshold, one finding that lists
    them all (see `fraud.py` for the signals)."""
    params = {**DEFAULT_RULES["fraud_score"].params, **setting.params}
    signals = fraud.signals(order, facts, params, now)
    score = sum(signal.points for signal in signals)
    threshold = int(params["threshold"])
    if not signals or score < threshold:
        return []
    values: dict[str, Any] = {
        "score": score,
        "threshold": threshold,
        "signals": [signal.as_fact() for signal in signals],
    }
    text = ", ".join(f"{s.rule} +{s.points}" for s in signals)
    return [
        Finding(
            "fraud_score",
            "fraud",
            "check.fraud_score",
            values,
            f"Fraud score {score} (threshold {threshold}): {text}",
            points=score,
        )
    ]


def duplicate_order(
    order: Order, facts: OrderFacts, setting: RuleSetting, now: datetime
) -> list[Finding]:
    """The same customer sent the same lines to the same address a few minutes ago under
    another external id: a double click or a shop that sent the order twice."""
    minutes = int(setting.params.get("window_minutes", DEFAULT_DUPLICATE_MINUTES))
    since = now - timedelta(minutes=minutes)
    if not facts.recent_orders:
        return []
    lines = line_signature(order)
    ship_to = facts.ship_to_key or order.shipping_address.key()
    for earlier in facts.recent_orders:
        if (
            earlier.customer_id == order.customer_id
            and earlier.ship_to_key == ship_to
            and earlier.created_at >= since
            and (earlier.channel_id, earlier.external_id) != (order.channel_id, order.external_id)
            and earlier.lines == lines
        ):
            values = {"external_id": earlier.external_id, "minutes": minutes}
            text = f"Same customer, address and lines as {earlier.external_id} "
            return [
                Finding(
                    "duplicate_order",
                    "duplicate",
                    "check.duplicate",
                    values,
                    text + f"within {minutes} minutes",
                )
            ]
    return []


def b2b_approval(
    order: Order, facts: OrderFacts, setting: RuleSetting, now: datetime
) -> list[Finding]:
    """A business customer's order above their limit needs a person's approval (Freigabe).
    The limit is the channel's, or the one set for the customer's e-mail address."""
    if not facts.is_b2b:
        return []
    limits = setting.params.get("customer_limits", {})
    limit = Decimal(str(limits.get(order.email, setting.params.get("limit", DEFAULT_LIMIT))))
    total = from_minor(order.totals().total, order.currency)
    if total <= limit:
        return []
    values = {
        "total": money_fact(total, order.currency),
        "limit": money_fact(limit, order.currency),
    }
    text = f"Order total {total} {order.currency} above the approval limit {limit}"
    return [Finding("b2b_approval", "approval", "check.approval", values, text)]


# -- the rules, their defaults, the verdict -----------------------------------------------

DHL_METHODS = ("dhl", "dhl_paket", "dhl_packstation", "dhl_express")
DEFAULT_DUPLICATE_MINUTES = 30
DEFAULT_LIMIT = "5000"

RULES: dict[str, Rule] = {
    "address_complete": address_complete,
    "postal_code_format": postal_code_format,
    "ship_to_country": ship_to_country,
    "packstation": packstation,
    "email_format": email_format,
    "phone_format": phone_format,
    "vat_id_format": vat_id_format,
    "tax_class": tax_class,
    "fraud_score": fraud_score,
    "duplicate_order": duplicate_order,
    "b2b_approval": b2b_approval,
}

# What a channel without its own settings gets (README: Checks at intake).
DEFAULT_RULES: dict[str, RuleSetting] = {
    "address_complete": RuleSetting(HOLD),
    "postal_code_format": RuleSetting(HOLD),
    "ship_to_country": RuleSetting(HOLD, {"countries": []}),
    "packstation": RuleSetting(HOLD, {"methods": list(DHL_METHODS)}),
    "email_format": RuleSetting(WARN),
    "phone_format": RuleSetting(WARN),
    "vat_id_format": RuleSetting(HOLD),
    "tax_class": RuleSetting(HOLD),
    "fraud_score": RuleSetting(HOLD, fraud.DEFAULT_PARAMS),
    "duplicate_order": RuleSetting(HOLD, {"window_minutes": DEFAULT_DUPLICATE_MINUTES}),
    "b2b_approval": RuleSetting(HOLD, {"limit": DEFAULT_LIMIT, "customer_limits": {}}),
}


@dataclass(frozen=True, slots=True)
class HoldVerdict:
    """One hold to put on: its reason, the English detail for the API, and the findings as
    structured facts for the back office."""

    reason: str
    detail: str
    facts: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Verdict:
    holds: list[HoldVerdict]
    warnings: list[Finding]


def run_rules(
    order: Order,
    facts: OrderFacts,
    settings: Mapping[str, RuleSetting],
    now: datetime,
    rules: Mapping[str, Rule] = RULES,
) -> Verdict:
    """Runs every rule that is not off for the channel and sorts the findings into holds
    (one per reason, listing every rule that fired) and warnings."""
    held: dict[str, list[Finding]] = {}
    warnings: list[Finding] = []
    for name, rule in rules.items():
        setting = settings.get(name, DEFAULT_RULES[name])
        if setting.mode == OFF:
            continue
        findings = rule(order, facts, setting, now)
        if setting.mode == WARN:
            warnings.extend(findings)
        else:
            for finding in findings:
                held.setdefault(finding.reason, []).append(finding)
    return Verdict([_hold_verdict(reason, found) for reason, found in held.items()], warnings)


def _hold_verdict(reason: str, findings: list[Finding]) -> HoldVerdict:
    detail = "; ".join(finding.text for finding in findings)
    return HoldVerdict(reason, detail, {"findings": [f.as_fact() for f in findings]})
