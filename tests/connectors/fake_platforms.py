"""A local fake of the platforms' order APIs, served over real HTTP on 127.0.0.1: Shopify
Admin REST (`/admin/api/<version>/orders.json`, paged by `Link: <…>; rel="next"`) and
WooCommerce REST v3 (`/wp-json/wc/v3/orders`, paged by `page` and `X-WP-TotalPages`), in
the shapes the platforms document. It records what it was asked."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class FakeShop:
    shopify_orders: list[dict[str, Any]] = field(default_factory=list)
    woo_orders: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 2
    requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = field(default_factory=list)
    base: str = ""


class FakeHandler(BaseHTTPRequestHandler):
    shop: FakeShop  # set on the subclass `serving` makes

    def log_message(self, *_: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        self.shop.requests.append((url.path, query, dict(self.headers)))
        if url.path.endswith("/orders.json"):
            self._shopify(url.path, query)
        elif url.path == "/wp-json/wc/v3/orders":
            self._woo(query)
        else:
            self._send(404, {"errors": "Not Found"})

    def _shopify(self, path: str, query: dict[str, list[str]]) -> None:
        shop = self.shop
        if self.headers.get("X-Shopify-Access-Token") != "shpat_fake":
            self._send(401, {"errors": "[API] Invalid API key or access token"})
            return
        since = query.get("updated_at_min", [""])[0]
        # updated_at_min is inclusive on Shopify.
        wanted = [o for o in shop.shopify_orders if o["updated_at"] >= since]
        start = int(query.get("page_info", ["0"])[0])
        end = start + shop.page_size
        headers = {}
        if end < len(wanted):
            headers["Link"] = f'<{shop.base}{path}?limit=250&page_info={end}>; rel="next"'
        self._send(200, {"orders": wanted[start:end]}, headers)

    def _woo(self, query: dict[str, list[str]]) -> None:
        shop = self.shop
        page_number = int(query.get("page", ["1"])[0])
        since = query.get("modified_after", [""])[0]
        wanted = [o for o in shop.woo_orders if o["date_modified_gmt"] > since]
        pages = max(1, -(-len(wanted) // shop.page_size))
        start = (page_number - 1) * shop.page_size
        self._send(
            200,
            wanted[start : start + shop.page_size],
            {"X-WP-TotalPages": str(pages), "X-WP-Total": str(len(wanted))},
        )

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serving(shop: FakeShop) -> Iterator[FakeShop]:
    handler = type("BoundFakeHandler", (FakeHandler,), {"shop": shop})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    shop.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield shop
    finally:
        server.shutdown()
        server.server_close()
