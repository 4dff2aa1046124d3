"""Language of a page: translated labels and German/British number, money and date formats.

Formats come from CLDR via Babel (`de_DE`, `en_GB`). Times are stored in UTC and shown in the
merchant's time zone; Ordnung serves the German market first, so that is Europe/Berlin.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

from ordnung.web.catalogue import MESSAGES

LANGUAGES = ("de", "en")
LOCALES = {"de": "de_DE", "en": "en_GB"}
DISPLAY_TIMEZONE = ZoneInfo("Europe/Berlin")
_COLUMN = {"de": 0, "en": 1}


def resolve_language(candidate: str | None, default: str) -> str:
    """A supported language: the candidate if known, else the default, else German."""
    if candidate in LANGUAGES:
        return str(candidate)
    return default if default in LANGUAGES else "de"


class Translator:
    """Bound to one language; templates call it as `t("key", name=…)`."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = LOCALES[language]
        self._column = _COLUMN[language]

    def __call__(self, key: str, **values: object) -> str:
        entry = MESSAGES.get(key)
        # An unknown key shows itself, so a missing label is visible rather than blank.
        text = key if entry is None else entry[self._column]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in MESSAGES

    def status(self, status: str) -> str:
        key = f"status.{status}"
        return self(key) if key in MESSAGES else status.replace("_", " ")

    def event(self, event_type: str) -> str:
        key = f"event.{event_type}"
        return self(key) if key in MESSAGES else event_type

    def hold_reason(self, reason: str) -> str:
        key = f"hold.{reason}"
        return self(key) if key in MESSAGES else reason

    def carrier(self, code: str) -> str:
        key = f"carrier.{code}"
        return self(key) if key in MESSAGES else code

    def actor(self, actor: str) -> str:
        """`system`, `staff:Anna`, `api_key:shop-sync` → words a person reads."""
        kind, _, name = actor.partition(":")
        if not name:
            return self("actor.system") if actor == "system" else actor
        key = f"actor.{kind}"
        return self(key, name=name) if key in MESSAGES else actor

    def money(self, amount: str | Decimal | None, currency: str) -> str:
        if amount is None or amount == "":
            return "–"
        try:
            value = Decimal(amount)
        except InvalidOperation:
            return str(amount)
        return format_currency(value, currency, locale=self.locale)

    def number(self, value: int | Decimal | None) -> str:
        return "–" if value is None else format_decimal(value, locale=self.locale)

    def percent(self, rate: str | Decimal | None) -> str:
        """A tax rate in percent as orders store it (`19`, `7.00`) → `19 %` / `19%`."""
        if rate is None or rate == "":
            return "–"
        try:
            fraction = Decimal(rate) / 100
            return format_percent(fraction, locale=self.locale, decimal_quantization=False)
        except InvalidOperation:
            return str(rate)

    def moment(self, value: str | datetime | None) -> str:
        moment = _as_datetime(value)
        if moment is None:
            return "–"
        return format_datetime(moment, format="short", tzinfo=DISPLAY_TIMEZONE, locale=self.locale)

    def day(self, value: str | datetime | None) -> str:
        moment = _as_datetime(value)
        if moment is None:
            return "–"
        return format_date(moment.astimezone(DISPLAY_TIMEZONE), format="medium", locale=self.locale)

    def calendar_day(self, value: str | date | None) -> str:
        """A calendar day (ISO text or a date) as written in the language; no time zone
        moves it, unlike `day`, which shows a moment's day in Berlin."""
        if value is None or value == "":
            return "–"
        try:
            day = value if isinstance(value, date) else date.fromisoformat(value)
        except ValueError:
            return str(value)
        return format_date(day, format="medium", locale=self.locale)


def _as_datetime(value: str | datetime | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
