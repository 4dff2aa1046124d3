"""Two parcels the carrier brought back to Lager Nord: one refused and still waiting in the
location's queue ("Rücksendungen an Absender"), one processed — restocked, and a unit written
off when it held more than one — so the queue tab, the parcel screen and the order page's box
have something to show."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ordnung.core.db import Database
from ordnung.demo.progress import clock_at
from ordnung.fulfillment import returned_parcel_model as rules
from ordnung.fulfillment.returned_parcel_queries import get_returned_parcel
from ordnung.fulfillment.returned_parcels import ParcelReturn, record_returned_to_sender
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table
from ordnung.fulfillment.tables import shipment_table
from ordnung.inventory.locations import location_id_for_code
from ordnung.orchestration.returned_parcel_actions import (
    ParcelSettlement,
    process_returned_parcel,
)

ACTOR = "location:lager"
LOCATION = "lager-nord"
RETURNS = (
    ParcelReturn("refused", "Annahme verweigert"),
    ParcelReturn("address_unknown", "Empfänger unter der Anschrift nicht zu ermitteln"),
)


def stage_returned_parcels(db: Database, now: datetime) -> int:
    """Records the two newest shipments of Lager Nord still on their way as returned to
    sender and processes the second. Returns how many parcels came back."""
    shipment_ids = _shipments_on_their_way(db)
    for index, (shipment_id, parcel_return) in enumerate(zip(shipment_ids, RETURNS, strict=False)):
        with clock_at(now - timedelta(hours=3 - index)):
            recorded = record_returned_to_sender(db, shipment_id, parcel_return, actor=ACTOR)
        if index == 1:
            with clock_at(now - timedelta(minutes=30)):
                _process(db, recorded.returned_parcel_id)
    return len(shipment_ids)


def _shipments_on_their_way(db: Database) -> list[int]:
    def read(connection: Connection) -> list[int]:
        location_id = location_id_for_code(connection, LOCATION)
        rows = connection.execute(
            select(shipment_table.c.id)
            .join(fo_table, fo_table.c.id == shipment_table.c.fulfillment_order_id)
            .where(fo_table.c.location_id == location_id, shipment_table.c.status == "shipped")
            .order_by(shipment_table.c.id.desc())
            .limit(len(RETURNS))
        ).scalars()
        return [int(value) for value in rows]

    return db.read(read)


def _process(db: Database, parcel_id: int) -> None:
    parcel = get_returned_parcel(db, parcel_id)
    lines = []
    for index, line in enumerate(parcel["lines"]):
        written_off = 1 if index == 0 and line["units"] > 1 else 0
        lines.append(rules.LineSettlement(line["id"], line["units"] - written_off, written_off))
    settlement = ParcelSettlement(lines, "damaged", "Karton eingedrückt")
    process_returned_parcel(db, parcel_id, settlement, actor=ACTOR)
