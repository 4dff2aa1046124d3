"""Turns a template and its data into an HTML response in the reader's language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, StreamingResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ordnung import __version__
from ordnung.web.flash import take_flash
from ordnung.web.i18n import LANGUAGES, Translator
from ordnung.web.security import CSRF_FIELD, csrf_token, language

# StrictUndefined: a typo in a template fails the tests instead of rendering an empty cell.
_environment = Environment(
    loader=PackageLoader("ordnung.web", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

# Pages show customer data: no caching by shared caches, no framing, no foreign content.
_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    html = _environment.get_template(template).render(_page(request, context))
    return HTMLResponse(html, status_code=status_code, headers=_SECURITY_HEADERS)


# A template writes this where what it has so far should reach the browser at once.
FLUSH_MARK = "<!--flush-->"


def render_stream(request: Request, template: str, context: dict[str, Any]) -> StreamingResponse:
    """Like `render`, but the page leaves as it is produced: a template looping over a slow
    iterator shows each step when it happens — progress without JavaScript. The session is
    read and changed before the first byte, as the cookie goes out with the headers."""
    page = _page(request, context)
    pieces = _environment.get_template(template).generate(page)
    return StreamingResponse(
        _flushed_at_marks(pieces), media_type="text/html; charset=utf-8", headers=_SECURITY_HEADERS
    )


def _flushed_at_marks(pieces: Iterator[str]) -> Iterator[str]:
    """Template output in chunks that end at a flush mark, not one message per snippet."""
    buffered: list[str] = []
    for piece in pieces:
        buffered.append(piece)
        if FLUSH_MARK in piece:
            yield "".join(buffered)
            buffered.clear()
    yield "".join(buffered)


def _page(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    current_language = language(request)
    other_language = next(code for code in LANGUAGES if code != current_language)
    return {
        "request": request,
        "t": Translator(current_language),
        "language": current_language,
        "language_switch_url": _language_switch_url(request, other_language),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "staff": getattr(request.state, "staff", None),
        "static_version": __version__,
        "active": "",
        "flash": take_flash(request),
        **context,
    }


def _language_switch_url(request: Request, target: str) -> str:
    query = request.url.query
    here = request.url.path + ("?" + query if query else "")
    return f"/language/{target}?" + urlencode({"next": here})


def query_string(params: dict[str, str | int | None]) -> str:
    """`?a=1&b=x` from the non-empty values, for links that keep the current filters."""
    kept = {key: value for key, value in params.items() if value not in (None, "")}
    return "?" + urlencode(kept) if kept else ""
