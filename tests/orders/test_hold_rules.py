"""Hold rules: small named checks over an order and what it may know besides."""

from datetime import UTC, datetime
from decimal import Decimal

from ordnung.orders.draft import Address, ExpectedTotals, NewOrder, NewOrderLine, price_new_order
from ordnung.orders.holds import (
    HOLD_RULES,
    HoldContext,
    HoldDecision,
    holds_for,
    totals_mismatch,
    unknown_sku,
)
from ordnung.orders.model import HOLD_REASONS, Order

ADDRESS = Address("Erika", "Mustermann", "Heidestraße 17", "51147", "Köln", "DE")


def _order(*skus: str) -> Order:
    draft = NewOrder(
        channel="webshop",
        external_id="1",
        currency="EUR",
        email="erika@example.de",
        first_name="Erika",
        last_name="Mustermann",
        billing_address=ADDRESS,
        shipping_address=ADDRESS,
        lines=tuple(NewOrderLine(sku, 1, Decimal("10.00"), Decimal(19)) for sku in skus),
        shipping_amount=Decimal("0"),
    )
    return Order.receive(
        price_new_order(draft),
        number="ORD-1",
        channel_id=1,
        customer_id=1,
        catalogue_names={},
        now=datetime(2026, 12, 1, tzinfo=UTC),
    )


def test_an_unknown_sku_is_held_with_every_unknown_sku_named() -> None:
    context = HoldContext(frozenset({"MUG"}))
    assert unknown_sku(_order("MUG"), context) is None
    assert unknown_sku(_order("OLD-2", "MUG", "OLD-1"), context) == HoldDecision(
        "unknown_sku", "Unknown SKUs: OLD-1, OLD-2"
    )


def test_channel_totals_that_differ_from_ours_are_held() -> None:
    order = _order("MUG", "MUG")  # 20.00 gross
    right = HoldContext(frozenset({"MUG"}), ExpectedTotals(total=Decimal("20.00")))
    wrong = HoldContext(frozenset({"MUG"}), ExpectedTotals(total=Decimal("15.00")))
    none_sent = HoldContext(frozenset({"MUG"}))
    assert totals_mismatch(order, right) is None
    assert totals_mismatch(order, none_sent) is None
    held = totals_mismatch(order, wrong)
    assert held is not None
    assert (held.reason, held.detail) == ("totals_mismatch", "Channel totals differ: total")
    assert held.facts is not None
    (finding,) = held.facts["findings"]
    assert finding["values"]["channel"] == {"amount": "15.00", "currency": "EUR"}
    assert finding["values"]["computed"] == {"amount": "20.00", "currency": "EUR"}


def test_every_rule_answers_in_order_and_only_with_declared_reasons() -> None:
    context = HoldContext(frozenset(), ExpectedTotals(subtotal=Decimal("1.00")))
    decisions = holds_for(_order("NEW"), context)
    assert [d.reason for d in decisions] == ["unknown_sku", "totals_mismatch"]
    assert {d.reason for d in decisions} <= HOLD_REASONS
    assert len(HOLD_RULES) == 2
