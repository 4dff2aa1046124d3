"""Idempotency keys (Stripe / IETF draft semantics), claimed inside the working transaction.

Because the claim row is inserted in the same transaction as the work, a retry either sees the
committed answer (and replays it), or — while the first attempt is still open — waits on the
unique index (PostgreSQL) or on the write lock (SQLite) and then sees it. Nothing half-done is
ever replayed, and nothing acknowledged is lost.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

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
    if existing.fingerprint != claim.fingerprint:
        raise IdempotencyKeyReusedError(
            "This Idempotency-Key was already used for a different request body or path."
        )
    if existing.status_code is None:
        raise IdempotencyKeyInFlightError("The first request with this key is still running.")
    return StoredResponse(existing.status_code, existing.response_body)


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
