"""Where the promise learns of supply on its way: the capabilities that know of it are
registered with `promising.incoming` here, where the application is put together, so
neither side imports the other (purchasing sits beside fulfilment, promising below it).

- open purchase orders (purchasing): ordered − received, at the confirmed date, else the
  expected one; a line without either date is left out (nobody can promise on it).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.engine import Connection

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


OPEN_PURCHASE_ORDERS = OpenPurchaseOrders()


def register_supply_sources() -> None:
    """Called once by the API app and the worker at start (registering twice is harmless)."""
    register_incoming_source(OPEN_PURCHASE_ORDERS)
