"""Builders for drop-ship tests: a supplier with its drop-ship location, stock there, an
order routed to it, and the supplier's location-bound key."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from ordnung.automation.dispatch import dispatch_events
from ordnung.core.db import Database
from ordnung.staff.service import create_api_key
from tests.factories import add_location, order_payload, put_stock, standard_setup

SUPPLIER_LOCATION = "moebel-direkt"
DROPSHIP_SUPPLIER = {
    "code": "moebel-direkt",
    "name": "Möbel Direkt GmbH",
    "lead_time_days": 3,
    "products": [{"sku": "SKU-1", "supplier_sku": "MD-1", "unit_price": "7.50"}],
    "dropship_location": SUPPLIER_LOCATION,
}


@dataclass(frozen=True, slots=True)
class DropshipShop:
    locations: dict[str, int]
    supplier_headers: dict[str, str]


def dropship_shop(client: TestClient, db: Database, stock: int = 5) -> DropshipShop:
    """Warehouses A, B, store C without SKU-1; the supplier's location holds `stock` of it."""
    locations = standard_setup(db)
    locations["D"] = add_location(db, SUPPLIER_LOCATION, 4, ("dropship",))
    put_stock(db, "SKU-1", locations["D"], stock)
    created = client.post("/api/v1/suppliers", json=DROPSHIP_SUPPLIER)
    assert created.status_code == 201, created.text
    return DropshipShop(locations, location_headers(db, SUPPLIER_LOCATION))


def location_headers(db: Database, code: str) -> dict[str, str]:
    scopes = ["fulfillment:read", "fulfillment:write"]
    _id, token = create_api_key(db, f"key-{code}", scopes, location_code=code)
    return {"Authorization": f"Bearer {token}"}


def order_routed_to_supplier(client: TestClient, quantity: int = 2) -> dict[str, object]:
    order = client.post("/api/v1/orders", json=order_payload([("SKU-1", quantity)]))
    assert order.status_code == 201, order.text
    return dict(order.json())


def dispatch_all(db: Database) -> None:
    while dispatch_events(db):
        pass
