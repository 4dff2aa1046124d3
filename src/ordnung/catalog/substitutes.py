"""Substitute products: which catalogue products may stand in for a product, in the order an
agent should offer them. One transaction per change; orders read them inside their own."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from ordnung.catalog.tables import product_substitute_table as substitute
from ordnung.catalog.tables import product_table as product
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import NotFoundError, ValidationError

MAX_SUBSTITUTES = 20


def substitutes_of(connection: Connection, sku: str) -> list[str]:
    """The product's substitutes, first choice first (inside the caller's transaction)."""
    rows = connection.execute(
        select(substitute.c.substitute_sku)
        .where(substitute.c.product_sku == sku)
        .order_by(substitute.c.rank)
    ).scalars()
    return [str(sku) for sku in rows]


def get_substitutes(db: Database, sku: str) -> list[str]:
    def read(connection: Connection) -> list[str]:
        _check_exists(connection, sku)
        return substitutes_of(connection, sku)

    return db.read(read)


def set_substitutes(db: Database, sku: str, skus: Sequence[str], *, actor: str) -> list[str]:
    """Replaces the product's substitutes by `skus`, in this order. Each must be another
    catalogue product, named once."""
    if sku in skus:
        raise ValidationError("A product cannot be its own substitute.", field="substitutes")
    if len(set(skus)) != len(skus) or len(skus) > MAX_SUBSTITUTES:
        raise ValidationError(
            f"Name each substitute once, at most {MAX_SUBSTITUTES}.", field="substitutes"
        )

    def work(uow: UnitOfWork) -> list[str]:
        _check_exists(uow.connection, sku)
        known = set(
            uow.connection.execute(select(product.c.sku).where(product.c.sku.in_(skus))).scalars()
        )
        unknown = [s for s in skus if s not in known]
        if unknown:
            raise ValidationError("Unknown products: " + ", ".join(unknown), field="substitutes")
        uow.connection.execute(delete(substitute).where(substitute.c.product_sku == sku))
        rows = [
            {"product_sku": sku, "substitute_sku": s, "rank": rank}
            for rank, s in enumerate(skus, start=1)
        ]
        if rows:
            uow.connection.execute(insert(substitute), rows)
        return list(skus)

    return db.write(work, actor=actor)


def _check_exists(connection: Connection, sku: str) -> None:
    if connection.execute(select(product.c.id).where(product.c.sku == sku)).first() is None:
        raise NotFoundError(f"Product {sku} does not exist.")
