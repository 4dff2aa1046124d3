"""The demo shop: big enough to explore, every order status present, and the README's example
order works against it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from stdnum import ean

from ordnung.api import create_app
from ordnung.catalog.tables import product_table
from ordnung.core.db import Database
from ordnung.core.migrate import upgrade_database
from ordnung.core.settings import Settings
from ordnung.customers.tables import customer_table
from ordnung.demo.seed import SeedSummary, has_data, seed_demo
from ordnung.fulfillment.pickup_tables import pickup_table
from ordnung.fulfillment.tables import (
    cancellation_request_table,
    fulfillment_order_table,
    returned_parcel_table,
    shipment_table,
    short_pick_report_table,
)
from ordnung.inventory.tables import location_table, stock_movement_table, stock_position_table
from ordnung.orders.tables import order_line_table, sales_order_table
from ordnung.staff.service import create_api_key

NOW = datetime(2025, 3, 14, 10, 0, tzinfo=UTC)
MAIN_STATUSES = {"on_hold", "backordered", "allocated", "partially_shipped", "shipped", "cancelled"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, SeedSummary]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    upgrade_database(url)
    database = Database(url)
    summary = seed_demo(database, now=NOW)
    yield database, summary
    database.dispose()


def count(database: Database, column: object) -> int:
    return int(database.read(lambda c: c.execute(select(func.count(column))).scalar_one()))


def test_the_demo_shop_has_enough_of_everything(demo: tuple[Database, SeedSummary]) -> None:
    database, summary = demo
    assert has_data(database)
    assert summary.channels >= 2
    assert count(database, location_table.c.id) >= 3
    assert count(database, product_table.c.id) >= 50
    assert count(database, customer_table.c.id) >= 200
    assert count(database, sales_order_table.c.id) >= 200


def test_every_main_order_status_is_present(demo: tuple[Database, SeedSummary]) -> None:
    database, _ = demo
    statuses = database.read(
        lambda c: set(c.execute(select(sales_order_table.c.status).distinct()).scalars())
    )
    assert statuses >= MAIN_STATUSES


def test_orders_are_spread_over_weeks_and_locations_reject_and_ship(
    demo: tuple[Database, SeedSummary],
) -> None:
    database, _ = demo
    placed = database.read(
        lambda c: c.execute(
            select(func.min(sales_order_table.c.placed_at), func.max(sales_order_table.c.placed_at))
        ).one()
    )
    assert placed[1] - placed[0] > timedelta(days=40)
    assert placed[1] <= NOW
    fo_statuses = database.read(
        lambda c: set(c.execute(select(fulfillment_order_table.c.status).distinct()).scalars())
    )
    assert {"released", "shipped", "rejected", "cancelled"} <= fo_statuses
    carriers = database.read(
        lambda c: set(c.execute(select(shipment_table.c.carrier).distinct()).scalars())
    )
    assert carriers == {"dhl", "dpd", "hermes"}


def test_products_have_valid_gtins_and_some_are_sold_out(
    demo: tuple[Database, SeedSummary],
) -> None:
    database, _ = demo
    gtins = database.read(lambda c: list(c.execute(select(product_table.c.gtin)).scalars()))
    assert all(gtin and len(gtin) == 13 and ean.is_valid(gtin) for gtin in gtins)
    on_hand_by_sku = database.read(
        lambda c: c.execute(
            select(stock_position_table.c.sku, func.sum(stock_position_table.c.on_hand)).group_by(
                stock_position_table.c.sku
            )
        ).all()
    )
    assert any(total == 0 for _sku, total in on_hand_by_sku)


def _readme_example_order() -> dict[str, object]:
    """The body of the order the README's API quick start sends, as it stands there."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    after = readme[readme.index('-X POST "$ORDNUNG/api/v1/orders"') :]
    match = re.search(r"-d '(\{.*?\})'", after, re.DOTALL)
    assert match is not None, "the README no longer shows an order to send"
    body: dict[str, object] = json.loads(match.group(1))
    return body


def test_the_readme_example_order_is_accepted(demo: tuple[Database, SeedSummary]) -> None:
    database, _ = demo
    _key_id, token = create_api_key(database, "readme", ["orders:write", "orders:read"])
    settings = Settings(database_url=database.url)
    with TestClient(create_app(settings, database)) as client:
        response = client.post(
            "/api/v1/orders",
            json=_readme_example_order(),
            headers={"Authorization": f"Bearer {token}"},
        )
    # 201: a new order, not the answer for a demo order that happens to have the same id.
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "allocated"


def test_some_demo_orders_show_changes_and_unknown_sku_holds_wait_to_be_resolved(
    demo: tuple[Database, SeedSummary],
) -> None:
    from ordnung.core.tables import domain_event_table as event
    from ordnung.orders.tables import order_hold_table as hold

    database, _ = demo
    changes = database.read(
        lambda c: (
            set(
                c.execute(
                    select(event.c.type).where(event.c.type.like("order.line_%")).distinct()
                ).scalars()
            )
            | set(
                c.execute(
                    select(event.c.type).where(event.c.type.like("order.shipping_%")).distinct()
                ).scalars()
            )
        )
    )
    assert {"order.line_cancelled", "order.shipping_address_changed"} <= changes
    waiting = database.read(
        lambda c: c.execute(
            select(func.count())
            .select_from(hold)
            .where(hold.c.reason == "unknown_sku", hold.c.released_at.is_(None))
        ).scalar_one()
    )
    assert waiting >= 1


def test_the_demo_shows_a_cancellation_request_and_a_short_pick(
    demo: tuple[Database, SeedSummary],
) -> None:
    database, _summary = demo
    open_requests = database.read(
        lambda c: c.execute(
            select(func.count()).where(cancellation_request_table.c.decided_at.is_(None))
        ).scalar_one()
    )
    open_markers = database.read(
        lambda c: c.execute(
            select(func.count()).where(short_pick_report_table.c.acknowledged_at.is_(None))
        ).scalar_one()
    )
    assert (open_requests, open_markers) == (1, 1)


def test_the_demo_shows_suppliers_purchase_orders_in_every_state_and_suggestions(
    demo: tuple[Database, SeedSummary],
) -> None:
    from ordnung.purchasing.replenishment import suggestions
    from ordnung.purchasing.service import PurchaseOrderFilter, list_purchase_orders
    from ordnung.purchasing.suppliers import list_suppliers

    database, _ = demo
    assert len(list_suppliers(database)) == 4
    stock = list_purchase_orders(database, PurchaseOrderFilter(kind="stock"))["items"]
    assert {order["status"] for order in stock} == {
        "draft",
        "sent",
        "confirmed",
        "partially_received",
        "received",
    }
    # The drop-ship supplier's orders: one waiting, one confirmed, one shipped with tracking.
    dropship = list_purchase_orders(database, PurchaseOrderFilter(kind="dropship"))["items"]
    assert sorted(order["status"] for order in dropship) == ["confirmed", "sent", "shipped"]
    assert all(order["ship_to"]["city"] for order in dropship)
    assert suggestions(database), "the rules suggest something to reorder"


def test_the_demo_shows_transfers_losses_returns_and_stock_imports(
    demo: tuple[Database, SeedSummary],
) -> None:
    from ordnung.inventory.imports import import_report, list_imports
    from ordnung.inventory.transfer_queries import list_transfers

    database, _summary = demo
    statuses = sorted(item["status"] for item in list_transfers(database)["items"])
    assert statuses == ["cancelled", "in_transit", "received"]
    in_transit = list_transfers(database, status="in_transit")["items"][0]
    assert 0 < in_transit["received_units"] < in_transit["units"]
    found = list_imports(database)["items"]
    assert sorted(item["mode"] for item in found) == ["delta", "snapshot"]
    snapshot = next(item for item in found if item["mode"] == "snapshot")
    outcomes = {line["outcome"] for line in import_report(database, snapshot["id"])["attention"]}
    assert outcomes == {"below_reserved", "unknown_sku"}
    assert snapshot["changed"] >= 1
    kinds = database.read(
        lambda c: {kind for (kind,) in c.execute(select(stock_movement_table.c.kind).distinct())}
    )
    assert {"transfer_out", "transfer_in", "write_off", "return", "count"} <= kinds


def test_some_demo_lines_carry_a_requested_date_and_some_cannot_be_kept(
    demo: tuple[Database, SeedSummary],
) -> None:
    database, _ = demo
    lines = order_line_table
    rows = database.read(
        lambda c: c.execute(
            select(
                lines.c.requested_delivery_on,
                lines.c.promised_ship_on,
                lines.c.promised_delivery_on,
            ).where(lines.c.requested_delivery_on.is_not(None))
        ).all()
    )
    promised = [row for row in rows if row.promised_delivery_on is not None]
    assert len(rows) >= 20
    assert all(row.promised_ship_on is not None for row in promised)
    # Some wishes lie beyond the earliest delivery (promised for that very day), some before
    # it (kept, promised later: the order page marks those).
    assert any(row.promised_delivery_on == row.requested_delivery_on for row in promised)
    assert any(row.promised_delivery_on > row.requested_delivery_on for row in promised)


def test_the_demo_has_bins_in_both_warehouses_and_an_open_partly_picked_wave(
    demo: tuple[Database, SeedSummary],
) -> None:
    from ordnung.fulfillment import waves
    from ordnung.fulfillment.pick_list_pdf import render_pick_list
    from ordnung.inventory.bins import list_bins

    db, _summary = demo
    for code in ("lager-nord", "lager-sued"):
        assert len(list_bins(db, code)) >= 20, code
    [wave] = waves.list_waves(db, "lager-nord", status="open")["items"]
    detail = waves.get_wave(db, ("lager-nord", wave["id"]))
    assert len(detail["fulfillment_orders"]) >= 2
    assert {fo["status"] for fo in detail["fulfillment_orders"]} == {"picking"}
    assert detail["rows"][0]["remaining"] == 0 < sum(row["remaining"] for row in detail["rows"])
    document = waves.pick_list_document(db, ("lager-nord", wave["id"]))
    assert render_pick_list(document, "de").startswith(b"%PDF")


def test_the_demo_has_packed_and_partly_shipped_fulfilment_orders_with_packages(
    demo: tuple[Database, SeedSummary],
) -> None:
    from ordnung.fulfillment import package_queries
    from ordnung.fulfillment.queries import list_fulfillment_orders

    db, _summary = demo
    states = [
        package_queries.packing_state(db, fo["id"])
        for status in ("picking", "packed", "shipped")
        for fo in list_fulfillment_orders(
            db, location_code="lager-sued", status=status, cursor=None, limit=200
        )["items"]
    ]
    with_packages = [state for state in states if state["packages"]]
    assert len(with_packages) == 2
    statuses = sorted(p["status"] for state in with_packages for p in state["packages"])
    assert "shipped" in statuses and "packed" in statuses
    assert {state["status"] for state in with_packages} <= {"packed", "shipped"}


def test_the_demo_has_click_and_collect_orders_in_every_state(
    demo: tuple[Database, SeedSummary],
) -> None:
    database, _summary = demo

    def read(connection: Any) -> list[tuple[str, bool, bool]]:
        rows = connection.execute(
            select(
                fulfillment_order_table.c.status,
                pickup_table.c.code.is_not(None),
                pickup_table.c.expired_at.is_not(None),
            ).join(
                fulfillment_order_table,
                fulfillment_order_table.c.id == pickup_table.c.fulfillment_order_id,
            )
        ).all()
        return [tuple(row) for row in rows]

    assert sorted(database.read(read)) == sorted(
        [
            ("released", False, False),
            ("ready_for_pickup", True, False),
            ("ready_for_pickup", True, False),
            ("picked_up", True, False),
            ("cancelled", True, True),
        ]
    )


def test_demo_fulfilment_orders_carry_details_and_the_queues_show_late_and_due_work(
    demo: tuple[Database, SeedSummary],
) -> None:
    from ordnung.core import clock
    from ordnung.fulfillment.queue_queries import QueueFilter, location_queue

    database, _ = demo
    fo = fulfillment_order_table
    rows = database.read(
        lambda c: c.execute(
            select(fo.c.service_level, fo.c.priority, fo.c.gift_note, fo.c.ship_to)
        ).all()
    )
    assert {row.service_level for row in rows} >= {"standard", "express"}
    assert {row.priority for row in rows} >= {"normal", "high"}
    assert sum(1 for row in rows if row.gift_note) >= 5
    assert all(row.ship_to for row in rows)
    codes = database.read(lambda c: list(c.execute(select(location_table.c.code)).scalars()))
    previous = clock.use_clock(clock.FixedClock(NOW))
    try:
        markers = {
            item["sla"]
            for code in codes
            for item in location_queue(database, code, QueueFilter(), after_id=None, limit=200)[
                "items"
            ]
        }
    finally:
        clock.use_clock(previous)
    assert {"late", "due_today"} <= markers


def test_the_demo_has_a_waiting_and_a_processed_returned_parcel(
    demo: tuple[Database, SeedSummary],
) -> None:
    database, _summary = demo
    statuses = database.read(
        lambda c: sorted(c.execute(select(returned_parcel_table.c.status)).scalars())
    )
    assert statuses == ["processed", "waiting"]


def test_the_demo_shop_is_connected_to_shopify_with_a_failed_import_and_a_duplicate(
    demo: tuple[Database, SeedSummary],
) -> None:
    from ordnung.connectors.connections import get_connection
    from ordnung.connectors.queue import count_by_status

    database, _ = demo
    assert get_connection(database, "onlineshop").platform == "shopify"
    counts = count_by_status(database, "onlineshop")
    assert counts["imported"] == 3
    assert counts["failed"] == 1
    assert counts["duplicate"] == 2
