"""Click & collect at a store: the order is made ready with a pickup code, handed over at the
counter against that code, or — not collected in time — expires.

`mark_ready` is a transaction of its own (no stock moves, the order does not change).
`hand_over` and `expire` are steps of the business actions in
`orchestration/pickup_actions.py`, which lock the order first (README: Architecture); each
step locks its fulfilment order, then its pickup row. The pickup row is written at intake
(`register_pickups`) for each fulfilment order of an order the customer collects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, InvalidTransitionError
from ordnung.fulfillment import events, model, pickup_model, service
from ordnung.fulfillment.pickup_tables import pickup_table as pickup
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table
from ordnung.inventory.locations import location_names

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ReadyForPickup:
    id: int
    status: str
    pickup_code: str
    ready_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class HandedOver:
    """The units that left the store, by order line id; `is_repeat`: the same code was
    accepted before (a retried hand-over) and nothing moved this time."""

    fulfillment_order_id: int
    picked_up_at: datetime
    units_by_line_id: dict[int, int]
    is_repeat: bool


@dataclass(frozen=True, slots=True)
class CodeRefused:
    """A wrong code (counted) or a locked hand-over: the count is committed, then refused."""

    fulfillment_order_id: int
    wrong_codes: int
    locked_until: datetime | None


# -- intake --------------------------------------------------------------------------------


def register_pickups(uow: UnitOfWork, fos: Sequence[Row]) -> None:
    """Marks these just-released fulfilment orders as collected by the customer at their
    location (one statement for the batch)."""
    if not fos:
        return
    now = clock.now()
    uow.connection.execute(
        insert(pickup),
        [
            {
                "fulfillment_order_id": fo["id"],
                "order_id": fo["order_id"],
                "order_number": fo["order_number"],
                "location_id": fo["location_id"],
                "wrong_codes": 0,
                "created_at": now,
            }
            for fo in fos
        ],
    )


# -- ready for pickup ----------------------------------------------------------------------


def mark_ready(db: Database, fo_id: int, *, actor: str, days: int) -> ReadyForPickup:
    """The store has the goods at the counter: a pickup code is made, the customer is told
    (the event carries the code) and must collect within `days`. Asked again, it answers
    the code it made (a retry changes nothing)."""

    def work(uow: UnitOfWork) -> ReadyForPickup:
        now = clock.now()
        fo = service.load_locked(uow.connection, fo_id)
        row = _locked_pickup(uow.connection, fo_id)
        if fo["status"] == model.READY_FOR_PICKUP:
            return _ready_answer(fo_id, row)
        model.check_transition(fo["status"], model.READY_FOR_PICKUP)
        code = _unused_code(uow.connection, fo["location_id"])
        expires_at = pickup_model.expires_at(now, days)
        uow.connection.execute(
            update(pickup)
            .where(pickup.c.fulfillment_order_id == fo_id)
            .values(code=code, ready_at=now, expires_at=expires_at, wrong_codes=0)
        )
        event = events.FulfillmentOrderReadyForPickup(
            fo["status"], model.READY_FOR_PICKUP, fo["location_id"], code, expires_at
        )
        service.transition(uow, fo, event)
        return ReadyForPickup(fo_id, model.READY_FOR_PICKUP, code, now, expires_at)

    return db.write(work, actor=actor)


def _ready_answer(fo_id: int, row: Row) -> ReadyForPickup:
    return ReadyForPickup(
        fo_id, model.READY_FOR_PICKUP, row["code"], row["ready_at"], row["expires_at"]
    )


def _unused_code(connection: Connection, location_id: int) -> str:
    """A code no other fulfilment order of this store has (the unique index backs it up)."""
    for _attempt in range(5):
        code = pickup_model.new_code()
        taken = connection.execute(
            select(pickup.c.id).where(pickup.c.location_id == location_id, pickup.c.code == code)
        ).first()
        if taken is None:
            return code
    raise ConflictError("No unused pickup code found; try again.")  # 1.5 × 10^11 codes


# -- hand-over at the counter --------------------------------------------------------------


def hand_over(uow: UnitOfWork, fo_id: int, typed: str) -> HandedOver | CodeRefused:
    """Checks the code the customer shows; the right one books every unit out of the
    store's stock (as a shipment does) and the fulfilment order is picked up. The same code
    again after that answers the same, moving nothing. The caller has locked the order."""
    now = clock.now()
    code = pickup_model.normalise_code(typed)
    fo = service.load_locked(uow.connection, fo_id)
    row = _locked_pickup(uow.connection, fo_id)
    if fo["status"] == model.PICKED_UP and row["code"] == code:
        return HandedOver(fo_id, row["picked_up_at"], {}, is_repeat=True)
    if fo["status"] != model.READY_FOR_PICKUP:
        raise InvalidTransitionError(
            f"Fulfilment order {fo_id} is {fo['status']}, not ready for pickup.",
            current_status=fo["status"],
        )
    verdict = pickup_model.check_code(
        row["code"], code, row["wrong_codes"], row["locked_until"], now
    )
    if not verdict.is_right:
        uow.connection.execute(
            update(pickup)
            .where(pickup.c.fulfillment_order_id == fo_id)
            .values(wrong_codes=verdict.wrong_codes, locked_until=verdict.locked_until)
        )
        return CodeRefused(fo_id, verdict.wrong_codes, verdict.locked_until)
    lines = service.book_out(uow, fo, now)
    event = events.FulfillmentOrderPickedUp(fo["status"], model.PICKED_UP, fo["location_id"])
    service.transition(uow, fo, event)
    uow.connection.execute(
        update(pickup)
        .where(pickup.c.fulfillment_order_id == fo_id)
        .values(picked_up_at=now, picked_up_by=uow.actor, wrong_codes=0, locked_until=None)
    )
    return HandedOver(fo_id, now, service.units_by_line(lines), is_repeat=False)


# -- not collected -------------------------------------------------------------------------


def due_for_expiry(db: Database, *, limit: int = 100) -> list[int]:
    """Fulfilment orders ready for pickup past their deadline, oldest deadline first."""

    def read(connection: Connection) -> list[int]:
        rows = connection.execute(
            select(pickup.c.fulfillment_order_id)
            .join(fo_table, fo_table.c.id == pickup.c.fulfillment_order_id)
            .where(
                pickup.c.expires_at <= clock.now(),
                fo_table.c.status == model.READY_FOR_PICKUP,
            )
            .order_by(pickup.c.expires_at, pickup.c.id)
            .limit(limit)
        ).scalars()
        return [int(fo_id) for fo_id in rows]

    return db.read(read)


def expire(uow: UnitOfWork, fo_id: int) -> bool:
    """Marks an uncollected fulfilment order expired and tells the customer (event); the
    caller then cancels the order, which cancels the fulfilment order and gives its stock
    back. False (nothing done) if it is no longer due: collected meanwhile, or another
    worker expired it first (compare-and-set on the pickup row)."""
    now = clock.now()
    fo = service.load_locked(uow.connection, fo_id)
    row = _locked_pickup(uow.connection, fo_id)
    if fo["status"] != model.READY_FOR_PICKUP or row["expires_at"] > now:
        return False
    moved = uow.connection.execute(
        update(pickup)
        .where(
            pickup.c.fulfillment_order_id == fo_id,
            pickup.c.expired_at.is_(None),
            pickup.c.picked_up_at.is_(None),
        )
        .values(expired_at=now)
    ).rowcount
    if moved != 1:
        return False
    event = events.FulfillmentOrderPickupExpired(
        fo["location_id"], row["ready_at"], row["expires_at"]
    )
    uow.record(event, aggregate_id=fo_id, order_id=fo["order_id"])
    return True


# -- reads ---------------------------------------------------------------------------------


def pickup_of(db: Database, fo_id: int) -> Row | None:
    """The fulfilment order's pickup (code, dates, tries), None if it is not click & collect."""

    def read(connection: Connection) -> Row | None:
        found = connection.execute(
            select(pickup).where(pickup.c.fulfillment_order_id == fo_id)
        ).first()
        return None if found is None else dict(found._mapping)

    return db.read(read)


def pickup_fulfillment_order_ids(db: Database, fo_ids: Sequence[int]) -> set[int]:
    """Which of these fulfilment orders the customer collects."""
    if not fo_ids:
        return set()

    def read(connection: Connection) -> set[int]:
        rows = connection.execute(
            select(pickup.c.fulfillment_order_id).where(
                pickup.c.fulfillment_order_id.in_(sorted(fo_ids))
            )
        ).scalars()
        return {int(fo_id) for fo_id in rows}

    return db.read(read)


def counter_list(db: Database, location_id: int | None, *, limit: int = 200) -> list[Row]:
    """A store's click & collect work (every store's for `None`): still to make ready, and
    ready at the counter, oldest first — with the location's code and name."""
    open_statuses = (*sorted(model.OPEN_STATUSES),)

    def read(connection: Connection) -> list[Row]:
        query = (
            select(
                pickup.c.fulfillment_order_id.label("id"),
                pickup.c.order_id,
                pickup.c.order_number,
                pickup.c.location_id,
                pickup.c.ready_at,
                pickup.c.expires_at,
                pickup.c.wrong_codes,
                pickup.c.locked_until,
                pickup.c.created_at,
                fo_table.c.status,
            )
            .join(fo_table, fo_table.c.id == pickup.c.fulfillment_order_id)
            .where(fo_table.c.status.in_(open_statuses))
            .order_by(pickup.c.created_at, pickup.c.id)
            .limit(limit)
        )
        if location_id is not None:
            query = query.where(pickup.c.location_id == location_id)
        rows = [dict(row._mapping) for row in connection.execute(query)]
        names = location_names(connection, {row["location_id"] for row in rows})
        return [row | {"location": names[row["location_id"]]} for row in rows]

    return db.read(read)


def _locked_pickup(connection: Connection, fo_id: int) -> Row:
    found = connection.execute(
        select(pickup).where(pickup.c.fulfillment_order_id == fo_id).with_for_update()
    ).first()
    if found is None:
        raise ConflictError(
            f"Fulfilment order {fo_id} is not a click & collect order.", field="fulfillment_order"
        )
    return dict(found._mapping)
