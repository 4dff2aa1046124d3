"""Bins for the demo warehouses' products and one open pick wave at Lager Nord, partly
picked, so the Pickwellen page and its pick list have something to show."""

from __future__ import annotations

from datetime import datetime, timedelta

from ordnung.core.db import Database
from ordnung.demo.catalogue import PRODUCTS
from ordnung.demo.progress import clock_at
from ordnung.fulfillment import waves
from ordnung.fulfillment.queries import list_fulfillment_orders
from ordnung.inventory.bins import BinChange, set_bins

WAREHOUSES = ("lager-nord", "lager-sued")
WAVE_SIZE = 3
ACTOR = "location:lager"


def demo_bin(index: int, warehouse: int) -> str:
    """Aisle, shelf and level, e.g. "A-03-2": six shelves a row, three levels a shelf."""
    aisle = "ABCDEFGH"[(index // 18 + warehouse) % 8]
    return f"{aisle}-{index // 3 % 6 + 1:02d}-{index % 3 + 1}"


def stage_pick_waves(db: Database, now: datetime) -> str | None:
    """Gives every demo product a bin in both warehouses but the last one (it shows as "no
    bin"), then builds one wave of Lager Nord's released work and picks its first row.
    Returns the wave's number, None when there was no work to batch."""
    with clock_at(now - timedelta(minutes=15)):
        for warehouse, code in enumerate(WAREHOUSES):
            changes = [
                BinChange(product.sku, demo_bin(index, warehouse))
                for index, product in enumerate(PRODUCTS[:-1])
            ]
            set_bins(db, code, changes, actor=ACTOR)
    work = list_fulfillment_orders(
        db, location_code="lager-nord", status="released", cursor=None, limit=WAVE_SIZE
    )["items"]
    if not work:
        return None
    with clock_at(now - timedelta(minutes=10)):
        created = waves.create_wave(db, "lager-nord", [fo["id"] for fo in work], actor=ACTOR)
        first = waves.get_wave(db, ("lager-nord", created.id))["rows"][0]
        waves.record_picks(
            db, ("lager-nord", created.id), waves.Pick(first["sku"], first["quantity"]), actor=ACTOR
        )
    return created.number
