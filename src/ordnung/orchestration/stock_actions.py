"""Stock counted or received by hand — and the new units given to the orders waiting for them,
oldest first, in the same transaction. One transaction each."""

from __future__ import annotations

from ordnung.core.db import Database, UnitOfWork
from ordnung.core.idempotency import IdempotentRequest
from ordnung.inventory.service import (
    StockChange,
    StockCount,
    StockMove,
    StockPosition,
    announce_stock_change,
    count_stock,
    move_stock,
)
from ordnung.sourcing.service import allocate_backorders


def set_stock(
    db: Database,
    sku: str,
    location_code: str,
    count: StockCount,
    *,
    actor: str = "system",
    idempotency: IdempotentRequest[StockPosition] | None = None,
) -> StockPosition:
    """Books a stock count: on hand becomes the count (409 if fewer than are reserved)."""

    def work(uow: UnitOfWork) -> StockPosition:
        return _to_waiting_orders(uow, count_stock(uow, sku, location_code, count))

    return db.write(work, actor=actor, idempotency=idempotency)


def adjust_stock(
    db: Database,
    sku: str,
    location_code: str,
    move: StockMove,
    *,
    actor: str = "system",
    idempotency: IdempotentRequest[StockPosition] | None = None,
) -> StockPosition:
    """Adds or removes units (receipt, correction); 409 if it would cut into reservations."""

    def work(uow: UnitOfWork) -> StockPosition:
        return _to_waiting_orders(uow, move_stock(uow, sku, location_code, move))

    return db.write(work, actor=actor, idempotency=idempotency)


def _to_waiting_orders(uow: UnitOfWork, change: StockChange) -> StockPosition:
    if change.position.available > 0:
        allocate_backorders(uow, {change.position.sku})
    return announce_stock_change(uow, change)
