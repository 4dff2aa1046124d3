import pytest

from ordnung.core.errors import ValidationError
from ordnung.inventory.model import (
    Address,
    LocationDraft,
    available,
    check_country,
    check_location,
    check_manual_change,
    check_reason,
)

HAMBURG = Address("Hafenstraße 1", "20457", "Hamburg", "de")


def test_available_holds_back_reserved_and_safety_stock() -> None:
    assert available(on_hand=10, reserved=3, safety_stock=2) == 5


def test_available_is_never_negative() -> None:
    assert available(on_hand=5, reserved=4, safety_stock=3) == 0


@pytest.mark.parametrize("code", ["DE", "at", "CH", "GB"])
def test_iso_country_codes_are_accepted_in_upper_case(code: str) -> None:
    assert check_country(code) == code.upper()


@pytest.mark.parametrize("code", ["EU", "ZZ", "XX", "DEU", "1"])
def test_regions_and_made_up_codes_are_not_countries(code: str) -> None:
    with pytest.raises(ValidationError) as error:
        check_country(code)
    assert error.value.extra["errors"][0]["field"] == "address.country"


def test_a_location_draft_is_normalised() -> None:
    draft = LocationDraft("hh-1", "Lager Hamburg", "warehouse", HAMBURG, ("ship", "pickup", "ship"))
    checked = check_location(draft)
    assert checked.address.country == "DE"
    assert checked.capabilities == ("pickup", "ship")


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (LocationDraft("hh-1", "Lager", "garage", HAMBURG), "type"),
        (LocationDraft("HH 1", "Lager", "warehouse", HAMBURG), "code"),
        (LocationDraft("hh-1", "Lager", "warehouse", HAMBURG, ("teleport",)), "capabilities"),
    ],
)
def test_invalid_locations_are_refused_naming_the_field(draft: LocationDraft, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        check_location(draft)
    assert error.value.extra["errors"][0]["field"] == field


def test_a_receipt_must_add_stock() -> None:
    check_manual_change("receipt", 5)
    check_manual_change("adjustment", -5)
    with pytest.raises(ValidationError):
        check_manual_change("receipt", -1)
    with pytest.raises(ValidationError):
        check_manual_change("adjustment", 0)
    with pytest.raises(ValidationError):
        check_manual_change("shipment", 1)


def test_a_manual_change_needs_a_reason() -> None:
    assert check_reason("  Inventur  ") == "Inventur"
    with pytest.raises(ValidationError):
        check_reason("   ")
