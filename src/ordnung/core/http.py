"""HTTP plumbing shared by every capability's router: problem+json errors, API-key auth with
scopes, idempotency headers and fast JSON responses. (Pages and cursors: `paging.py`; the
OpenAPI document and docs pages: `openapi.py`; guards around the app: `request_guards.py`.)"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import orjson
from fastapi import FastAPI, Header, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.models import HTTPBase
from fastapi.responses import Response
from fastapi.security.base import SecurityBase
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import select
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ordnung.core.api_fields import CONTROL_CHARACTER_MESSAGES
from ordnung.core.auth import Principal, hash_api_key
from ordnung.core.db import Database
from ordnung.core.errors import (
    AuthenticationError,
    OrdnungError,
    PermissionDeniedError,
    ValidationError,
)
from ordnung.core.idempotency import (
    MAX_KEY_LENGTH,
    Answer,
    IdempotencyClaim,
    IdempotentRequest,
    ReplayedAnswer,
    fingerprint_request,
)
from ordnung.core.tables import api_key_table

PROBLEM_BASE = "https://ordnung.dev/problems/"
PROBLEM_JSON = "application/problem+json"


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def problem(status: int, type_slug: str, title: str, detail: str, **extra: Any) -> Response:
    # Extra members never override the standard ones (RFC 9457 §3.1).
    body = {**extra, "type": PROBLEM_BASE + type_slug, "title": title}
    body.update(status=status, detail=detail)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return Response(
        orjson.dumps(body), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


# Dependencies are `async def` on purpose: FastAPI runs plain `def` dependencies in the thread
# pool, a hand-off that costs more than the work they do.
async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


# API keys are looked up on every request; a short cache keeps that off the hot path.
# Revoking a key therefore takes effect within this many seconds.
_KEY_CACHE_SECONDS = 5.0
_key_cache: dict[str, tuple[float, Principal | None]] = {}


def _principal_for_token(db: Database, token: str) -> Principal | None:
    key_hash = hash_api_key(token)
    cached = _key_cache.get(key_hash)
    now = time.monotonic()
    if cached is not None and now - cached[0] < _KEY_CACHE_SECONDS:
        return cached[1]
    row = db.read(
        lambda connection: connection.execute(
            select(
                api_key_table.c.id,
                api_key_table.c.name,
                api_key_table.c.scopes,
                api_key_table.c.location_id,
            ).where(api_key_table.c.key_hash == key_hash, api_key_table.c.revoked_at.is_(None))
        ).first()
    )
    principal = (
        None
        if row is None
        else Principal("api_key", row.id, row.name, frozenset(row.scopes), row.location_id)
    )
    if len(_key_cache) > 10_000:
        _key_cache.clear()
    _key_cache[key_hash] = (now, principal)
    return principal


def forget_cached_keys() -> None:
    _key_cache.clear()


API_KEY_SCHEME = "ApiKey"


class BearerApiKey(SecurityBase):
    """Dependency: the caller behind `Authorization: Bearer <key>`.

    A security scheme to FastAPI, so the OpenAPI document declares the bearer scheme and,
    through `require`, the scope each operation needs; at run time it is one header read."""

    def __init__(self) -> None:
        self.model = HTTPBase(
            scheme="bearer",
            description=(
                "An API key (`ord_…`) as created by `ordnung apikey create`. Each operation "
                "names the scope it needs; an `admin` key may do everything."
            ),
        )
        self.scheme_name = API_KEY_SCHEME

    async def __call__(self, request: Request) -> Principal:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError("Send an API key as 'Authorization: Bearer <key>'.")
        # On a cache miss this reads one indexed row, every few seconds per key: cheaper
        # inline than a thread hand-off on every request.
        principal = _principal_for_token(request.app.state.db, token.strip())
        if principal is None:
            raise AuthenticationError("The API key is unknown or revoked.")
        return principal


authenticate = BearerApiKey()


def require(scope: str) -> Callable[..., Awaitable[Principal]]:
    """Dependency: the caller must hold `scope` (or `admin`)."""

    async def dependency(
        principal: Principal = Security(authenticate, scopes=[scope]),
    ) -> Principal:
        if not principal.can(scope):
            raise PermissionDeniedError(f"This API key lacks the scope '{scope}'.")
        return principal

    return dependency


def idempotency_claim(
    request: Request, principal: Principal, payload: Any
) -> IdempotencyClaim | None:
    """The claim for the request's Idempotency-Key, if it sent one. A pydantic `payload` is
    only serialised for the fingerprint when there is a key.

    Keys are scoped to the caller's identity — the API key's or staff user's id, never its
    name: two keys both named "shop", or a rotated key that kept its name, must not share
    one key space (design.md §8)."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if isinstance(payload, BaseModel):
        payload = payload.model_dump(mode="json")
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters.")
    fingerprint = fingerprint_request(request.method, request.url.path, payload)
    return IdempotencyClaim(scope=principal.identity, key=key, fingerprint=fingerprint)


Result = TypeVar("Result")


def idempotent(
    request: Request, principal: Principal, payload: Any, render: Callable[[Result], Answer]
) -> IdempotentRequest[Result] | None:
    """What a service needs to honour the request's Idempotency-Key: the claim, and how its
    result is answered (stored with the key, replayed to a repeat)."""
    claim = idempotency_claim(request, principal, payload)
    return None if claim is None else IdempotentRequest(claim, render)


def json_answer(status_code: int) -> Callable[[Any], Answer]:
    """Renders a service result (dicts, lists, dataclasses, datetimes) as a JSON answer."""

    def render(result: Any) -> Answer:
        return Answer(status_code, orjson.dumps(result))

    return render


def respond(
    result: Result,
    render: Callable[[Result], Answer],
    idempotency: IdempotentRequest[Result] | None = None,
) -> Response:
    """The response to a write: the answer stored with its key when there was one (the same
    bytes a repeat will get), else the result rendered now."""
    answer = render(result) if idempotency is None else idempotency.answer_for(result)
    return send_answer(answer)


Model = TypeVar("Model", bound=BaseModel)


async def parse_json_body(request: Request, schema: type[Model]) -> Model:
    """Reads and validates a JSON body in one pass of pydantic's own parser, with the same 422
    problem as a FastAPI body parameter. Routes on the hot path use it with `json_body(schema)`
    instead of a body parameter, which parses the JSON twice."""
    body = await request.body()
    try:
        return schema.model_validate_json(body)
    except PydanticValidationError as error:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        raise RequestValidationError(errors) from None


def send_answer(answer: Answer) -> Response:
    headers = {"Idempotent-Replayed": "true"} if answer.is_replay else None
    return Response(
        answer.body, status_code=answer.status_code, media_type="application/json", headers=headers
    )


def version_from_if_match(value: str | None, *, of: str = "order") -> int | None:
    """`If-Match: "3"` (or 3) carries the version of the object the client saw."""
    if value is None:
        return None
    cleaned = value.strip().removeprefix("W/").strip('"')
    if not cleaned.isdigit():
        raise ValidationError(f"If-Match must be the {of}'s version number.", field="If-Match")
    return int(cleaned)


def version_etag(version: int) -> str:
    """The ETag of a versioned object: its version number, quoted (`"3"`)."""
    return f'"{version}"'


def versioned_etag_header(of: str) -> dict[str, Any]:
    """The documented ETag header of an answer that carries `of`'s version."""
    return {
        "ETag": {
            "description": f'The {of}\'s version, for If-Match on the next change (`"3"`).',
            "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
        }
    }


def if_match_of(of: str) -> Any:
    """The optional If-Match header of a PUT that replaces `of` as a whole."""
    return Header(
        default=None,
        description=(
            f'The {of}\'s version you last saw (its ETag, e.g. `"3"`): if it changed since, '
            "nothing is stored and the answer is 409 with `current_version`. Without If-Match "
            "the PUT overwrites whatever is stored (last writer wins)."
        ),
        examples=['"3"'],
        max_length=40,
    )


def _issue_message(error: Any) -> str:
    """pydantic's message, except for the control-character rule, whose pattern would say
    nothing to a person."""
    if error["type"] == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern")
        if pattern in CONTROL_CHARACTER_MESSAGES:
            return CONTROL_CHARACTER_MESSAGES[pattern]
    return str(error["msg"])


def _validation_problem(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "field": ".".join(str(part) for part in error["loc"] if part != "body") or "body",
            "message": _issue_message(error),
            "type": error["type"],
        }
        for error in exc.errors()
    ]
    fields = ", ".join(sorted({e["field"] for e in errors}))
    return problem(
        422, "validation-error", "Invalid input", f"Invalid fields: {fields}", errors=errors
    )


def _domain_problem(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OrdnungError)
    extra = {k: v for k, v in exc.extra.items() if k not in ("status", "type", "title", "detail")}
    return problem(exc.status, exc.type_slug, exc.title, exc.detail, **extra)


def _http_problem(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    slug = {
        400: "bad-request",
        404: "not-found",
        405: "method-not-allowed",
        413: "payload-too-large",
    }.get(exc.status_code, "http-error")
    return problem(exc.status_code, slug, str(exc.detail), str(exc.detail))


def _replayed(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ReplayedAnswer)
    return send_answer(exc.answer)


log = logging.getLogger("ordnung.api")


def new_error_id() -> str:
    """A short id that ties an answer to its log entry."""
    return uuid.uuid4().hex[:16]


def _refused_by_database(request: Request, exc: Exception) -> Response:
    """The last guard for a value the API's checks let through but the database cannot hold
    (a number beyond its column, a text it cannot store): the transaction was rolled back, so
    nothing is half-written, and the client learns it sent something impossible."""
    assert isinstance(exc, DataError)
    error_id = new_error_id()
    log.warning(
        "Database refused a value (error id %s) on %s %s: %s",
        error_id,
        request.method,
        request.url.path,
        exc.orig,
    )
    return problem(
        422,
        "value-out-of-range",
        "Value cannot be stored",
        f"A value is out of the range it may have. Error id: {error_id}.",
        error_id=error_id,
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ReplayedAnswer, _replayed)
    app.add_exception_handler(RequestValidationError, _validation_problem)
    app.add_exception_handler(OrdnungError, _domain_problem)
    app.add_exception_handler(StarletteHTTPException, _http_problem)
    app.add_exception_handler(DataError, _refused_by_database)


Endpoint = Callable[..., Awaitable[Response]]
