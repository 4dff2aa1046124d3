from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordnung.core.errors import InvalidTransitionError
from ordnung.orders import model
from ordnung.orders.model import LineBuckets, derive_status


def _order(lines: list[tuple[str, str, str]], *, gross: bool = True, shipping: str = "4.90"):
    address = model.Address("Erika", "Mustermann", "Heidestraße 17", "51147", "Köln", "DE")
    return model.NewOrder(
        channel="webshop",
        external_id="1",
        currency="EUR",
        email="e@example.de",
        first_name="Erika",
        last_name="Mustermann",
        billing_address=address,
        shipping_address=address,
        lines=tuple(
            model.NewOrderLine(f"S{i}", int(qty), Decimal(price), Decimal(rate))
            for i, (qty, price, rate) in enumerate(lines)
        ),
        shipping_amount=Decimal(shipping),
        prices_include_tax=gross,
    )


def test_gross_prices_carry_vat_computed_once_per_rate_group() -> None:
    totals = model.compute_totals(_order([("3", "19.99", "19"), ("1", "9.99", "7")]))
    assert totals.line_totals == (5997, 999)
    assert totals.subtotal == 6996
    assert totals.total == 6996 + 490
    # 19 % group: (59.97 + 4.90) gross → 10.36 VAT; 7 % group: 9.99 gross → 0.65 VAT.
    assert totals.tax_by_rate == {Decimal(19): 1036, Decimal(7): 65}
    assert totals.tax == 1101


def test_net_prices_get_vat_added_to_the_total() -> None:
    totals = model.compute_totals(_order([("2", "10.00", "19")], gross=False, shipping="0"))
    assert (totals.subtotal, totals.tax, totals.total) == (2000, 380, 2380)


def test_amounts_finer_than_the_currency_are_refused() -> None:
    with pytest.raises(Exception, match="more decimals"):
        model.compute_totals(_order([("1", "19.999", "19")]))


def test_totals_mismatch_names_the_total_that_differs() -> None:
    order = _order([("1", "10.00", "19")], shipping="0")
    totals = model.compute_totals(order)
    expected = model.ExpectedTotals(total=Decimal("10.01"), subtotal=Decimal("10.00"))
    assert model.totals_mismatches(expected, totals, "EUR") == ["total"]


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
