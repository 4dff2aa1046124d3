"""The order aggregate without a database: amounts, status, holds, events."""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ordnung.core.errors import (
    ConflictError,
    InvalidTransitionError,
    NotFoundError,
    StaleVersionError,
    ValidationError,
)
from ordnung.core.events import EVENT_TYPES
from ordnung.orders import model
from ordnung.orders.draft import Address, NewOrder, NewOrderLine, price_new_order
from ordnung.orders.model import LineBuckets, Order, derive_status
from ordnung.orders.totals import mismatched_totals

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
ADDRESS = Address("Erika", "Mustermann", "Heidestraße 17", "51147", "Köln", "DE")


def _draft(
    lines: list[tuple[str, str, str]], *, gross: bool = True, shipping: str = "4.90"
) -> NewOrder:
    return NewOrder(
        channel="webshop",
        external_id="1",
        currency="EUR",
        email="Erika@Example.de",
        first_name="Erika",
        last_name="Mustermann",
        billing_address=ADDRESS,
        shipping_address=ADDRESS,
        lines=tuple(
            NewOrderLine(f"S{i}", int(qty), Decimal(price), Decimal(rate))
            for i, (qty, price, rate) in enumerate(lines)
        ),
        shipping_amount=Decimal(shipping),
        prices_include_tax=gross,
    )


def _order(lines: list[tuple[str, str, str]], **draft: object) -> Order:
    priced = price_new_order(_draft(lines, **draft))  # type: ignore[arg-type]
    return Order.receive(
        priced,
        number="ORD-000001",
        channel_id=1,
        customer_id=7,
        catalogue_names={"S0": "Kaffeebecher"},
        now=NOW,
    )


def _types(order: Order) -> list[str]:
    return [event.type for event in order.pull_events()]


def test_gross_prices_carry_vat_computed_once_per_rate_group() -> None:
    totals = _order([("3", "19.99", "19"), ("1", "9.99", "7")]).totals()
    assert totals.line_totals == (5997, 999)
    assert totals.subtotal == 6996
    assert totals.total == 6996 + 490
    # 19 % group: (59.97 + 4.90) gross → 10.36 VAT; 7 % group: 9.99 gross → 0.65 VAT.
    assert totals.tax_by_rate == {Decimal(19): 1036, Decimal(7): 65}
    assert totals.tax == 1101


def test_net_prices_get_vat_added_to_the_total() -> None:
    totals = _order([("2", "10.00", "19")], gross=False, shipping="0").totals()
    assert (totals.subtotal, totals.tax, totals.total) == (2000, 380, 2380)


def test_the_draft_and_the_order_it_becomes_have_the_same_totals() -> None:
    draft = _draft([("3", "19.99", "19"), ("2", "4.20", "7")])
    assert (
        price_new_order(draft).totals()
        == _order([("3", "19.99", "19"), ("2", "4.20", "7")]).totals()
    )


@pytest.mark.parametrize("price", ["19.999", "1.005"])
def test_amounts_finer_than_the_currency_are_refused(price: str) -> None:
    # 1.005 × 2 would be a whole 2.01, but the order keeps the unit price: refused too.
    with pytest.raises(ValidationError, match="more decimals"):
        price_new_order(_draft([("2", price, "19")]))


def test_an_unknown_currency_and_a_discount_above_the_line_are_refused() -> None:
    draft = _draft([("1", "1.00", "19")])
    with pytest.raises(ValidationError, match="Unknown currency"):
        price_new_order(replace(draft, currency="XYZ"))
    line = NewOrderLine("S0", 1, Decimal("5.00"), Decimal(19), discount=Decimal("6.00"))
    with pytest.raises(ValidationError, match="discount exceeds"):
        price_new_order(replace(draft, lines=(line,)))


def test_totals_mismatch_names_the_total_that_differs() -> None:
    totals = _order([("1", "10.00", "19")], shipping="0").totals()
    given_totals = (("subtotal", Decimal("10.00")), ("tax", None), ("total", Decimal("10.01")))
    assert mismatched_totals(given_totals, totals, "EUR") == ["total"]


def test_a_received_order_keeps_snapshots_and_says_it_was_received() -> None:
    order = _order([("2", "19.99", "19"), ("1", "5.00", "7")])
    assert order.email == "erika@example.de"
    assert [(ln.line_number, ln.name, ln.unit_price) for ln in order.lines] == [
        (1, "Kaffeebecher", 1999),
        (2, "S1", 500),  # no catalogue name: the SKU stands in
    ]
    assert (order.status, order.version) == (model.RECEIVED, 1)
    assert _types(order) == ["order.received"]


def test_sourcing_settles_the_status_with_one_event() -> None:
    order = _order([("2", "19.99", "19"), ("1", "5.00", "7")])
    order.pull_events()
    order.allocate({1: 2})
    order.settle_status()
    assert order.status == model.BACKORDERED
    order.allocate({2: 1})
    order.settle_status()
    assert order.status == model.ALLOCATED
    assert _types(order) == ["order.backordered", "order.allocated"]
    order.settle_status()
    assert _types(order) == []  # nothing changed, nothing recorded


def test_a_hold_stops_sourcing_until_released_and_records_the_change() -> None:
    order = _order([("1", "19.99", "19")])
    order.pull_events()
    order.hold("manual", "Kunde ruft zurück", at=NOW)
    order.hold("fraud", "Adresse auffällig", at=NOW)
    assert order.status == model.ON_HOLD
    assert not order.can_be_sourced
    held = order.pull_events()
    assert [(e.type, e.payload()["from"], e.payload()["to"]) for e in held] == [
        ("order.held", "received", "on_hold"),
        ("order.held", "on_hold", "on_hold"),  # one more hold: no second status change
    ]
    for index, hold in enumerate(order.holds):
        hold.id = index + 10
    order.release_hold(10, note="geklärt", by="staff:anna", at=NOW)
    assert order.is_on_hold and not order.can_be_sourced
    order.release_hold(11, note="geprüft", by="staff:anna", at=NOW)
    assert order.can_be_sourced
    order.allocate({1: 1})
    order.settle_status()
    assert _types(order) == ["order.hold_released", "order.hold_released", "order.allocated"]
    with pytest.raises(NotFoundError):
        order.release_hold(10, note="again", by="staff:anna", at=NOW)


def test_an_unknown_hold_reason_is_a_bug() -> None:
    with pytest.raises(ValueError):
        _order([("1", "1.00", "19")]).hold("mood", "", at=NOW)


def test_cancelling_cancels_every_unshipped_unit_with_the_reason() -> None:
    order = _order([("3", "1.00", "19")])
    order.allocate({1: 2})
    order.settle_status()
    order.pull_events()
    order.cancel("Kundenwunsch")
    line = order.lines[0].buckets
    assert (line.open, line.allocated, line.cancelled) == (0, 0, 3)
    (event,) = order.pull_events()
    assert event.payload() == {
        "number": "ORD-000001",
        "from": "backordered",
        "to": "cancelled",
        "reason": "Kundenwunsch",
        "reason_code": "other",
        "note": "",
    }
    assert not order.can_be_sourced


def test_an_order_with_shipped_units_cannot_be_cancelled_whole() -> None:
    order = _order([("2", "1.00", "19")])
    order.allocate({1: 2})
    order.settle_status()
    order.ship({1: 1})
    order.settle_status()
    assert order.status == model.PARTIALLY_SHIPPED
    with pytest.raises(ConflictError):
        order.cancel("zu spät")


def test_a_stale_version_is_a_conflict() -> None:
    order = _order([("1", "1.00", "19")])
    order.check_version(1)
    order.check_version(None)
    with pytest.raises(StaleVersionError):
        order.check_version(2)


def test_status_is_derived_from_buckets_and_holds() -> None:
    assert derive_status([LineBuckets(2, open=2)], has_active_hold=True) == model.ON_HOLD
    assert derive_status([LineBuckets(2, open=2)], has_active_hold=False) == model.BACKORDERED
    assert derive_status([LineBuckets(2, 0, allocated=2)], has_active_hold=False) == "allocated"
    partly = LineBuckets(2, 0, allocated=1, shipped=1)
    assert derive_status([partly], has_active_hold=False) == model.PARTIALLY_SHIPPED
    done = LineBuckets(2, 0, shipped=1, cancelled=1)
    assert derive_status([done], has_active_hold=False) == model.SHIPPED
    gone = LineBuckets(2, 0, cancelled=2)
    assert derive_status([gone], has_active_hold=True) == model.CANCELLED


def test_a_shipped_order_cannot_fall_back_to_allocated() -> None:
    with pytest.raises(InvalidTransitionError):
        model.check_transition(model.SHIPPED, model.ALLOCATED)


def test_moving_more_units_than_a_bucket_holds_is_refused() -> None:
    line = LineBuckets(3, open=3)
    line.allocate(2)
    with pytest.raises(ValueError):
        line.ship(3)
    assert (line.open, line.allocated, line.shipped) == (1, 2, 0)


operations = st.lists(
    st.tuples(st.sampled_from(["allocate", "deallocate", "ship", "cancel"]), st.integers(1, 5)),
    max_size=30,
)


@given(quantity=st.integers(1, 20), steps=operations)
def test_every_unit_stays_in_exactly_one_bucket(
    quantity: int, steps: list[tuple[str, int]]
) -> None:
    line = LineBuckets(quantity, open=quantity)
    for operation, units in steps:
        try:
            if operation == "cancel":
                line.cancel_unshipped()
            else:
                getattr(line, operation)(units)
        except ValueError:
            pass  # refused moves must leave the buckets untouched
        assert line.open + line.allocated + line.shipped + line.cancelled == quantity
        assert min(line.open, line.allocated, line.shipped, line.cancelled) >= 0


class OrderMachine(RuleBasedStateMachine):
    """Any sequence of actions keeps the aggregate's promises: the status is the derived one,
    every status change is one declared event chained from the last, units stay in buckets."""

    def __init__(self) -> None:
        super().__init__()
        self.order = _order([("3", "1.00", "19"), ("2", "2.00", "7")])
        self.order.settle_status()  # as intake stores it: sourced (here: nothing found)
        self.chain = [model.RECEIVED]
        self.next_hold_id = 1

    def _act(self, action: object) -> None:
        try:
            action()  # type: ignore[operator]
        except (ValueError, ConflictError, NotFoundError):
            return  # refused: the model raised before changing anything it checks
        self.order.settle_status()

    @rule(line=st.integers(1, 2), units=st.integers(1, 3))
    def allocate(self, line: int, units: int) -> None:
        if self.order.can_be_sourced:
            self._act(lambda: self.order.allocate({line: units}))

    @rule(line=st.integers(1, 2), units=st.integers(1, 3))
    def deallocate(self, line: int, units: int) -> None:
        self._act(lambda: self.order.deallocate({line: units}))

    @rule(line=st.integers(1, 2), units=st.integers(1, 3))
    def ship(self, line: int, units: int) -> None:
        self._act(lambda: self.order.ship({line: units}))

    @precondition(lambda self: self.order.status in (model.RECEIVED, model.BACKORDERED))
    @rule(reason=st.sampled_from(sorted(model.HOLD_REASONS)))
    def hold(self, reason: str) -> None:
        self.order.hold(reason, "", at=NOW)
        self.order.holds[-1].id = self.next_hold_id
        self.next_hold_id += 1

    @precondition(lambda self: self.order.is_on_hold)
    @rule()
    def release(self) -> None:
        hold = next(h for h in self.order.holds if h.is_active)
        assert hold.id is not None
        self._act(lambda: self.order.release_hold(hold.id or 0, note="", by="t", at=NOW))

    @rule()
    def cancel(self) -> None:
        if self.order.status != model.CANCELLED:
            self._act(lambda: self.order.cancel("x"))

    @invariant()
    def promises_hold(self) -> None:
        order = self.order
        buckets = [line.buckets for line in order.lines]
        assert order.status == derive_status(buckets, has_active_hold=order.is_on_hold)
        for event in order.pull_events():
            assert event.type in EVENT_TYPES
            payload = event.payload()
            if "from" in payload and payload["from"] != payload["to"]:
                assert payload["from"] == self.chain[-1]
                self.chain.append(payload["to"])
        assert self.chain[-1] == order.status


TestOrderMachine = OrderMachine.TestCase


# -- cancelling while a location picks (fulfilment exceptions) --------------------------------


def test_cancel_except_keeps_the_units_a_location_is_picking() -> None:
    buckets = LineBuckets(5, open=1, allocated=4)
    buckets.cancel_all_but(3)
    assert (buckets.open, buckets.allocated, buckets.cancelled) == (0, 3, 2)
    with pytest.raises(ValueError):
        LineBuckets(2, open=0, allocated=2).cancel_all_but(3)
    buckets.cancel_allocated(3)
    assert (buckets.allocated, buckets.cancelled) == (0, 5)
    with pytest.raises(ValueError):
        buckets.cancel_allocated(1)
