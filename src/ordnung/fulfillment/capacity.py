"""How busy each location is today: the fulfilment orders it was given (the daily capacity
filter of sourcing rules reads it once per intake batch, so through the driver)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Connection

from ordnung.core.driver import driver_of


def orders_per_location_since(connection: Connection, since: datetime) -> dict[int, int]:
    """How many fulfilment orders each location was given since `since` and still has or
    did: work it declined or that was cancelled frees its slot for another order."""
    driver = driver_of(connection)
    rows = driver.fetch_all(_RELEASED_SINCE, [driver.timestamp(since)])
    return {int(location_id): int(count) for location_id, count in rows}


_RELEASED_SINCE = (
    "SELECT location_id, count(*) FROM fulfillment_order WHERE created_at >= ?"
    " AND status NOT IN ('rejected', 'cancelled') GROUP BY location_id"
)
