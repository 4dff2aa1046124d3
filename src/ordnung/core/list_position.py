"""Where a page of the order or fulfilment list ended, as their queries take and give it —
plain text, so the services need not know the API's cursor format (core/paging.py wraps it):
a decimal id, or `<µs since 1970>.<id>` for a list in time order."""

from __future__ import annotations

from ordnung.core.errors import ValidationError

_INVALID = "The cursor is not valid; use the next_cursor a list response gave."


def position_text(after_id: int, at: int | None = None) -> str:
    """The position as the order and fulfilment queries take and give it: a decimal id, or
    `<µs since 1970>.<id>` for a list in time order."""
    return str(after_id) if at is None else f"{at}.{after_id}"


def parse_position_text(text: str) -> tuple[int, int | None]:
    """(id, µs since 1970 or None) of a `position_text`; anything else is a 422."""
    moment, dot, after_id = text.partition(".")
    if len(text) > 40 or not moment.isdigit() or (dot and not after_id.isdigit()):
        raise ValidationError(_INVALID, field="cursor")
    return (int(after_id), int(moment)) if dot else (int(moment), None)
