"""Builders for supply tests: a supplier and purchase orders through the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ordnung.core.db import Database
from ordnung.purchasing.model import (
    Contact,
    LineDraft,
    PurchaseOrderDraft,
    SuppliedProduct,
    SupplierDraft,
)
from ordnung.purchasing.service import create_purchase_order, send_purchase_order
from ordnung.purchasing.suppliers import create_supplier


def add_supplier(db: Database, code: str = "nordholz", **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": code,
        "name": "Nordholz Handels GmbH",
        "lead_time_days": 5,
        "contacts": (Contact("Jana Krüger", "jana@nordholz.example", "+49 40 123456"),),
        "products": (
            SuppliedProduct("SKU-1", "NH-100", Decimal("4.20"), 1),
            SuppliedProduct("SKU-2", "NH-200", Decimal("1.10"), 6),
        ),
    }
    values.update(overrides)
    return create_supplier(db, SupplierDraft(**values), actor="test")


def sent_order(
    db: Database, lines: list[tuple[str, int]], location: str = "A", supplier: str = "nordholz"
) -> str:
    draft = PurchaseOrderDraft(
        supplier, location, tuple(LineDraft(sku, quantity) for sku, quantity in lines)
    )
    number = str(create_purchase_order(db, draft, actor="test")["number"])
    send_purchase_order(db, number, actor="test")
    return number
