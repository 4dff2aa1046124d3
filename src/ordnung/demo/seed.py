"""Seeds the demo shop through the services, the same way an integration would fill it.

Deterministic: one random seed drives Faker (de_DE) and every choice, so two fresh demos show
the same shop; only the dates move with today, so the orders always look recent.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from faker import Faker

from ordnung.catalog.service import upsert_products
from ordnung.channels.service import create_channel, list_channels
from ordnung.core.db import Database
from ordnung.demo.catalogue import CHANNELS, LOCATIONS, PRODUCTS, SOLD_OUT_SKUS, product_drafts
from ordnung.demo.changes import change_some_orders
from ordnung.demo.click_and_collect import place_click_and_collect_orders
from ordnung.demo.connectors import connect_demo_shop
from ordnung.demo.exceptions import stage_fulfilment_exceptions
from ordnung.demo.non_stock import place_non_stock_orders
from ordnung.demo.orders import HISTORY, plan_orders
from ordnung.demo.packing import stage_packing
from ordnung.demo.people import make_customers
from ordnung.demo.progress import ACTOR, clock_at, progress_order
from ordnung.demo.promise import seed_promise_settings
from ordnung.demo.purchasing import seed_supply
from ordnung.demo.returned_parcels import stage_returned_parcels
from ordnung.demo.stock_ops import stage_stock_operations
from ordnung.demo.waves import stage_pick_waves
from ordnung.inventory.locations import upsert_locations
from ordnung.inventory.service import StockCount
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.stock_actions import set_stock

SEED = 20_240_611
CUSTOMER_COUNT = 220
ORDER_COUNT = 320


@dataclass
class SeedSummary:
    channels: int = 0
    locations: int = 0
    products: int = 0
    customers: int = 0
    orders: int = 0
    statuses: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return (
            f"{self.channels} channels, {self.locations} locations, {self.products} products, "
            f"{self.customers} customers, {self.orders} orders"
        )


def has_data(db: Database) -> bool:
    """The demo seeds only an empty database; channels come first, so they tell."""
    return bool(list_channels(db))


def seed_demo(
    db: Database,
    *,
    now: datetime | None = None,
    customer_count: int = CUSTOMER_COUNT,
    order_count: int = ORDER_COUNT,
) -> SeedSummary:
    now = now or datetime.now(UTC).replace(second=0, microsecond=0)
    rng = random.Random(SEED)
    faker = Faker("de_DE")
    faker.seed_instance(SEED)
    summary = SeedSummary()
    # The shop was set up the day before its first order.
    with clock_at(now - HISTORY - timedelta(days=1)):
        summary.channels = _seed_channels(db)
        summary.locations = upsert_locations(db, LOCATIONS, actor=ACTOR)
        summary.products = upsert_products(db, product_drafts(), actor=ACTOR)
        _seed_stock(db, rng)
        seed_promise_settings(db)  # calendars, sell scopes (availability page)
    customers = make_customers(customer_count, rng, faker)
    summary.customers = len({customer.email for customer in customers[:order_count]})
    for planned in plan_orders(order_count, customers, now, rng):
        with clock_at(planned.placed_at):
            placed = place_order(db, planned.order, actor=f"channel:{planned.order.channel}")
        progress_order(db, placed.order, now, rng)
        summary.orders += 1
    change_some_orders(db, now)
    stage_fulfilment_exceptions(db, now)  # a cancellation request and a short pick to see
    stage_pick_waves(db, now)  # bins in both warehouses, one open wave at Lager Nord
    stage_packing(db, now)  # packages at Lager Süd, one of them shipped
    stage_returned_parcels(db, now)  # one parcel back at Lager Nord waiting, one processed
    seed_supply(db, now)  # suppliers, replenishment rules, purchase orders in every state
    stage_stock_operations(db, now)  # transfers, write-off, return, stock imports
    summary.orders += place_non_stock_orders(db, customers, now)  # gift wrap, e-book, …
    summary.orders += place_click_and_collect_orders(db, customers, now)  # store pickup
    summary.orders += connect_demo_shop(db, now)  # Shopify webhooks in the import queue
    return summary


def _seed_channels(db: Database) -> int:
    for draft in CHANNELS:
        create_channel(db, draft, actor=ACTOR)
    return len(CHANNELS)


def _seed_stock(db: Database, rng: random.Random) -> None:
    """Opening stock count: Hamburg carries the range, München most of it, Köln a shelf."""
    for product in PRODUCTS:
        for location_code, on_hand, safety_stock in _opening_stock(product.sku, rng):
            count = StockCount(on_hand, "Inventur zur Eröffnung", safety_stock)
            set_stock(db, product.sku, location_code, count, actor=ACTOR)


def _opening_stock(sku: str, rng: random.Random) -> list[tuple[str, int, int]]:
    if sku in SOLD_OUT_SKUS:
        return [("lager-nord", 0, 0)]  # listed, but nothing on the shelf anywhere
    counts = [
        ("lager-nord", 0 if rng.random() < 0.12 else rng.randint(10, 60), 0),
        ("lager-sued", 0 if rng.random() < 0.25 else rng.randint(5, 35), 2),
    ]
    if rng.random() < 0.45:
        # The store keeps one piece on display, which sourcing must not promise away.
        counts.append(("filiale-koeln", rng.randint(2, 6), 1))
    return counts
