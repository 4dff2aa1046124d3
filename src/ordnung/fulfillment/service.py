"""Fulfilment orders: release to a location, accept, ship, reject, cancel.

All but `accept_fulfillment_order` run inside the caller's unit of work: shipping, rejecting
and cancelling change the order too, so they are steps of the business actions in
`orchestration/`, which lock the order first. Here each step locks its fulfilment order(s),
then the stock positions in id order (the system's lock order, README: Architecture), moves
the stock through `inventory.stock` and records the fulfilment events. A step answers with
what it did to the order's lines, by order line id; it never writes the order's tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.service import pick_facts
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, insert_returning_ids, insert_rows
from ordnung.core.errors import InvalidTransitionError, NotFoundError
from ordnung.fulfillment import events, hot_rows, model, queue
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line_table
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table
from ordnung.fulfillment.tables import shipment_table
from ordnung.inventory import stock
from ordnung.inventory.locations import location_names

Row = dict[str, Any]

_STATUS_EVENTS: dict[str, type[events.FulfillmentOrderStatusChanged]] = {
    model.ACCEPTED: events.FulfillmentOrderAccepted,
    model.PICKING: events.FulfillmentOrderPickingStarted,
    model.SHIPPED: events.FulfillmentOrderShipped,
    model.CANCELLED: events.FulfillmentOrderCancelled,
}


@dataclass(slots=True)  # not frozen: built per order on the intake hot path
class ReleasedUnit:
    """Units of one order line reserved at one position, to hand to its location; a
    non-stock product's units have no position (`None`): nothing is reserved for them."""

    order_line_id: int
    sku: str
    location_id: int
    position_id: int | None
    quantity: int
    name: str | None = None  # the order line's product name
    promised_ship_on: date | None = None  # the order line's promised ship date


@dataclass(frozen=True, slots=True)
class ShippingDetails:
    """What the location needs of the order to ship it, copied onto each fulfilment order at
    release (why a copy: fulfillment/queue.py)."""

    ship_to: dict[str, str]
    contact_email: str
    shipping_method: str
    service_level: str = queue.STANDARD
    priority: str = queue.NORMAL
    gift_note: str | None = None


@dataclass(frozen=True, slots=True)
class Release:
    """Reserved units of one order; `actor` is who placed the order when several callers'
    orders are released in one unit of work."""

    order_id: int
    order_number: str
    units: Sequence[ReleasedUnit]
    actor: str | None = None
    details: ShippingDetails | None = None


@dataclass(frozen=True, slots=True)
class Released:
    """The fulfilment orders and lines just written, as rows (with the location's code and
    name), for the caller's answer."""

    orders: list[Row]
    lines: list[Row]


@dataclass(frozen=True, slots=True)
class GivenBack:
    """Units a location no longer holds for the order, by order line id (rejected or
    cancelled), and the SKUs whose stock became free."""

    units_by_line_id: dict[int, int] = field(default_factory=dict)
    skus: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ShipmentDraft:
    carrier: str
    tracking_number: str
    service: str = ""


@dataclass(frozen=True, slots=True)
class Shipment:
    """A shipment as recorded: what left, with whom, under which tracking number."""

    id: int
    fulfillment_order_id: int
    order_id: int
    carrier: str
    service: str
    tracking_number: str
    status: str
    shipped_at: datetime
    lines: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Shipped:
    shipment: Shipment
    units_by_line_id: dict[int, int]


@dataclass(frozen=True, slots=True)
class FulfillmentOrderState:
    id: int
    status: str


# -- release ------------------------------------------------------------------------------


def release_fulfillment_orders(uow: UnitOfWork, releases: Sequence[Release]) -> Released:
    """One fulfilment order per order and location, with its lines, reservation ledger rows
    and `fulfillment_order.released` events, for many orders in a few statements."""
    now = clock.now()
    groups = [
        (release, location_id, units)
        for release in releases
        for location_id, units in sorted(_by_location(release.units).items())
    ]
    fo_rows: list[Row] = [
        {
            "order_id": release.order_id,
            "order_number": release.order_number,
            "location_id": location_id,
            "status": model.RELEASED,
            "reject_reason": None,
            "created_at": now,
            "updated_at": now,
        }
        | _details_row(release.details, units)
        for release, location_id, units in groups
    ]
    insert_rows(uow.connection, fo_table, fo_rows)
    facts = pick_facts(uow.connection, {u.sku for r in releases for u in r.units})
    line_rows: list[Row] = []
    movements: list[stock.Movement] = []
    for (release, location_id, units), fo in zip(groups, fo_rows, strict=True):
        line_rows += [_line_row(fo["id"], unit, facts) for unit in units]
        movements += [
            _reservation(fo, unit.position_id, unit, release.actor)
            for unit in units
            if unit.position_id is not None  # non-stock: no stock reserved, no ledger row
        ]
        lines = [{"sku": unit.sku, "quantity": unit.quantity} for unit in units]
        uow.record(
            events.FulfillmentOrderReleased(location_id, lines),
            aggregate_id=fo["id"],
            order_id=fo["order_id"],
            actor=release.actor,
        )
    insert_rows(uow.connection, fo_line_table, line_rows)
    stock.record_movements(uow.connection, movements, actor=uow.actor, now=now)
    names = location_names(uow.connection, {fo["location_id"] for fo in fo_rows})
    return Released([fo | names[fo["location_id"]] for fo in fo_rows], line_rows)


def _details_row(details: ShippingDetails | None, units: Sequence[ReleasedUnit]) -> Row:
    promised = [unit.promised_ship_on for unit in units if unit.promised_ship_on is not None]
    row: Row = {"promised_ship_on": min(promised, default=None)}
    if details is None:  # a caller that knows nothing of the order: the columns' defaults
        return row | {
            "ship_to": None,
            "contact_email": None,
            "shipping_method": "",
            "service_level": queue.STANDARD,
            "priority": queue.NORMAL,
            "gift_note": None,
        }
    return row | {
        "ship_to": details.ship_to,
        "contact_email": details.contact_email,
        "shipping_method": details.shipping_method,
        "service_level": details.service_level,
        "priority": details.priority,
        "gift_note": details.gift_note,
    }


def _line_row(
    fo_id: int, unit: ReleasedUnit, facts: dict[str, tuple[str | None, int | None]]
) -> Row:
    gtin, weight_grams = facts.get(unit.sku, (None, None))
    return {
        "fulfillment_order_id": fo_id,
        "order_line_id": unit.order_line_id,
        "position_id": unit.position_id,
        "sku": unit.sku,
        "quantity": unit.quantity,
        "shipped_quantity": 0,
        "name": unit.name,
        "gtin": gtin,
        "weight_grams": weight_grams,
    }


def _reservation(
    fo: Row, position_id: int, unit: ReleasedUnit, actor: str | None
) -> stock.Movement:
    return stock.Movement(
        position_id, stock.RESERVATION, 0, unit.quantity, "", fo["order_id"], fo["id"], actor
    )


def _by_location(units: Sequence[ReleasedUnit]) -> dict[int, list[ReleasedUnit]]:
    by_location: dict[int, list[ReleasedUnit]] = defaultdict(list)
    for unit in units:
        by_location[unit.location_id].append(unit)
    return by_location


# -- a location's answers -----------------------------------------------------------------


def accept_fulfillment_order(db: Database, fo_id: int, *, actor: str) -> FulfillmentOrderState:
    """The location takes the work on (no stock moves)."""

    return db.write(lambda uow: accept(uow, fo_id), actor=actor)


def accept(uow: UnitOfWork, fo_id: int) -> FulfillmentOrderState:
    """Accepting inside the caller's unit of work (a drop-ship supplier's confirmation)."""
    fo = _load(uow.connection, fo_id)
    _transition(uow, fo, model.ACCEPTED)
    return FulfillmentOrderState(fo_id, model.ACCEPTED)


def start_picking(db: Database, fo_id: int, *, actor: str) -> FulfillmentOrderState:
    """The location begins picking an accepted fulfilment order (no stock moves). From then
    on an order cancel asks the location instead of cancelling (`cancellation_requests`)."""

    return db.write(lambda uow: start_picking_in(uow, fo_id), actor=actor)


def start_picking_in(uow: UnitOfWork, fo_id: int) -> FulfillmentOrderState:
    """Starting to pick inside the caller's unit of work (a batch of a location's work)."""
    fo = _load(uow.connection, fo_id)
    model.check_start_picking(fo["status"])
    _transition(uow, fo, model.PICKING)
    return FulfillmentOrderState(fo_id, model.PICKING)


def order_id_of(connection: Connection, fo_id: int) -> int:
    """The order a fulfilment order belongs to (it never changes, so no lock is needed)."""
    order_id = connection.execute(
        select(fo_table.c.order_id).where(fo_table.c.id == fo_id)
    ).scalar()
    if order_id is None:
        raise NotFoundError(f"Fulfilment order {fo_id} does not exist.")
    return int(order_id)


def ship(uow: UnitOfWork, fo_id: int, draft: ShipmentDraft) -> Shipped:
    """Ships every unit still reserved on the fulfilment order: stock leaves the location and
    a shipment is recorded. The caller has locked the order."""
    return ship_locked(uow, _load(uow.connection, fo_id), draft)


def ship_locked(uow: UnitOfWork, fo: Row, draft: ShipmentDraft) -> Shipped:
    """`ship` for a fulfilment order the caller has read under its lock (`load_locked`, or
    `peek` + `locked_again`)."""
    now = clock.now()
    model.check_transition(fo["status"], model.SHIPPED)
    lines = book_out(uow, fo, now)
    _transition(uow, fo, model.SHIPPED)
    shipment = _record_shipment(uow, fo, lines, draft, now)
    return Shipped(shipment, _units_by_line(lines))


def peek(connection: Connection, fo_id: int) -> Row:
    """The fulfilment order's id, order, location and status, without a lock: enough to
    find and lock its order first (the lock order), then `locked_again`."""
    fo = hot_rows.fulfillment_order(connection, fo_id)
    if fo is None:
        raise NotFoundError(f"Fulfilment order {fo_id} does not exist.")
    return fo


def locked_again(connection: Connection, fo: Row) -> Row:
    """The peeked fulfilment order, now under its lock. On SQLite the write transaction's
    BEGIN IMMEDIATE has kept every other writer out since the peek, so it is still true; on
    PostgreSQL it is read again `FOR UPDATE` (it may have moved, e.g. to picking)."""
    if connection.dialect.name != "postgresql":
        return fo
    return _load(connection, fo["id"])


def book_out(uow: UnitOfWork, fo: Row, now: datetime) -> list[Row]:
    """Every unit still reserved on the (locked) fulfilment order leaves the stock — shipped
    or handed over at a store's counter — with its ledger rows; answers the lines as they
    were before."""
    fo_id = fo["id"]
    lines = _open_lines(uow.connection, fo_id)
    stocked = _stock_lines(lines)  # a non-stock product's units leave no stock
    leaving: dict[int, int] = defaultdict(int)
    movements = []
    for line in stocked:
        units = line["quantity"] - line["shipped_quantity"]
        leaving[line["position_id"]] += units
        movements.append(
            stock.Movement(
                line["position_id"], stock.SHIPMENT, -units, -units, "", fo["order_id"], fo_id
            )
        )
    stock.ship_out_all(uow.connection, leaving, now)
    # The hot path of shipping: its statements go through the driver (core/driver.py).
    hot_rows.mark_lines_shipped(uow.connection, fo_id)
    stock.record_movements(uow.connection, movements, actor=uow.actor, now=now)
    return lines


def units_by_line(lines: list[Row]) -> dict[int, int]:
    """Units of these fulfilment order lines still to ship, by order line id."""
    return _units_by_line(lines)


def _record_shipment(
    uow: UnitOfWork, fo: Row, lines: list[Row], draft: ShipmentDraft, now: datetime
) -> Shipment:
    values = {
        "fulfillment_order_id": fo["id"],
        "order_id": fo["order_id"],
        "carrier": draft.carrier,
        "service": draft.service,
        "tracking_number": draft.tracking_number,
        "status": "shipped",
        "shipped_at": now,
    }
    (shipment_id,) = insert_returning_ids(uow.connection, shipment_table, [values])
    shipped = [(line, line["quantity"] - line["shipped_quantity"]) for line in lines]
    hot_rows.append_shipment_lines(
        uow.connection,
        [
            {"shipment_id": shipment_id, "fulfillment_order_line_id": line["id"], "quantity": q}
            for line, q in shipped
        ],
    )
    lines_shipped = [{"sku": line["sku"], "quantity": q} for line, q in shipped]
    shipment = Shipment(id=shipment_id, **values, lines=lines_shipped)
    event = events.ShipmentShipped(id=shipment_id, **values, lines=lines_shipped)
    uow.record(event, aggregate_id=shipment_id, order_id=fo["order_id"])
    return shipment


def reject(uow: UnitOfWork, fo_id: int, reason: str) -> GivenBack:
    """The location cannot ship: its reservations go back to available stock. Sourcing the
    units again elsewhere is the caller's next step. The caller has locked the order."""
    fo = _load(uow.connection, fo_id)
    model.check_transition(fo["status"], model.REJECTED)
    given_back = _give_back(uow, fo)
    _transition(uow, fo, model.REJECTED, reject_reason=reason)
    return given_back


def cancel_open_fulfillment_orders(uow: UnitOfWork, order_id: int) -> GivenBack:
    """Cancels every fulfilment order of the order that still holds stock and has not been
    started on (an order cancel; picking and packed ones are asked instead, see
    `cancellation_requests.request_cancellations`); the caller has locked the order."""
    open_ids = uow.connection.execute(
        select(fo_table.c.id)
        .where(
            fo_table.c.order_id == order_id,
            fo_table.c.status.in_(model.CANCELLABLE_WITHOUT_ASKING),
        )
        .order_by(fo_table.c.id)
    ).scalars()
    units: dict[int, int] = defaultdict(int)
    skus: set[str] = set()
    for fo_id in list(open_ids):
        fo = _load(uow.connection, fo_id)
        given_back = _give_back(uow, fo)
        for line_id, count in given_back.units_by_line_id.items():
            units[line_id] += count
        skus |= given_back.skus
        _transition(uow, fo, model.CANCELLED)
    return GivenBack(dict(units), frozenset(skus))


def rejected_location_ids(connection: Connection, order_ids: Sequence[int]) -> dict[int, set[int]]:
    """For each order, the locations that turned it down (sourcing avoids them)."""
    rejected: dict[int, set[int]] = {order_id: set() for order_id in order_ids}
    if not order_ids:
        return rejected
    rows = connection.execute(
        select(fo_table.c.order_id, fo_table.c.location_id).where(
            fo_table.c.order_id.in_(sorted(order_ids)), fo_table.c.status == model.REJECTED
        )
    ).all()
    for order_id, location_id in rows:
        rejected[order_id].add(location_id)
    return rejected


def _give_back(uow: UnitOfWork, fo: Row) -> GivenBack:
    now = clock.now()
    lines = _open_lines(uow.connection, fo["id"])
    movements = []
    stocked = _stock_lines(lines)  # a non-stock product's units give no stock back
    for line in stocked:
        units = line["quantity"] - line["shipped_quantity"]
        stock.release(uow.connection, line["position_id"], units, now)
        movements.append(
            stock.Movement(
                line["position_id"], stock.RELEASE, 0, -units, "", fo["order_id"], fo["id"]
            )
        )
    stock.record_movements(uow.connection, movements, actor=uow.actor, now=now)
    return GivenBack(_units_by_line(lines), frozenset(line["sku"] for line in stocked))


def _stock_lines(lines: list[Row]) -> list[Row]:
    """The lines that hold stock: all but a non-stock product's (no position)."""
    return [line for line in lines if line["position_id"] is not None]


def _units_by_line(lines: list[Row]) -> dict[int, int]:
    units: dict[int, int] = defaultdict(int)
    for line in lines:
        units[line["order_line_id"]] += line["quantity"] - line["shipped_quantity"]
    return dict(units)


def _open_lines(connection: Connection, fo_id: int) -> list[Row]:
    """The open lines, in position id order (the lock order); a non-stock product's lines
    (no position) come last on PostgreSQL and first on SQLite — they lock nothing. Through
    the driver: every ship, rejection and cancellation reads them (plain-typed columns only,
    so the rows are what SQLAlchemy would answer)."""
    return hot_rows.open_lines(connection, fo_id)


def _load(connection: Connection, fo_id: int) -> Row:
    row = connection.execute(
        select(fo_table.c.id, fo_table.c.order_id, fo_table.c.location_id, fo_table.c.status)
        .where(fo_table.c.id == fo_id)
        .with_for_update()
    ).first()
    if row is None:
        raise NotFoundError(f"Fulfilment order {fo_id} does not exist.")
    return dict(row._mapping)


def load_locked(connection: Connection, fo_id: int) -> Row:
    """The fulfilment order's id, order, location and status, its row locked."""
    return _load(connection, fo_id)


def transition(uow: UnitOfWork, fo: Row, event: events.FulfillmentOrderStatusChanged) -> None:
    """A step whose event carries more than the statuses (ready for pickup: the code)."""
    _transition(uow, fo, event.to_status, event=event)


def _transition(
    uow: UnitOfWork,
    fo: Row,
    target: str,
    *,
    reject_reason: str = "",
    event: events.FulfillmentOrderStatusChanged | None = None,
) -> None:
    """Compare-and-set on the status: exactly one row must move, else it is a conflict."""
    model.check_transition(fo["status"], target)
    reason = reject_reason if target == model.REJECTED else None
    changed = hot_rows.change_status(uow.connection, fo["id"], target, reason, clock.now())
    if changed != 1:
        raise InvalidTransitionError(f"Fulfilment order {fo['id']} changed meanwhile; reload it.")
    if event is None and target == model.REJECTED:
        event = events.FulfillmentOrderRejected(
            fo["status"], target, fo["location_id"], reject_reason
        )
    elif event is None:
        event = _STATUS_EVENTS[target](fo["status"], target, fo["location_id"])
    uow.record(event, aggregate_id=fo["id"], order_id=fo["order_id"])
    fo["status"] = target


def follow_shipping_change(
    uow: UnitOfWork, order_id: int, *, ship_to: dict[str, str], shipping_method: str
) -> list[int]:
    """Gives the order's changed address and method to its fulfilment orders that are still
    paper (queue.FOLLOWS_SHIPPING_CHANGES), in the caller's unit of work, compare-and-set on
    the status; answers their ids. Work being picked or packed keeps its copy."""
    statuses = sorted(queue.FOLLOWS_SHIPPING_CHANGES)
    updated = uow.connection.execute(
        update(fo_table)
        .where(fo_table.c.order_id == order_id, fo_table.c.status.in_(statuses))
        .values(ship_to=ship_to, shipping_method=shipping_method, updated_at=clock.now())
        .returning(fo_table.c.id)
    )
    return sorted(int(fo_id) for fo_id in updated.scalars())
