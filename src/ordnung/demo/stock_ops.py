"""Stock operations in the demo: transfers (one received by the Cologne store, one on its
way to the south warehouse and partly unloaded, one called off), a write-off and a customer
return, and two stock imports with their reconciliation — a delta from the store's till and a
snapshot from the south warehouse's WMS with lines that need attention."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ordnung.core.db import Database
from ordnung.core.errors import OrdnungError
from ordnung.demo.progress import clock_at
from ordnung.inventory.bookings import StockBooking
from ordnung.inventory.operations import TransferDraft, TransferLine, TransferReceipt
from ordnung.inventory.service import list_stock
from ordnung.inventory.stock_sync import DELTA, SNAPSHOT, SyncBatch, SyncLine
from ordnung.orchestration.stock_operations import (
    book_stock,
    cancel_transfer,
    import_stock,
    receive_transfer,
    send_transfer,
)

WAREHOUSE = "staff:lager@ordnung.example"
STORE = "staff:filiale-koeln@ordnung.example"


def _free_at(db: Database, location: str, least: int) -> list[dict[str, Any]]:
    """Positions with at least `least` units no order holds, by SKU."""
    items = list_stock(db, location_code=location, limit=200)["items"]
    return sorted(
        (item for item in items if item["on_hand"] - item["reserved"] >= least),
        key=lambda item: item["sku"],
    )


def stage_stock_operations(db: Database, now: datetime) -> int:
    """Returns how many operations it booked (each is skipped if the stock does not allow)."""
    booked = 0
    for step in (_store_replenishment, _rebalance_in_transit, _cancelled, _losses, _imports):
        try:
            booked += step(db, now)
        except OrdnungError:
            continue  # a demo shop with other stock: leave this one out
    return booked


def _send(db: Database, draft: TransferDraft, at: datetime) -> int:
    with clock_at(at):
        return send_transfer(db, draft, actor=WAREHOUSE).transfer_id


def _store_replenishment(db: Database, now: datetime) -> int:
    lines = tuple(TransferLine(item["sku"], 4) for item in _free_at(db, "lager-nord", 10)[:3])
    draft = TransferDraft(
        "lager-nord", "filiale-koeln", lines, "store_replenishment", "KW-Lieferung"
    )
    transfer_id = _send(db, draft, now - timedelta(days=3, hours=5))
    with clock_at(now - timedelta(days=2, hours=22)):
        receipt = TransferReceipt({line.sku: line.quantity for line in lines}, "vollständig")
        receive_transfer(db, transfer_id, receipt, actor=STORE)
    return 1


def _rebalance_in_transit(db: Database, now: datetime) -> int:
    lines = tuple(TransferLine(item["sku"], 6) for item in _free_at(db, "lager-nord", 12)[3:6])
    draft = TransferDraft(
        "lager-nord", "lager-sued", lines, "rebalance", "Spedition Nord, 2 Paletten"
    )
    transfer_id = _send(db, draft, now - timedelta(hours=20))
    with clock_at(now - timedelta(hours=2)):
        receipt = TransferReceipt({lines[0].sku: 6}, "erste Palette entladen")
        receive_transfer(db, transfer_id, receipt, actor="staff:lager-sued@ordnung.example")
    return 1


def _cancelled(db: Database, now: datetime) -> int:
    lines = tuple(TransferLine(item["sku"], 2) for item in _free_at(db, "lager-sued", 4)[:1])
    draft = TransferDraft("lager-sued", "filiale-koeln", lines, "store_replenishment")
    transfer_id = _send(db, draft, now - timedelta(days=1, hours=3))
    with clock_at(now - timedelta(days=1)):
        cancel_transfer(db, transfer_id, note="Fahrzeug ausgefallen", actor=WAREHOUSE)
    return 1


def _losses(db: Database, now: datetime) -> int:
    damaged = _free_at(db, "lager-sued", 3)[1]
    with clock_at(now - timedelta(hours=30)):
        booking = StockBooking("write_off", 1, "damaged", "Karton beim Staplerverkehr beschädigt")
        book_stock(db, damaged["sku"], "lager-sued", booking, actor=WAREHOUSE)
    returned = _free_at(db, "lager-nord", 1)[-1]
    with clock_at(now - timedelta(hours=6)):
        booking = StockBooking("return", 1, "customer_return", "Retoure geprüft, originalverpackt")
        book_stock(db, returned["sku"], "lager-nord", booking, actor=WAREHOUSE)
    return 2


def _imports(db: Database, now: datetime) -> int:
    store = list_stock(db, location_code="filiale-koeln", limit=200)["items"]
    sold = [SyncLine(i + 2, item["sku"], "filiale-koeln", -1) for i, item in enumerate(store[:4])]
    sold.append(SyncLine(len(sold) + 2, "GUTSCHEIN-25", "filiale-koeln", -1))  # not a product
    with clock_at(now - timedelta(hours=4)):
        import_stock(db, SyncBatch("Kasse Filiale Köln", DELTA, sold), actor="api:kasse-koeln")
    south = list_stock(db, location_code="lager-sued", limit=200)["items"]
    counted: list[SyncLine] = []
    is_short_shown = False
    for index, item in enumerate(south):
        quantity = item["on_hand"] + (-1 if index % 7 == 3 else 1 if index % 11 == 5 else 0)
        if item["reserved"] and not is_short_shown:
            quantity = item["reserved"] - 1  # the WMS has not seen the orders' picks yet
            is_short_shown = True
        counted.append(SyncLine(index + 2, item["sku"], "lager-sued", max(0, quantity)))
    counted.append(SyncLine(len(counted) + 2, "ALT-0815", "lager-sued", 3))  # an old article
    with clock_at(now - timedelta(hours=1)):
        import_stock(db, SyncBatch("WMS Lager Süd", SNAPSHOT, counted), actor="api:wms-sued")
    return 2
