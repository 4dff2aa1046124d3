"""Substitute products: which catalogue products may stand in for a product, in the order an
agent should offer them. One transaction per change; orders read them inside their own.

The list has its own version (`product.substitutes_version`), bumped by every replacement
with a compare-and-set on the product's row: a person or client that saw an older list is
refused (409) instead of overwriting what someone else stored meanwhile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.tables import product_substitute_table as substitute
from ordnung.catalog.tables import product_table as product
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import NotFoundError, StaleVersionError, ValidationError

MAX_SUBSTITUTES = 20


def substitutes_of(connection: Connection, sku: str) -> list[str]:
    """The product's substitutes, first choice first (inside the caller's transaction)."""
    rows = connection.execute(
        select(substitute.c.substitute_sku)
        .where(substitute.c.product_sku == sku)
        .order_by(substitute.c.rank)
    ).scalars()
    return [str(sku) for sku in rows]


@dataclass(frozen=True, slots=True)
class Substitutes:
    """A product's substitutes, first choice first, and the list's version."""

    skus: list[str]
    version: int


def get_substitutes(db: Database, sku: str) -> Substitutes:
    def read(connection: Connection) -> Substitutes:
        version = _version(connection, sku)
        return Substitutes(substitutes_of(connection, sku), version)

    return db.read(read)


def set_substitutes(
    db: Database,
    sku: str,
    skus: Sequence[str],
    *,
    actor: str,
    expected_version: int | None = None,
) -> Substitutes:
    """Replaces the product's substitutes by `skus`, in this order. Each must be another
    catalogue product, named once. With `expected_version`, a list that changed since is a
    `StaleVersionError`; without, the last writer wins."""
    if sku in skus:
        raise ValidationError("A product cannot be its own substitute.", field="substitutes")
    if len(set(skus)) != len(skus) or len(skus) > MAX_SUBSTITUTES:
        raise ValidationError(
            f"Name each substitute once, at most {MAX_SUBSTITUTES}.", field="substitutes"
        )

    def work(uow: UnitOfWork) -> Substitutes:
        version = _next_version(uow.connection, sku, expected_version)
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
        return Substitutes(list(skus), version)

    return db.write(work, actor=actor)


def _next_version(connection: Connection, sku: str, expected: int | None) -> int:
    """Compare-and-set on the product's row (which it locks until commit, so concurrent
    replacements of one list take turns and the later one sees the new version)."""
    bump = update(product).where(product.c.sku == sku)
    if expected is not None:
        bump = bump.where(product.c.substitutes_version == expected)
    new = connection.execute(
        bump.values(substitutes_version=product.c.substitutes_version + 1).returning(
            product.c.substitutes_version
        )
    ).scalar()
    if new is None:
        current = _version(connection, sku)
        raise StaleVersionError(
            f"The substitutes of {sku} were changed by someone else (version {current}, "
            f"not {expected}); reload them.",
            current_version=current,
        )
    return int(new)


def _version(connection: Connection, sku: str) -> int:
    version = connection.execute(
        select(product.c.substitutes_version).where(product.c.sku == sku)
    ).scalar()
    if version is None:
        raise NotFoundError(f"Product {sku} does not exist.")
    return int(version)
