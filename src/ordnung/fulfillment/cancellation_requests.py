"""Cancellation requests: an order cancelled while a location is picking or has packed it.

Those units are in someone's hands, so the cancel does not take them away: it asks the
location (one open request per fulfilment order), and the location accepts — the fulfilment
order is cancelled and its reservations go back — or declines with a note, and ships. Shipping
with a request open declines it implicitly (recorded, so the agent sees why the goods went).

A line cancel asks the same way for units of one order line (`order_line_id`, `quantity`;
both null: the whole fulfilment order). Accepted, just those units come off the fulfilment
order and their reservations go back; declined, the location ships them. A location answers
one question at a time: while a request is open on a fulfilment order, another cancel that
would have to ask it is refused with a conflict (409) naming the open request, rather than
merged into a question the location may be reading right now.

Steps inside the caller's unit of work (the order's lock is held, see orchestration/); the
reads at the end serve the order and fulfilment pages and the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError
from ordnung.fulfillment import events, model
from ordnung.fulfillment.line_changes import UnitsToAsk, take_units_from
from ordnung.fulfillment.service import GivenBack, _give_back, _load, _open_lines, _transition
from ordnung.fulfillment.tables import cancellation_request_table as request_table
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line_table
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table

SHIPPED_NOTE = "shipped before the cancellation was decided"


@dataclass(frozen=True, slots=True)
class RequestedCancellations:
    """What an order cancel left to the locations: the new requests, and the units their
    fulfilment orders still hold, by order line id (the order keeps them until decided)."""

    new_request_ids: list[int]
    units_by_line_id: dict[int, int]


@dataclass(frozen=True, slots=True)
class CancellationDecision:
    request_id: int
    fulfillment_order_id: int
    order_id: int
    decision: str
    reason: str
    given_back: GivenBack


def request_cancellations(uow: UnitOfWork, order_id: int, *, reason: str) -> RequestedCancellations:
    """Asks every location picking or packing this order to cancel (unless it was asked
    already). The caller has locked the order."""
    fo_ids = uow.connection.execute(
        select(fo_table.c.id)
        .where(
            fo_table.c.order_id == order_id,
            fo_table.c.status.in_(model.CANCELLATION_NEEDS_CONSENT),
        )
        .order_by(fo_table.c.id)
    ).scalars()
    new_ids: list[int] = []
    kept: dict[int, int] = {}
    for fo_id in list(fo_ids):
        fo = _load(uow.connection, fo_id)
        open_request = _open_request(uow.connection, fo_id)
        if open_request is None:
            new_ids.append(_ask(uow, fo, reason))
        elif open_request["order_line_id"] is not None:
            raise _already_asked(open_request)
        for line in _open_lines(uow.connection, fo_id):
            units = line["quantity"] - line["shipped_quantity"]
            kept[line["order_line_id"]] = kept.get(line["order_line_id"], 0) + units
    return RequestedCancellations(new_ids, kept)


def request_line_cancellations(
    uow: UnitOfWork, asks: Sequence[UnitsToAsk], *, reason: str
) -> list[int]:
    """Asks each location picking or packing units of a line to give those units back. The
    caller has locked the order; a fulfilment order with a request still open is a conflict."""
    request_ids: list[int] = []
    for ask in asks:
        fo = _load(uow.connection, ask.fulfillment_order_id)
        open_request = _open_request(uow.connection, fo["id"])
        if open_request is not None:
            raise _already_asked(open_request)
        request_ids.append(_ask(uow, fo, reason, ask))
    return request_ids


def _already_asked(request: dict[str, Any]) -> ConflictError:
    return ConflictError(
        f"Fulfilment order {request['fulfillment_order_id']} has a cancellation request "
        "waiting for the location's answer; cancel these units once it has decided.",
        request_id=request["id"],
        fulfillment_order_id=request["fulfillment_order_id"],
    )


def _ask(uow: UnitOfWork, fo: dict[str, Any], reason: str, units: UnitsToAsk | None = None) -> int:
    order_line_id = None if units is None else units.order_line_id
    quantity = None if units is None else units.quantity
    request_id = int(
        uow.connection.execute(
            insert(request_table)
            .values(
                fulfillment_order_id=fo["id"],
                order_id=fo["order_id"],
                requested_by=uow.actor,
                reason=reason,
                requested_at=clock.now(),
                order_line_id=order_line_id,
                quantity=quantity,
            )
            .returning(request_table.c.id)
        ).scalar_one()
    )
    uow.record(
        events.FulfillmentOrderCancellationRequested(
            request_id, fo["location_id"], reason, order_line_id, quantity
        ),
        aggregate_id=fo["id"],
        order_id=fo["order_id"],
    )
    return request_id


def accept_cancellation(uow: UnitOfWork, fo_id: int, *, note: str) -> CancellationDecision:
    """The location stops: the fulfilment order is cancelled, its reservations go back —
    or, for a request naming units of a line, those units come off it (all of them: it is
    cancelled too). The caller has locked the order and the stock positions of its SKUs."""
    fo = _load(uow.connection, fo_id)
    request = _required_open_request(uow.connection, fo_id)
    if request["order_line_id"] is None:
        given_back = _give_back(uow, fo)
        _transition(uow, fo, model.CANCELLED)
    else:
        given_back = take_units_from(uow, fo, request["order_line_id"], request["quantity"])
    _decide(uow, fo, request, model.ACCEPTED_DECISION, note)
    return CancellationDecision(
        request["id"], fo_id, fo["order_id"], model.ACCEPTED_DECISION, request["reason"], given_back
    )


def decline_cancellation(uow: UnitOfWork, fo_id: int, *, note: str) -> CancellationDecision:
    """The location goes on and will ship; nothing moves but the request's decision."""
    fo = _load(uow.connection, fo_id)
    request = _required_open_request(uow.connection, fo_id)
    _decide(uow, fo, request, model.DECLINED_DECISION, note)
    return CancellationDecision(
        request["id"],
        fo_id,
        fo["order_id"],
        model.DECLINED_DECISION,
        request["reason"],
        GivenBack(),
    )


def decline_on_shipping(uow: UnitOfWork, fo_id: int) -> None:
    """Shipping answers an open request: the goods have left, so it is declined, recorded
    with the shipping actor and a note that says so."""
    request = _open_request(uow.connection, fo_id)
    if request is not None:
        _decide(uow, _load(uow.connection, fo_id), request, model.DECLINED_DECISION, SHIPPED_NOTE)


def has_open_request(connection: Connection, fo_id: int) -> bool:
    return _open_request(connection, fo_id) is not None


def _required_open_request(connection: Connection, fo_id: int) -> dict[str, Any]:
    request = _open_request(connection, fo_id)
    if request is None:
        raise ConflictError(f"Fulfilment order {fo_id} has no open cancellation request.")
    return request


def _open_request(connection: Connection, fo_id: int) -> dict[str, Any] | None:
    row = connection.execute(
        select(request_table)
        .where(request_table.c.fulfillment_order_id == fo_id, request_table.c.decided_at.is_(None))
        .with_for_update()
    ).first()
    return None if row is None else dict(row._mapping)


def _decide(
    uow: UnitOfWork, fo: dict[str, Any], request: dict[str, Any], decision: str, note: str
) -> None:
    result = uow.connection.execute(
        update(request_table)
        .where(request_table.c.id == request["id"], request_table.c.decided_at.is_(None))
        .values(decision=decision, decided_by=uow.actor, decided_at=clock.now(), note=note)
    )
    if result.rowcount != 1:
        raise ConflictError(f"Cancellation request {request['id']} was decided meanwhile.")
    event_type = (
        events.FulfillmentOrderCancellationAccepted
        if decision == model.ACCEPTED_DECISION
        else events.FulfillmentOrderCancellationDeclined
    )
    uow.record(
        event_type(request["id"], fo["location_id"], note),
        aggregate_id=fo["id"],
        order_id=fo["order_id"],
    )


# -- reads ------------------------------------------------------------------------------------

# The SKU of the units a partial request names, from the fulfilment order's own line.
_REQUESTED_SKU = (
    select(fo_line_table.c.sku)
    .where(
        fo_line_table.c.fulfillment_order_id == request_table.c.fulfillment_order_id,
        fo_line_table.c.order_line_id == request_table.c.order_line_id,
    )
    .limit(1)
    .scalar_subquery()
    .label("sku")
)


def cancellation_requests_of_order(connection: Connection, order_id: int) -> list[dict[str, Any]]:
    """Every request of the order, oldest first, as plain values (the order page, the API)."""
    rows = connection.execute(
        select(request_table, fo_table.c.location_id, fo_table.c.status, _REQUESTED_SKU)
        .join(fo_table, fo_table.c.id == request_table.c.fulfillment_order_id)
        .where(request_table.c.order_id == order_id)
        .order_by(request_table.c.id)
    ).mappings()
    return [_request_out(row) for row in rows]


def open_request_of(connection: Connection, fo_id: int) -> dict[str, Any] | None:
    """The undecided request on a fulfilment order, for the location's screen."""
    row = (
        connection.execute(
            select(request_table, fo_table.c.location_id, fo_table.c.status, _REQUESTED_SKU)
            .join(fo_table, fo_table.c.id == request_table.c.fulfillment_order_id)
            .where(
                request_table.c.fulfillment_order_id == fo_id, request_table.c.decided_at.is_(None)
            )
        )
        .mappings()
        .first()
    )
    return None if row is None else _request_out(row)


def _request_out(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "fulfillment_order_id": row["fulfillment_order_id"],
        "fulfillment_order_status": row["status"],
        "location_id": row["location_id"],
        "reason": row["reason"],
        "requested_by": row["requested_by"],
        "requested_at": row["requested_at"].isoformat(),
        "decision": row["decision"],
        "decided_by": row["decided_by"],
        "decided_at": None if row["decided_at"] is None else row["decided_at"].isoformat(),
        "note": row["note"],
        "order_line_id": row["order_line_id"],
        "quantity": row["quantity"],
        "sku": row["sku"],
    }


def list_cancellation_requests(db: Database, order_id: int) -> list[dict[str, Any]]:
    return db.read(lambda connection: cancellation_requests_of_order(connection, order_id))


def open_cancellation_request(db: Database, fo_id: int) -> dict[str, Any] | None:
    return db.read(lambda connection: open_request_of(connection, fo_id))


def fulfillment_orders_with_open_requests(db: Database, fo_ids: list[int]) -> set[int]:
    if not fo_ids:
        return set()
    return set(
        db.read(
            lambda connection: (
                connection.execute(
                    select(request_table.c.fulfillment_order_id).where(
                        request_table.c.fulfillment_order_id.in_(sorted(set(fo_ids))),
                        request_table.c.decided_at.is_(None),
                    )
                )
                .scalars()
                .all()
            )
        )
    )
