"""Fulfilment use cases: release per location, accept, ship, reject (and re-source), cancel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, insert_rows
from ordnung.core.errors import InvalidTransitionError, NotFoundError
from ordnung.core.events import DomainEvent
from ordnung.core.idempotency import IdempotencyClaim, Outcome, StoredResponse
from ordnung.fulfillment import model
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line_table
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table
from ordnung.fulfillment.tables import shipment_line_table, shipment_table
from ordnung.inventory import stock
from ordnung.orders.repository import OrderState, load_order_state, save_order_state
from ordnung.orders.tables import order_line_table as line_table
from ordnung.orders.tables import sales_order_table as order_table
from ordnung.sourcing.model import Allocation, Need
from ordnung.sourcing.service import reserve_stock


@dataclass(frozen=True, slots=True)
class Released:
    """The fulfilment orders and lines just written, as rows (for the caller's answer)."""

    orders: list[dict[str, Any]]
    lines: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Release:
    """Reserved units of one order to hand to the locations that hold them.

    `allocation.line_key` must be the order line id; `actor` is who placed the order when
    several callers' orders are released in one unit of work.
    """

    order_id: int
    allocations: Sequence[Allocation]
    actor: str | None = None


def release_fulfillment_orders(
    uow: UnitOfWork, order_id: int, allocations: list[Allocation]
) -> Released:
    """Creates one fulfilment order per location for reserved units (in the caller's UoW)."""
    return release_fulfillment_orders_for(uow, [Release(order_id, allocations)])


def release_fulfillment_orders_for(uow: UnitOfWork, releases: Sequence[Release]) -> Released:
    """One fulfilment order per order and location, with its lines, reservation ledger rows
    and `fulfillment_order.released` events, for several orders in a few statements."""
    now = clock.now()
    groups = [
        (release, location_id, located)
        for release in releases
        for location_id, located in sorted(_by_location(release.allocations).items())
    ]
    fo_rows: list[dict[str, Any]] = [
        {
            "order_id": release.order_id,
            "location_id": location_id,
            "status": model.RELEASED,
            "reject_reason": None,
            "created_at": now,
            "updated_at": now,
        }
        for release, location_id, _located in groups
    ]
    insert_rows(uow.connection, fo_table, fo_rows)
    line_rows: list[dict[str, Any]] = []
    movements = []
    for (release, location_id, located), fo in zip(groups, fo_rows, strict=True):
        line_rows += [
            {
                "fulfillment_order_id": fo["id"],
                "order_line_id": a.line_key,
                "position_id": a.position_id,
                "sku": a.sku,
                "quantity": a.quantity,
                "shipped_quantity": 0,
            }
            for a in located
        ]
        movements += [
            stock.Movement(
                a.position_id,
                stock.RESERVATION,
                0,
                a.quantity,
                "",
                fo["order_id"],
                fo["id"],
                release.actor,
            )
            for a in located
        ]
        payload = {
            "location_id": location_id,
            "lines": [{"sku": a.sku, "quantity": a.quantity} for a in located],
        }
        released = DomainEvent(
            "fulfillment_order.released", "fulfillment_order", fo["id"], fo["order_id"], payload
        )
        uow.record(released, actor=release.actor)
    insert_rows(uow.connection, fo_line_table, line_rows)
    stock.record_movements(uow.connection, movements, actor=uow.actor, now=now)
    return Released(fo_rows, line_rows)


def _by_location(allocations: Sequence[Allocation]) -> dict[int, list[Allocation]]:
    by_location: dict[int, list[Allocation]] = defaultdict(list)
    for allocation in allocations:
        by_location[allocation.location_id].append(allocation)
    return by_location


def accept_fulfillment_order(db: Database, fo_id: int, *, actor: str) -> dict[str, Any]:
    def work(uow: UnitOfWork) -> dict[str, Any]:
        fo = _load(uow.connection, fo_id)
        _transition(uow, fo, model.ACCEPTED)
        return {"id": fo_id, "status": model.ACCEPTED}

    return db.write(work, actor=actor)


def ship_fulfillment_order(
    db: Database,
    fo_id: int,
    *,
    carrier: str,
    tracking_number: str,
    service: str = "",
    actor: str,
    idempotency: IdempotencyClaim | None = None,
) -> StoredResponse:
    """Ships every unit still reserved on the fulfilment order: stock leaves the location."""

    def work(uow: UnitOfWork) -> Outcome:
        now = clock.now()
        fo = _load(uow.connection, fo_id)
        model.check_transition(fo["status"], model.SHIPPED)
        order = load_order_state(uow.connection, fo["order_id"])
        shipped = _ship_lines(uow, fo, order)
        _transition(uow, fo, model.SHIPPED)
        shipment = _record_shipment(uow, fo, shipped, carrier, service, tracking_number)
        save_order_state(uow, order, now)
        shipment["order_status"] = order.status
        return Outcome(shipment, created=True)

    return db.write_idempotent(work, claim=idempotency, actor=actor)


def _ship_lines(uow: UnitOfWork, fo: dict[str, Any], order: OrderState) -> list[dict[str, Any]]:
    now = clock.now()
    shipped, movements = [], []
    for line in sorted(_open_lines(uow.connection, fo["id"]), key=lambda r: r["position_id"]):
        units = line["quantity"] - line["shipped_quantity"]
        stock.ship_out(uow.connection, line["position_id"], units, now)
        order.lines[line["order_line_id"]].ship(units)
        movements.append(
            stock.Movement(
                line["position_id"], stock.SHIPMENT, -units, -units, "", fo["order_id"], fo["id"]
            )
        )
        shipped.append(
            {"fulfillment_order_line_id": line["id"], "sku": line["sku"], "quantity": units}
        )
    uow.connection.execute(
        update(fo_line_table)
        .where(fo_line_table.c.fulfillment_order_id == fo["id"])
        .values(shipped_quantity=fo_line_table.c.quantity)
    )
    stock.record_movements(uow.connection, movements, actor=uow.actor, now=now)
    return shipped


def _record_shipment(
    uow: UnitOfWork,
    fo: dict[str, Any],
    shipped: list[dict[str, Any]],
    carrier: str,
    service: str,
    tracking_number: str,
) -> dict[str, Any]:
    now = clock.now()
    shipment_id = uow.connection.execute(
        insert(shipment_table)
        .values(
            fulfillment_order_id=fo["id"],
            order_id=fo["order_id"],
            carrier=carrier,
            service=service,
            tracking_number=tracking_number,
            status="shipped",
            shipped_at=now,
        )
        .returning(shipment_table.c.id)
    ).scalar_one()
    if shipped:
        uow.connection.execute(
            insert(shipment_line_table),
            [
                {"shipment_id": shipment_id, **{k: v for k, v in s.items() if k != "sku"}}
                for s in shipped
            ],
        )
    body = {
        "id": shipment_id,
        "fulfillment_order_id": fo["id"],
        "order_id": fo["order_id"],
        "carrier": carrier,
        "service": service,
        "tracking_number": tracking_number,
        "status": "shipped",
        "shipped_at": now.isoformat(),
        "lines": [{"sku": s["sku"], "quantity": s["quantity"]} for s in shipped],
    }
    uow.record(DomainEvent("shipment.shipped", "shipment", shipment_id, fo["order_id"], body))
    return body


def reject_fulfillment_order(
    db: Database,
    fo_id: int,
    *,
    reason: str,
    actor: str,
    idempotency: IdempotencyClaim | None = None,
) -> StoredResponse:
    """The location cannot ship: give its reservations back and source again elsewhere."""

    def work(uow: UnitOfWork) -> Outcome:
        now = clock.now()
        fo = _load(uow.connection, fo_id)
        model.check_transition(fo["status"], model.REJECTED)
        order = load_order_state(uow.connection, fo["order_id"])
        _release_lines(uow, fo, order)
        _transition(uow, fo, model.REJECTED, reject_reason=reason)
        if not order.has_active_hold:
            resource_open_lines(uow, order)
        save_order_state(uow, order, now)
        return Outcome({"id": fo_id, "status": model.REJECTED, "order_status": order.status}, False)

    return db.write_idempotent(work, claim=idempotency, actor=actor)


def resource_open_lines(uow: UnitOfWork, order: OrderState) -> list[int]:
    """Sources the order's open units again, avoiding every location that rejected it."""
    rejected = uow.connection.execute(
        select(fo_table.c.location_id).where(
            fo_table.c.order_id == order.id, fo_table.c.status == model.REJECTED
        )
    ).scalars()
    needs = [Need(line_id, sku, units) for line_id, sku, units in order.open_needs()]
    allocations = reserve_stock(
        uow.connection, needs, now=clock.now(), excluded_location_ids=set(rejected)
    )
    for allocation in allocations:
        order.lines[allocation.line_key].allocate(allocation.quantity)
    return [fo["id"] for fo in release_fulfillment_orders(uow, order.id, allocations).orders]


# How many waiting orders one stock change may source; the rest wait for the next change.
_BACKORDERS_PER_STOCK_CHANGE = 50


def allocate_backorders(uow: UnitOfWork, sku: str) -> int:
    """Gives newly available units of `sku` to the orders waiting for it, oldest first.

    Runs in the caller's unit of work (a goods receipt or stock count), so the stock and the
    orders it frees move together. Returns how many orders got stock.
    """
    waiting = uow.connection.execute(_WAITING_FOR_SKU, {"sku": sku}).scalars().all()
    allocated = 0
    for order_id in waiting:
        order = load_order_state(uow.connection, order_id)
        if order.has_active_hold:
            continue
        # No early stop when an order gets nothing: it may only be waiting for a location
        # it has rejected, while a younger order can take the units.
        if resource_open_lines(uow, order):
            save_order_state(uow, order, clock.now())
            allocated += 1
    return allocated


_WAITING_FOR_SKU = (
    select(line_table.c.order_id)
    .join(order_table, order_table.c.id == line_table.c.order_id)
    .where(
        line_table.c.sku == bindparam("sku"),
        line_table.c.open_quantity > 0,
        order_table.c.status.in_(["backordered", "allocated", "partially_shipped"]),
    )
    .group_by(line_table.c.order_id)
    .order_by(line_table.c.order_id)
    .limit(_BACKORDERS_PER_STOCK_CHANGE)
)


def cancel_open_fulfillment_orders(uow: UnitOfWork, order: OrderState) -> None:
    """Cancels every fulfilment order of the order that still holds stock (order cancel)."""
    open_ids = uow.connection.execute(
        select(fo_table.c.id)
        .where(fo_table.c.order_id == order.id, fo_table.c.status.in_(model.OPEN_STATUSES))
        .order_by(fo_table.c.id)
    ).scalars()
    for fo_id in list(open_ids):
        fo = _load(uow.connection, fo_id)
        _release_lines(uow, fo, order)
        _transition(uow, fo, model.CANCELLED)


def _release_lines(uow: UnitOfWork, fo: dict[str, Any], order: OrderState) -> None:
    now = clock.now()
    movements = []
    for line in sorted(_open_lines(uow.connection, fo["id"]), key=lambda r: r["position_id"]):
        units = line["quantity"] - line["shipped_quantity"]
        stock.release(uow.connection, line["position_id"], units, now)
        order.lines[line["order_line_id"]].deallocate(units)
        movements.append(
            stock.Movement(line["position_id"], stock.RELEASE, 0, -units, "", order.id, fo["id"])
        )
    stock.record_movements(uow.connection, movements, actor=uow.actor, now=now)


def _open_lines(connection: Connection, fo_id: int) -> list[dict[str, Any]]:
    rows = connection.execute(
        select(fo_line_table).where(
            fo_line_table.c.fulfillment_order_id == fo_id,
            fo_line_table.c.shipped_quantity < fo_line_table.c.quantity,
        )
    ).mappings()
    return [dict(row) for row in rows]


def _load(connection: Connection, fo_id: int) -> dict[str, Any]:
    row = connection.execute(
        select(fo_table.c.id, fo_table.c.order_id, fo_table.c.location_id, fo_table.c.status)
        .where(fo_table.c.id == fo_id)
        .with_for_update()
    ).first()
    if row is None:
        raise NotFoundError(f"Fulfilment order {fo_id} does not exist.")
    return dict(row._mapping)


def _transition(uow: UnitOfWork, fo: dict[str, Any], target: str, **values: Any) -> None:
    """Compare-and-set on the status: exactly one row must move, else it is a conflict."""
    model.check_transition(fo["status"], target)
    result = uow.connection.execute(
        update(fo_table)
        .where(fo_table.c.id == fo["id"], fo_table.c.status.in_(model.allowed_sources(target)))
        .values(status=target, updated_at=clock.now(), **values)
    )
    if result.rowcount != 1:
        raise InvalidTransitionError(f"Fulfilment order {fo['id']} changed meanwhile; reload it.")
    payload = {"from": fo["status"], "to": target, "location_id": fo["location_id"], **values}
    uow.record(
        DomainEvent(
            f"fulfillment_order.{target}", "fulfillment_order", fo["id"], fo["order_id"], payload
        )
    )
    fo["status"] = target
