"""Idempotency keys (Stripe / IETF draft semantics), claimed inside the working transaction.

Because the claim row is inserted in the same transaction as the work, a retry either sees the
committed answer (and replays it), or — while the first attempt is still open — waits on the
unique index (PostgreSQL) or on the write lock (SQLite) and then sees it. Nothing half-done is
ever replayed, and nothing acknowledged is lost.

Services return plain results; what is stored with a key is the *answer* the HTTP layer made of
that result (`IdempotentRequest.render`), so a repeat replays the very bytes the first request
got. A repeat of a finished request raises `ReplayedAnswer`, which the HTTP layer sends as is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ordnung.core.driver import driver_of
from ordnung.core.errors import IdempotencyKeyInFlightError, IdempotencyKeyReusedError
from ordnung.core.tables import idempotency_key_table as key_table

# Keys are kept at least this long (design.md §8 asks for 7 days).
RETENTION = timedelta(days=8)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class IdempotencyClaim:
    scope: str
    key: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Answer:
    """What a request was answered: HTTP status and JSON body, as stored with its key."""

    status_code: int
    body: bytes
    is_replay: bool = False


T = TypeVar("T")


class IdempotentRequest(Generic[T]):
    """A request's claimed Idempotency-Key and how its result becomes the answer.

    The service that does the work stores `render(result)` with the key in its transaction;
    the HTTP layer then sends `answer_for(result)` — rendered once, the same bytes.
    """

    __slots__ = ("_answer", "claim", "render")

    def __init__(self, claim: IdempotencyClaim, render: Callable[[T], Answer]) -> None:
        self.claim = claim
        self.render = render
        self._answer: Answer | None = None

    def answer_for(self, result: T) -> Answer:
        if self._answer is None:
            self._answer = self.render(result)
        return self._answer


class ReplayedAnswer(Exception):
    """The key was used before with the same request: send the stored answer again."""

    def __init__(self, answer: Answer) -> None:
        super().__init__("replayed")
        self.answer = answer


def fingerprint_request(method: str, path: str, payload: Any) -> str:
    canonical = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + canonical).hexdigest()


def claim(connection: Connection, claim: IdempotencyClaim, now: datetime) -> Answer | None:
    """Claims the key, or returns the stored answer of the request that claimed it first."""
    existing = connection.execute(
        select(key_table.c.fingerprint, key_table.c.status_code, key_table.c.response_body).where(
            and_(key_table.c.scope == claim.scope, key_table.c.key == claim.key)
        )
    ).first()
    if existing is None:
        try:
            with connection.begin_nested():
                connection.execute(
                    insert(key_table).values(
                        scope=claim.scope,
                        key=claim.key,
                        fingerprint=claim.fingerprint,
                        created_at=now,
                    )
                )
            return None
        except IntegrityError:
            # Lost a race with a concurrent first request that has since committed.
            existing = connection.execute(
                select(
                    key_table.c.fingerprint, key_table.c.status_code, key_table.c.response_body
                ).where(and_(key_table.c.scope == claim.scope, key_table.c.key == claim.key))
            ).one()
    answer = _answer_to(claim, existing.fingerprint, existing.status_code, existing.response_body)
    if isinstance(answer, Exception):
        raise answer
    return answer


def _answer_to(
    claim: IdempotencyClaim, fingerprint: str, status_code: int | None, body: bytes | None
) -> Answer | Exception:
    """What a request whose key was used before gets: the first answer, replayed, or the
    error that using the key again is (another body, or the first is still running)."""
    if fingerprint != claim.fingerprint:
        return IdempotencyKeyReusedError(
            "This Idempotency-Key was already used for a different request body or path."
        )
    if status_code is None:
        return IdempotencyKeyInFlightError("The first request with this key is still running.")
    return Answer(status_code, bytes(body or b""), is_replay=True)


def find_answers(
    connection: Connection, claims: Sequence[IdempotencyClaim]
) -> dict[tuple[str, str], Answer | Exception]:
    """For the keys among `claims` that were used before: the stored answer to replay, or
    the error that using the key again is (another body, or the first is still running)."""
    if not claims:
        return {}
    pairs = sorted({(c.scope, c.key) for c in claims})
    driver = driver_of(connection)
    wanted, parameters = driver.with_rows("wanted", ("scope", "key"), pairs, ("text", "text"))
    rows = driver.fetch_all(wanted + _FIND_KEYS, parameters)
    stored = {(scope, key): rest for scope, key, *rest in rows}
    return {
        (c.scope, c.key): _answer_to(c, *stored[(c.scope, c.key)])
        for c in claims
        if (c.scope, c.key) in stored
    }


def claim_keys(connection: Connection, claims: Sequence[IdempotencyClaim], now: datetime) -> None:
    """Claims unused keys in one statement. Sorted, so that two transactions claiming some of
    the same keys wait for each other in one order instead of deadlocking; a key a concurrent
    transaction claimed first fails the unique index, and the caller runs again and replays."""
    rows = [
        {"scope": c.scope, "key": c.key, "fingerprint": c.fingerprint, "created_at": now}
        for c in sorted(claims, key=lambda c: (c.scope, c.key))
    ]
    driver_of(connection).append(key_table, rows)


def store_answers(
    connection: Connection, answered: Sequence[tuple[IdempotencyClaim, Answer]], now: datetime
) -> None:
    """Stores the answers of claimed keys in one round trip."""
    driver = driver_of(connection)
    stamp = driver.timestamp(now)
    driver.execute_many(
        _STORE_ANSWER,
        [(answer.status_code, answer.body, stamp, c.scope, c.key) for c, answer in answered],
    )


_FIND_KEYS = (
    " SELECT k.scope, k.key, k.fingerprint, k.status_code, k.response_body"
    " FROM wanted JOIN idempotency_key k ON k.scope = wanted.scope AND k.key = wanted.key"
)
_STORE_ANSWER = (
    "UPDATE idempotency_key SET status_code = ?, response_body = ?, completed_at = ?"
    " WHERE scope = ? AND key = ?"
)


def store(connection: Connection, claim: IdempotencyClaim, answer: Answer, now: datetime) -> None:
    connection.execute(
        update(key_table)
        .where(and_(key_table.c.scope == claim.scope, key_table.c.key == claim.key))
        .values(status_code=answer.status_code, response_body=answer.body, completed_at=now)
    )


def purge_expired(connection: Connection, now: datetime) -> int:
    result = connection.execute(delete(key_table).where(key_table.c.created_at < now - RETENTION))
    return result.rowcount or 0
