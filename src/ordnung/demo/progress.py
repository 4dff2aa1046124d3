"""Moves placed demo orders along, as the warehouses and customers would have by now.

Older orders are mostly shipped; some were split and only partly shipped, some were rejected by
a location (and sourced again elsewhere), a few were cancelled; the newest still wait. Each
step runs through the fulfilment and order services with the clock set to when it happened.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from ordnung.core.clock import FixedClock, use_clock
from ordnung.core.db import Database
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.orchestration.fulfillment_actions import (
    reject_fulfillment_order,
    ship_fulfillment_order,
)
from ordnung.orchestration.order_actions import cancel_order
from ordnung.orders import model
from ordnung.orders.changes import CancelReason
from ordnung.orders.queries import get_order

ACTOR = "demo"
_CANCEL_SHARE = 0.05
_REJECT_SHARE = 0.06
_PARTIAL_SHARE = 0.10
# Orders younger than a day are still being picked; until a few days old, many still wait.
_PICKING_TIME = timedelta(days=1)
_SLOW_PICKING_TIME = timedelta(days=5)
_CARRIERS_BY_LOCATION = {"lager-nord": "dhl", "lager-sued": "dpd", "filiale-koeln": "hermes"}
_SERVICES = {"dhl": "Paket", "dpd": "Classic", "hermes": "Standard"}
_REJECT_REASONS = (
    "Artikel beim Kommissionieren beschädigt",
    "Bestand im Regal nicht auffindbar",
    "Filiale hat den Artikel an der Kasse verkauft",
)


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Everything inside happens at `moment` (timestamps, events, ledger rows)."""
    previous = use_clock(FixedClock(moment))
    try:
        yield
    finally:
        use_clock(previous)


def progress_order(db: Database, detail: dict[str, Any], now: datetime, rng: random.Random) -> None:
    placed_at = datetime.fromisoformat(detail["placed_at"])
    age = now - placed_at
    roll = rng.random()
    if detail["status"] in (model.ON_HOLD, model.CANCELLED):
        return  # holds wait for a person to look at them
    if roll < _CANCEL_SHARE:
        with clock_at(placed_at + age * rng.uniform(0.05, 0.5)):
            why = CancelReason("customer_request", "Kunde hat storniert")
            cancel_order(db, detail["id"], reason=why, actor=ACTOR)
        return
    if age < _PICKING_TIME or (age < _SLOW_PICKING_TIME and rng.random() < 0.6):
        return
    if detail["status"] == model.BACKORDERED and roll < 0.5:
        return  # still waiting for the sold-out article; nothing shipped yet
    shipped_at = placed_at + timedelta(hours=rng.uniform(3, 40))
    if roll < _CANCEL_SHARE + _REJECT_SHARE:
        detail = _reject_one(db, detail, placed_at + timedelta(hours=rng.uniform(1, 3)), rng)
    open_ids = _open_fulfillment_order_ids(detail)
    if len(open_ids) > 1 and roll > 1 - _PARTIAL_SHARE:
        open_ids = open_ids[:1]  # the second location has not shipped yet
    for fo_id, location_code in open_ids:
        with clock_at(shipped_at):
            _ship(db, fo_id, location_code, rng)


def _open_fulfillment_order_ids(detail: dict[str, Any]) -> list[tuple[int, str]]:
    return [
        (fo["id"], fo["location"]["code"])
        for fo in detail["fulfillment_orders"]
        if fo["status"] == "released"
    ]


def _reject_one(
    db: Database, detail: dict[str, Any], moment: datetime, rng: random.Random
) -> dict[str, Any]:
    """A location turns its part down; the service sources it again elsewhere."""
    open_ids = _open_fulfillment_order_ids(detail)
    if not open_ids:
        return detail
    # Stores reject most often: their shelf stock is also sold over the counter.
    fo_id = max(open_ids, key=lambda item: item[1] == "filiale-koeln")[0]
    with clock_at(moment):
        reject_fulfillment_order(db, fo_id, reason=rng.choice(_REJECT_REASONS), actor=ACTOR)
    return load_detail(db, detail["id"])


def _ship(db: Database, fo_id: int, location_code: str, rng: random.Random) -> None:
    carrier = _CARRIERS_BY_LOCATION.get(location_code, "dhl")
    if rng.random() < 0.15:
        carrier = rng.choice(("dhl", "dpd", "hermes"))
    shipment = ShipmentDraft(carrier, tracking_number(carrier, rng), _SERVICES[carrier])
    ship_fulfillment_order(db, fo_id, shipment, actor=ACTOR)


def tracking_number(carrier: str, rng: random.Random) -> str:
    """Numbers shaped like the carrier's own (DHL 20 digits, DPD 14, Hermes 'H' + 19)."""
    if carrier == "dhl":
        return "00340434" + "".join(rng.choices("0123456789", k=12))
    if carrier == "dpd":
        return "0" + "".join(rng.choices("0123456789", k=13))
    return "H" + "".join(rng.choices("0123456789", k=19))


def load_detail(db: Database, order_id: int) -> dict[str, Any]:
    return get_order(db, order_id)
