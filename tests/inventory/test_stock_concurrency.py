"""Manual stock changes racing with each other and with reservations keep the ledger exact."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, select

from ordnung.catalog.model import ProductDraft
from ordnung.catalog.service import upsert_products
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import InsufficientStockError
from ordnung.inventory import stock
from ordnung.inventory.locations import upsert_locations
from ordnung.inventory.model import Address, LocationDraft
from ordnung.inventory.service import StockCount, StockMove, availability
from ordnung.inventory.tables import stock_movement_table, stock_position_table
from ordnung.orchestration.stock_actions import adjust_stock, set_stock


def _setup(db: Database) -> int:
    upsert_products(db, [ProductDraft(sku="MUG-1", name="Becher")])
    address = Address("Hafenstraße 1", "20457", "Hamburg", "DE")
    upsert_locations(db, [LocationDraft("hh", "Lager Hamburg", "warehouse", address)])
    set_stock(db, "MUG-1", "hh", StockCount(50, "Anfangsbestand"))
    return int(
        db.read(
            lambda connection: connection.execute(select(stock_position_table.c.id)).scalar_one()
        )
    )


def _reserve_one(db: Database, position_id: int) -> bool:
    def work(uow: UnitOfWork) -> bool:
        if not stock.try_reserve(uow.connection, position_id, 1, clock.now()):
            return False
        movement = stock.Movement(position_id, stock.RESERVATION, 0, 1)
        stock.record_movements(uow.connection, [movement], actor="test", now=clock.now())
        return True

    return db.write(work)


def _act(db: Database, position_id: int, step: int) -> None:
    try:
        if step % 3 == 0:
            set_stock(db, "MUG-1", "hh", StockCount(40 + step % 7, f"Zählung {step}"))
        elif step % 3 == 1:
            adjust_stock(db, "MUG-1", "hh", StockMove(-1 if step % 2 else 2, "Korrektur"))
        else:
            _reserve_one(db, position_id)
    except InsufficientStockError:
        pass  # refused cleanly: nothing changed, nothing booked


def _ledger_and_position(db: Database) -> tuple[Any, Any]:
    def work(connection: Any) -> tuple[Any, Any]:
        ledger = connection.execute(
            select(
                func.sum(stock_movement_table.c.on_hand_delta),
                func.sum(stock_movement_table.c.reserved_delta),
            )
        ).one()
        position = connection.execute(
            select(stock_position_table.c.on_hand, stock_position_table.c.reserved)
        ).one()
        return tuple(ledger), tuple(position)

    return db.read(work)


def test_concurrent_counts_adjustments_and_reservations_keep_ledger_equal_to_position(
    db: Database,
) -> None:
    position_id = _setup(db)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda step: _act(db, position_id, step), range(90)))
    ledger, position = _ledger_and_position(db)
    assert ledger == position
    on_hand, reserved = position
    assert 0 <= reserved <= on_hand
    assert availability(db, "MUG-1")["reserved"] == reserved
