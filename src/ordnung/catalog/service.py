"""Catalogue use cases: create, find, change, (de)activate, import and export products."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, or_, select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.model import (
    NON_STOCK,
    POLICY_FIELDS,
    Product,
    ProductDraft,
    ProductImportRow,
    check_allow_backorder,
    check_gtin,
    check_name,
    check_preorder_cap,
    check_product,
    check_release_on,
    check_stock_policy,
    check_tax_class,
    check_weight,
    invalid,
    tax_rate,
)
from ordnung.catalog.tables import product_table as product
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.driver import driver_of
from ordnung.core.errors import ConflictError, NotFoundError, StaleVersionError
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
    product.c.is_active,
    product.c.version,
    product.c.stock_policy,
    product.c.allow_backorder,
    product.c.release_on,
    product.c.preorder_cap,
)
_UPSERT_BATCH = 500
# Rows an import writes per statement; progress is reported after each batch.
IMPORT_BATCH = 500
EDITABLE_FIELDS = frozenset({"name", "gtin", "weight_grams", "tax_class"}) | POLICY_FIELDS


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
        is_active=bool(row.is_active),
        version=row.version,
        stock_policy=row.stock_policy,
        allow_backorder=bool(row.allow_backorder),
        release_on=row.release_on,
        preorder_cap=row.preorder_cap,
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


def _matching(query: Select[Any], q: str | None, is_active: bool | None) -> Select[Any]:
    """Products whose SKU or name contains `q` (case-insensitive, wildcards literal), or whose
    GTIN contains its digits; only active or inactive ones when `is_active` says so."""
    if is_active is not None:
        query = query.where(product.c.is_active.is_(is_active))
    text = (q or "").strip()
    if not text:
        return query
    pattern = f"%{_escape_like(text)}%"
    matches: list[ColumnElement[bool]] = [
        product.c.sku.ilike(pattern, escape="\\"),
        product.c.name.ilike(pattern, escape="\\"),
    ]
    # GTINs are stored without the spaces and dashes people type or paste.
    digits = "".join(character for character in text if character not in " -")
    if digits.isdigit():
        matches.append(product.c.gtin.like(f"%{digits}%"))
    return query.where(or_(*matches))


def list_products(
    db: Database,
    *,
    q: str | None = None,
    after_id: int | None = None,
    limit: int = 50,
    is_active: bool | None = None,
) -> dict[str, Any]:
    """One page ordered by id; `next_after_id` is set when more products follow."""
    query = _matching(select(*_COLUMNS), q, is_active).order_by(product.c.id).limit(limit + 1)
    if after_id is not None:
        query = query.where(product.c.id > after_id)
    rows = db.read(lambda connection: connection.execute(query).all())
    items = [_product(row) for row in rows[:limit]]
    has_more = len(rows) > limit
    return {"items": items, "next_after_id": items[-1].id if has_more else None}


@dataclass(frozen=True, slots=True)
class ProductPage:
    items: list[Product]
    next_after_sku: str | None  # pass as `after_sku` for the next page; None on the last


def find_products(
    db: Database,
    *,
    q: str | None = None,
    is_active: bool | None = True,
    after_sku: str | None = None,
    limit: int = 50,
) -> ProductPage:
    """One page of products by SKU, as the back office lists them (active ones by default).

    Keyed by SKU rather than an offset, so a page stays cheap however deep one goes."""
    query = _matching(select(*_COLUMNS), q, is_active).order_by(product.c.sku).limit(limit + 1)
    if after_sku is not None:
        query = query.where(product.c.sku > after_sku)
    rows = db.read(lambda connection: connection.execute(query).all())
    items = [_product(row) for row in rows[:limit]]
    return ProductPage(items, items[-1].sku if len(rows) > limit else None)


def export_products(db: Database) -> list[Product]:
    """Every product, active or not, by SKU: what a catalogue export writes."""
    query = select(*_COLUMNS).order_by(product.c.sku)
    return [_product(row) for row in db.read(lambda connection: connection.execute(query).all())]


def _checked_changes(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    checks: dict[str, Callable[[Any], Any]] = {
        "name": check_name,
        "gtin": check_gtin,
        "weight_grams": check_weight,
        "tax_class": check_tax_class,
        "stock_policy": check_stock_policy,
        "allow_backorder": check_allow_backorder,
        "release_on": check_release_on,
        "preorder_cap": check_preorder_cap,
    }
    return {field: checks[field](value) for field, value in changes.items()}


def update_product(
    db: Database,
    sku: str,
    changes: dict[str, Any],
    *,
    actor: str = "system",
    expected_version: int | None = None,
) -> Product:
    """Changes name, GTIN, weight or tax class. Orders keep their own copies (conventions §7).

    With `expected_version` (a person's form) the change is refused with 409 if someone else
    changed the product since the form was shown."""
    checked = _checked_changes(changes)
    return _change(db, sku, checked, actor=actor, expected_version=expected_version)


def deactivate_product(
    db: Database, sku: str, *, actor: str = "system", expected_version: int | None = None
) -> Product:
    """Stops selling a product: it leaves the default list and new orders for it are held as
    for an unknown SKU. Its orders, stock and ledger stay as they are."""
    return _change(db, sku, {"is_active": False}, actor=actor, expected_version=expected_version)


def reactivate_product(
    db: Database, sku: str, *, actor: str = "system", expected_version: int | None = None
) -> Product:
    """Sells a deactivated product again."""
    return _change(db, sku, {"is_active": True}, actor=actor, expected_version=expected_version)


def _change(
    db: Database,
    sku: str,
    values: dict[str, Any],
    *,
    actor: str,
    expected_version: int | None,
) -> Product:
    """One compare-and-set UPDATE: the version in the WHERE, so a concurrent edit cannot be
    overwritten between reading and writing."""

    def work(uow: UnitOfWork) -> Product:
        statement = update(product).where(product.c.sku == sku)
        if expected_version is not None:
            statement = statement.where(product.c.version == expected_version)
        row = uow.connection.execute(
            statement.values(
                **values, version=product.c.version + 1, updated_at=clock.now()
            ).returning(*_COLUMNS)
        ).first()
        if row is None:
            raise _why_unchanged(uow.connection, sku)
        return _product(row)

    return db.write(work, actor=actor)


def _why_unchanged(connection: Connection, sku: str) -> ConflictError | NotFoundError:
    found = connection.execute(select(product.c.version).where(product.c.sku == sku)).scalar()
    if found is None:
        return NotFoundError(f"No product with SKU '{sku}'.")
    return StaleVersionError(
        f"Product '{sku}' was changed by someone else (now version {found}).", version=found
    )


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
                        "version": product.c.version + 1,
                    },
                )
            )
        return len(checked)

    return db.write(work, actor=actor)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: products added, products changed, rows that matched already."""

    created: int
    updated: int
    unchanged: int


def import_products(
    db: Database,
    rows: Sequence[ProductImportRow],
    *,
    actor: str = "system",
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Creates and changes products from an import file: every row or none, in one transaction.

    Rows equal to the stored product are not written (no new version, no new `updated_at`), so
    importing the same file twice changes nothing. Any invalid row or a SKU given twice refuses
    the whole file (422). `on_progress` hears how many rows are done after each batch; after a
    retried transaction it starts again from the first batch."""
    checked = _checked_import(rows)

    def work(uow: UnitOfWork) -> ImportResult:
        now = clock.now()
        created = updated = 0
        for start in range(0, len(checked), IMPORT_BATCH):
            batch = checked[start : start + IMPORT_BATCH]
            new, changed = _store_import_batch(uow.connection, batch, now)
            created += new
            updated += changed
            if on_progress is not None:
                on_progress(start + len(batch))
        return ImportResult(created, updated, len(checked) - created - updated)

    return db.write(work, actor=actor)


def _checked_import(rows: Sequence[ProductImportRow]) -> list[ProductImportRow]:
    checked: list[ProductImportRow] = []
    seen: set[str] = set()
    for row in rows:
        draft = check_product(row.draft)
        if draft.sku in seen:
            raise invalid("sku", f"'{draft.sku}' appears more than once")
        seen.add(draft.sku)
        if row.stock_policy is not None:
            check_stock_policy(row.stock_policy)
        checked.append(ProductImportRow(draft, row.is_active, row.stock_policy))
    return checked


def _store_import_batch(
    connection: Connection, batch: list[ProductImportRow], now: datetime
) -> tuple[int, int]:
    """Writes the rows of one batch that differ from what is stored; returns (created, updated).

    The stored rows are locked while compared (PostgreSQL; SQLite's write transaction holds the
    database), so a concurrent edit cannot slip in between comparing and writing."""
    skus = [row.draft.sku for row in batch]
    stored = {
        found.sku: found
        for found in connection.execute(
            select(*_COLUMNS)
            .where(product.c.sku.in_(skus))
            .order_by(product.c.id)
            .with_for_update()
        )
    }
    values = [
        {**wanted, "created_at": now, "updated_at": now}
        for row in batch
        if (wanted := _differing(row, stored.get(row.draft.sku))) is not None
    ]
    if values:
        statement = dialect_insert(connection)(product).values(values)
        changed = (
            "name",
            "gtin",
            "weight_grams",
            "tax_class",
            "is_active",
            "stock_policy",
            "updated_at",
        )
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["sku"],
                set_={
                    **{name: statement.excluded[name] for name in changed},
                    "version": product.c.version + 1,
                },
            )
        )
    created = sum(1 for value in values if value["sku"] not in stored)
    return created, len(values) - created


def _differing(
    row: ProductImportRow, current: Row[*tuple[Any, ...]] | None
) -> dict[str, Any] | None:
    """The product as the row wants it, or None if that is how it is stored already."""
    is_active = row.is_active
    if is_active is None:  # the file does not say: keep the state; new products are sold
        is_active = True if current is None else bool(current.is_active)
    stock_policy = row.stock_policy  # None: the file does not say, keep it
    if stock_policy is None:
        stock_policy = "stocked" if current is None else str(current.stock_policy)
    fields = {k: v for k, v in asdict(row.draft).items() if k not in POLICY_FIELDS}
    wanted = {**fields, "is_active": is_active, "stock_policy": stock_policy}
    if current is not None and all(getattr(current, key) == value for key, value in wanted.items()):
        return None
    return wanted


def product_exists(connection: Connection, sku: str) -> bool:
    """For other capabilities' transactions (stock, order intake)."""
    found = connection.execute(select(product.c.id).where(product.c.sku == sku)).first()
    return found is not None


def existing_skus(connection: Connection, skus: Collection[str]) -> set[str]:
    """Which of these SKUs the catalogue has, active or not (stock imports, transfers)."""
    found: set[str] = set()
    ordered = sorted(set(skus))
    for start in range(0, len(ordered), 500):  # bounded IN lists
        chunk = ordered[start : start + 500]
        found.update(
            connection.execute(select(product.c.sku).where(product.c.sku.in_(chunk))).scalars()
        )
    return found


def product_names(connection: Connection, skus: Collection[str]) -> dict[str, str]:
    """Names of the active products with these SKUs (unknown and inactive SKUs are left out),
    inside the caller's transaction."""
    return {sku: product.name for sku, product in sellable_products(connection, skus).items()}


@dataclass(frozen=True, slots=True)
class SellableProduct:
    name: str
    tax_class: str
    stock_policy: str = "stocked"
    allow_backorder: bool = True
    release_on: date | None = None
    preorder_cap: int | None = None


def sellable_products(connection: Connection, skus: Collection[str]) -> dict[str, SellableProduct]:
    """The active products with these SKUs, with what order intake needs of them: the name
    (an order is held for a SKU without one — so a deactivated product is not sold) and the
    tax class (the intake checks compare each line's rate with it). One statement per batch
    of orders, through the driver."""
    if not skus:
        return {}
    driver = driver_of(connection)
    source, parameters = driver.row_source([(sku,) for sku in sorted(skus)], ("text",))
    rows = driver.fetch_all(_SELLABLE_PRODUCTS.format(skus=source), parameters)
    return {
        sku: SellableProduct(
            name,
            tax_class,
            policy,
            bool(allow_backorder),
            _as_date(release_on),
            preorder_cap,
        )
        for sku, name, tax_class, policy, allow_backorder, release_on, preorder_cap in rows
    }


def _as_date(value: Any) -> date | None:
    """A date column as the bare driver gives it (SQLite: ISO text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


_SELLABLE_PRODUCTS = (
    "SELECT sku, name, tax_class, stock_policy, allow_backorder, release_on, preorder_cap"
    " FROM product WHERE sku IN ({skus}) AND is_active"
)


def product_weights(connection: Connection, skus: Collection[str]) -> dict[str, int | None]:
    """Weight in grams per SKU (None: not known), for sourcing rules that weigh parcels:
    once per intake batch, through the driver."""
    if not skus:
        return {}
    driver = driver_of(connection)
    source, parameters = driver.row_source([(sku,) for sku in sorted(skus)], ("text",))
    rows = driver.fetch_all(_WEIGHTS.format(skus=source), parameters)
    return {sku: weight for sku, weight in rows}


_WEIGHTS = "SELECT sku, weight_grams FROM product WHERE sku IN ({skus})"


def pick_facts(
    connection: Connection, skus: Collection[str]
) -> dict[str, tuple[str | None, int | None]]:
    """(GTIN, weight in grams) per SKU, as a location's pick list copies them when work is
    released: one statement per release batch, through the driver."""
    if not skus:
        return {}
    driver = driver_of(connection)
    source, parameters = driver.row_source([(sku,) for sku in sorted(skus)], ("text",))
    rows = driver.fetch_all(_PICK_FACTS.format(skus=source), parameters)
    return {sku: (gtin, weight) for sku, gtin, weight in rows}


_PICK_FACTS = "SELECT sku, gtin, weight_grams FROM product WHERE sku IN ({skus})"


def non_stock_skus(connection: Connection, skus: Collection[str]) -> set[str]:
    """Those of these SKUs whose product has no stock (`non_stock`): they are never reserved,
    counted or received, and their order lines ride along with the order's goods."""
    if not skus:
        return set()
    found: set[str] = set()
    ordered = sorted(set(skus))
    for start in range(0, len(ordered), 500):  # bounded IN lists
        query = select(product.c.sku).where(
            product.c.sku.in_(ordered[start : start + 500]), product.c.stock_policy == NON_STOCK
        )
        found.update(str(sku) for sku in connection.execute(query).scalars())
    return found


def special_stock_policies(
    connection: Connection, skus: Collection[str]
) -> dict[str, tuple[str, date | None]]:
    """(stock policy, release day) of those of these SKUs whose policy is not `stocked` —
    non-stock products and pre-orders — for availability answers: one statement through the
    driver per request."""
    if not skus:
        return {}
    driver = driver_of(connection)
    source, parameters = driver.row_source([(sku,) for sku in sorted(set(skus))], ("text",))
    rows = driver.fetch_all(_SPECIAL_POLICIES.format(skus=source), parameters)
    return {sku: (policy, _as_date(release_on)) for sku, policy, release_on in rows}


_SPECIAL_POLICIES = (
    "SELECT sku, stock_policy, release_on FROM product"
    " WHERE sku IN ({skus}) AND stock_policy <> 'stocked'"
)


def unreleased_preorder_skus(
    connection: Connection, skus: Collection[str], today: date
) -> set[str]:
    """Those of these SKUs that are pre-orders whose release day has not come: their
    waiting units are not given stock before it (intake leaves them open as well)."""
    if not skus:
        return set()
    query = select(product.c.sku).where(
        product.c.sku.in_(sorted(skus)),
        product.c.stock_policy == "preorder",
        product.c.release_on > today,
    )
    return {str(sku) for sku in connection.execute(query).scalars()}
