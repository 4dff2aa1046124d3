"""The German and English catalogue: complete, consistent, and formats per language."""

from __future__ import annotations

import re
from pathlib import Path

import ordnung.web
from ordnung.core.events import EVENT_TYPES
from ordnung.fulfillment.model import CARRIERS, FULFILLMENT_STATUSES, SHIPMENT_STATUSES
from ordnung.orders.model import HOLD_REASONS, ORDER_STATUSES
from ordnung.web.catalogue import MESSAGES
from ordnung.web.i18n import Translator

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_TEMPLATE_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""")
_FLASH_KEY = re.compile(r'"(flash\.[a-z_]+)"')


def test_both_languages_use_the_same_placeholders_in_every_message() -> None:
    for key, (german, english) in MESSAGES.items():
        assert set(_PLACEHOLDER.findall(german)) == set(_PLACEHOLDER.findall(english)), key
        assert german.strip() and english.strip(), key


def test_every_status_carrier_hold_reason_and_event_has_words_in_both_languages() -> None:
    keys = (
        [f"status.{s}" for s in (*ORDER_STATUSES, *FULFILLMENT_STATUSES, *SHIPMENT_STATUSES)]
        + [f"carrier.{carrier}" for carrier in CARRIERS]
        + [f"hold.{reason}" for reason in HOLD_REASONS]
        + [f"event.{event_type}" for event_type in EVENT_TYPES]
    )
    missing = [key for key in keys if key not in MESSAGES]
    assert missing == []


def test_money_dates_and_numbers_follow_the_reader_s_language() -> None:
    german, english = Translator("de"), Translator("en")
    assert german.money("1234.50", "EUR") == "1.234,50\xa0€"
    assert english.money("1234.50", "EUR") == "€1,234.50"
    # Stored in UTC, shown in Berlin time (summer: UTC+2).
    assert german.moment("2024-07-01T10:00:00+00:00") == "01.07.24, 12:00"
    assert english.moment("2024-07-01T10:00:00+00:00") == "01/07/2024, 12:00"
    assert german.number(12345) == "12.345"
    assert german.percent("7") == "7\xa0%"


def test_an_unknown_event_type_or_actor_is_shown_as_it_is() -> None:
    german = Translator("de")
    assert german.event("order.teleported") == "order.teleported"
    assert german.actor("staff:Anna Agent") == "Anna Agent"
    assert german.actor("system") == "System"


def test_every_label_a_template_or_page_asks_for_exists_in_both_languages() -> None:
    web = Path(ordnung.web.__file__).parent
    templates = "".join(path.read_text() for path in (web / "templates").rglob("*.html"))
    pages = "".join(path.read_text() for path in (web / "pages").glob("*.py"))
    keys = set(_TEMPLATE_KEY.findall(templates)) | set(_FLASH_KEY.findall(pages))
    # Built from the field name in order_actions._required_text.
    keys |= {"flash.reason_required", "flash.note_required"}
    assert {"actions.ship_submit", "flash.stale_version"} <= keys  # the scan finds them
    assert sorted(key for key in keys if key not in MESSAGES) == []
