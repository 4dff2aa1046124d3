"""A few demo orders changed after intake, so their timelines show what agents do: a unit
cancelled at the customer's request, a new delivery address, a goodwill price, a sold-out
article replaced. Orders held for unknown SKUs are left for the visitor to resolve (replace
the SKU on the line's change page)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ordnung.core.db import Database
from ordnung.core.errors import OrdnungError
from ordnung.demo.catalogue import PRODUCTS, SOLD_OUT_SKUS
from ordnung.demo.progress import clock_at
from ordnung.orchestration import order_changes
from ordnung.orchestration.order_changes import Edit, PriceRequest, SkuRequest
from ordnung.orders.draft import Address
from ordnung.orders.queries import OrderFilter, get_order, list_orders

AGENT = "staff:kundenservice@example.de"
_OFFICE_STREET = "Schildergasse 72"


def change_some_orders(db: Database, now: datetime) -> int:
    """Changes a handful of waiting orders, an hour ago; returns how many were changed."""
    allocated = _waiting(db, "allocated")
    backordered = _waiting(db, "backordered")
    changes = [
        *(_cancel_a_unit(db, order) for order in allocated[:2]),
        *(_move(db, order) for order in allocated[2:3]),
        *(_goodwill(db, order) for order in allocated[3:4]),
        *(_replace_sold_out(db, order) for order in backordered[:3]),
    ]
    done = 0
    changes = [change for change in changes if change is not None][:5]
    with clock_at(now - timedelta(hours=1)):
        for change in changes:
            try:
                change()
                done += 1
            except OrdnungError:
                continue  # the order moved on in the demo's history; skip it
    return done


def _waiting(db: Database, status: str) -> list[dict[str, Any]]:
    page = list_orders(db, OrderFilter(status=status), None, 50)
    return [get_order(db, item["id"]) for item in page["items"]]


def _cancel_a_unit(db: Database, order: dict[str, Any]) -> Any:
    line = max(order["lines"], key=lambda ln: ln["open"] + ln["allocated"])
    edit = Edit(AGENT, "Kundin möchte ein Stück weniger (Anruf)", order["version"])
    return lambda: order_changes.cancel_line_units(db, order["id"], line["line_number"], 1, edit)


def _move(db: Database, order: dict[str, Any]) -> Any:
    old = order["shipping_address"]
    address = Address(old["first_name"], old["last_name"], _OFFICE_STREET, "50667", "Köln", "DE")
    edit = Edit(AGENT, "Lieferung ins Büro (E-Mail der Kundin)", order["version"])
    return lambda: order_changes.change_shipping(
        db, order["id"], edit, address=address, method="express"
    )


def _goodwill(db: Database, order: dict[str, Any]) -> Any:
    line = order["lines"][0]
    price = PriceRequest(discount=min(Decimal(line["unit_price"]), Decimal("5.00")))
    edit = Edit(AGENT, "Kulanz: Lieferung verspätet", order["version"])
    return lambda: order_changes.correct_line_price(
        db, order["id"], line["line_number"], price, edit
    )


def _replace_sold_out(db: Database, order: dict[str, Any]) -> Any:
    line = next((ln for ln in order["lines"] if ln["open"] and not ln["shipped"]), None)
    if line is None:
        return None
    substitute = next(p.sku for p in PRODUCTS if p.sku not in SOLD_OUT_SKUS | {line["sku"]})
    edit = Edit(AGENT, "Nicht lieferbar; Kunde nimmt das Nachfolgemodell", order["version"])
    return lambda: order_changes.replace_line_sku(
        db, order["id"], line["line_number"], SkuRequest(substitute), edit
    )
