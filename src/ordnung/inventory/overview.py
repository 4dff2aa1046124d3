"""Read-only stock overview for the back office: SKU × location with every stock figure.

Pages are keyed by SKU (`after`), not by offset, so a page stays cheap however deep one goes
and rows do not shift when stock positions are added while someone is paging.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.engine import Connection

from ordnung.catalog.tables import product_table
from ordnung.core.db import Database
from ordnung.inventory.tables import location_table, stock_position_table

position = stock_position_table


@dataclass(frozen=True, slots=True)
class StockFilter:
    q: str | None = None  # part of a SKU or product name, case-insensitive
    location_id: int | None = None


@dataclass(frozen=True, slots=True)
class LocationColumn:
    id: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class StockFigures:
    on_hand: int = 0
    reserved: int = 0
    safety_stock: int = 0

    @property
    def available(self) -> int:
        # Safety stock may exceed what is free; availability then is zero, never negative.
        return max(self.on_hand - self.reserved - self.safety_stock, 0)


@dataclass(frozen=True, slots=True)
class StockTotal:
    """A SKU over all shown locations. `available` is the sum of each location's available,
    not on_hand − reserved − safety of the sums: safety stock protects each location on its
    own, so one location's surplus cannot cover another's shortfall."""

    on_hand: int
    reserved: int
    safety_stock: int
    available: int


@dataclass(frozen=True, slots=True)
class StockRow:
    sku: str
    name: str
    cells: dict[int, StockFigures] = field(default_factory=dict)  # by location id

    @property
    def total(self) -> StockTotal:
        cells = self.cells.values()
        return StockTotal(
            on_hand=sum(cell.on_hand for cell in cells),
            reserved=sum(cell.reserved for cell in cells),
            safety_stock=sum(cell.safety_stock for cell in cells),
            available=sum(cell.available for cell in cells),
        )


@dataclass(frozen=True, slots=True)
class StockOverview:
    locations: list[LocationColumn]  # every location, for the filter
    columns: list[LocationColumn]  # the locations shown as columns (all, or the filtered one)
    rows: list[StockRow]
    next_after: str | None  # pass as `after` for the next page; None on the last page


def stock_overview(
    db: Database, filters: StockFilter, after: str | None = None, limit: int = 50
) -> StockOverview:
    """One page of SKUs (sorted by SKU) with their stock per location."""
    return db.read(lambda connection: _overview(connection, filters, after, limit))


def _overview(
    connection: Connection, filters: StockFilter, after: str | None, limit: int
) -> StockOverview:
    locations = _locations(connection)
    columns = [loc for loc in locations if filters.location_id in (None, loc.id)]
    skus = list(connection.execute(_sku_page(filters, after, limit + 1)).all())
    has_more = len(skus) > limit
    skus = skus[:limit]
    rows = {row.sku: StockRow(row.sku, row.name or "") for row in skus}
    for cell in connection.execute(_positions(list(rows), filters.location_id)):
        rows[cell.sku].cells[cell.location_id] = StockFigures(
            cell.on_hand, cell.reserved, cell.safety_stock
        )
    next_after = skus[-1].sku if has_more and skus else None
    return StockOverview(locations, columns, list(rows.values()), next_after)


def _locations(connection: Connection) -> list[LocationColumn]:
    rows = connection.execute(
        select(location_table.c.id, location_table.c.code, location_table.c.name).order_by(
            location_table.c.priority, location_table.c.code
        )
    )
    return [LocationColumn(row.id, row.code, row.name) for row in rows]


def _sku_page(filters: StockFilter, after: str | None, limit: int) -> Select[Any]:
    query = (
        select(position.c.sku, func.max(product_table.c.name).label("name"))
        .outerjoin(product_table, product_table.c.sku == position.c.sku)
        .group_by(position.c.sku)
        .order_by(position.c.sku)
        .limit(limit)
    )
    if filters.q and filters.q.strip():
        pattern = "%" + _escape_like(filters.q.strip().lower()) + "%"
        query = query.where(
            or_(
                func.lower(position.c.sku).like(pattern, escape="\\"),
                func.lower(product_table.c.name).like(pattern, escape="\\"),
            )
        )
    if filters.location_id is not None:
        query = query.where(position.c.location_id == filters.location_id)
    if after is not None:
        query = query.where(position.c.sku > after)
    return query


def _positions(skus: list[str], location_id: int | None) -> Select[Any]:
    query = select(
        position.c.sku,
        position.c.location_id,
        position.c.on_hand,
        position.c.reserved,
        position.c.safety_stock,
    ).where(position.c.sku.in_(skus))
    if location_id is not None:
        query = query.where(position.c.location_id == location_id)
    return query


def _escape_like(text: str) -> str:
    """User text is matched literally: `%` and `_` are not wildcards here."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
