"""A burst of 200 Shopify webhooks over 16 connections against a real server (two uvicorn
worker processes): every one is stored, each order exists once, and the platform's
retries (the same delivery again, racing the first) are duplicates, never second orders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from ordnung.connectors.connections import ConnectionDraft, connect_channel
from ordnung.connectors.signatures import body_signature
from ordnung.connectors.tables import inbound_payload_table
from ordnung.core.db import Database
from ordnung.orders.tables import sales_order_table
from tests.concurrency.test_no_oversell_over_http import _free_port
from tests.factories import add_channel, add_location, add_product, put_stock

SECRET = "burst-secret"
CLIENTS = 16
DISTINCT = 180
RETRIES = 20  # the first 20 deliveries sent a second time, at once with the rest


@pytest.fixture
def server(database_url: str, db: Database) -> Iterator[str]:
    if db.is_sqlite:
        pytest.skip("the burst runs against PostgreSQL (SQLite takes one writer at a time)")
    port = _free_port()
    environment = {**os.environ, "ORDNUNG_DATABASE_URL": database_url, "BURST_SECRET": SECRET}
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "ordnung.api:create_app", "--factory"),
            *("--workers", "2", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"),
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)


def _wait_until_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    # Two worker processes importing the app take a while on a loaded machine.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode() if process.stderr else "exited")
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise RuntimeError("server did not become healthy in 180 s")


def _order(number: int) -> dict[str, Any]:
    return {
        "id": 900000 + number,
        "name": f"#B{number}",
        "email": f"kunde{number}@example.de",
        "currency": "EUR",
        "taxes_included": True,
        "total_price": "24.80",
        "total_tax": "3.96",
        "subtotal_price": "19.90",
        "line_items": [
            {
                "sku": "BURST-1",
                "quantity": 1,
                "price": "19.90",
                "tax_lines": [{"rate": 0.19, "price": "3.18"}],
            }
        ],
        "shipping_lines": [{"code": "dhl", "price": "4.90", "tax_lines": [{"rate": 0.19}]}],
        "billing_address": {
            "first_name": "Erika",
            "last_name": f"Muster{number}",
            "address1": f"Heidestraße {number}",
            "zip": "51147",
            "city": "Köln",
            "country_code": "DE",
        },
    }


def test_a_burst_of_200_webhooks_over_16_connections_loses_and_doubles_nothing(
    db: Database, server: str
) -> None:
    add_channel(db, "burst")
    location = add_location(db, "WH", 1)
    add_product(db, "BURST-1")
    put_stock(db, "BURST-1", location, 10_000)
    draft = ConnectionDraft("shopify", {}, {"webhook_secret": "env:BURST_SECRET"})
    connect_channel(db, "burst", draft, secret_key=None)
    deliveries = [(f"delivery-{n}", _order(n)) for n in range(DISTINCT)]
    deliveries += deliveries[:RETRIES]
    statuses: list[int] = []
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def send(share: list[tuple[str, dict[str, Any]]]) -> None:
        with httpx.Client(base_url=server, timeout=60) as client:
            start.wait()
            for delivery, order in share:
                body = json.dumps(order).encode()
                answer = client.post(
                    "/api/v1/channels/burst/inbound/shopify/orders/create",
                    content=body,
                    headers={
                        "X-Shopify-Hmac-Sha256": body_signature(body, SECRET),
                        "X-Shopify-Webhook-Id": delivery,
                        "X-Shopify-Topic": "orders/create",
                    },
                )
                with lock:
                    statuses.append(answer.status_code)
                    outcomes.append(answer.json().get("status", ""))

    threads = [
        threading.Thread(target=send, args=(deliveries[index::CLIENTS],))
        for index in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [202] * (DISTINCT + RETRIES)
    assert outcomes.count("imported") == DISTINCT
    assert outcomes.count("duplicate") == RETRIES
    with db.engine.connect() as connection:
        orders = connection.execute(
            select(func.count()).select_from(sales_order_table)
        ).scalar_one()
        stored = connection.execute(
            select(func.count()).select_from(inbound_payload_table)
        ).scalar_one()
    assert orders == DISTINCT
    assert stored == DISTINCT + RETRIES
