"""Catch-up after downtime: the pull adapters fetch recent orders from a local fake of each
platform's REST API (real HTTP on 127.0.0.1, never the network), page by page, and every
order goes through the import queue — so a repeat is a duplicate, not a second order."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import func, select
from typer.testing import CliRunner

from ordnung.cli import app as cli_app
from ordnung.connectors.connections import ConnectionDraft, connect_channel, get_connection
from ordnung.connectors.pull import pull_orders
from ordnung.connectors.queue import list_payloads
from ordnung.connectors.sku_mappings import map_sku
from ordnung.core.db import Database
from ordnung.orders.tables import sales_order_table
from tests.connectors.conftest import SECRET_KEY
from tests.connectors.fake_platforms import FakeShop, serving
from tests.connectors.samples import needs_samples, shopify_order, woocommerce_orders
from tests.factories import add_channel, add_location, add_product, put_stock

pytestmark = needs_samples


def _shopify_orders(count: int) -> list[dict[str, Any]]:
    sample = shopify_order("order_cancel_with_refund_amount.json")
    orders = []
    for number in range(count):
        order = copy.deepcopy(sample)
        order.update(
            name=f"#P{number}",
            cancelled_at=None,
            updated_at=f"2026-11-30T10:0{number}:00+01:00",
        )
        orders.append(order)
    orders[0]["line_items"][0]["sku"] = "NOT-IN-CATALOGUE"
    return orders


def _setup(db: Database, code: str, currency: str, skus: tuple[str, ...]) -> None:
    add_channel(db, code, currency=currency)
    location = add_location(db, f"WH-{code}", 1)
    for sku in skus:
        add_product(db, sku)
        put_stock(db, sku, location, 100)


def test_shopify_orders_are_pulled_page_by_page_and_a_second_pull_doubles_nothing(
    db: Database,
) -> None:
    _setup(db, "shop", "USD", ("IPOD2008GREEN", "IPOD2008RED", "IPOD2008BLACK"))
    with serving(FakeShop(shopify_orders=_shopify_orders(5))) as fake:
        draft = ConnectionDraft("shopify", {"shop_url": fake.base}, {"api_key": "shpat_fake"})
        connect_channel(db, "shop", draft, secret_key=SECRET_KEY)
        first = pull_orders(db, "shop", secret_key=SECRET_KEY)
        second = pull_orders(db, "shop", secret_key=SECRET_KEY)
    assert (first.fetched, first.imported, first.failed) == (5, 4, 1)
    assert first.cursor == "2026-11-30T10:04:00+01:00"
    assert get_connection(db, "shop").pull_cursor == first.cursor
    # Shopify's updated_at_min is inclusive: the newest order comes again, and is no new one.
    assert (second.fetched, second.imported, second.duplicate) == (1, 0, 1)
    paths = [path for path, _, _ in fake.requests]
    assert paths.count("/admin/api/2026-07/orders.json") == 4  # 3 pages, then 1
    assert fake.requests[0][1]["status"] == ["any"]
    assert fake.requests[3][1]["updated_at_min"] == [first.cursor]
    failed = list_payloads(db, status="failed")
    assert [item.source for item in failed] == ["pull"]
    assert "NOT-IN-CATALOGUE" in (failed[0].error or "")
    with db.engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(sales_order_table))
        assert count.scalar_one() == 4


WOO_SKUS = (("product:93", "WOO-93"), ("product:79", "WOO-79"), ("variant:24", "WOO-24"))


def test_woocommerce_orders_are_pulled_by_page_count(db: Database, database_url: str) -> None:
    _setup(db, "woo", "USD", ("Bar3", "WOO-93", "WOO-79", "WOO-24"))
    samples = [order for _, order in woocommerce_orders()]
    orders = []
    for number, sample in enumerate(samples[:3]):
        order = copy.deepcopy(sample)
        order["number"] = f"W{number}"
        order["date_modified_gmt"] = f"2026-11-30T10:0{number}:00"
        orders.append(order)
    with serving(FakeShop(woo_orders=orders)) as fake:
        draft = ConnectionDraft(
            "woocommerce", {"shop_url": fake.base}, {"api_key": "ck_x", "api_secret": "cs_y"}
        )
        connect_channel(db, "woo", draft, secret_key=SECRET_KEY)
        for platform_sku, sku in WOO_SKUS:
            map_sku(db, "woo", platform_sku, sku, actor="test")
        result = CliRunner(
            env={"ORDNUNG_DATABASE_URL": database_url, "ORDNUNG_SECRET_KEY": SECRET_KEY}
        ).invoke(cli_app, ["channels", "pull", "woo"])
    assert result.exit_code == 0, result.output
    assert "3 fetched: 3 imported, 0 duplicate, 0 failed" in result.output
    pages = [query["page"] for path, query, _ in fake.requests]
    assert pages == [["1"], ["2"]]
    assert fake.requests[0][2]["Authorization"].startswith("Basic ")
