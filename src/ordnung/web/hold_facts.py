"""Holds and check findings in the reader's language, with formatted figures: "Summe laut
Kanal 54,93 €, berechnet 49,98 €". The facts come from checks/findings.py (and
orders/holds.py for totals); their message keys are in words_checks.py."""

from __future__ import annotations

from typing import Any

from ordnung.web.i18n import Translator

# Values that are tax rates in percent (shown as "19 %").
_PERCENT_VALUES = frozenset({"received"})


def describe_facts(t: Translator, facts: dict[str, Any] | None) -> list[str]:
    """One sentence per finding of a hold (or a warning's single finding)."""
    if not facts:
        return []
    findings = facts.get("findings", [facts])
    return [_sentence(t, finding) for finding in findings if isinstance(finding, dict)]


def fired_rules(t: Translator, facts: dict[str, Any] | None) -> list[str]:
    """The names of the rules that fired, in the reader's language."""
    if not facts:
        return []
    names = [str(f.get("rule", "")) for f in facts.get("findings", [facts]) if isinstance(f, dict)]
    return [_label(t, f"check.rule.{name}", name) for name in dict.fromkeys(names) if name]


def _sentence(t: Translator, finding: dict[str, Any]) -> str:
    key = str(finding.get("key", ""))
    values = {name: _shown(t, name, value) for name, value in finding.get("values", {}).items()}
    if key == "check.fraud_score":
        values["signals"] = "; ".join(_signal(t, s) for s in finding["values"].get("signals", []))
    if not t.has(key):
        return key
    try:
        return t(key, **values)
    except (KeyError, IndexError, ValueError):  # facts of an older shape: show the key
        return key


def _signal(t: Translator, signal: dict[str, Any]) -> str:
    rule = str(signal.get("rule", ""))
    values = {name: _shown(t, name, value) for name, value in signal.get("values", {}).items()}
    key = f"check.signal.{rule}"
    text = t(key, **values) if t.has(key) else rule
    return f"{text} (+{signal.get('points', 0)})"


def _shown(t: Translator, name: str, value: Any) -> str:
    if isinstance(value, dict) and "amount" in value and "currency" in value:
        return t.money(str(value["amount"]), str(value["currency"]))
    if isinstance(value, list):
        if name == "fields":
            return ", ".join(_label(t, f"check.field.{item}", str(item)) for item in value)
        return ", ".join(_shown(t, name, item) for item in value)
    if name in _PERCENT_VALUES:
        return t.percent(str(value))
    if name == "expected":
        return " / ".join(t.percent(rate) for rate in str(value).split(" / "))
    return str(value)


def _label(t: Translator, key: str, fallback: str) -> str:
    return t(key) if t.has(key) else fallback
