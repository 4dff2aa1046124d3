"""The hold queue: orders waiting for a person, one row per active hold, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ordnung.channels.tables import sales_channel_table as channel_table
from ordnung.core.db import Database
from ordnung.core.money import format_minor
from ordnung.orders.tables import order_hold_table as hold_table
from ordnung.orders.tables import sales_order_table as order_table


@dataclass(frozen=True, slots=True)
class HoldQueueFilter:
    reason: str | None = None
    channel: str | None = None


def list_active_holds(
    db: Database, filters: HoldQueueFilter, after_id: int | None, limit: int
) -> dict[str, Any]:
    """`{items, next_after_id}`: active holds after `after_id` (hold ids ascending)."""
    query = (
        select(
            hold_table,
            order_table.c.number,
            order_table.c.status,
            order_table.c.version,
            order_table.c.currency,
            order_table.c.total_amount,
            order_table.c.customer_name,
            order_table.c.email,
            channel_table.c.code.label("channel_code"),
        )
        .join(order_table, order_table.c.id == hold_table.c.order_id)
        .join(channel_table, channel_table.c.id == order_table.c.channel_id)
        .where(hold_table.c.released_at.is_(None), order_table.c.status != "cancelled")
        .order_by(hold_table.c.id)
        .limit(limit + 1)
    )
    if after_id is not None:
        query = query.where(hold_table.c.id > after_id)
    if filters.reason:
        query = query.where(hold_table.c.reason == filters.reason)
    if filters.channel:
        query = query.where(channel_table.c.code == filters.channel)
    rows = db.read(lambda connection: connection.execute(query).mappings().all())
    items = [_item(row) for row in rows[:limit]]
    next_after_id = items[-1]["id"] if len(rows) > limit else None
    return {"items": items, "next_after_id": next_after_id}


def _item(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "order_id": row["order_id"],
        "order_number": row["number"],
        "order_status": row["status"],
        "order_version": row["version"],
        "channel": row["channel_code"],
        "customer_name": row["customer_name"],
        "email": row["email"],
        "total": {
            "amount": format_minor(row["total_amount"], row["currency"]),
            "currency": row["currency"],
        },
        "reason": row["reason"],
        "detail": row["detail"],
        "facts": row["facts"],
        "rules": _rules(row["facts"], row["reason"]),
        "created_at": row["created_at"].isoformat(),
    }


def _rules(facts: dict[str, Any] | None, reason: str) -> list[str]:
    """The rules that fired: named in the facts; a hold without facts names its reason."""
    if not facts:
        return [reason]
    names = [str(finding.get("rule", reason)) for finding in facts.get("findings", [])]
    return list(dict.fromkeys(names)) or [reason]
