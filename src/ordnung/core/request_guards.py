"""ASGI guards around the whole app, each answering problem+json instead of a 500 or a crash:
bodies that are too large, control characters in an API URL, and errors nobody handled."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote_plus

import orjson
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ordnung.core.http import PROBLEM_BASE, PROBLEM_JSON, log, new_error_id, problem


class BodySizeLimit:
    """Refuses bodies above `max_bytes` with 413 before anything reads or parses them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLargeError
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLargeError:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = orjson.dumps(
            {
                "type": PROBLEM_BASE + "payload-too-large",
                "title": "Payload too large",
                "status": 413,
                "detail": f"Request bodies are limited to {self.max_bytes} bytes.",
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", PROBLEM_JSON.encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _BodyTooLargeError(Exception):
    pass


# Percent-decoded path and query of an API request: NUL and the other control characters name
# no SKU, code or search text, and PostgreSQL refuses NUL outright (design.md §8).
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class ControlCharactersInUrl:
    """Refuses an API request whose path or query holds a control character, with 422,
    before any route sees it (the body's texts are checked by their fields' patterns)."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            query = unquote_plus(scope["query_string"].decode("latin-1"))
            if _CONTROL_CHARACTER.search(scope["path"]) or _CONTROL_CHARACTER.search(query):
                refusal = problem(
                    422,
                    "validation-error",
                    "Invalid input",
                    "The URL contains control characters.",
                    errors=[
                        {
                            "field": "url",
                            "message": "must not contain control characters",
                            "type": "control_characters",
                        }
                    ],
                )
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


class UnhandledErrors:
    """Answers any exception nothing else handled with a problem+json 500 that carries an
    error id, written to the log with the traceback.

    Starlette's own last handler re-raises after answering, and uvicorn then closes the
    connection; this one swallows the exception, so a keep-alive connection stays usable.
    When the response had already started, only closing the connection can tell the client
    it is broken, so the exception goes on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            error_id = new_error_id()
            log.exception(
                "Unhandled error (error id %s) on %s %s", error_id, scope["method"], scope["path"]
            )
            if started:
                raise
            answer = (
                problem(
                    500,
                    "internal-error",
                    "Internal error",
                    f"Something went wrong on our side. Please quote error id {error_id}.",
                    error_id=error_id,
                )
                if _is_for_machines(scope["path"])
                else _error_page(error_id)
            )
            await answer(scope, receive, send)


def _is_for_machines(path: str) -> bool:
    return path.startswith(("/api/", "/openapi", "/health"))


def _error_page(error_id: str) -> HTMLResponse:
    """What a person in the back office sees instead of JSON: a page in both languages that
    says nothing was lost by looking, and the id to quote (the log has the details)."""
    return HTMLResponse(
        _ERROR_PAGE.format(error_id=html.escape(error_id)),
        status_code=500,
        headers={"Cache-Control": "no-store"},
    )


_ERROR_PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fehler – Ordnung</title><link rel="stylesheet" href="/static/app.css"></head>
<body class="login-page"><main class="login-box">
<h1>Da ist etwas schiefgegangen</h1>
<p>Auf unserer Seite ist ein Fehler aufgetreten. Bitte nennen Sie dem Support die Fehler-ID
<code>{error_id}</code>.</p>
<p lang="en">Something went wrong on our side. Please quote error id <code>{error_id}</code>.</p>
<p><a href="/">Zur Startseite / Back to the start page</a></p>
</main></body></html>
"""
