"""Field types of the HTTP API that guard the database against hostile input: texts without
control characters, ids inside their column's range, amounts with a ceiling.

Each bound is in the schema (pattern, maximum), so the OpenAPI document states it and every
client and the contract test see the same rule the API applies."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Path
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field

# C0 controls, DEL and C1 controls. PostgreSQL refuses NUL in text (the API answered 500) and
# SQLite stores it; the others corrupt lists, logs and CSV exports. Single-line texts (names,
# addresses, codes) take none; multi-line texts (reasons, notes) keep tab and line breaks.
SINGLE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
CONTROL_CHARACTER_MESSAGES = {
    SINGLE_LINE: "must not contain control characters",
    MULTI_LINE: "must not contain control characters other than tab and line breaks",
}

# Primary keys: INTEGER columns end at 2^31 - 1 on PostgreSQL, BIGINT ones at 2^63 - 1. A
# larger id in a URL can name no row, and the database driver would refuse to send it.
MAX_INTEGER_ID = 2**31 - 1
MAX_BIGINT_ID = 2**63 - 1


def line_text(max_length: int, *, min_length: int = 1, **extra: Any) -> Any:
    """A one-line text field: a name, an address line, a code without a stricter pattern."""
    return Field(min_length=min_length, max_length=max_length, pattern=SINGLE_LINE, **extra)


def free_text(max_length: int, *, min_length: int = 1, **extra: Any) -> Any:
    """A text people write sentences in (a reason, a note): tab and line breaks allowed."""
    return Field(min_length=min_length, max_length=max_length, pattern=MULTI_LINE, **extra)


# Each returns a new declaration: FastAPI fills in the alias of the parameter it is given to,
# so one declaration shared by two parameters of different names breaks the second.


def record_id(description: str, *, maximum: int = MAX_BIGINT_ID, example: int = 42) -> Any:
    """A numeric id in the path, bounded by its column's range."""
    return Path(ge=1, le=maximum, description=description, examples=[example])


def key_in_path(description: str, *, max_length: int, example: str) -> Any:
    """A human key in the path (SKU, location or channel code)."""
    return Path(
        min_length=1,
        max_length=max_length,
        pattern=SINGLE_LINE,
        description=description,
        examples=[example],
    )


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_8601_text(value: object) -> object:
    """pydantic would read `0.5` as seconds since 1970; a time in this API is ISO 8601."""
    is_iso_text = isinstance(value, str) and _ISO_DATE.match(value)
    if not (is_iso_text or isinstance(value, datetime)):
        raise ValueError("must be an ISO 8601 time, e.g. 2026-03-01T00:00:00+01:00")
    return value


def _representable_in_utc(value: datetime) -> datetime:
    """Times are stored in UTC: year 1 at +14:00 or year 9999 at -14:00 have no UTC time."""
    if value.tzinfo is not None:
        try:
            value.astimezone(UTC)
        except OverflowError:
            raise ValueError("is out of the range of times that can be stored") from None
    return value


# A time the client sends: ISO 8601, within the range a UTC time can have. With an offset
# (`AwareTime`) where the API compares it to stored times.
Time = Annotated[datetime, BeforeValidator(_iso_8601_text), AfterValidator(_representable_in_utc)]
AwareTime = Annotated[
    AwareDatetime, BeforeValidator(_iso_8601_text), AfterValidator(_representable_in_utc)
]


def sku_in_path() -> Any:
    return key_in_path("The product's SKU", max_length=64, example="OD-0001")


def location_in_path() -> Any:
    return key_in_path("The location's code", max_length=40, example="lager-nord")


Sku = Annotated[str, Field(min_length=1, max_length=64, pattern=SINGLE_LINE, examples=["OD-0001"])]
