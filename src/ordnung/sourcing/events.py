"""Sourcing's domain events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ordnung.core.events import DomainEvent


@dataclass(frozen=True, slots=True)
class SourcingRulesActivated(DomainEvent):
    """A channel's rule version became active (the one before it, if any, was retired):
    orders taken in from now on are sourced under it."""

    type: ClassVar[str] = "sourcing_rules.activated"
    aggregate_type: ClassVar[str] = "sourcing_rules"  # a version of a channel's rules

    channel: str
    number: int
    retired_number: int | None
    rules: dict[str, Any]
