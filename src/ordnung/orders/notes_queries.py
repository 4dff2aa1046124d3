"""Read side of tags and comments on orders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.engine import Connection

from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError
from ordnung.orders.tables import order_comment_table as comment_table
from ordnung.orders.tables import order_tag_table as tag_table
from ordnung.orders.tables import sales_order_table as order_table


def tagged_with(tag: str) -> Select[Any]:
    """The ids of the orders that carry `tag` (compared as stored: trimmed, lower-case)."""
    return select(tag_table.c.order_id).where(tag_table.c.tag == tag.strip().lower())


def tags_of(connection: Connection, order_id: int) -> list[str]:
    query = (
        select(tag_table.c.tag).where(tag_table.c.order_id == order_id).order_by(tag_table.c.tag)
    )
    return list(connection.execute(query).scalars())


def order_tags(db: Database, order_id: int) -> list[str]:
    return db.read(lambda connection: tags_of(connection, order_id))


def order_comments(db: Database, order_id: int) -> list[dict[str, Any]]:
    """The order's comments, oldest first."""
    query = (
        select(comment_table)
        .where(comment_table.c.order_id == order_id)
        .order_by(comment_table.c.id)
    )
    rows = db.read(lambda connection: connection.execute(query).mappings().all())
    return [comment_view(row) for row in rows]


def comment_view(row: Any) -> dict[str, Any]:
    created_at: datetime = row["created_at"]
    return {
        "id": row["id"],
        "author": row["author"],
        "body": row["body"],
        "created_at": created_at.isoformat(),
    }


def require_order(db: Database, order_id: int) -> None:
    """Raises NotFoundError unless the order exists (an id in a path may name none)."""
    query = select(order_table.c.id).where(order_table.c.id == order_id)
    if db.read(lambda connection: connection.execute(query).scalar()) is None:
        raise NotFoundError(f"Order {order_id} does not exist.")
