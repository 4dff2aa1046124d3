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


@dataclass(frozen=True, slots=True)
class TransferShipped(DomainEvent):
    """Units left a location for another: they are on the way (in transit)."""

    type: ClassVar[str] = "stock_transfer.shipped"
    aggregate_type: ClassVar[str] = "stock_transfer"

    number: str
    from_location: str
    to_location: str
    lines: list[dict[str, object]]
    cause: str
    shipped_at: datetime


@dataclass(frozen=True, slots=True)
class TransferReceived(DomainEvent):
    """The last units of a transfer arrived: every line is received."""

    type: ClassVar[str] = "stock_transfer.received"
    aggregate_type: ClassVar[str] = "stock_transfer"

    number: str
    to_location: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class TransferCancelled(DomainEvent):
    """A transfer was called off: what had not arrived went back to the source."""

    type: ClassVar[str] = "stock_transfer.cancelled"
    aggregate_type: ClassVar[str] = "stock_transfer"

    number: str
    returned: list[dict[str, object]]
    note: str


@dataclass(frozen=True, slots=True)
class StockImported(DomainEvent):
    """An outside system's stock (snapshot or delta) was applied; refused lines need a person."""

    type: ClassVar[str] = "stock_import.completed"
    aggregate_type: ClassVar[str] = "stock_import"

    source: str
    mode: str
    status: str
    changed: int
    unchanged: int
    refused: int
