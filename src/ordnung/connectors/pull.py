"""Catch-up after downtime: fetch the orders a platform changed since the last pull and put
each through the import queue, exactly like a webhook (duplicates are recognised there).

One adapter per platform, each a generator of (order, updated_at) pages from the
platform's REST API: Shopify Admin REST (`orders.json?updated_at_min=…&status=any`, pages
by the `Link: <…>; rel="next"` header) and WooCommerce REST v3 (`orders?modified_after=…
&page=n`, pages counted by `X-WP-TotalPages`). No HTTP call runs inside a transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from ordnung.connectors import connections, inbound, queue
from ordnung.connectors.connections import ActiveConnection
from ordnung.connectors.platforms import platform_named
from ordnung.core.db import Database
from ordnung.core.errors import ConflictError

SHOPIFY_API_VERSION = "2026-07"
MAX_PAGES = 200  # a bound, so a platform that keeps answering "next" cannot loop us forever
TIMEOUT_SECONDS = 20.0


class PullError(ConflictError):
    type_slug = "pull-failed"
    title = "The platform could not be asked for its orders"


@dataclass(frozen=True, slots=True)
class PullSummary:
    fetched: int = 0
    imported: int = 0
    duplicate: int = 0
    failed: int = 0
    ignored: int = 0
    cursor: str | None = None


Fetched = tuple[dict[str, Any], str]  # an order and its updated-at stamp


def shopify_orders(client: httpx.Client, connection: ActiveConnection) -> Iterator[Fetched]:
    url: str | None = f"{_base(connection)}/admin/api/{SHOPIFY_API_VERSION}/orders.json"
    params: dict[str, str] | None = {"status": "any", "limit": "250"}
    if connection.pull_cursor and params is not None:
        params["updated_at_min"] = connection.pull_cursor
    headers = {"X-Shopify-Access-Token": connection.api_key or ""}
    for _ in range(MAX_PAGES):
        if url is None:
            return
        answer = _get(client, url, params=params, headers=headers)
        for order in answer.json().get("orders") or []:
            yield order, str(order.get("updated_at") or "")
        # The next page's URL carries its own page_info; other parameters must not repeat.
        url, params = answer.links.get("next", {}).get("url"), None


def woocommerce_orders(client: httpx.Client, connection: ActiveConnection) -> Iterator[Fetched]:
    url = f"{_base(connection)}/wp-json/wc/v3/orders"
    auth = (connection.api_key or "", connection.api_secret or "")
    page, pages = 1, 1
    while page <= min(pages, MAX_PAGES):
        params = {"page": str(page), "per_page": "100", "orderby": "modified", "order": "asc"}
        if connection.pull_cursor:
            params["modified_after"] = connection.pull_cursor
        answer = _get(client, url, params=params, auth=auth)
        for order in answer.json() or []:
            yield order, str(order.get("date_modified_gmt") or "")
        pages = int(answer.headers.get("X-WP-TotalPages", "1") or 1)
        page += 1


ADAPTERS: dict[str, Callable[[httpx.Client, ActiveConnection], Iterator[Fetched]]] = {
    "shopify": shopify_orders,
    "woocommerce": woocommerce_orders,
}


def pull_orders(
    db: Database,
    channel: str,
    *,
    secret_key: str | None,
    client: httpx.Client | None = None,
) -> PullSummary:
    """Fetches and imports; the cursor moves to the newest stamp fetched."""
    connection = connections.active_connection(db, channel, secret_key)
    platform = platform_named(connection.platform)
    if not connection.settings.shop_url:
        raise PullError(f"The channel '{channel}' has no shop address to pull from.")
    counts = {"imported": 0, "duplicate": 0, "failed": 0, "ignored": 0}
    fetched, newest = 0, connection.pull_cursor
    own_client = client is None
    http = client or httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False)
    try:
        for order, stamp in ADAPTERS[platform.name](http, connection):
            fetched += 1
            body = json.dumps(order, ensure_ascii=False)
            payload_id = queue.store_payload(
                db,
                queue.IncomingPayload(
                    channel=channel,
                    platform=platform.name,
                    topic="orders/pull",
                    source="pull",
                    delivery_id=None,
                    external_id=platform.external_id(order),
                    body=body,
                ),
            )
            outcome = inbound.process_payload(db, payload_id)
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            newest = max(newest or stamp, stamp)
    finally:
        if own_client:
            http.close()
    connections.record_pull(db, channel, newest)
    return PullSummary(fetched=fetched, cursor=newest, **counts)


def _base(connection: ActiveConnection) -> str:
    return connection.settings.shop_url.rstrip("/")


def _get(client: httpx.Client, url: str, **options: Any) -> httpx.Response:
    try:
        answer = client.get(url, **options)
    except httpx.HTTPError as error:
        raise PullError(f"The platform did not answer: {error}") from None
    if answer.status_code != httpx.codes.OK:
        raise PullError(f"The platform answered {answer.status_code} to {url}.")
    return answer
