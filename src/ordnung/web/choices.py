"""Read-only counts for the back-office dashboard.

Kept beside the pages that use it because it is a presentation choice (what the dashboard
counts), not a business rule; the order capability offers no such aggregate yet.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ordnung.core.db import Database
from ordnung.orders.model import ORDER_STATUSES
from ordnung.orders.tables import sales_order_table


def order_counts_by_status(db: Database) -> dict[str, int]:
    """Every status with its number of orders, zero included, in lifecycle order."""
    rows = db.read(
        lambda connection: connection.execute(
            select(sales_order_table.c.status, func.count()).group_by(sales_order_table.c.status)
        ).all()
    )
    counts = dict.fromkeys(ORDER_STATUSES, 0)
    for status, count in rows:
        counts[str(status)] = int(count)
    return counts
