"""What happens to availability, as events. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from ordnung.core.events import DomainEvent


@dataclass(frozen=True, slots=True)
class AvailabilityChanged(DomainEvent):
    """A SKU's network figures after its stock changed; at most one per SKU per interval
    (debounced), so channels can update their shops without being flooded."""

    type: ClassVar[str] = "availability.changed"
    aggregate_type: ClassVar[str] = "availability"

    sku: str
    on_hand: int
    reserved: int
    available: int
    locations_with_stock: int
    changed_at: datetime
