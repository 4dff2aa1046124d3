"""Pages of every list in the API: one cursor format, and a `limit` capped at the page size.

A cursor is opaque to clients: base64url of `{"after": <id>}`, the id of the last item of the
page, meaning "continue after this item, in the list's own order" (newest-first lists go on
with smaller ids). A list in time order (orders of a time range) also carries the item's
time, `{"after": <id>, "at": <microseconds since 1970>}`. Cursors written before this format
keep working: a bare number (orders and fulfilment orders) and `{"before": <id>}` (webhook
deliveries) name the same position.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Query, Request
from pydantic import BaseModel

from ordnung.core.api_fields import MAX_BIGINT_ID
from ordnung.core.errors import ValidationError
from ordnung.core.http import JSONResponse
from ordnung.core.list_position import parse_position_text, position_text
from ordnung.core.openapi import answers

DEFAULT_PAGE_SIZE = 50
LIMIT_CAPPED_HEADER = "X-Limit-Capped"
MAX_CURSOR_LENGTH = 100
_INVALID = "The cursor is not valid; use the next_cursor a list response gave."


def encode_cursor(after_id: int, at: int | None = None) -> str:
    value = {"after": after_id} if at is None else {"after": after_id, "at": at}
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a page continues after. Anything that is not a cursor this API gave is a 422."""
    return decode_position(cursor)[0]


def decode_position(cursor: str) -> tuple[int, int | None]:
    """The id a page continues after, and the time (microseconds since 1970) where the list
    is in time order. Anything that is not a cursor this API gave is a 422."""
    at: Any = None
    if cursor.isascii() and cursor.isdigit():
        position: Any = int(cursor)
    else:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            value = orjson.loads(base64.urlsafe_b64decode(padded))
        except (ValueError, binascii.Error, orjson.JSONDecodeError):
            raise ValidationError(_INVALID, field="cursor") from None
        position = value.get("after", value.get("before")) if isinstance(value, dict) else None
        at = value.get("at") if isinstance(value, dict) else None
    # bool is an int in Python; a cursor never holds one.
    if type(position) is not int or not 0 < position <= MAX_BIGINT_ID:
        raise ValidationError(_INVALID, field="cursor")
    if at is not None and (type(at) is not int or not 0 <= at <= MAX_BIGINT_ID):
        raise ValidationError(_INVALID, field="cursor")
    return position, at


@dataclass(frozen=True, slots=True)
class Page:
    """What a list request asks for: where to continue, and how many items (already capped)."""

    after_id: int | None
    limit: int
    requested_limit: int
    after_at: int | None = None  # lists in time order: the last item's time (µs since 1970)

    @property
    def headers(self) -> dict[str, str] | None:
        """`X-Limit-Capped: <max>` when the client asked for more than one page may hold."""
        return {LIMIT_CAPPED_HEADER: str(self.limit)} if self.requested_limit > self.limit else None

    def respond(
        self, items: list[Any], next_after_id: int | None, next_at: int | None = None
    ) -> JSONResponse:
        next_cursor = None if next_after_id is None else encode_cursor(next_after_id, next_at)
        return JSONResponse({"items": items, "next_cursor": next_cursor}, headers=self.headers)


PAGE_HEADERS = {
    LIMIT_CAPPED_HEADER: {
        "description": "The page size used, when `limit` asked for more than a page holds.",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}


def page_answers(model: type[BaseModel], *problem_statuses: int) -> dict[int | str, Any]:
    """The `responses` of a list route: a page of `model`, with X-Limit-Capped."""
    return answers(model, *problem_statuses, headers=PAGE_HEADERS)


CURSOR_QUERY = Query(
    None,
    min_length=1,
    max_length=MAX_CURSOR_LENGTH,
    description="The `next_cursor` of the previous page; leave out for the first page.",
    examples=["eyJhZnRlciI6NDJ9"],
)
LIMIT_QUERY = Query(
    DEFAULT_PAGE_SIZE,
    ge=1,
    description=(
        "Items per page. More than the largest page size (200 unless the server sets "
        "ORDNUNG_MAX_PAGE_SIZE) is capped to it, and the response says so in X-Limit-Capped."
    ),
    examples=[50],
)


def page_request(request: Request, cursor: str | None, limit: int) -> Page:
    maximum: int = request.app.state.settings.max_page_size
    after_id, at = (None, None) if cursor is None else decode_position(cursor)
    return Page(after_id, min(limit, maximum), limit, at)


async def requested_page(
    request: Request, cursor: str | None = CURSOR_QUERY, limit: int = LIMIT_QUERY
) -> Page:
    """Dependency: the page a list request asks for."""
    return page_request(request, cursor, limit)


def page_from_service(page: Page, result: dict[str, Any]) -> JSONResponse:
    """A service's `{items, next_after_id}` as the API's `{items, next_cursor}`."""
    return page.respond(result["items"], result["next_after_id"])


def legacy_position(page: Page) -> str | None:
    """The position as the order and fulfilment queries take it (see `position_text`)."""
    return None if page.after_id is None else position_text(page.after_id, page.after_at)


def page_from_legacy(page: Page, result: dict[str, Any]) -> JSONResponse:
    """A query's `{items, next_cursor: position_text}` as the API's page with the one cursor
    format."""
    position = result["next_cursor"]
    if position is None:
        return page.respond(result["items"], None)
    return page.respond(result["items"], *parse_position_text(str(position)))
