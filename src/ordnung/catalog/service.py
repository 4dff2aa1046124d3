"""Catalogue use cases: create, find, change and bulk-load products."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import Row, Select, or_, select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.model import (
    Product,
    ProductDraft,
    check_gtin,
    check_name,
    check_product,
    check_tax_class,
    check_weight,
    tax_rate,
)
from ordnung.catalog.tables import product_table as product
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.driver import driver_of
from ordnung.core.errors import ConflictError, NotFoundError
from ordnung.core.idempotency import IdempotentRequest

_COLUMNS = (
    product.c.id,
    product.c.sku,
    product.c.name,
    product.c.gtin,
    product.c.weight_grams,
    product.c.tax_class,
    product.c.created_at,
    product.c.updated_at,
)
_UPSERT_BATCH = 500
EDITABLE_FIELDS = frozenset({"name", "gtin", "weight_grams", "tax_class"})


def _product(row: Row[*tuple[Any, ...]]) -> Product:
    return Product(
        id=row.id,
        sku=row.sku,
        name=row.name,
        gtin=row.gtin,
        weight_grams=row.weight_grams,
        tax_class=row.tax_class,
        tax_rate=str(tax_rate(row.tax_class)),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def create_product(
    db: Database,
    draft: ProductDraft,
    *,
    actor: str = "system",
    idempotency: IdempotentRequest[Product] | None = None,
) -> Product:
    """Adds a product; 409 if the SKU exists. A repeat of a request that already created it
    raises `ReplayedAnswer`."""
    checked = check_product(draft)

    def work(uow: UnitOfWork) -> Product:
        now = clock.now()
        insert = dialect_insert(uow.connection)
        # DO NOTHING instead of catching IntegrityError: a failed statement would abort the
        # PostgreSQL transaction that also holds the idempotency claim.
        row = uow.connection.execute(
            insert(product)
            .values(**asdict(checked), created_at=now, updated_at=now)
            .on_conflict_do_nothing(index_elements=["sku"])
            .returning(*_COLUMNS)
        ).first()
        if row is None:
            raise ConflictError(f"A product with SKU '{checked.sku}' already exists.")
        return _product(row)

    return db.write(work, actor=actor, idempotency=idempotency)


def get_product(db: Database, sku: str) -> Product:
    row = db.read(
        lambda connection: connection.execute(select(*_COLUMNS).where(product.c.sku == sku)).first()
    )
    if row is None:
        raise NotFoundError(f"No product with SKU '{sku}'.")
    return _product(row)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_products(
    db: Database, *, q: str | None = None, after_id: int | None = None, limit: int = 50
) -> dict[str, Any]:
    """One page ordered by id; `next_after_id` is set when more products follow."""
    query: Select[Any] = select(*_COLUMNS).order_by(product.c.id).limit(limit + 1)
    if q:
        pattern = f"%{_escape_like(q)}%"
        query = query.where(
            or_(
                product.c.sku.ilike(pattern, escape="\\"),
                product.c.name.ilike(pattern, escape="\\"),
            )
        )
    if after_id is not None:
        query = query.where(product.c.id > after_id)
    rows = db.read(lambda connection: connection.execute(query).all())
    items = [_product(row) for row in rows[:limit]]
    has_more = len(rows) > limit
    return {"items": items, "next_after_id": items[-1].id if has_more else None}


def _checked_changes(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    checks: dict[str, Callable[[Any], Any]] = {
        "name": check_name,
        "gtin": check_gtin,
        "weight_grams": check_weight,
        "tax_class": check_tax_class,
    }
    return {field: checks[field](value) for field, value in changes.items()}


def update_product(
    db: Database, sku: str, changes: dict[str, Any], *, actor: str = "system"
) -> Product:
    """Changes name, GTIN, weight or tax class. Orders keep their own copies (conventions §7)."""
    checked = _checked_changes(changes)

    def work(uow: UnitOfWork) -> Product:
        row = uow.connection.execute(
            update(product)
            .where(product.c.sku == sku)
            .values(**checked, updated_at=clock.now())
            .returning(*_COLUMNS)
        ).first()
        if row is None:
            raise NotFoundError(f"No product with SKU '{sku}'.")
        return _product(row)

    return db.write(work, actor=actor)


def upsert_products(db: Database, drafts: Sequence[ProductDraft], *, actor: str = "system") -> int:
    """Creates or overwrites many products in one transaction (demo data, imports).

    Returns how many were written."""
    # Last draft per SKU wins: PostgreSQL refuses to upsert one row twice in a statement.
    checked = list({draft.sku: draft for draft in map(check_product, drafts)}.values())

    def work(uow: UnitOfWork) -> int:
        now = clock.now()
        insert = dialect_insert(uow.connection)
        # Batches stay below SQLite's bound-parameter limit.
        for start in range(0, len(checked), _UPSERT_BATCH):
            batch = checked[start : start + _UPSERT_BATCH]
            statement = insert(product).values(
                [{**asdict(draft), "created_at": now, "updated_at": now} for draft in batch]
            )
            excluded = statement.excluded
            uow.connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["sku"],
                    set_={
                        "name": excluded.name,
                        "gtin": excluded.gtin,
                        "weight_grams": excluded.weight_grams,
                        "tax_class": excluded.tax_class,
                        "updated_at": excluded.updated_at,
                    },
                )
            )
        return len(checked)

    return db.write(work, actor=actor)


def product_exists(connection: Connection, sku: str) -> bool:
    """For other capabilities' transactions (stock, order intake)."""
    found = connection.execute(select(product.c.id).where(product.c.sku == sku)).first()
    return found is not None


def product_names(connection: Connection, skus: Collection[str]) -> dict[str, str]:
    """Names of the products with these SKUs (unknown SKUs are left out), inside the caller's
    transaction: order intake asks once per batch of orders."""
    if not skus:
        return {}
    driver = driver_of(connection)
    source, parameters = driver.row_source([(sku,) for sku in sorted(skus)], ("text",))
    return dict(driver.fetch_all(_PRODUCT_NAMES.format(skus=source), parameters))


_PRODUCT_NAMES = "SELECT sku, name FROM product WHERE sku IN ({skus})"
