"""A connected Shopify shop for the demo: the Onlineshop channel takes Shopify webhooks
(its secret read from ORDNUNG_DEMO_SHOPIFY_SECRET), and the import queue shows a few
imported orders, one that failed on an SKU the catalogue does not know (to fix and replay),
and one webhook Shopify delivered twice (a duplicate)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ordnung.connectors import inbound, queue
from ordnung.connectors.connections import ConnectionDraft, connect_channel
from ordnung.core.db import Database
from ordnung.demo.catalogue import PRODUCTS, DemoProduct
from ordnung.demo.progress import ACTOR, clock_at

CHANNEL = "onlineshop"
SECRET_VARIABLE = "ORDNUNG_DEMO_SHOPIFY_SECRET"
_BUYERS = (
    ("Lea", "Hoffmann", "Lindenallee 4", "50968", "Köln"),
    ("Jonas", "Becker", "Packstation 118", "80331", "München"),
    ("Mia", "Schulz", "Schanzenstraße 21", "20357", "Hamburg"),
)


def connect_demo_shop(db: Database, now: datetime) -> int:
    """Connects the channel and replays a morning of Shopify webhooks; returns the number
    of orders they created."""
    draft = ConnectionDraft(
        "shopify",
        {
            "shop_url": "https://ordnung-demo.myshopify.com",
            "price_mode": "gross",
            "payment_methods": {"shopify_payments": "card", "paypal": "paypal"},
            "shipping_methods": {"DHL Paket": "standard", "DHL Express": "express"},
        },
        {"webhook_secret": f"env:{SECRET_VARIABLE}"},
    )
    with clock_at(now - timedelta(hours=3)):
        connect_channel(db, CHANNEL, draft, secret_key=None, actor=ACTOR)
    created = 0
    webhooks = [
        (f"demo-{index}", _shopify_order(1101 + index, buyer, PRODUCTS[index * 7 : index * 7 + 2]))
        for index, buyer in enumerate(_BUYERS)
    ]
    unknown = _shopify_order(1104, _BUYERS[0], PRODUCTS[30:31])
    unknown["line_items"][0]["sku"] = "SHOPIFY-GIFTBOX"  # not in the catalogue: fails
    webhooks += [("demo-retry", webhooks[0][1]), ("demo-unknown", unknown)]
    webhooks.insert(1, ("demo-0", webhooks[0][1]))  # Shopify retried the first delivery
    for minute, (delivery, order) in enumerate(webhooks):
        with clock_at(now - timedelta(hours=2, minutes=-minute * 7)):
            payload_id = queue.store_payload(
                db,
                queue.IncomingPayload(
                    CHANNEL,
                    "shopify",
                    "orders/create",
                    "webhook",
                    delivery,
                    order["name"],
                    json.dumps(order, ensure_ascii=False),
                ),
            )
            outcome = inbound.process_payload(db, payload_id)
        created += outcome.status == "imported"
    return created


def _shopify_order(
    number: int, buyer: tuple[str, str, str, str, str], products: tuple[DemoProduct, ...]
) -> dict[str, Any]:
    first, last, street, postal_code, city = buyer
    address = {
        "first_name": first,
        "last_name": last,
        "address1": street,
        "address2": "20481516" if street.startswith("Packstation") else "",
        "zip": postal_code,
        "city": city,
        "country_code": "DE",
    }
    lines = [
        {
            "id": number * 10 + index,
            "sku": product.sku,
            "name": product.name,
            "quantity": 1,
            "price": str(product.price),
            "taxable": True,
            "tax_lines": [{"rate": float(product.tax_rate_percent / 100)}],
            "discount_allocations": [],
        }
        for index, product in enumerate(products)
    ]
    total = sum((product.price for product in products), Decimal("4.90"))
    return {
        "id": 5_000_000 + number,
        "name": f"#{number}",
        "email": f"{first.lower()}.{last.lower()}@example.de",
        "currency": "EUR",
        "taxes_included": True,
        "financial_status": "paid",
        "payment_gateway_names": ["shopify_payments"],
        "total_price": str(total),
        "line_items": lines,
        "shipping_lines": [{"code": "DHL Paket", "price": "4.90", "tax_lines": [{"rate": 0.19}]}],
        "billing_address": address,
        "shipping_address": address,
    }
