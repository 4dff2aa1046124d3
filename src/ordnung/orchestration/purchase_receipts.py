"""Goods of a purchase order arrive: the order's lines count them (purchasing), stock rises
at the destination with a `receipt` ledger row naming the order (inventory), and the new
units go to the orders waiting for them, oldest first (sourcing) — one transaction, as a
stock receipt by hand does (`stock_actions.adjust_stock`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ordnung.core.db import Database, UnitOfWork
from ordnung.core.idempotency import IdempotentRequest
from ordnung.inventory.service import StockMove, announce_stock_change, move_stock
from ordnung.inventory.stock import RECEIPT
from ordnung.purchasing.service import purchase_order_in, receive_goods
from ordnung.sourcing.service import allocate_backorders, lock_stock


def receive_purchase_order(
    db: Database,
    number: str,
    receipt: Mapping[int, int],
    *,
    actor: str = "system",
    idempotency: IdempotentRequest[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Books the received units (line number → units); over-receipt is a 422 naming the
    line. Returns the purchase order as it is afterwards."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        received = receive_goods(uow, number, receipt)
        # Every position of these SKUs, in id order, before any changes (the lock order).
        lock_stock(uow, received.units)
        changes = [
            move_stock(
                uow,
                sku,
                received.location_code,
                StockMove(units, f"Purchase order {number}", RECEIPT),
            )
            for sku, units in sorted(received.units.items())
        ]
        freed = {change.position.sku for change in changes if change.position.available > 0}
        allocate_backorders(uow, freed)
        for change in changes:
            announce_stock_change(uow, change)
        return purchase_order_in(uow.connection, number)

    return db.write(work, actor=actor, idempotency=idempotency)
