"""What other capabilities' transactions need to know of products: an order change asks
whether a SKU may be sold and at which tax rate, inside its own unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ordnung.catalog.model import tax_rate
from ordnung.catalog.tables import product_table as product


@dataclass(frozen=True, slots=True)
class SellableProduct:
    sku: str
    name: str
    tax_rate: Decimal


def sellable_product(connection: Connection, sku: str) -> SellableProduct | None:
    """The active product with this SKU, or None (unknown or deactivated: not sold)."""
    row = connection.execute(
        select(product.c.sku, product.c.name, product.c.tax_class).where(
            product.c.sku == sku, product.c.is_active
        )
    ).first()
    if row is None:
        return None
    return SellableProduct(row.sku, row.name, tax_rate(row.tax_class))
