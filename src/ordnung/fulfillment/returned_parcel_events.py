"""What happens to a parcel that comes back to its location, as events. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ordnung.core.events import DomainEvent


@dataclass(frozen=True, slots=True)
class ShipmentReturnedToSender(DomainEvent):
    """The carrier brought the parcel back (refused, undeliverable, …): it waits in the
    location's queue as returned parcel `returned_parcel_id`."""

    type: ClassVar[str] = "shipment.returned_to_sender"
    aggregate_type: ClassVar[str] = "shipment"

    fulfillment_order_id: int
    location_id: int
    returned_parcel_id: int
    tracking_number: str
    from_status: str
    reason: str
    note: str
    lines: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class ReturnedParcelProcessed(DomainEvent):
    """The location settled the returned parcel: per SKU, units back on the shelf
    (`restocked`) and units written off (`written_off`, with `write_off_cause`)."""

    type: ClassVar[str] = "returned_parcel.processed"
    aggregate_type: ClassVar[str] = "returned_parcel"

    shipment_id: int
    location_id: int
    write_off_cause: str
    lines: list[dict[str, Any]]
