"""The import queue: every signed payload is stored raw first, then mapped and handed to
the one order intake; what cannot be mapped stays, with its error, until a person fixes it
(an SKU mapping or an edited field) and replays it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.engine import Connection

from ordnung.connectors.tables import inbound_payload_table as payload
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, insert_returning_ids
from ordnung.core.errors import NotFoundError, ValidationError
from ordnung.core.idempotency import IdempotentRequest

MAX_PAGE = 100
MAX_ERROR = 1000


@dataclass(frozen=True, slots=True)
class InboundPayload:
    id: int
    channel: str
    platform: str
    topic: str
    source: str
    delivery_id: str | None
    external_id: str | None
    status: str
    error: str | None
    error_field: str | None
    order_id: int | None
    attempts: int
    received_at: datetime
    processed_at: datetime | None
    body: str
    fixed_body: str | None

    @property
    def effective_body(self) -> str:
        """What mapping reads: a person's correction if there is one, else the raw body."""
        return self.fixed_body if self.fixed_body is not None else self.body

    @property
    def is_replayable(self) -> bool:
        return self.status in ("failed", "received", "ignored")


@dataclass(frozen=True, slots=True)
class IncomingPayload:
    channel: str
    platform: str
    topic: str
    source: str  # webhook | pull
    delivery_id: str | None
    external_id: str | None
    body: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a payload: imported | failed | duplicate | ignored (| ping, unstored)."""

    payload_id: int | None
    status: str
    order_id: int | None = None
    error: str | None = None
    error_field: str | None = None


def store_payload(db: Database, incoming: IncomingPayload) -> int:
    """Stores a payload raw, before anything else is done with it (its own transaction:
    once this returns, the platform's delivery is safe whatever mapping does)."""
    row = {
        "channel_code": incoming.channel,
        "platform": incoming.platform,
        "topic": incoming.topic[:64],
        "source": incoming.source,
        "delivery_id": _cut(incoming.delivery_id, 128),
        "external_id": _cut(incoming.external_id, 128),
        "body": incoming.body,
        "status": "received",
        "received_at": clock.now(),
    }
    return db.write(lambda uow: insert_returning_ids(uow.connection, payload, [row])[0])


def _cut(value: str | None, length: int) -> str | None:
    return None if value is None else value[:length]


def record_outcome(db: Database, outcome: Outcome) -> None:
    values: dict[str, Any] = {
        "status": outcome.status,
        "order_id": outcome.order_id,
        "error": _cut(outcome.error, MAX_ERROR),
        "error_field": _cut(outcome.error_field, 200),
        "processed_at": clock.now(),
        "attempts": payload.c.attempts + 1,
    }

    def work(uow: UnitOfWork) -> None:
        uow.connection.execute(
            update(payload).where(payload.c.id == outcome.payload_id).values(**values)
        )

    db.write(work)


def imported_delivery(db: Database, channel: str, delivery_id: str, before_id: int) -> int | None:
    """The order an earlier payload with this delivery id became, if any: the platform
    sent the same webhook again."""
    return db.read(
        lambda connection: connection.execute(
            select(payload.c.order_id)
            .where(
                payload.c.channel_code == channel,
                payload.c.delivery_id == delivery_id,
                payload.c.id < before_id,
                payload.c.status.in_(("imported", "duplicate")),
            )
            .limit(1)
        ).scalar()
    )


def get_payload(db: Database, payload_id: int) -> InboundPayload:
    row = db.read(
        lambda connection: connection.execute(
            select(payload).where(payload.c.id == payload_id)
        ).first()
    )
    if row is None:
        raise NotFoundError(f"No inbound payload {payload_id}.")
    return _payload(row)


def list_payloads(
    db: Database,
    *,
    channel: str | None = None,
    status: str | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[InboundPayload]:
    """Newest first; `before_id` pages on (the last id of the page before)."""
    query = select(payload).order_by(payload.c.id.desc()).limit(min(limit, MAX_PAGE))
    if channel:
        query = query.where(payload.c.channel_code == channel)
    if status:
        query = query.where(payload.c.status == status)
    if before_id is not None:
        query = query.where(payload.c.id < before_id)
    rows = db.read(lambda connection: connection.execute(query).all())
    return [_payload(row) for row in rows]


def count_by_status(db: Database, channel: str | None = None) -> dict[str, int]:
    query = select(payload.c.status, func.count()).group_by(payload.c.status)
    if channel:
        query = query.where(payload.c.channel_code == channel)
    rows = db.read(lambda connection: connection.execute(query).all())
    return {row[0]: row[1] for row in rows}


def fix_field(
    db: Database,
    payload_id: int,
    path: str,
    value: str,
    *,
    actor: str,
    idempotency: IdempotentRequest[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Sets one field of the payload as mapping will read it (the raw body is kept):
    `line_items[0].sku`, `email`, `shipping_address.zip`. A field that held a number keeps
    being a number."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        row = _locked(uow.connection, payload_id)
        current = _payload(row)
        if not current.is_replayable:
            raise ValidationError(
                f"This payload was {current.status}; only a failed one is corrected.",
                field="status",
            )
        document = _parsed(current.effective_body)
        set_at_path(document, path, value)
        fixed = json.dumps(document, ensure_ascii=False)
        uow.connection.execute(
            update(payload).where(payload.c.id == payload_id).values(fixed_body=fixed)
        )
        return asdict(_payload(_locked(uow.connection, payload_id)))

    return db.write(work, actor=actor, idempotency=idempotency)


def set_at_path(document: Any, path: str, value: str) -> None:
    """Writes `value` at a path of the error messages' form (`a.b[2].c`)."""
    steps = _steps(path)
    target = document
    for step in steps[:-1]:
        target = _step_into(target, step, path)
    last = steps[-1]
    if isinstance(last, int):
        if not isinstance(target, list) or not 0 <= last < len(target):
            raise ValidationError(f"No element {last} at {path!r}.", field="path")
        old = target[last]
        target[last] = _typed(value, old)
    else:
        if not isinstance(target, dict):
            raise ValidationError(f"{path!r} does not lead to a field.", field="path")
        target[last] = _typed(value, target.get(last))


def _steps(path: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in path.strip().replace("]", "").split("."):
        name, *indexes = part.split("[")
        if name:
            steps.append(name)
        for index in indexes:
            if not index.isdigit():
                raise ValidationError(f"{path!r} is no field path.", field="path")
            steps.append(int(index))
    if not steps or len(path) > 200:
        raise ValidationError("Name the field, e.g. line_items[0].sku.", field="path")
    return steps


def _step_into(target: Any, step: str | int, path: str) -> Any:
    if isinstance(step, int):
        if isinstance(target, list) and 0 <= step < len(target):
            return target[step]
    elif isinstance(target, dict):
        if not isinstance(target.get(step), dict | list):
            target[step] = {}
        return target[step]
    raise ValidationError(f"{path!r} does not lead to a field.", field="path")


def _typed(value: str, old: object) -> object:
    """A field that held a whole number (a quantity) stays one."""
    if isinstance(old, int) and not isinstance(old, bool) and value.strip().lstrip("-").isdigit():
        return int(value)
    return value


def _parsed(body: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise ValidationError("The stored body is no JSON; it cannot be edited.") from None


def _locked(connection: Connection, payload_id: int) -> Row[Any]:
    row = connection.execute(
        select(payload).where(payload.c.id == payload_id).with_for_update()
    ).first()
    if row is None:
        raise NotFoundError(f"No inbound payload {payload_id}.")
    return row


def _payload(row: Row[Any]) -> InboundPayload:
    return InboundPayload(
        id=row.id,
        channel=row.channel_code,
        platform=row.platform,
        topic=row.topic,
        source=row.source,
        delivery_id=row.delivery_id,
        external_id=row.external_id,
        status=row.status,
        error=row.error,
        error_field=row.error_field,
        order_id=row.order_id,
        attempts=row.attempts,
        received_at=row.received_at,
        processed_at=row.processed_at,
        body=row.body,
        fixed_body=row.fixed_body,
    )
