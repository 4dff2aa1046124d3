"""Where the promise learns of supply on its way: the capabilities that know of it are
registered with `promising.incoming` here, where the application is put together, so
neither side imports the other (purchasing sits beside fulfilment, promising below it).

- open purchase orders (purchasing): ordered − received, at the confirmed date, else the
  expected one; a line without either date is left out (nobody can promise on it);
- transfers in transit (inventory): units sent and not yet received, expected
  TRANSFER_DAYS calendar days after they left (a transfer carries no arrival date yet).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from sqlalchemy.engine import Connection

from ordnung.inventory.transfer_queries import in_transit
from ordnung.promising.incoming import Incoming, register_incoming_source
from ordnung.purchasing.service import incoming_supply


class OpenPurchaseOrders:
    """Open purchase order quantities as incoming supply."""

    def incoming(self, connection: Connection, skus: Collection[str]) -> list[Incoming]:
        return [
            Incoming(
                s.sku, s.location_id, s.quantity, s.expected_date, f"purchase_order {s.po_number}"
            )
            for s in incoming_supply(connection, skus)
            if s.expected_date is not None
        ]


# Days a transfer between two of the merchant's locations is on the road (next-day freight
# plus a day to put it away).
TRANSFER_DAYS = 2


class TransfersInTransit:
    """Units on their way between the merchant's own locations as incoming supply."""

    def incoming(self, connection: Connection, skus: Collection[str]) -> list[Incoming]:
        return [
            Incoming(
                t.sku,
                t.to_location_id,
                t.quantity,
                (t.shipped_at + timedelta(days=TRANSFER_DAYS)).date(),
                "transfer",
            )
            for t in in_transit(connection, set(skus))
        ]


OPEN_PURCHASE_ORDERS = OpenPurchaseOrders()
TRANSFERS_IN_TRANSIT = TransfersInTransit()


def register_supply_sources() -> None:
    """Called once by the API app at start (registering twice is harmless)."""
    register_incoming_source(OPEN_PURCHASE_ORDERS)
    register_incoming_source(TRANSFERS_IN_TRANSIT)
