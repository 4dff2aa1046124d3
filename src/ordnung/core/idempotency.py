"""Idempotency keys (Stripe / IETF draft semantics), claimed inside the working transaction.

Because the claim row is inserted in the same transaction as the work, a retry either sees the
committed answer (and replays it), or — while the first attempt is still open — waits on the
unique index (PostgreSQL) or on the write lock (SQLite) and then sees it. Nothing half-done is
ever replayed, and nothing acknowledged is lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

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
class StoredResponse:
    status_code: int
    body: bytes
    is_replay: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an idempotent business action returns: its JSON body and whether it created."""

    body: dict[str, Any]
    created: bool

    @property
    def status_code(self) -> int:
        return 201 if self.created else 200


def fingerprint_request(method: str, path: str, payload: Any) -> str:
    canonical = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + canonical).hexdigest()


def claim(connection: Connection, claim: IdempotencyClaim, now: datetime) -> StoredResponse | None:
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
) -> StoredResponse | Exception:
    """What a request whose key was used before gets: the first answer, replayed, or the
    error that using the key again is (another body, or the first is still running)."""
    if fingerprint != claim.fingerprint:
        return IdempotencyKeyReusedError(
            "This Idempotency-Key was already used for a different request body or path."
        )
    if status_code is None:
        return IdempotencyKeyInFlightError("The first request with this key is still running.")
    return StoredResponse(status_code, bytes(body or b""), is_replay=True)


def find_answers(
    connection: Connection, claims: Sequence[IdempotencyClaim]
) -> dict[tuple[str, str], StoredResponse | Exception]:
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
    connection: Connection, answered: Sequence[tuple[IdempotencyClaim, Outcome]], now: datetime
) -> list[bytes]:
    """Stores the answers of claimed keys; returns each answer's body as sent."""
    bodies = [orjson.dumps(outcome.body) for _claim, outcome in answered]
    driver = driver_of(connection)
    stamp = driver.timestamp(now)
    driver.execute_many(
        _STORE_ANSWER,
        [
            (outcome.status_code, body, stamp, c.scope, c.key)
            for (c, outcome), body in zip(answered, bodies, strict=True)
        ],
    )
    return bodies


_FIND_KEYS = (
    " SELECT k.scope, k.key, k.fingerprint, k.status_code, k.response_body"
    " FROM wanted JOIN idempotency_key k ON k.scope = wanted.scope AND k.key = wanted.key"
)
_STORE_ANSWER = (
    "UPDATE idempotency_key SET status_code = ?, response_body = ?, completed_at = ?"
    " WHERE scope = ? AND key = ?"
)


def store(
    connection: Connection, claim: IdempotencyClaim, outcome: Outcome, now: datetime
) -> bytes:
    body = orjson.dumps(outcome.body)
    connection.execute(
        update(key_table)
        .where(and_(key_table.c.scope == claim.scope, key_table.c.key == claim.key))
        .values(status_code=outcome.status_code, response_body=body, completed_at=now)
    )
    return body


def purge_expired(connection: Connection, now: datetime) -> int:
    result = connection.execute(delete(key_table).where(key_table.c.created_at < now - RETENTION))
    return result.rowcount or 0
