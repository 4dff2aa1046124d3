from decimal import Decimal

import pytest

from ordnung.catalog.model import (
    ProductDraft,
    check_gtin,
    check_product,
    check_sku,
    check_weight,
    tax_rate,
)
from ordnung.core.errors import ValidationError


def _field_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return str(error.value.extra["errors"][0]["field"])


@pytest.mark.parametrize(
    ("tax_class", "rate"),
    [("standard", Decimal("19")), ("reduced", Decimal("7")), ("zero", Decimal("0"))],
)
def test_each_tax_class_maps_to_its_german_vat_rate(tax_class: str, rate: Decimal) -> None:
    assert tax_rate(tax_class) == rate


def test_an_unknown_tax_class_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as error:
        tax_rate("luxury")
    assert _field_of(error) == "tax_class"


@pytest.mark.parametrize("gtin", ["4006381333931", "96385074", "036000291452", "10614141000415"])
def test_gtins_with_a_correct_check_digit_are_accepted(gtin: str) -> None:
    assert check_gtin(gtin) == gtin


def test_a_gtin_is_stored_without_the_separators_people_paste() -> None:
    assert check_gtin("4006-3813 3393-1") == "4006381333931"


@pytest.mark.parametrize("gtin", ["4006381333932", "1234567", "40063813339311x"])
def test_gtins_with_a_wrong_check_digit_or_length_are_refused(gtin: str) -> None:
    with pytest.raises(ValidationError) as error:
        check_gtin(gtin)
    assert _field_of(error) == "gtin"


@pytest.mark.parametrize("sku", ["", "a b", "with/slash", "-leading", "x" * 65])
def test_skus_that_would_break_urls_are_refused(sku: str) -> None:
    with pytest.raises(ValidationError):
        check_sku(sku)


def test_negative_weights_are_refused() -> None:
    with pytest.raises(ValidationError):
        check_weight(-1)
    assert check_weight(None) is None


def test_a_draft_is_normalised() -> None:
    draft = ProductDraft(sku="TSH-1", name="  T-Shirt  ", gtin="4006 3813 3393 1")
    checked = check_product(draft)
    assert checked.name == "T-Shirt"
    assert checked.gtin == "4006381333931"
    assert checked.tax_class == "standard"
