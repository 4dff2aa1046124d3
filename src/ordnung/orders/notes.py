"""Tags and comments that people put on an order: each action one transaction, recorded on
the order's timeline (`order.tagged`, `order.untagged`, `order.commented`).

Neither changes the order aggregate, so neither bumps its version: an agent's cancel with
If-Match does not fail because a colleague tagged the order meanwhile. The order row is
still locked, so tags and the search key (which holds the tags) change in one order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert, insert_returning_ids
from ordnung.core.errors import NotFoundError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.orders.events import OrderCommented, OrderTagged, OrderUntagged
from ordnung.orders.notes_model import checked_comment, normalise_tag
from ordnung.orders.notes_queries import comment_view, tags_of
from ordnung.orders.search_index import reindex_orders
from ordnung.orders.tables import order_comment_table as comment_table
from ordnung.orders.tables import order_tag_table as tag_table
from ordnung.orders.tables import sales_order_table as order_table


@dataclass(frozen=True, slots=True)
class OrderTags:
    """The order's tags after an action, and whether the action changed them."""

    order_id: int
    tags: list[str]
    is_changed: bool


def add_tag(
    db: Database,
    order_id: int,
    raw_tag: str,
    *,
    actor: str,
    idempotency: IdempotentRequest[OrderTags] | None = None,
) -> OrderTags:
    """Puts a tag on the order; a tag it has already changes nothing (idempotent)."""
    tag = normalise_tag(raw_tag)

    def work(uow: UnitOfWork) -> OrderTags:
        number = _locked_number(uow.connection, order_id)
        row = {"order_id": order_id, "tag": tag, "created_at": clock.now(), "created_by": actor}
        insert = dialect_insert(uow.connection)(tag_table).values(row)
        added = insert.on_conflict_do_nothing().returning(tag_table.c.tag)
        is_new = uow.connection.execute(added).first() is not None
        if is_new:
            uow.record(
                OrderTagged(number=number, tag=tag), aggregate_id=order_id, order_id=order_id
            )
            reindex_orders(uow.connection, [order_id])
        return OrderTags(order_id, tags_of(uow.connection, order_id), is_new)

    return db.write(work, actor=actor, idempotency=idempotency)


def remove_tag(db: Database, order_id: int, raw_tag: str, *, actor: str) -> OrderTags:
    """Takes a tag off the order; a tag it does not have changes nothing (idempotent)."""
    tag = normalise_tag(raw_tag)

    def work(uow: UnitOfWork) -> OrderTags:
        number = _locked_number(uow.connection, order_id)
        removed = uow.connection.execute(_REMOVE_TAG, {"order_id": order_id, "tag": tag})
        is_removed = removed.first() is not None
        if is_removed:
            event = OrderUntagged(number=number, tag=tag)
            uow.record(event, aggregate_id=order_id, order_id=order_id)
            reindex_orders(uow.connection, [order_id])
        return OrderTags(order_id, tags_of(uow.connection, order_id), is_removed)

    return db.write(work, actor=actor)


def add_comment(
    db: Database,
    order_id: int,
    body: str,
    *,
    author: str,
    idempotency: IdempotentRequest[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Writes a comment on the order's timeline, signed by its author."""
    text = checked_comment(body)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        number = _locked_number(uow.connection, order_id)
        row = {"order_id": order_id, "author": author, "body": text, "created_at": clock.now()}
        [comment_id] = insert_returning_ids(uow.connection, comment_table, [row])
        event = OrderCommented(number=number, comment_id=comment_id, body=text)
        uow.record(event, aggregate_id=order_id, order_id=order_id)
        return comment_view({**row, "id": comment_id})

    return db.write(work, actor=author, idempotency=idempotency)


def _locked_number(connection: Connection, order_id: int) -> str:
    number = connection.execute(_LOCKED_NUMBER, {"order_id": order_id}).scalar()
    if number is None:
        raise NotFoundError(f"Order {order_id} does not exist.")
    return str(number)


_LOCKED_NUMBER = (
    select(order_table.c.number).where(order_table.c.id == bindparam("order_id")).with_for_update()
)
_REMOVE_TAG = (
    delete(tag_table)
    .where(tag_table.c.order_id == bindparam("order_id"), tag_table.c.tag == bindparam("tag"))
    .returning(tag_table.c.tag)
)
