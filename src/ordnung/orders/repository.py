"""Loading and saving the order aggregate's mutable state inside a unit of work.

Used by the orders service and by the capabilities that move units between buckets
(fulfilment ships and rejects). The order row is locked first (PostgreSQL), so changes to one
order serialise; the version check turns a stale human edit into a 409.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from ordnung.core.db import UnitOfWork
from ordnung.core.errors import NotFoundError, StaleVersionError
from ordnung.core.events import DomainEvent
from ordnung.orders import model
from ordnung.orders.tables import order_hold_table as hold_table
from ordnung.orders.tables import order_line_table as line_table
from ordnung.orders.tables import sales_order_table as order_table


@dataclass
class OrderState:
    id: int
    number: str
    status: str
    version: int
    has_active_hold: bool
    lines: dict[int, model.LineBuckets]
    skus: dict[int, str]
    _loaded: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)

    def open_needs(self) -> list[tuple[int, str, int]]:
        """(line id, sku, open units) for every line that still waits for stock."""
        return [(lid, self.skus[lid], b.open) for lid, b in sorted(self.lines.items()) if b.open]


def load_order_state(connection: Connection, order_id: int) -> OrderState:
    row = connection.execute(
        select(order_table.c.id, order_table.c.number, order_table.c.status, order_table.c.version)
        .where(order_table.c.id == order_id)
        .with_for_update()
    ).first()
    if row is None:
        raise NotFoundError(f"Order {order_id} does not exist.")
    lines = connection.execute(
        select(
            line_table.c.id,
            line_table.c.sku,
            line_table.c.quantity,
            line_table.c.open_quantity,
            line_table.c.allocated_quantity,
            line_table.c.shipped_quantity,
            line_table.c.cancelled_quantity,
            line_table.c.returned_quantity,
        ).where(line_table.c.order_id == order_id)
    ).all()
    has_hold = connection.execute(
        select(hold_table.c.id)
        .where(hold_table.c.order_id == order_id, hold_table.c.released_at.is_(None))
        .limit(1)
    ).first()
    state = OrderState(
        id=row.id,
        number=row.number,
        status=row.status,
        version=row.version,
        has_active_hold=has_hold is not None,
        lines={},
        skus={},
    )
    for line in lines:
        state.lines[line.id] = model.LineBuckets(
            quantity=line.quantity,
            open=line.open_quantity,
            allocated=line.allocated_quantity,
            shipped=line.shipped_quantity,
            cancelled=line.cancelled_quantity,
            returned=line.returned_quantity,
        )
        state.skus[line.id] = line.sku
        state._loaded[line.id] = _bucket_tuple(state.lines[line.id])
    return state


def _bucket_tuple(buckets: model.LineBuckets) -> tuple[int, int, int, int]:
    return (buckets.open, buckets.allocated, buckets.shipped, buckets.cancelled)


def save_order_state(
    uow: UnitOfWork,
    state: OrderState,
    now: datetime,
    *,
    expected_version: int | None = None,
    event_payload: dict[str, object] | None = None,
) -> str:
    """Writes changed line buckets, derives the status and bumps the version.

    Records `order.<status>` when the derived status changed. Returns the new status.
    """
    if expected_version is not None and expected_version != state.version:
        raise StaleVersionError(
            f"Order {state.number} is at version {state.version}, not {expected_version}.",
            current_version=state.version,
        )
    _save_lines(uow.connection, state)
    new_status = model.derive_status(
        list(state.lines.values()), has_active_hold=state.has_active_hold
    )
    model.check_transition(state.status, new_status)
    result = uow.connection.execute(
        update(order_table)
        .where(order_table.c.id == state.id, order_table.c.version == state.version)
        .values(status=new_status, version=state.version + 1, updated_at=now)
    )
    if result.rowcount != 1:
        raise StaleVersionError(f"Order {state.number} was changed concurrently; try again.")
    if new_status != state.status:
        payload: dict[str, object] = {
            "number": state.number,
            "from": state.status,
            "to": new_status,
        }
        payload.update(event_payload or {})
        uow.record(DomainEvent(f"order.{new_status}", "order", state.id, state.id, payload))
    state.status = new_status
    state.version += 1
    return new_status


def _save_lines(connection: Connection, state: OrderState) -> None:
    changed = [
        {
            "line_id": line_id,
            "open_quantity": b.open,
            "allocated_quantity": b.allocated,
            "shipped_quantity": b.shipped,
            "cancelled_quantity": b.cancelled,
        }
        for line_id, b in state.lines.items()
        if _bucket_tuple(b) != state._loaded.get(line_id)
    ]
    if not changed:
        return
    connection.execute(
        update(line_table)
        .where(line_table.c.id == bindparam("line_id"))
        .values(
            open_quantity=bindparam("open_quantity"),
            allocated_quantity=bindparam("allocated_quantity"),
            shipped_quantity=bindparam("shipped_quantity"),
            cancelled_quantity=bindparam("cancelled_quantity"),
        ),
        changed,
    )
    for row in changed:
        state._loaded[int(str(row["line_id"]))] = _bucket_tuple(
            state.lines[int(str(row["line_id"]))]
        )
