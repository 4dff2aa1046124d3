"""Two demo orders where fulfilment did not go to plan: one cancelled while its warehouse was
already picking (the cancellation request waits for the warehouse), one where the warehouse
found a unit missing (the short-pick marker waits for an agent)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ordnung.core.db import Database
from ordnung.demo.progress import ACTOR, clock_at
from ordnung.fulfillment.model import MissingUnits
from ordnung.fulfillment.service import accept_fulfillment_order, start_picking
from ordnung.orchestration.exception_actions import report_short_pick
from ordnung.orchestration.order_actions import cancel_order
from ordnung.orders import model
from ordnung.orders.queries import OrderFilter, get_order, list_orders


def stage_fulfilment_exceptions(db: Database, now: datetime) -> int:
    """Returns how many of the two it could stage (it needs two allocated, unshipped orders
    with one fulfilment order each)."""
    candidates = _allocated_single_location_orders(db)
    staged = 0
    if candidates:
        order, fo = candidates.pop(0)
        with clock_at(now - timedelta(minutes=50)):
            accept_fulfillment_order(db, fo["id"], actor="location:lager")
            start_picking(db, fo["id"], actor="location:lager")
        with clock_at(now - timedelta(minutes=20)):
            cancel_order(db, order["id"], reason="Kunde hat doppelt bestellt", actor=ACTOR)
        staged += 1
    if candidates:
        order, fo = candidates.pop(0)
        with clock_at(now - timedelta(minutes=30)):
            accept_fulfillment_order(db, fo["id"], actor="location:lager")
            missing = [MissingUnits(fo["lines"][0]["id"], 1)]
            report_short_pick(db, fo["id"], missing, note="Fach leer", actor="location:lager")
        staged += 1
    return staged


def _allocated_single_location_orders(db: Database) -> list[tuple[dict[str, Any], Any]]:
    page = list_orders(db, OrderFilter(status=model.ALLOCATED), None, 40)
    found = []
    for item in page["items"]:
        order = get_order(db, item["id"])
        released = [fo for fo in order["fulfillment_orders"] if fo["status"] == "released"]
        if len(order["fulfillment_orders"]) == 1 and released:
            found.append((order, released[0]))
        if len(found) == 2:
            break
    return found
