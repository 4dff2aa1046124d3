"""Shared setup of the stock-operation tests: two warehouses, a store, three products, and
helpers that read positions, the ledger and reserve like sourcing does."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.inventory import stock
from ordnung.inventory.tables import location_table, stock_movement_table, stock_position_table
from tests.factories import add_channel, add_location, add_product, put_stock


def stocked(db: Database) -> dict[str, int]:
    """Locations nord (priority 1), sued (2) and store laden (3, pickup only); MUG-1 40 at nord,
    TEE-1 10 at nord, CAP-1 never stocked; the web shop channel."""
    add_channel(db)
    ids = {code: add_location(db, code, priority) for code, priority in (("nord", 1), ("sued", 2))}
    ids["laden"] = add_location(db, "laden", 3, ("pickup",))  # never ships parcels
    for sku in ("MUG-1", "TEE-1", "CAP-1"):
        add_product(db, sku)
    put_stock(db, "MUG-1", ids["nord"], 40)
    put_stock(db, "TEE-1", ids["nord"], 10)
    return ids


def figures(db: Database, sku: str, code: str) -> tuple[int, int]:
    """(on hand, reserved) of a position; (0, 0) if it was never stocked."""
    query = (
        select(stock_position_table.c.on_hand, stock_position_table.c.reserved)
        .join(location_table, location_table.c.id == stock_position_table.c.location_id)
        .where(stock_position_table.c.sku == sku, location_table.c.code == code)
    )
    row = db.read(lambda c: c.execute(query).first())
    return (0, 0) if row is None else (row.on_hand, row.reserved)


def ledger_rows(db: Database, sku: str, code: str) -> list[dict[str, Any]]:
    query = (
        select(stock_movement_table)
        .join(stock_position_table, stock_position_table.c.id == stock_movement_table.c.position_id)
        .join(location_table, location_table.c.id == stock_position_table.c.location_id)
        .where(stock_position_table.c.sku == sku, location_table.c.code == code)
        .order_by(stock_movement_table.c.id)
    )
    return [dict(row._mapping) for row in db.read(lambda c: list(c.execute(query)))]


def reserve(db: Database, sku: str, code: str, quantity: int) -> None:
    """Reserves as sourcing does: a conditional update plus its ledger row."""

    def work(uow: UnitOfWork) -> None:
        position_id = uow.connection.execute(
            select(stock_position_table.c.id)
            .join(location_table, location_table.c.id == stock_position_table.c.location_id)
            .where(stock_position_table.c.sku == sku, location_table.c.code == code)
        ).scalar_one()
        assert stock.try_reserve(uow.connection, position_id, quantity, clock.now())
        movement = stock.Movement(position_id, stock.RESERVATION, 0, quantity)
        stock.record_movements(uow.connection, [movement], actor="test", now=clock.now())

    db.write(work)


def ledger_equals_positions(db: Database) -> list[str]:
    """Positions whose ledger does not sum to them (empty when invariant 3 holds)."""

    def work(connection: Any) -> list[str]:
        positions = {
            row.id: (row.on_hand, row.reserved)
            for row in connection.execute(select(stock_position_table))
        }
        sums = {
            row.position_id: (int(row.on_hand), int(row.reserved))
            for row in connection.execute(
                select(
                    stock_movement_table.c.position_id,
                    func.sum(stock_movement_table.c.on_hand_delta).label("on_hand"),
                    func.sum(stock_movement_table.c.reserved_delta).label("reserved"),
                ).group_by(stock_movement_table.c.position_id)
            )
        }
        return [
            f"position {pid}: {figures} but ledger {sums.get(pid, (0, 0))}"
            for pid, figures in positions.items()
            if sums.get(pid, (0, 0)) != figures
        ]

    return list(db.read(work))
