"""Drop-ship: a fulfilment order released to a supplier's drop-ship location becomes a
drop-ship purchase order, and what the supplier answers moves both. One transaction each.

The purchase order is made by a reaction to `fulfillment_order.released`
(`automation/reactions.py`), in the worker's transaction that marks the event dispatched: it
happens exactly when the event is dispatched, so it is never lost and never made twice (and
the unique `purchase_order.fulfillment_order_id` makes a second one impossible). Making it in
the release transaction instead would put purchasing on the intake hot path and into every
path that releases work (intake, re-sourcing, backorders, short picks).

The supplier's confirm, ship and reject lock the order and the fulfilment order first through
the fulfilment steps (the system's lock order), then change the purchase order by
compare-and-set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ordnung.core.db import Database, UnitOfWork
from ordnung.core.idempotency import IdempotentRequest
from ordnung.fulfillment import model as fulfillment_model
from ordnung.fulfillment import service as fulfillment
from ordnung.fulfillment.queries import fulfillment_order_in, last_tracking, location_id_of
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.orchestration.fulfillment_actions import reject_in, ship_in
from ordnung.orders.model import Order
from ordnung.orders.repository import load_order
from ordnung.purchasing import dropship
from ordnung.purchasing import model as purchasing_model
from ordnung.purchasing.model import DropshipUnits, ShipTo

# A drop-ship purchase order is made only for work the supplier has not started on.
_DROPSHIP_START_STATUSES = frozenset({fulfillment_model.RELEASED, fulfillment_model.ACCEPTED})
WITHDRAWN_REASON = "The fulfilment order was withdrawn (order cancelled or sourced elsewhere)."


@dataclass(frozen=True, slots=True)
class DropshipAnswer:
    """The purchase order after the supplier's step, and the order's status."""

    purchase_order: dict[str, Any]
    order_status: str | None = None


def ship_to_of(order: Order) -> ShipTo:
    address = order.shipping_address
    return ShipTo(
        name=f"{address.first_name} {address.last_name}".strip(),
        company=address.company,
        street=address.street,
        street2=address.street2,
        postal_code=address.postal_code,
        city=address.city,
        country=address.country,
        email=order.email,
        phone=address.phone,
    )


def open_dropship_purchase_order(
    uow: UnitOfWork, fo_id: int, dropship_locations: frozenset[int] | None = None
) -> str | None:
    """The drop-ship purchase order for a fulfilment order released to a supplier's
    drop-ship location (`dropship_locations`: those locations, when the caller read them
    already); None for any other location, if it exists already, or when the fulfilment
    order is no longer waiting (shipped, rejected or cancelled before the worker got to it)."""
    connection = uow.connection
    if dropship_locations is None:
        dropship_locations = dropship.dropship_location_ids(connection)
    location_id = location_id_of(connection, fo_id)
    if location_id not in dropship_locations:
        return None
    if dropship.dropship_order_for(connection, fo_id) is not None:
        return None
    fo = fulfillment_order_in(connection, fo_id)
    if fo["status"] not in _DROPSHIP_START_STATUSES:
        return None
    order = load_order(connection, fo["order_id"])
    units = [
        DropshipUnits(line["sku"], line["quantity"] - line["shipped_quantity"])
        for line in fo["lines"]
        if line["quantity"] > line["shipped_quantity"]
    ]
    request = dropship.DropshipRequest(
        fulfillment_order_id=fo_id,
        order_id=fo["order_id"],
        order_number=fo["order_number"],
        location_id=location_id,
        units=units,
        ship_to=ship_to_of(order),
    )
    return dropship.open_dropship_order(uow, request)


def withdraw_dropship_purchase_order(uow: UnitOfWork, fo_id: int) -> None:
    """The fulfilment order was cancelled or rejected some other way (an order cancel, a
    person at the back office): an open drop-ship purchase order for it is cancelled."""
    found = dropship.dropship_order_for(uow.connection, fo_id)
    if found is not None and found.status in purchasing_model.OPEN_DROPSHIP_STATUSES:
        dropship.cancel_dropship(uow, found, WITHDRAWN_REASON)


def follow_shipped_fulfillment_order(uow: UnitOfWork, fo_id: int) -> None:
    """The fulfilment order was shipped past the supplier route (with the location's key on
    `/fulfillment-orders/{id}/ship`, or by a person): its open drop-ship purchase order
    becomes shipped with the same carrier and tracking number."""
    found = dropship.dropship_order_for(uow.connection, fo_id)
    if found is None or found.status not in purchasing_model.OPEN_DROPSHIP_STATUSES:
        return
    tracking = last_tracking(uow.connection, fo_id)
    if tracking is not None:
        dropship.ship_dropship(uow, found, *tracking)


def confirm_dropship_order(
    db: Database,
    number: str,
    *,
    expected_ship_on: date | None,
    location_id: int | None,
    actor: str,
    idempotency: IdempotentRequest[DropshipAnswer] | None = None,
) -> DropshipAnswer:
    """The supplier will ship: the purchase order is confirmed and its fulfilment order
    accepted (it was released)."""

    def work(uow: UnitOfWork) -> DropshipAnswer:
        found = dropship.dropship_order(uow.connection, number, only_location_id=location_id)
        fo = fulfillment_order_in(uow.connection, found.fulfillment_order_id)
        if fo["status"] == fulfillment_model.RELEASED:
            fulfillment.accept(uow, found.fulfillment_order_id)
        dropship.confirm_dropship(uow, found, expected_ship_on)
        return DropshipAnswer(dropship.dropship_details(uow.connection, number))

    return db.write(work, actor=actor, idempotency=idempotency)


def ship_dropship_order(
    db: Database,
    number: str,
    shipment: ShipmentDraft,
    *,
    location_id: int | None,
    actor: str,
    idempotency: IdempotentRequest[DropshipAnswer] | None = None,
) -> DropshipAnswer:
    """The supplier sent the parcel: the fulfilment order ships through the fulfilment
    service (the supplier's stock leaves, a shipment with tracking is recorded, the order
    becomes shipped) and the purchase order becomes shipped."""

    def work(uow: UnitOfWork) -> DropshipAnswer:
        found = dropship.dropship_order(uow.connection, number, only_location_id=location_id)
        # Refused before any stock moves: a cancelled or shipped one answers 409.
        purchasing_model.check_transition(
            found.status, purchasing_model.SHIPPED, purchasing_model.DROPSHIP
        )
        purchasing_model.check_shipping(shipment.carrier, shipment.tracking_number)
        shipped = ship_in(uow, found.fulfillment_order_id, shipment)
        dropship.ship_dropship(uow, found, shipment.carrier, shipment.tracking_number)
        detail = dropship.dropship_details(uow.connection, number)
        return DropshipAnswer(detail, shipped.order_status)

    return db.write(work, actor=actor, idempotency=idempotency)


def reject_dropship_order(
    db: Database,
    number: str,
    *,
    reason: str,
    location_id: int | None,
    actor: str,
    idempotency: IdempotentRequest[DropshipAnswer] | None = None,
) -> DropshipAnswer:
    """The supplier cannot ship: the purchase order is cancelled and its fulfilment order
    rejected the usual way — the units are sourced again, never at this supplier."""

    def work(uow: UnitOfWork) -> DropshipAnswer:
        found = dropship.dropship_order(uow.connection, number, only_location_id=location_id)
        purchasing_model.check_transition(
            found.status, purchasing_model.CANCELLED, purchasing_model.DROPSHIP
        )
        rejected = reject_in(uow, found.fulfillment_order_id, reason)
        dropship.cancel_dropship(uow, found, reason)
        detail = dropship.dropship_details(uow.connection, number)
        return DropshipAnswer(detail, rejected.order_status)

    return db.write(work, actor=actor, idempotency=idempotency)
