from decimal import Decimal

import pytest

from ordnung.core.money import Money, format_minor, minor_unit_exponent, to_minor


@pytest.mark.parametrize(("currency", "exponent"), [("EUR", 2), ("JPY", 0), ("KWD", 3)])
def test_minor_units_follow_iso_4217(currency: str, exponent: int) -> None:
    assert minor_unit_exponent(currency) == exponent


def test_amounts_round_trip_through_minor_units() -> None:
    assert to_minor(Decimal("19.99"), "EUR") == 1999
    assert format_minor(1999, "EUR") == "19.99"
    assert format_minor(1500, "JPY") == "1500"
    assert format_minor(1234, "KWD") == "1.234"


def test_an_amount_finer_than_the_currency_is_refused_not_rounded() -> None:
    with pytest.raises(ValueError):
        to_minor(Decimal("1.005"), "EUR")


def test_money_of_different_currencies_does_not_mix() -> None:
    with pytest.raises(ValueError):
        Money(Decimal(1), "EUR") + Money(Decimal(1), "USD")
