"""The tax class of products, read set-wise for the intake checks (checks/service.py)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ordnung.catalog.tables import product_table


def product_tax_classes(connection: Connection, skus: Collection[str]) -> dict[str, str]:
    """SKU → tax class (`standard`, `reduced`, `zero`) of the known products among `skus`."""
    if not skus:
        return {}
    query = select(product_table.c.sku, product_table.c.tax_class).where(
        product_table.c.sku.in_(sorted(skus))
    )
    return {str(sku): str(tax_class) for sku, tax_class in connection.execute(query)}
