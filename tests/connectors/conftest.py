"""An API client whose app has ORDNUNG_SECRET_KEY set (secrets can be sealed), a connected
Shopify channel, and signing of webhook bodies as the platforms do."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.api import create_app
from ordnung.connectors.signatures import body_signature
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from tests.factories import add_channel, add_location, add_product, put_stock

WEBHOOK_SECRET = "shpss_test_secret"
SECRET_KEY = "a-real-secret-key-for-tests"


@pytest.fixture
def keyed_client(
    db: Database, database_url: str, make_api_key: Callable[..., str]
) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, secret_key=SECRET_KEY)
    with TestClient(create_app(settings, db)) as client:
        client.headers["Authorization"] = f"Bearer {make_api_key('admin')}"
        yield client


@pytest.fixture
def shop(db: Database, keyed_client: TestClient) -> TestClient:
    """A USD Shopify channel with its webhook secret, a warehouse and the iPods in stock."""
    add_channel(db, "shop", currency="USD")
    location = add_location(db, "WH", 1)
    for sku in ("IPOD2008GREEN", "IPOD2008RED", "IPOD2008BLACK", "OD-0001"):
        add_product(db, sku)
        put_stock(db, sku, location, 1000)
    answer = keyed_client.put(
        "/api/v1/channels/shop/connection",
        json={
            "platform": "shopify",
            "settings": {"shop_url": "https://shop.example", "price_mode": "net"},
            "secrets": {"webhook_secret": WEBHOOK_SECRET},
        },
    )
    assert answer.status_code == 200, answer.text
    return keyed_client


def post_webhook(
    client: TestClient,
    order: dict[str, Any],
    *,
    topic: str = "orders/create",
    delivery: str = "d-1",
    secret: str = WEBHOOK_SECRET,
    channel: str = "shop",
) -> Any:
    body = json.dumps(order).encode()
    headers = {
        "X-Shopify-Hmac-Sha256": body_signature(body, secret),
        "X-Shopify-Webhook-Id": delivery,
        "X-Shopify-Topic": topic,
        "Content-Type": "application/json",
    }
    return client.post(
        f"/api/v1/channels/{channel}/inbound/shopify/{topic}",
        content=body,
        headers={k: v for k, v in headers.items() if v},
        auth=None,
    )
