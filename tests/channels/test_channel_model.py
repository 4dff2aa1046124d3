import pytest

from ordnung.channels.model import ChannelDraft, check_channel
from ordnung.core.errors import ValidationError


def test_a_lower_case_currency_is_stored_in_iso_spelling() -> None:
    checked = check_channel(ChannelDraft("shop-de", " Webshop DE ", "webshop", "eur"))
    assert (checked.name, checked.currency) == ("Webshop DE", "EUR")


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (ChannelDraft("shop", "Shop", "webshop", "EUX"), "currency"),
        (ChannelDraft("Shop DE", "Shop", "webshop", "EUR"), "code"),
        (ChannelDraft("shop-", "Shop", "webshop", "EUR"), "code"),
        (ChannelDraft("shop", "Shop", "fax", "EUR"), "type"),
        (ChannelDraft("shop", "  ", "webshop", "EUR"), "name"),
    ],
)
def test_invalid_channels_are_refused_naming_the_field(draft: ChannelDraft, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        check_channel(draft)
    assert error.value.extra["errors"][0]["field"] == field
