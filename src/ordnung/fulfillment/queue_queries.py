"""Read side of a location's queue: its open fulfilment orders, urgent and due work first,
with SLA markers counted in the location's time zone (`fulfillment/queue.py`).

One statement per page (two after the first: the page's anchor row is read to continue
after it). The sort key is the keyset of the cursor: (priority rank, promised ship date with
undated last, created at, id), compared as a row value, so a page never skips or repeats work
while others accept or reject items of the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, case, func, literal, or_, select, tuple_
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError, ValidationError
from ordnung.fulfillment import queue
from ordnung.fulfillment.model import OPEN_STATUSES
from ordnung.fulfillment.queries import summary_dict, summary_query
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table
from ordnung.inventory.locations import location_id_for_code
from ordnung.promising.service import location_time_zone

_UNDATED = date(9999, 12, 31)  # sorts work without a promised date after all dated work
_MAX_QUERY = 40


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What a queue is narrowed to; empty fields do not narrow."""

    status: str | None = None
    service_level: str | None = None
    due: str | None = None
    q: str | None = None


def _rank() -> Any:
    return case(queue.PRIORITY_RANK, value=fo_table.c.priority, else_=len(queue.PRIORITY_RANK))


def _promised() -> Any:
    return func.coalesce(fo_table.c.promised_ship_on, literal(_UNDATED, Date()))


def _check(filters: QueueFilter) -> None:
    if filters.status is not None and filters.status not in OPEN_STATUSES:
        raise ValidationError(f"{filters.status!r} is not an open status.", field="status")
    if filters.service_level is not None and filters.service_level not in queue.SERVICE_LEVELS:
        raise ValidationError("Unknown service level.", field="service_level")
    if filters.due is not None and filters.due not in queue.DUE_FILTERS:
        raise ValidationError("due is one of late, due_today, later.", field="due")
    if filters.q is not None and len(filters.q) > _MAX_QUERY:
        raise ValidationError(f"q is at most {_MAX_QUERY} characters.", field="q")


def _narrowed(query: Any, filters: QueueFilter, today: date) -> Any:
    statuses = sorted(OPEN_STATUSES) if filters.status is None else [filters.status]
    query = query.where(fo_table.c.status.in_(statuses))
    if filters.service_level:
        query = query.where(fo_table.c.service_level == filters.service_level)
    if filters.q:
        query = query.where(fo_table.c.order_number.icontains(filters.q, autoescape=True))
    if filters.due:
        window = queue.due_window(filters.due, today)
        promised = fo_table.c.promised_ship_on
        if window.before is not None:
            query = query.where(promised < window.before)
        if window.on is not None:
            query = query.where(promised == window.on)
        if window.after is not None:
            query = query.where(or_(promised > window.after, promised.is_(None)))
    return query


def _after(connection: Connection, query: Any, location_id: int, after_id: int) -> Any:
    """Continues after the anchor item, in queue order; a cursor of another location's work
    (or of none) is refused like any cursor this list did not give."""
    anchor = connection.execute(
        select(_rank(), _promised(), fo_table.c.created_at, fo_table.c.id).where(
            fo_table.c.id == after_id, fo_table.c.location_id == location_id
        )
    ).first()
    if anchor is None:
        raise ValidationError("The cursor is not valid; use the one a list gave.", field="cursor")
    rank, promised, created_at, fo_id = anchor
    if isinstance(promised, str):  # SQLite gives COALESCE's date back as text
        promised = date.fromisoformat(promised)
    key = tuple_(_rank(), _promised(), fo_table.c.created_at, fo_table.c.id)
    return query.where(
        key
        > tuple_(
            literal(rank),
            literal(promised, Date()),
            literal(created_at, fo_table.c.created_at.type),
            literal(fo_id, fo_table.c.id.type),
        )
    )


def location_queue(
    db: Database,
    location_code: str,
    filters: QueueFilter,
    *,
    after_id: int | None,
    limit: int,
    only_location_id: int | None = None,
) -> dict[str, Any]:
    """A page of the location's open work in queue order, with `today` (the location's day,
    by the process clock) and each item's SLA marker. A caller bound to another location gets
    404, as if the location did not exist (design.md §8)."""
    _check(filters)

    def read(connection: Connection) -> dict[str, Any]:
        location_id = location_id_for_code(connection, location_code)
        if only_location_id not in (None, location_id):
            raise NotFoundError(f"No location with code '{location_code}'.")
        today = queue.local_today(clock.now(), location_time_zone(connection, location_id))
        query = _narrowed(
            summary_query().where(fo_table.c.location_id == location_id), filters, today
        )
        if after_id is not None:
            query = _after(connection, query, location_id, after_id)
        query = query.order_by(_rank(), _promised(), fo_table.c.created_at, fo_table.c.id).limit(
            limit + 1
        )
        rows = connection.execute(query).all()
        items = [
            summary_dict(row) | {"sla": queue.sla_marker(row.promised_ship_on, today)}
            for row in rows[:limit]
        ]
        next_id = items[-1]["id"] if len(rows) > limit else None
        return {"items": items, "next_after_id": next_id, "today": today.isoformat()}

    return db.read(read)
