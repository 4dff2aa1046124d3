"""Click & collect in the demo: orders the customers collect at the Cologne store, one in
each state — still to make ready, ready with its code (one of them for days), collected at
the counter, and one nobody collected, cancelled by the worker's sweep.

Placed after the random orders, with their own external ids, so the rest of the demo stays
as it was."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from ordnung.core.db import Database
from ordnung.demo.catalogue import PRODUCTS
from ordnung.demo.people import DemoCustomer
from ordnung.demo.progress import clock_at
from ordnung.fulfillment import pickup
from ordnung.fulfillment.pickup_model import DEFAULT_PICKUP_DAYS
from ordnung.inventory.service import StockMove
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.pickup_actions import expire_uncollected_pickups, hand_over_pickup
from ordnung.orchestration.stock_actions import adjust_stock
from ordnung.orders.draft import NewOrder, NewOrderLine

STORE = "filiale-koeln"
_SKUS = ("HH-0001", "HH-0002")  # what the store gets in for its pickup shelf

# (hours ago placed, hours ago made ready or None, what then): the counter's day.
_PLAN: tuple[tuple[int, int | None, str], ...] = (
    (3, None, "waiting"),  # to make ready
    (30, 26, "ready"),  # ready since yesterday
    (100, 96, "ready"),  # ready for four days
    (50, 45, "collected"),  # handed over
    (24 * 10, 24 * 9, "expired"),  # not collected within 7 days: cancelled
)


def place_click_and_collect_orders(
    db: Database, customers: list[DemoCustomer], now: datetime
) -> int:
    """Places the orders above for customers from the end of the list; returns how many."""
    with clock_at(now - timedelta(days=12)):
        for sku in _SKUS:
            adjust_stock(db, sku, STORE, StockMove(12, "Abholregal aufgefüllt"), actor="demo")
    products = {product.sku: product for product in PRODUCTS}
    buyers = list(reversed(customers))
    for number, ((placed_ago, ready_ago, fate), buyer) in enumerate(
        zip(_PLAN, buyers, strict=False), start=1
    ):
        placed_at = now - timedelta(hours=placed_ago)
        product = products[_SKUS[number % len(_SKUS)]]
        order = NewOrder(
            channel="onlineshop",
            external_id=str(950_000 + number),
            currency="EUR",
            email=buyer.email,
            first_name=buyer.first_name,
            last_name=buyer.last_name,
            phone=buyer.phone,
            billing_address=buyer.address,
            shipping_address=buyer.address,
            lines=(NewOrderLine(product.sku, 1, product.price, product.tax_rate_percent),),
            shipping_amount=Decimal(0),
            shipping_method="click_and_collect",
            placed_at=placed_at,
            pickup_location=STORE,
        )
        with clock_at(placed_at):
            placed = place_order(db, order, actor="channel:onlineshop").order
        if ready_ago is None or not placed["fulfillment_orders"]:
            continue
        _progress(db, placed["fulfillment_orders"][0]["id"], now, ready_ago, fate)
    return min(len(_PLAN), len(buyers))


def _progress(db: Database, fo_id: int, now: datetime, ready_ago: int, fate: str) -> None:
    ready_at = now - timedelta(hours=ready_ago)
    with clock_at(ready_at):
        ready = pickup.mark_ready(
            db, fo_id, actor="staff:laden@example.de", days=DEFAULT_PICKUP_DAYS
        )
    if fate == "collected":
        with clock_at(ready_at + timedelta(hours=5)):
            hand_over_pickup(db, fo_id, ready.pickup_code, actor="staff:laden@example.de")
    elif fate == "expired":
        with clock_at(ready.expires_at + timedelta(minutes=5)):
            expire_uncollected_pickups(db)
