"""Purchase orders on a real database: numbers, the lifecycle, receiving into stock with
ledger rows, backorders filled by a receipt, open supply for the promise."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.errors import InvalidTransitionError, StaleVersionError, ValidationError
from ordnung.core.tables import domain_event_table
from ordnung.inventory.service import list_movements
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.purchase_receipts import receive_purchase_order
from ordnung.orders.queries import get_order
from ordnung.purchasing import service
from ordnung.purchasing.model import LineDraft, PurchaseOrderDraft
from tests.factories import add_product, order_payload, position, standard_setup
from tests.purchasing.supply import add_supplier, sent_order


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    ids = standard_setup(db)
    add_supplier(db)
    return ids


def _events(db: Database) -> list[str]:
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(domain_event_table.c.type)
            .where(domain_event_table.c.aggregate_type == "purchase_order")
            .order_by(domain_event_table.c.id)
        )
        return list(rows.scalars())


def test_a_draft_gets_a_yearly_number_list_prices_and_expected_dates_from_lead_time(
    db: Database, locations: dict[str, int]
) -> None:
    draft = PurchaseOrderDraft("nordholz", "A", (LineDraft("SKU-1", 10), LineDraft("SKU-2", 12)))
    order = service.create_purchase_order(db, draft, actor="test")
    assert order["number"] == f"PO-{clock.now().year}-000001"
    assert order["status"] == "draft"
    assert [line["unit_price"] for line in order["lines"]] == ["4.20", "1.10"]
    assert order["total"] == "55.20"
    assert order["lines"][0]["expected_on"] == clock.now().date() + timedelta(days=5)
    second = service.create_purchase_order(db, draft, actor="test")
    assert second["number"].endswith("-000002")


def test_the_lifecycle_records_one_event_per_transition(
    db: Database, locations: dict[str, int]
) -> None:
    number = sent_order(db, [("SKU-1", 10)])
    confirmed_on = date(2027, 1, 15)
    order = service.confirm_purchase_order(db, number, {1: confirmed_on}, actor="test")
    assert order["status"] == "confirmed"
    assert order["lines"][0]["confirmed_on"] == confirmed_on
    receive_purchase_order(db, number, {1: 4}, actor="test")
    receive_purchase_order(db, number, {1: 6}, actor="test")
    assert service.get_purchase_order(db, number)["status"] == "received"
    assert _events(db) == [
        "purchase_order.created",
        "purchase_order.sent",
        "purchase_order.confirmed",
        "purchase_order.partially_received",
        "purchase_order.received",
    ]


def test_refused_transitions_change_nothing(db: Database, locations: dict[str, int]) -> None:
    draft = PurchaseOrderDraft("nordholz", "A", (LineDraft("SKU-1", 3),))
    number = service.create_purchase_order(db, draft, actor="test")["number"]
    with pytest.raises(InvalidTransitionError):
        service.confirm_purchase_order(db, number, {}, actor="test")
    with pytest.raises(InvalidTransitionError):
        receive_purchase_order(db, number, {1: 1}, actor="test")
    service.cancel_purchase_order(db, number, reason="Doppelt angelegt", actor="test")
    with pytest.raises(InvalidTransitionError):
        service.send_purchase_order(db, number, actor="test")
    assert service.get_purchase_order(db, number)["status"] == "cancelled"


def test_a_partially_received_order_can_no_longer_be_cancelled(
    db: Database, locations: dict[str, int]
) -> None:
    number = sent_order(db, [("SKU-1", 10)])
    receive_purchase_order(db, number, {1: 1}, actor="test")
    with pytest.raises(InvalidTransitionError):
        service.cancel_purchase_order(db, number, reason="zu spät", actor="test")


def test_only_a_draft_is_edited_and_a_stale_version_is_refused(
    db: Database, locations: dict[str, int]
) -> None:
    draft = PurchaseOrderDraft("nordholz", "A", (LineDraft("SKU-1", 3),))
    order = service.create_purchase_order(db, draft, actor="test")
    edited = PurchaseOrderDraft("nordholz", "B", (LineDraft("SKU-2", 6),), note="Bitte palettiert")
    saved = service.update_draft(
        db, order["number"], edited, actor="test", expected_version=order["version"]
    )
    assert (saved["location"]["code"], saved["lines"][0]["sku"]) == ("B", "SKU-2")
    with pytest.raises(StaleVersionError):
        service.update_draft(
            db, order["number"], edited, actor="test", expected_version=order["version"]
        )
    service.send_purchase_order(db, order["number"], actor="test")
    with pytest.raises(Exception, match="only a draft can be edited"):
        service.update_draft(db, order["number"], edited, actor="test", expected_version=None)


def _receipts(db: Database, sku: str) -> list[dict[str, Any]]:
    items = list_movements(db, sku, "A")["items"]
    return [item for item in items if item["kind"] == "receipt"]


def test_partial_and_full_receipt_raise_stock_with_ledger_rows_naming_the_order(
    db: Database, locations: dict[str, int]
) -> None:
    number = sent_order(db, [("SKU-1", 10), ("SKU-2", 12)])
    order = receive_purchase_order(db, number, {1: 4}, actor="staff:lager@example.de")
    assert order["status"] == "partially_received"
    assert [line["received_quantity"] for line in order["lines"]] == [4, 0]
    assert position(db, "SKU-1", locations["A"])["on_hand"] == 4

    order = receive_purchase_order(db, number, {1: 6, 2: 12}, actor="test")
    assert order["status"] == "received"
    assert position(db, "SKU-1", locations["A"])["on_hand"] == 10
    assert position(db, "SKU-2", locations["A"])["on_hand"] == 12
    rows = _receipts(db, "SKU-1")
    assert [(row["on_hand_delta"], row["reason"]) for row in rows] == [
        (4, f"Purchase order {number}"),
        (6, f"Purchase order {number}"),
    ]
    assert rows[0]["actor"] == "staff:lager@example.de"
    assert [r["quantity"] for r in order["receipts"]] == [4, 6, 12]


def test_over_receipt_is_refused_with_a_clear_message_and_books_nothing(
    db: Database, locations: dict[str, int]
) -> None:
    number = sent_order(db, [("SKU-1", 10)])
    receive_purchase_order(db, number, {1: 8}, actor="test")
    with pytest.raises(ValidationError) as refused:
        receive_purchase_order(db, number, {1: 3}, actor="test")
    (error,) = refused.value.extra["errors"]
    assert error["field"] == "lines[1].quantity"
    assert "only 2 of 10 units of SKU-1 are still open" in error["message"]
    assert position(db, "SKU-1", locations["A"])["on_hand"] == 8
    assert service.get_purchase_order(db, number)["lines"][0]["received_quantity"] == 8


def test_a_backordered_order_gets_its_units_when_the_purchase_order_arrives(
    db: Database, locations: dict[str, int]
) -> None:
    waiting = place_order(
        db, OrderIn.model_validate(order_payload([("SKU-1", 3)])).to_model(), actor="test"
    ).order
    assert get_order(db, waiting["id"])["status"] == "backordered"
    number = sent_order(db, [("SKU-1", 5)])

    receive_purchase_order(db, number, {1: 5}, actor="test")

    assert get_order(db, waiting["id"])["status"] == "allocated"
    assert position(db, "SKU-1", locations["A"]) == {
        "on_hand": 5,
        "reserved": 3,
        "safety_stock": 0,
    }


def test_incoming_supply_lists_open_quantities_of_sent_confirmed_and_partial_orders(
    db: Database, locations: dict[str, int]
) -> None:
    draft = PurchaseOrderDraft("nordholz", "A", (LineDraft("SKU-1", 7),))
    service.create_purchase_order(db, draft, actor="test")  # a draft is not supply yet
    first = sent_order(db, [("SKU-1", 10), ("SKU-2", 6)])
    receive_purchase_order(db, first, {1: 4}, actor="test")
    second = sent_order(db, [("SKU-1", 3)], location="B")
    service.confirm_purchase_order(db, second, {1: date(2027, 2, 1)}, actor="test")
    done = sent_order(db, [("SKU-1", 2)])
    receive_purchase_order(db, done, {1: 2}, actor="test")

    supply = db.read(lambda connection: service.incoming_supply(connection, ["SKU-1"]))

    found = sorted((s.po_number, s.location_id, s.quantity, s.expected_date) for s in supply)
    expected_first = clock.now().date() + timedelta(days=5)
    assert found == [
        (first, locations["A"], 6, expected_first),
        (second, locations["B"], 3, date(2027, 2, 1)),
    ]


def test_unknown_supplier_location_or_sku_is_a_422_naming_the_field(
    db: Database, locations: dict[str, int]
) -> None:
    for draft, field in [
        (PurchaseOrderDraft("niemand", "A", (LineDraft("SKU-1", 1),)), "supplier"),
        (PurchaseOrderDraft("nordholz", "Z", (LineDraft("SKU-1", 1),)), "location"),
        (PurchaseOrderDraft("nordholz", "A", (LineDraft("NOPE", 1),)), "lines[0].sku"),
        (PurchaseOrderDraft("nordholz", "A", (LineDraft("SKU-3", 1),)), "lines[0].unit_price"),
    ]:
        with pytest.raises(ValidationError) as refused:
            service.create_purchase_order(db, draft, actor="test")
        assert refused.value.extra["errors"][0]["field"] == field


def test_a_non_stock_product_is_not_bought_in_on_a_purchase_order(
    db: Database, locations: dict[str, int]
) -> None:
    add_product(db, "GRAVUR", "Gravur", stock_policy="non_stock")
    draft = PurchaseOrderDraft("nordholz", "A", (LineDraft("SKU-1", 2), LineDraft("GRAVUR", 1)))
    with pytest.raises(ValidationError) as refused:
        service.create_purchase_order(db, draft, actor="test")
    [error] = refused.value.extra["errors"]
    assert error["field"] == "lines[1].sku" and "non-stock" in error["message"]


def test_open_purchase_orders_are_the_promise_s_incoming_supply(
    db: Database, locations: dict[str, int]
) -> None:
    from ordnung.orchestration.incoming_supply import register_supply_sources
    from ordnung.promising.incoming import incoming_for

    number = sent_order(db, [("SKU-1", 10)])
    register_supply_sources()

    found = db.read(lambda connection: incoming_for(connection, ["SKU-1"]))

    mine = [item for item in found if item.source == f"purchase_order {number}"]
    assert [(i.sku, i.location_id, i.quantity) for i in mine] == [("SKU-1", locations["A"], 10)]
    assert mine[0].expected_on == clock.now().date() + timedelta(days=5)
