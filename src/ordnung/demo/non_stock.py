"""A few demo orders with non-stock products (catalogue.NON_STOCK_PRODUCTS): gift wrapping
and an engraving that go with the parcel of the goods, a digital gift card and an e-book
ordered on their own — so the order and fulfilment pages show lines that take no stock.

Placed after the random orders, with their own external ids, so the rest of the demo stays
as it was."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from ordnung.core.db import Database
from ordnung.demo.catalogue import NON_STOCK_PRODUCTS, PRODUCTS, DemoProduct
from ordnung.demo.people import DemoCustomer
from ordnung.demo.progress import clock_at
from ordnung.orchestration.intake import place_order
from ordnung.orders.draft import NewOrder, NewOrderLine

_BY_SKU = {product.sku: product for product in PRODUCTS + NON_STOCK_PRODUCTS}

# (hours ago, [(sku, quantity)]): a knife block engraved and gift-wrapped, a cutting board
# engraved, a gift card alone, an e-book beside the printed hiking guide.
_ORDERS: tuple[tuple[int, tuple[tuple[str, int], ...]], ...] = (
    (5, (("HH-0006", 1), ("SV-0002", 1), ("SV-0001", 1))),
    (9, (("HH-0005", 1), ("SV-0002", 1))),
    (3, (("DG-0001", 2),)),
    (7, (("BU-0002", 1), ("DG-0002", 1))),
)


def place_non_stock_orders(db: Database, customers: list[DemoCustomer], now: datetime) -> int:
    """Places the orders above for the first customers; returns how many were placed."""
    for number, ((hours_ago, lines), buyer) in enumerate(
        zip(_ORDERS, customers, strict=False), start=1
    ):
        placed_at = now - timedelta(hours=hours_ago)
        order = NewOrder(
            channel="onlineshop",
            external_id=str(900_000 + number),
            currency="EUR",
            email=buyer.email,
            first_name=buyer.first_name,
            last_name=buyer.last_name,
            phone=buyer.phone,
            billing_address=buyer.address,
            shipping_address=buyer.address,
            lines=tuple(_line(_BY_SKU[sku], quantity) for sku, quantity in lines),
            shipping_amount=_shipping(lines),
            placed_at=placed_at,
        )
        with clock_at(placed_at):
            place_order(db, order, actor="channel:onlineshop")
    return min(len(_ORDERS), len(customers))


def _line(product: DemoProduct, quantity: int) -> NewOrderLine:
    return NewOrderLine(product.sku, quantity, product.price, product.tax_rate_percent)


def _shipping(lines: tuple[tuple[str, int], ...]) -> Decimal:
    """Digital goods alone ship for free; anything with a parcel costs the usual 4.95."""
    is_digital_only = all(sku.startswith("DG-") for sku, _ in lines)
    return Decimal(0) if is_digital_only else Decimal("4.95")
