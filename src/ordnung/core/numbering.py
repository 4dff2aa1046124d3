"""Named counters for human numbers, drawn inside the caller's transaction.

The `counter` row is updated in the transaction that uses the numbers, so a rolled-back
transaction gives its numbers back: on SQLite, where writers are serialised anyway, numbers
drawn this way have no gaps (invoices will need that, design.md §6).
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from ordnung.core.driver import driver_of


def next_counter_values(connection: Connection, name: str, count: int) -> list[int]:
    """The next `count` values of the counter `name`, ascending (the first value is 1)."""
    driver = driver_of(connection)
    last = int(driver.fetch_all(_NEXT_VALUES, [name, count, count])[0][0])
    return list(range(last - count + 1, last + 1))


_NEXT_VALUES = (
    "INSERT INTO counter (name, value) VALUES (?, ?)"
    " ON CONFLICT (name) DO UPDATE SET value = counter.value + ? RETURNING value"
)
