"""Shopify webhooks per second through the connector — signature check, import queue, mapping
and intake — next to the native intake (POST /api/v1/orders) in the same run, over HTTP.

    .venv/bin/python bench/inbound.py [--orders 500] [--concurrency 16]
        [--backend sqlite|postgresql] [--workers 2]

A fresh database is seeded as for bench/intake.py (channel `webshop`, 3 warehouses, 50
products with stock), the channel is connected to Shopify (webhook secret from the
environment), and one real server (uvicorn, W workers) takes first N native orders, then N
Shopify `orders/create` webhooks of the same orders (3 lines, 19.99 EUR gross, 19 %), each
signed with HMAC-SHA256, over C keep-alive connections. Every wait has a time limit.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import os
import tempfile
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import func, select

from intake import DEFAULT_PG_URL, running_server
from intake_client import LoadResult, build_request, run_load
from intake_setup import encoded_payload, fresh_database, machine_facts, order_lines, seed
from ordnung.connectors.connections import ConnectionDraft, connect_channel
from ordnung.connectors.tables import inbound_payload_table
from ordnung.core.db import Database

SECRET_VARIABLE = "ORDNUNG_BENCH_SHOPIFY_SECRET"
SECRET = "bench-shopify-secret"
WEBHOOK_PATH = "/api/v1/channels/webshop/inbound/shopify/orders/create"


def shopify_order(index: int, run: str) -> dict[str, Any]:
    """The native benchmark's order `index`, as Shopify's orders/create webhook sends it."""
    address = {
        "first_name": "Erika",
        "last_name": "Mustermann",
        "address1": f"Heidestraße {index % 997 + 1}",
        "zip": f"{50000 + index % 9973:05d}",
        "city": "Köln",
        "country_code": "DE",
    }
    lines = order_lines(index)
    total = sum((Decimal("19.99") * quantity for _, quantity in lines), Decimal("4.90"))
    return {
        "id": index,
        "name": f"#{run}-{index:07d}",
        "email": f"kunde{index}@example.de",
        "currency": "EUR",
        "taxes_included": True,
        "financial_status": "paid",
        "payment_gateway_names": ["shopify_payments"],
        "total_price": str(total),
        "line_items": [
            {
                "id": index * 10 + number,
                "sku": sku,
                "name": f"Artikel {sku}",
                "quantity": quantity,
                "price": "19.99",
                "taxable": True,
                "tax_lines": [{"rate": 0.19}],
                "discount_allocations": [],
            }
            for number, (sku, quantity) in enumerate(lines)
        ],
        "shipping_lines": [{"code": "DHL Paket", "price": "4.90", "tax_lines": [{"rate": 0.19}]}],
        "billing_address": address,
        "shipping_address": address,
    }


def webhook_requests(count: int, run: str, first: int = 0) -> list[bytes]:
    requests = []
    for index in range(first, first + count):
        body = orjson.dumps(shopify_order(index, run))
        signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest())
        headers = {
            "X-Shopify-Hmac-Sha256": signature.decode(),
            "X-Shopify-Webhook-Id": f"{run}-{index}",
            "X-Shopify-Topic": "orders/create",
        }
        requests.append(build_request(WEBHOOK_PATH, body, headers))
    return requests


def native_requests(count: int, run: str, api_key: str, first: int = 0) -> list[bytes]:
    headers = {"Authorization": f"Bearer {api_key}"}
    return [
        build_request("/api/v1/orders", encoded_payload(index, run), headers)
        for index in range(first, first + count)
    ]


def import_statuses(url: str) -> Counter[str]:
    db = Database(url)
    try:
        with db.engine.connect() as connection:
            rows = connection.execute(
                select(inbound_payload_table.c.status, func.count()).group_by(
                    inbound_payload_table.c.status
                )
            ).all()
    finally:
        db.dispose()
    return Counter({status: count for status, count in rows})


def _line(name: str, result: LoadResult) -> str:
    return (
        f"  {name:22}: {result.throughput:7.0f} /s   p50 {result.percentile_ms(0.5):6.1f}"
        f"  p99 {result.percentile_ms(0.99):6.1f} ms   errors {result.errors}"
        + (f" ({result.first_error[:80]})" if result.first_error else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    args = parser.parse_args()
    stamp = datetime.now(UTC).strftime("%H%M%S")
    facts = machine_facts(args.pg_url if args.backend == "postgresql" else None)
    print(f"Ordnung inbound webhook benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    for name, value in facts.items():
        print(f"  {name:13}: {value}")
    os.environ[SECRET_VARIABLE] = SECRET  # the server reads the webhook secret from here
    with (
        fresh_database(args.backend, args.pg_url, "ordnung_bench_inbound") as url,
        tempfile.TemporaryDirectory(prefix="ordnung-bench-logs-") as log_dir,
    ):
        seeded = seed(url)
        db = Database(url)
        draft = ConnectionDraft("shopify", {}, {"webhook_secret": f"env:{SECRET_VARIABLE}"})
        connect_channel(db, "webshop", draft, secret_key=None)
        db.dispose()
        with running_server(url, args.workers, log_dir, "ordnung.api:create_app") as server:
            run_load(
                server.port,
                native_requests(args.warmup, f"WN{stamp}", seeded.api_key, 10**7),
                args.concurrency,
            )
            run_load(
                server.port,
                webhook_requests(args.warmup, f"WS{stamp}", 2 * 10**7),
                args.concurrency,
            )
            native = run_load(
                server.port,
                native_requests(args.orders, f"N{stamp}", seeded.api_key),
                args.concurrency,
            )
            inbound = run_load(
                server.port, webhook_requests(args.orders, f"S{stamp}", 10**6), args.concurrency
            )
        statuses = import_statuses(url)
    print(f"  backend      : {args.backend}, {args.workers} workers, {args.concurrency} clients")
    print(_line("native POST /orders", native))
    print(_line("Shopify webhooks", inbound))
    if native.throughput:
        print(f"  webhooks / native    : {inbound.throughput / native.throughput:.2f}")
    print(f"  import queue         : {dict(statuses)}")


if __name__ == "__main__":
    main()
