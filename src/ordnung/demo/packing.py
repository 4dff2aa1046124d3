"""Packages at Lager Süd, so the packing bench and the order page have something to show:
one fulfilment order packed into two packages with the first already shipped (a partial
shipment), one packed whole and waiting for the carrier."""

from __future__ import annotations

from datetime import datetime, timedelta

from ordnung.core.db import Database
from ordnung.demo.progress import clock_at
from ordnung.fulfillment import package_queries, packages
from ordnung.fulfillment.package_model import Measures, PackedUnits, Packing
from ordnung.fulfillment.queries import list_fulfillment_orders
from ordnung.fulfillment.service import ShipmentDraft, accept_fulfillment_order
from ordnung.orchestration.package_actions import ship_package

ACTOR = "location:lager-sued"
LOCATION = "lager-sued"


def stage_packing(db: Database, now: datetime) -> list[str]:
    """Packs two released fulfilment orders of Lager Süd; answers the package numbers."""
    work = list_fulfillment_orders(
        db, location_code=LOCATION, status="released", cursor=None, limit=2
    )["items"]
    numbers: list[str] = []
    with clock_at(now - timedelta(minutes=40)):
        for index, fo in enumerate(work):
            accept_fulfillment_order(db, fo["id"], actor=ACTOR)
            numbers += _pack_in_two(db, fo["id"], split=index == 0)
    if work and numbers:
        first = package_queries.packing_state(db, work[0]["id"])["packages"][0]
        with clock_at(now - timedelta(minutes=20)):
            draft = ShipmentDraft("dhl", f"JJD00{first['id']:012d}", "Paket")
            ship_package(db, first["id"], draft, actor=ACTOR)
    return numbers


def _pack_in_two(db: Database, fo_id: int, *, split: bool) -> list[str]:
    """Every unit into packages: the first line alone and the rest in a second box when
    `split` and there is a rest; otherwise one box."""
    lines = [
        PackedUnits(line["id"], line["unpacked_quantity"])
        for line in package_queries.packing_state(db, fo_id)["lines"]
        if line["unpacked_quantity"]
    ]
    if not lines:
        return []
    boxes = [lines[:1], lines[1:]] if split and len(lines) > 1 else [lines]
    numbers = []
    for box_index, box in enumerate(boxes):
        measures = Measures("parcel_m" if box_index == 0 else "parcel_s", 1200 - 400 * box_index)
        numbers.append(packages.pack(db, fo_id, Packing(box, measures), actor=ACTOR).number)
    return numbers
