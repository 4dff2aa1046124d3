"""Customer use cases: the lookup order intake uses, and search for customer service."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.engine import Connection

from ordnung.core.db import Database
from ordnung.core.driver import driver_of
from ordnung.core.errors import NotFoundError
from ordnung.customers.model import normalise_email
from ordnung.customers.tables import customer_table as customer
from ordnung.orders.tables import sales_order_table as sales_order

_COLUMNS = (
    customer.c.id,
    customer.c.email,
    customer.c.first_name,
    customer.c.last_name,
    customer.c.phone,
    customer.c.created_at,
    customer.c.updated_at,
)


def _as_dict(row: Row[*tuple[Any, ...]]) -> dict[str, Any]:
    return {
        "id": row.id,
        "email": row.email,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "phone": row.phone,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


@dataclass(frozen=True, slots=True)
class Person:
    """Who placed an order, as the channel sent it."""

    email: str
    first_name: str
    last_name: str
    phone: str | None = None


def find_or_create_customers(
    connection: Connection, people: Sequence[Person], now: datetime
) -> dict[str, int]:
    """Customer ids by normalised e-mail, creating the new ones; inside the caller's transaction.

    One upsert, so two orders of a new customer arriving at once cannot create two customers or
    fail on the unique e-mail. The first order's name and phone are kept. Rows go in e-mail
    order, so two transactions upserting some of the same customers wait in one order instead
    of deadlocking.
    """
    first_by_email: dict[str, Person] = {}
    for person in people:
        first_by_email.setdefault(normalise_email(person.email), person)
    if not first_by_email:
        return {}
    driver = driver_of(connection)
    stamp = driver.timestamp(now)
    rows = [
        (email, person.first_name, person.last_name, person.phone, stamp, stamp)
        for email, person in sorted(first_by_email.items())
    ]
    source, parameters = driver.row_source(rows, _UPSERT_TYPES)
    upserted = driver.fetch_all(_UPSERT.format(rows=source), parameters)
    return {email: int(customer_id) for customer_id, email in upserted}


# DO UPDATE (not DO NOTHING) so RETURNING yields the id of an existing row too.
_UPSERT_TYPES = ("text", "text", "text", "text", "timestamptz", "timestamptz")
_UPSERT = (
    "INSERT INTO customer (email, first_name, last_name, phone, created_at, updated_at) {rows}"
    " ON CONFLICT (email) DO UPDATE SET updated_at = excluded.updated_at RETURNING id, email"
)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_customers(
    db: Database, *, q: str | None = None, after_id: int | None = None, limit: int = 50
) -> dict[str, Any]:
    """Customers by id, optionally those whose e-mail or name contains `q`."""
    query: Select[Any] = select(*_COLUMNS).order_by(customer.c.id).limit(limit + 1)
    if q:
        pattern = f"%{_escape_like(q.strip())}%"
        full_name = customer.c.first_name + " " + customer.c.last_name
        query = query.where(
            or_(
                customer.c.email.ilike(pattern, escape="\\"),
                full_name.ilike(pattern, escape="\\"),
            )
        )
    if after_id is not None:
        query = query.where(customer.c.id > after_id)
    rows = db.read(lambda connection: connection.execute(query).all())
    items = [_as_dict(row) for row in rows[:limit]]
    has_more = len(rows) > limit
    return {"items": items, "next_after_id": items[-1]["id"] if has_more else None}


def get_customer(db: Database, customer_id: int) -> dict[str, Any]:
    """The customer with the number of orders they placed."""

    def work(connection: Connection) -> dict[str, Any]:
        row = connection.execute(select(*_COLUMNS).where(customer.c.id == customer_id)).first()
        if row is None:
            raise NotFoundError(f"No customer with id {customer_id}.")
        order_count = connection.execute(
            select(func.count())
            .select_from(sales_order)
            .where(sales_order.c.customer_id == customer_id)
        ).scalar_one()
        return {**_as_dict(row), "order_count": int(order_count)}

    return db.read(work)
