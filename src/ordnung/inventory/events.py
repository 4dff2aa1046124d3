"""What happens to stock, as events. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from ordnung.core.events import DomainEvent


@dataclass(frozen=True, slots=True)
class StockChanged(DomainEvent):
    """A person or a system counted or moved stock: the position as it is now, and the change."""

    type: ClassVar[str] = "stock.changed"
    aggregate_type: ClassVar[str] = "stock_position"

    id: int
    sku: str
    location: str
    on_hand: int
    reserved: int
    safety_stock: int
    available: int
    updated_at: datetime
    kind: str
    delta: int
    reason: str
