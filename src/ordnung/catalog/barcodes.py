"""What a scanner reads on a product: its GTIN (EAN) or its SKU. For other capabilities'
transactions (the pick list prints a product's barcode, a scan finds its SKU again)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from ordnung.catalog.tables import product_table as product


def product_labels(
    connection: Connection, skus: Collection[str]
) -> dict[str, tuple[str, str | None]]:
    """Name and GTIN of the products with these SKUs, active or not (a pick list prints work
    already sold); unknown SKUs are left out."""
    found: dict[str, tuple[str, str | None]] = {}
    ordered = sorted(set(skus))
    for start in range(0, len(ordered), 500):  # bounded IN lists
        chunk = ordered[start : start + 500]
        rows = connection.execute(
            select(product.c.sku, product.c.name, product.c.gtin).where(product.c.sku.in_(chunk))
        )
        found.update({sku: (name, gtin) for sku, name, gtin in rows})
    return found


def skus_for_barcode(connection: Connection, barcode: str) -> set[str]:
    """The SKUs a scanned code names: the product with that SKU, and those with that GTIN."""
    rows = connection.execute(
        select(product.c.sku).where(or_(product.c.sku == barcode, product.c.gtin == barcode))
    ).scalars()
    return set(rows)
