"""Non-stock products (services, digital goods, made to order) from intake to shipment, on
SQLite and PostgreSQL: never reserved, never backordered, no stock ledger rows, never held
for stock — their units ride along in the fulfilment order that ships the order's goods, or,
without goods to ship, go to the first shipping location by priority."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.catalog import service as catalog
from ordnung.core.db import Database
from ordnung.core.errors import ValidationError
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.inventory.service import StockCount, StockMove
from ordnung.orchestration.checkout_holds import Cart, CartLine, place_checkout_hold
from ordnung.orchestration.fulfillment_actions import (
    reject_fulfillment_order,
    ship_fulfillment_order,
)
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.order_actions import cancel_order
from ordnung.orchestration.schemas import OrderIn
from ordnung.orchestration.stock_actions import adjust_stock, set_stock
from ordnung.orders.queries import get_order
from tests.factories import add_product, order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import World, read_world

WRAP = "WRAP-1"  # gift wrapping: a service


@pytest.fixture
def locations(db: Database) -> Iterator[dict[str, int]]:
    ids = standard_setup(db)
    # May not be backordered — which must never matter for a product without stock.
    add_product(db, WRAP, "Geschenkverpackung", stock_policy="non_stock", allow_backorder=False)
    yield ids


def _order(db: Database, lines: list[tuple[str, int]]) -> dict[str, Any]:
    order = OrderIn.model_validate(order_payload(lines)).to_model()
    return place_order(db, order, actor="test").order


def _fo_lines(world: World, order_id: int) -> list[tuple[int, str, int | None, int]]:
    """(location id, SKU, position id, quantity) of the order's open fulfilment lines."""
    fos = set(world.open_fo_ids(order_id))
    return sorted(
        (
            world.fulfillment_orders[fl["fulfillment_order_id"]]["location_id"],
            fl["sku"],
            fl["position_id"],
            fl["quantity"] - fl["shipped_quantity"],
        )
        for fl in world.fulfillment_lines.values()
        if fl["fulfillment_order_id"] in fos
    )


def _ledger_skus(world: World) -> set[str]:
    return {world.positions[pid]["sku"] for pid in world.ledger}


def test_a_non_stock_line_rides_along_with_the_goods_of_a_mixed_order(
    db: Database, locations: dict[str, int]
) -> None:
    goods_at_b = put_stock(db, "SKU-1", locations["B"], 5)  # only B has the goods
    placed = _order(db, [("SKU-1", 2), (WRAP, 1)])

    assert placed["status"] == "allocated"
    world = read_world(db)
    assert _fo_lines(world, placed["id"]) == [
        (locations["B"], "SKU-1", goods_at_b, 2),
        (locations["B"], WRAP, None, 1),
    ]
    assert len(world.open_fo_ids(placed["id"])) == 1  # one parcel, the wrapping inside
    assert position(db, "SKU-1", locations["B"])["reserved"] == 2
    assert _ledger_skus(world) == {"SKU-1"}
    assert world.violations == []


def test_an_order_of_only_non_stock_lines_goes_to_the_first_shipping_location(
    db: Database, locations: dict[str, int]
) -> None:
    placed = _order(db, [(WRAP, 3)])

    assert placed["status"] == "allocated"
    world = read_world(db)
    assert _fo_lines(world, placed["id"]) == [(locations["A"], WRAP, None, 3)]
    assert world.positions == {} and world.ledger == {}
    assert world.violations == []


def test_a_non_stock_line_is_neither_held_nor_backordered_while_the_goods_wait(
    db: Database, locations: dict[str, int]
) -> None:
    """SKU-1 has no stock at all: its line waits; the wrapping (no backorders allowed on
    it) neither holds the order nor waits."""
    placed = _order(db, [("SKU-1", 1), (WRAP, 1)])

    assert placed["status"] == "backordered"
    detail = get_order(db, placed["id"])
    assert [h["reason"] for h in detail["holds"]] == []
    lines = {ln["sku"]: ln for ln in read_world(db).order_lines(placed["id"])}
    assert (lines["SKU-1"]["open_quantity"], lines[WRAP]["open_quantity"]) == (1, 0)
    assert lines[WRAP]["allocated_quantity"] == 1
    assert _fo_lines(read_world(db), placed["id"]) == [(locations["A"], WRAP, None, 1)]


def test_no_backorders_on_a_stocked_sku_still_holds_the_order_with_a_non_stock_line(
    db: Database, locations: dict[str, int]
) -> None:
    catalog.update_product(db, "SKU-1", {"allow_backorder": False})
    placed = _order(db, [("SKU-1", 1), (WRAP, 1)])

    assert placed["status"] == "on_hold"
    held = [h["reason"] for h in get_order(db, placed["id"])["holds"]]
    assert held == ["stock_policy"]
    assert "WRAP" not in get_order(db, placed["id"])["holds"][0]["detail"]
    assert read_world(db).open_fo_ids(placed["id"]) == []


def test_cancelling_an_order_with_a_non_stock_line_gives_back_only_the_goods(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    placed = _order(db, [("SKU-1", 2), (WRAP, 1)])

    cancel_order(db, placed["id"], reason="customer asked", actor="test")

    world = read_world(db)
    assert world.orders[placed["id"]]["status"] == "cancelled"
    assert position(db, "SKU-1", locations["A"])["reserved"] == 0
    assert all(ln["cancelled_quantity"] == ln["quantity"] for ln in world.order_lines(placed["id"]))
    assert _ledger_skus(world) == {"SKU-1"}
    assert world.violations == []


def test_shipping_moves_only_the_goods_stock(db: Database, locations: dict[str, int]) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    placed = _order(db, [("SKU-1", 2), (WRAP, 2)])
    [fo_id] = read_world(db).open_fo_ids(placed["id"])

    shipped = ship_fulfillment_order(db, fo_id, ShipmentDraft("dhl", "TN-1"), actor="test")

    assert sorted((ln["sku"], ln["quantity"]) for ln in shipped.shipment.lines) == [
        ("SKU-1", 2),
        (WRAP, 2),
    ]
    assert position(db, "SKU-1", locations["A"]) == {"on_hand": 3, "reserved": 0, "safety_stock": 0}
    world = read_world(db)
    assert world.orders[placed["id"]]["status"] == "shipped"
    assert _ledger_skus(world) == {"SKU-1"}
    assert world.violations == []


def test_a_rejected_non_stock_line_rides_to_the_next_shipping_location(
    db: Database, locations: dict[str, int]
) -> None:
    placed = _order(db, [(WRAP, 1)])
    [fo_id] = read_world(db).open_fo_ids(placed["id"])

    reject_fulfillment_order(db, fo_id, reason="no wrapping paper", actor="test")

    world = read_world(db)
    assert _fo_lines(world, placed["id"]) == [(locations["B"], WRAP, None, 1)]
    assert world.orders[placed["id"]]["status"] == "allocated"
    assert world.violations == []


def test_stock_cannot_be_booked_for_a_non_stock_product(
    db: Database, locations: dict[str, int]
) -> None:
    with pytest.raises(ValidationError, match="non-stock"):
        set_stock(db, WRAP, "A", StockCount(5, "count"))
    with pytest.raises(ValidationError, match="non-stock"):
        adjust_stock(db, WRAP, "A", StockMove(5, "receipt"), actor="test")
    world = read_world(db)
    assert world.positions == {} and world.ledger == {}


def test_a_checkout_hold_holds_the_goods_and_skips_the_non_stock_line(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    hold = place_checkout_hold(
        db, Cart((CartLine("SKU-1", 2), CartLine(WRAP, 1)), 600), actor="test"
    )
    assert hold["status"] == "active"
    assert position(db, "SKU-1", locations["A"])["reserved"] == 2
    assert read_world(db).violations == []


def test_the_stock_api_refuses_a_non_stock_sku_as_problem_json(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    answer = client.post("/api/v1/stock/WRAP-1/A/set", json={"on_hand": 3, "reason": "count"})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "non-stock" in answer.json()["detail"]

    imported = client.post(
        "/api/v1/stock/imports",
        json={
            "source": "WMS",
            "mode": "delta",
            "rows": [
                {"sku": WRAP, "location": "A", "quantity": 4},
                {"sku": "SKU-1", "location": "A", "quantity": 4},
            ],
        },
    )
    assert imported.status_code == 201, imported.text
    report = imported.json()
    assert [(ln["sku"], ln["outcome"]) for ln in report["attention"]] == [(WRAP, "non_stock")]
    world = read_world(db)
    assert {p["sku"] for p in world.positions.values()} == {"SKU-1"}
    assert world.violations == []


def test_the_product_api_takes_and_shows_the_non_stock_policy(
    client: TestClient, db: Database
) -> None:
    created = client.post(
        "/api/v1/products",
        json={"sku": "GIFT-CARD-50", "name": "Geschenkgutschein 50 €", "stock_policy": "non_stock"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["stock_policy"] == "non_stock"
    assert client.get("/api/v1/products/GIFT-CARD-50").json()["stock_policy"] == "non_stock"

    refused = client.patch("/api/v1/products/GIFT-CARD-50", json={"stock_policy": "nonstock"})
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert any("stock_policy" in str(error.get("field", "")) for error in refused.json()["errors"])
    changed = client.patch("/api/v1/products/GIFT-CARD-50", json={"stock_policy": "stocked"})
    assert changed.status_code == 200 and changed.json()["stock_policy"] == "stocked"
