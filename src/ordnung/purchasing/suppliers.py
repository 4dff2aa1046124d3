"""Suppliers as master data: create, edit (with the version the editor saw), list, and the
terms other purchasing use cases need (price and pack size of a SKU, order minimums)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, replace
from typing import Any

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.service import product_exists
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, NotFoundError, StaleVersionError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.core.money import format_minor, from_minor, to_minor
from ordnung.inventory.locations import location_names, shipping_locations
from ordnung.purchasing.model import (
    OrderMinimum,
    SupplierDraft,
    SupplierTerms,
    check_supplier,
    invalid,
)
from ordnung.purchasing.tables import supplier_product_table as supplied
from ordnung.purchasing.tables import supplier_table as supplier

Rows = Row[Any]


def _values(draft: SupplierDraft) -> dict[str, Any]:
    value = draft.minimum_order_value
    return {
        "name": draft.name,
        "currency": draft.currency,
        "lead_time_days": draft.lead_time_days,
        "minimum_order_value": None if value is None else to_minor(value, draft.currency),
        "minimum_order_quantity": draft.minimum_order_quantity,
        "contacts": [asdict(contact) for contact in draft.contacts],
        "is_active": draft.is_active,
    }


def _dropship_location_id(connection: Connection, draft: SupplierDraft) -> int | None:
    """The drop-ship location's id: it must exist and have the `dropship` capability; a
    location is one supplier's at most (unique in the table, a 409 here)."""
    if draft.dropship_location is None:
        return None
    found = [
        place
        for place in shipping_locations(connection)
        if place["code"] == draft.dropship_location
    ]
    if not found:
        raise invalid("dropship_location", f"no location with code '{draft.dropship_location}'")
    if "dropship" not in found[0]["capabilities"]:
        raise invalid("dropship_location", "the location lacks the capability 'dropship'")
    location_id = int(found[0]["id"])
    owner = connection.execute(
        select(supplier.c.code).where(supplier.c.dropship_location_id == location_id)
    ).scalar()
    if owner is not None and owner != draft.code:
        raise ConflictError(
            f"Location '{draft.dropship_location}' is the drop-ship location of supplier "
            f"'{owner}' already."
        )
    return location_id


def _check_products(connection: Connection, draft: SupplierDraft) -> None:
    for index, item in enumerate(draft.products):
        if not product_exists(connection, item.sku):
            raise invalid(f"products[{index}].sku", f"no product with SKU '{item.sku}'")


def _store_products(connection: Connection, supplier_id: int, draft: SupplierDraft) -> None:
    connection.execute(delete(supplied).where(supplied.c.supplier_id == supplier_id))
    if draft.products:
        connection.execute(
            insert(supplied),
            [
                {
                    "supplier_id": supplier_id,
                    "sku": item.sku,
                    "supplier_sku": item.supplier_sku,
                    "unit_price": to_minor(item.unit_price, draft.currency),
                    "pack_size": item.pack_size,
                }
                for item in draft.products
            ],
        )


def create_supplier(
    db: Database,
    draft: SupplierDraft,
    *,
    actor: str,
    idempotency: IdempotentRequest[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A new supplier with the SKUs it supplies; a code already taken is a 409."""
    checked = check_supplier(draft)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        connection = uow.connection
        taken = select(supplier.c.id).where(supplier.c.code == checked.code)
        if connection.execute(taken).first() is not None:
            raise ConflictError(f"A supplier with code '{checked.code}' exists already.")
        _check_products(connection, checked)
        dropship_location_id = _dropship_location_id(connection, checked)
        now = clock.now()
        supplier_id = connection.execute(
            insert(supplier)
            .values(
                code=checked.code,
                created_at=now,
                updated_at=now,
                dropship_location_id=dropship_location_id,
                **_values(checked),
            )
            .returning(supplier.c.id)
        ).scalar_one()
        _store_products(connection, supplier_id, checked)
        return supplier_in(connection, checked.code)

    return db.write(work, actor=actor, idempotency=idempotency)


def update_supplier(
    db: Database,
    code: str,
    draft: SupplierDraft,
    *,
    actor: str,
    expected_version: int | None,
) -> dict[str, Any]:
    """Replaces a supplier's data and its SKU list; a stale version is a 409."""
    checked = check_supplier(draft)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        connection = uow.connection
        _check_products(connection, checked)
        dropship_location_id = _dropship_location_id(connection, replace(checked, code=code))
        condition = [supplier.c.code == code]
        if expected_version is not None:
            condition.append(supplier.c.version == expected_version)
        supplier_id = connection.execute(
            update(supplier)
            .where(*condition)
            .values(
                version=supplier.c.version + 1,
                updated_at=clock.now(),
                dropship_location_id=dropship_location_id,
                **_values(checked),
            )
            .returning(supplier.c.id)
        ).scalar()
        if supplier_id is None:
            raise _why_unchanged(connection, code)
        _store_products(connection, supplier_id, checked)
        return supplier_in(connection, code)

    return db.write(work, actor=actor)


def _why_unchanged(connection: Connection, code: str) -> NotFoundError | StaleVersionError:
    found = connection.execute(select(supplier.c.version).where(supplier.c.code == code)).scalar()
    if found is None:
        return NotFoundError(f"No supplier with code '{code}'.")
    return StaleVersionError(
        f"Supplier '{code}' was changed by someone else (now version {found}).",
        current_version=found,
    )


def _supplier_dict(
    row: Rows, products: list[Rows], locations: dict[int, dict[str, str]]
) -> dict[str, Any]:
    currency = row.currency
    minimum_value = row.minimum_order_value
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "currency": currency,
        "lead_time_days": row.lead_time_days,
        "minimum_order_value": (
            None if minimum_value is None else format_minor(minimum_value, currency)
        ),
        "minimum_order_quantity": row.minimum_order_quantity,
        "contacts": list(row.contacts),
        "is_active": bool(row.is_active),
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "products": [
            {
                "sku": item.sku,
                "supplier_sku": item.supplier_sku,
                "unit_price": format_minor(item.unit_price, currency),
                "pack_size": item.pack_size,
            }
            for item in products
        ],
        "dropship_location": locations.get(row.dropship_location_id),
    }


def _dropship_locations(
    connection: Connection, rows: Collection[Rows]
) -> dict[int, dict[str, str]]:
    ids = {row.dropship_location_id for row in rows if row.dropship_location_id is not None}
    return location_names(connection, ids)


def supplier_in(connection: Connection, code: str) -> dict[str, Any]:
    row = connection.execute(select(supplier).where(supplier.c.code == code)).first()
    if row is None:
        raise NotFoundError(f"No supplier with code '{code}'.")
    products = connection.execute(
        select(supplied).where(supplied.c.supplier_id == row.id).order_by(supplied.c.sku)
    ).all()
    return _supplier_dict(row, list(products), _dropship_locations(connection, [row]))


def get_supplier(db: Database, code: str) -> dict[str, Any]:
    return db.read(lambda connection: supplier_in(connection, code))


def list_suppliers(db: Database, *, is_active: bool | None = None) -> list[dict[str, Any]]:
    """Every supplier by code (a merchant has dozens, not thousands: one page)."""

    def work(connection: Connection) -> list[dict[str, Any]]:
        query = select(supplier).order_by(supplier.c.code)
        if is_active is not None:
            query = query.where(supplier.c.is_active == is_active)
        rows = connection.execute(query).all()
        products: dict[int, list[Rows]] = {row.id: [] for row in rows}
        for item in connection.execute(select(supplied).order_by(supplied.c.sku)).all():
            products.setdefault(item.supplier_id, []).append(item)
        locations = _dropship_locations(connection, rows)
        return [_supplier_dict(row, products[row.id], locations) for row in rows]

    return db.read(work)


def supplier_row(connection: Connection, code: str) -> Rows:
    """The supplier for a new purchase order: it must exist and be active (else 422)."""
    row = connection.execute(select(supplier).where(supplier.c.code == code)).first()
    if row is None:
        raise invalid("supplier", f"no supplier with code '{code}'")
    if not row.is_active:
        raise invalid("supplier", f"supplier '{code}' is inactive")
    return row


def supplier_prices(connection: Connection, supplier_id: int) -> dict[str, int]:
    """SKU → unit price in minor units, as the supplier lists it."""
    rows = connection.execute(
        select(supplied.c.sku, supplied.c.unit_price).where(supplied.c.supplier_id == supplier_id)
    ).all()
    return {row.sku: row.unit_price for row in rows}


def supplier_terms(
    connection: Connection, skus: Collection[str]
) -> dict[tuple[int, str], SupplierTerms]:
    """(supplier id, SKU) → price, pack size and the supplier's minimums, of active
    suppliers."""
    if not skus:
        return {}
    rows = connection.execute(
        select(supplied, supplier.c.currency, supplier.c.minimum_order_quantity)
        .join(supplier, supplier.c.id == supplied.c.supplier_id)
        .where(supplied.c.sku.in_(sorted(skus)), supplier.c.is_active.is_(True))
        .order_by(supplied.c.unit_price, supplied.c.supplier_id)
    ).all()
    return {
        (row.supplier_id, row.sku): SupplierTerms(
            supplier_id=row.supplier_id,
            unit_price=from_minor(row.unit_price, row.currency),
            pack_size=row.pack_size,
        )
        for row in rows
    }


def order_minimums(connection: Connection, supplier_ids: Collection[int]) -> dict[int, Rows]:
    """Id → (code, currency, minimums, lead time) of these suppliers."""
    rows = connection.execute(select(supplier).where(supplier.c.id.in_(sorted(supplier_ids))))
    return {row.id: row for row in rows}


def minimum_of(row: Rows) -> OrderMinimum:
    value = row.minimum_order_value
    return OrderMinimum(
        quantity=row.minimum_order_quantity,
        value=None if value is None else from_minor(value, row.currency),
    )
