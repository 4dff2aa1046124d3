"""Orders for rule tests, built with the aggregate as intake builds them (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ordnung.orders.draft import Address, NewOrder, NewOrderLine, price_new_order
from ordnung.orders.model import Order

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
HOME = Address("Erika", "Mustermann", "Heidestraße 17", "51147", "Köln", "DE")


def new_order(
    *,
    lines: tuple[tuple[str, int, str, str], ...] = (("SKU-1", 1, "19.99", "19"),),
    address: Address = HOME,
    billing: Address | None = None,
    customer_id: int = 1,
    external_id: str = "100",
    **draft: Any,
) -> Order:
    """An order of `lines` (SKU, quantity, unit price, tax rate) to `address`."""
    new = NewOrder(
        channel="webshop",
        external_id=external_id,
        currency="EUR",
        email=draft.pop("email", "erika@example.de"),
        first_name="Erika",
        last_name="Mustermann",
        billing_address=billing or address,
        shipping_address=address,
        lines=tuple(
            NewOrderLine(sku, quantity, Decimal(price), Decimal(rate))
            for sku, quantity, price, rate in lines
        ),
        **draft,
    )
    return Order.receive(
        price_new_order(new),
        number="ORD-000001",
        channel_id=1,
        customer_id=customer_id,
        catalogue_names={},
        now=NOW,
    )


def at(address: Address = HOME, **changes: str) -> Address:
    return replace(address, **changes)
