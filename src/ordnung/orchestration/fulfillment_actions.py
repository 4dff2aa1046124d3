"""What a location does with its work: ship it, or reject it. One transaction each.

Both change the order too (units shipped, or open again), so they lock the order first, then
the fulfilment order and the stock positions (README: Architecture).
"""

from __future__ import annotations

from dataclasses import dataclass

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.idempotency import IdempotentRequest
from ordnung.fulfillment import cancellation_requests, packages
from ordnung.fulfillment import model as fulfillment_model
from ordnung.fulfillment import service as fulfillment
from ordnung.fulfillment.service import Shipment, ShipmentDraft
from ordnung.orders.repository import load_order, save_order
from ordnung.orders.search_index import add_tracking_number
from ordnung.sourcing.service import allocate_backorders, lock_stock, source_order


@dataclass(frozen=True, slots=True)
class ShippedFulfillmentOrder:
    shipment: Shipment
    order_status: str


@dataclass(frozen=True, slots=True)
class RejectedFulfillmentOrder:
    fulfillment_order_id: int
    status: str
    order_status: str


def ship_fulfillment_order(
    db: Database,
    fo_id: int,
    shipment: ShipmentDraft,
    *,
    actor: str,
    idempotency: IdempotentRequest[ShippedFulfillmentOrder] | None = None,
) -> ShippedFulfillmentOrder:
    """Ships every unit still reserved on the fulfilment order: stock leaves the location,
    a shipment is recorded, the order's units count as shipped."""

    def work(uow: UnitOfWork) -> ShippedFulfillmentOrder:
        return ship_in(uow, fo_id, shipment)

    return db.write(work, actor=actor, idempotency=idempotency)


def ship_in(uow: UnitOfWork, fo_id: int, shipment: ShipmentDraft) -> ShippedFulfillmentOrder:
    """Shipping inside the caller's unit of work (a drop-ship supplier's shipment)."""
    peeked = fulfillment.peek(uow.connection, fo_id)  # its order, to lock that first
    order_id = peeked["order_id"]
    order = load_order(uow.connection, order_id)
    fo = fulfillment.locked_again(uow.connection, peeked)
    # Packed units ship with their package (package_actions), never a second time here.
    packages.check_nothing_packed(uow.connection, fo_id)
    # Only work being picked or packed can have been asked to cancel (and the status stays
    # among those two since), so only then can shipping answer an open cancellation request.
    was_asked = fo["status"] in fulfillment_model.CANCELLATION_NEEDS_CONSENT
    shipped = fulfillment.ship_locked(uow, fo, shipment)
    if was_asked:  # the goods have left: the request is declined, recorded
        cancellation_requests.decline_on_shipping(uow, fo_id)
    order.ship(order.units_by_line_number(shipped.units_by_line_id))
    save_order(uow, order, clock.now())
    # The tracking number is part of what the order is found by.
    add_tracking_number(uow.connection, order_id, shipment.tracking_number)
    return ShippedFulfillmentOrder(shipped.shipment, order.status)


def reject_fulfillment_order(
    db: Database,
    fo_id: int,
    *,
    reason: str,
    actor: str,
    idempotency: IdempotentRequest[RejectedFulfillmentOrder] | None = None,
) -> RejectedFulfillmentOrder:
    """The location cannot ship: its reservations are given back, the order's units are
    sourced again elsewhere (never at a location that rejected it), and what the location
    gave back goes to the orders waiting for it."""

    def work(uow: UnitOfWork) -> RejectedFulfillmentOrder:
        return reject_in(uow, fo_id, reason)

    return db.write(work, actor=actor, idempotency=idempotency)


def reject_in(uow: UnitOfWork, fo_id: int, reason: str) -> RejectedFulfillmentOrder:
    """Rejecting inside the caller's unit of work (a drop-ship supplier who cannot ship)."""
    order = load_order(uow.connection, fulfillment.order_id_of(uow.connection, fo_id))
    lock_stock(uow, order.skus())
    given_back = fulfillment.reject(uow, fo_id, reason)
    order.deallocate(order.units_by_line_number(given_back.units_by_line_id))
    source_order(uow, order)
    save_order(uow, order, clock.now())
    assert order.id is not None
    allocate_backorders(uow, given_back.skus, skip_order_ids={order.id})
    return RejectedFulfillmentOrder(fo_id, fulfillment_model.REJECTED, order.status)
