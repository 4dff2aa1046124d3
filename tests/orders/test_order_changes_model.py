"""Changes after intake on the aggregate alone (no database): each is allowed where it should
be and refused where not, keeps every unit in exactly one bucket, moves the totals, and
records exactly one event with before → after and the reason."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from ordnung.core.errors import ConflictError, ValidationError
from ordnung.orders import changes
from ordnung.orders.changes import CancelReason, NewLine, Replacement
from ordnung.orders.holds import HoldContext
from ordnung.orders.model import Order
from tests.orders.test_order_model import ADDRESS, NOW, _order


def _allocated(quantity: int = 3, allocated: int = 2) -> Order:
    order = _order([(str(quantity), "10.00", "19")])
    order.allocate({1: allocated})
    order.settle_status()
    order.pull_events()
    return order


def _one_event(order: Order) -> dict[str, object]:
    (event,) = order.pull_events()
    return {"type": event.type, **event.payload()}


def test_cancelling_units_takes_open_ones_first_and_lowers_the_totals() -> None:
    order = _allocated(quantity=3, allocated=2)
    assert changes.allocated_units_to_free(order, 1, 1) == 0
    assert changes.allocated_units_to_free(order, 1, 2) == 1
    changes.cancel_line_units(order, 1, 2, "weniger")
    buckets = order.lines[0].buckets
    assert (buckets.open, buckets.allocated, buckets.cancelled) == (0, 1, 2)
    assert order.totals().subtotal == 1000
    event = _one_event(order)
    assert (event["type"], event["before"], event["after"], event["units"]) == (
        "order.line_cancelled",
        3,
        1,
        2,
    )


def test_more_units_than_remain_cannot_be_cancelled() -> None:
    order = _allocated()
    with pytest.raises(ValidationError):
        changes.cancel_line_units(order, 1, 4, "zu viel")
    assert order.pull_events() == []


def test_a_discount_shrinks_with_the_cancelled_units() -> None:
    order = _order([("4", "10.00", "19")])
    order.lines[0].discount = 400
    changes.cancel_line_units(order, 1, 1, "eins weniger")
    assert (order.lines[0].billed.discount, order.lines[0].total) == (300, 2700)


def test_a_cancelled_order_takes_no_more_changes() -> None:
    order = _allocated()
    order.cancel("weg", reason_code="duplicate")
    for change in (
        lambda: changes.cancel_line_units(order, 1, 1, "x"),
        lambda: changes.add_line(order, NewLine("S9", "X", 1, 100, 0, Decimal(19)), "x"),
        lambda: changes.correct_price(order, 1, unit_price=900, discount=None, reason="x"),
        lambda: changes.change_shipping(
            order, address=None, method="express", reason="x", fulfillment_order_ids=[]
        ),
    ):
        with pytest.raises(ConflictError):
            change()


def test_an_added_line_waits_open_and_counts() -> None:
    order = _allocated()
    number = changes.add_line(order, NewLine("S9", "Teekanne", 2, 500, 0, Decimal(7)), "dazu")
    assert number == 2
    assert order.line(2).buckets.open == 2
    assert order.totals().subtotal == 4000
    assert _one_event(order)["type"] == "order.line_added"
    with pytest.raises(ValidationError):
        changes.add_line(order, NewLine("S9", "Teekanne", 1, 500, 600, Decimal(7)), "x")


def test_replacing_the_sku_reopens_allocated_units_and_keeps_the_price_unless_given() -> None:
    order = _allocated()
    changes.replace_sku(order, 1, Replacement("S7", "Becher blau", None), "Farbe")
    line = order.lines[0]
    assert (line.sku, line.name, line.unit_price, line.buckets.open) == (
        "S7",
        "Becher blau",
        1000,
        3,
    )
    event = _one_event(order)
    assert (event["before"], event["after"], event["is_substitute"]) == ("S0", "S7", False)


def test_a_line_with_shipped_units_is_not_replaced_and_not_repriced() -> None:
    order = _allocated()
    order.ship({1: 1})
    with pytest.raises(ConflictError):
        changes.check_replaceable(order, 1, "S7")
    with pytest.raises(ConflictError):
        changes.correct_price(order, 1, unit_price=900, discount=None, reason="x")


def test_replacing_with_the_same_sku_is_refused() -> None:
    with pytest.raises(ValidationError):
        changes.check_replaceable(_allocated(), 1, "S0")


def test_a_price_correction_tells_before_and_after() -> None:
    order = _allocated()
    changes.correct_price(order, 1, unit_price=800, discount=100, reason="Zusage")
    event = _one_event(order)
    assert (event["unit_price_before"], event["unit_price_after"]) == (1000, 800)
    assert (event["discount_before"], event["discount_after"]) == (0, 100)
    with pytest.raises(ValidationError):
        changes.correct_price(order, 1, unit_price=800, discount=100, reason="again")


def test_shipping_changes_record_one_event_per_thing_changed_and_none_for_no_change() -> None:
    order = _allocated()
    moved = replace(ADDRESS, street="Domplatz 1")
    changes.change_shipping(
        order, address=moved, method="express", reason="Umzug", fulfillment_order_ids=[4]
    )
    types = [event.type for event in order.pull_events()]
    assert types == ["order.shipping_address_changed", "order.shipping_method_changed"]
    with pytest.raises(ValidationError):
        changes.change_shipping(
            order, address=moved, method="express", reason="x", fulfillment_order_ids=[]
        )


def test_shipping_changes_stop_once_something_shipped() -> None:
    order = _allocated()
    order.ship({1: 1})
    with pytest.raises(ConflictError):
        changes.change_shipping(
            order, address=None, method="express", reason="x", fulfillment_order_ids=[]
        )


def test_recheck_releases_an_unknown_sku_hold_only_when_no_unknown_sku_is_left() -> None:
    order = _order([("1", "10.00", "19"), ("1", "10.00", "19")])
    order.hold("unknown_sku", "Unknown SKUs: S0, S1", at=NOW)
    order.holds[0].id = 1
    order.pull_events()
    context = HoldContext(known_skus=frozenset({"S1", "S7"}))
    changes.recheck_holds(order, context, note="n", by="staff:a", at=NOW)
    assert order.is_on_hold
    changes.replace_sku(order, 1, Replacement("S7", "X", None), "Tippfehler")
    changes.recheck_holds(order, context, note="resolved", by="staff:a", at=NOW)
    assert not order.is_on_hold
    assert order.holds[0].release_note == "resolved"


def test_a_cancel_reason_must_be_a_known_code_and_reads_as_its_note() -> None:
    assert CancelReason("fraud", "Karte gesperrt").text == "Karte gesperrt"
    assert CancelReason("out_of_stock").text == "out of stock"
    with pytest.raises(ValidationError):
        CancelReason("bored")
