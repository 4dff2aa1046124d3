"""The actions that move an order across capabilities, over HTTP: take an order in, cancel it,
release a hold, ship or reject a fulfilment order, count or receive stock.

Reads of each capability are in its own `api.py`; these writes live here beside their
services (`orchestration/`), so no capability's router calls up into another. Their bodies
and answers are in `schemas.py`.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, TypeVar

from anyio import to_thread
from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import Response

from ordnung.core.api_fields import location_in_path, record_id, sku_in_path
from ordnung.core.auth import Principal
from ordnung.core.batching import BatchWriter
from ordnung.core.db import Database, WriteJob
from ordnung.core.http import (
    get_db,
    idempotent,
    json_answer,
    parse_json_body,
    require,
    respond,
    version_from_if_match,
)
from ordnung.core.idempotency import Answer
from ordnung.core.openapi import answers, idempotent_operation
from ordnung.fulfillment.queries import check_location_access, location_access_check
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.inventory.schemas import StockPositionOut
from ordnung.inventory.service import StockCount, StockMove
from ordnung.orchestration import fulfillment_actions, intake, order_actions, stock_actions
from ordnung.orchestration.fulfillment_actions import (
    RejectedFulfillmentOrder,
    ShippedFulfillmentOrder,
)
from ordnung.orchestration.intake import PlacedOrder
from ordnung.orchestration.schemas import (
    CancelIn,
    OrderIn,
    RejectedOut,
    RejectIn,
    ReleaseHoldIn,
    ShipIn,
    ShipmentOut,
    StockAdjust,
    StockSet,
)
from ordnung.orders.api import order_id_from_reference, order_in_path
from ordnung.orders.schemas import OrderOut

router = APIRouter()
T = TypeVar("T")

# Parameter declarations are built per route: FastAPI fills in each one's alias.


def if_match_header() -> Any:
    return Header(
        description=(
            'The order\'s version you last saw (its ETag, e.g. `"3"`): if the order '
            "changed since, nothing is done and the answer is 409 with `current_version`."
        ),
        examples=['"3"'],
        max_length=40,
    )


def fulfillment_order_id() -> Any:
    return record_id("The fulfilment order's id", example=7)


# -- answers ---------------------------------------------------------------------------------

OK = json_answer(200)


def placed_answer(placed: PlacedOrder) -> Answer:
    """201 with the order for a new one, 200 with the stored one for a repeat."""
    return json_answer(201 if placed.is_new else 200)(placed.order)


def shipped_answer(shipped: ShippedFulfillmentOrder) -> Answer:
    return json_answer(201)({**asdict(shipped.shipment), "order_status": shipped.order_status})


def rejected_answer(rejected: RejectedFulfillmentOrder) -> Answer:
    body = {
        "id": rejected.fulfillment_order_id,
        "status": rejected.status,
        "order_status": rejected.order_status,
    }
    return json_answer(200)(body)


# -- a location's work -------------------------------------------------------------------------


class LocationWorkWriter:
    """Runs a location's answers (accept, start picking, ship).

    SQLite: group commit — those that arrive while one batch commits go into the next, each
    in its own savepoint, one commit (one fsync, one turn at the write lock) for all
    (core/batching.py, `Database.write_each`). PostgreSQL: one transaction per request on
    the request threads, as before — measured with bench/fulfilment.py, batches there cost
    more CPU per action (savepoints, the hand-off) and, taking turns so as not to deadlock,
    gave up the parallelism of PostgreSQL's backends, whose commits share WAL flushes anyway."""

    def __init__(self, db: Database, *, max_batch: int) -> None:
        self._db = db
        self._batches: BatchWriter[WriteJob[Any], Any] | None = None
        if db.is_sqlite:
            self._batches = BatchWriter(
                db.write_each, max_batch=max_batch, hold=db.writer_turn, name="location-work"
            )

    async def submit(self, job: WriteJob[T]) -> T:
        if self._batches is not None:
            result: T = await self._batches.submit(job)
            return result
        return await to_thread.run_sync(self._db.write_job, job)

    def close(self) -> None:
        if self._batches is not None:
            self._batches.close()


def create_location_work_writer(db: Database, *, max_batch: int) -> LocationWorkWriter:
    """The process's writer for a location's answers (see `LocationWorkWriter`)."""
    return LocationWorkWriter(db, max_batch=max_batch)


# -- orders ----------------------------------------------------------------------------------

IntakeWriter = BatchWriter[intake.IntakeRequest, PlacedOrder]


def create_intake_writer(db: Database, *, max_batch: int) -> IntakeWriter:
    """The process's order intake writer: orders that arrive while one batch is being
    committed go into the next, in one transaction (group commit, see core/batching.py)."""
    return BatchWriter(
        lambda jobs: intake.place_orders(db, jobs),
        max_batch=max_batch,
        hold=db.intake_turn,
        name="order-intake",
    )


@router.post(
    "/orders",
    status_code=201,
    tags=["orders"],
    summary="Take an order in from a sales channel",
    responses={
        **answers(OrderOut, 409, 422, status=201, description="The order, taken in"),
        **answers(OrderOut, description="The order this channel sent before (same external_id)"),
    },
    openapi_extra=idempotent_operation(OrderIn),
)
async def create_order(
    request: Request,
    principal: Principal = Depends(require("orders:write")),
) -> Response:
    """A sales channel hands over an order. It is checked, priced and stored at once; stock is
    reserved at the locations that ship it, or the order waits as backordered, or it is held
    for a person (unknown SKU, totals that differ from the shop's). The same `external_id`
    from the same channel again answers 200 with the stored order and changes nothing.

    At most 500 lines of at most 100,000 units; unit prices, discounts and shipping at most
    999999999.999999, an order's goods and shipping together at most 10^13."""
    # The hot path: no thread hand-off here; the body is parsed once, on the event loop, and
    # the database work runs on the intake writer's thread together with concurrent orders.
    body = await parse_json_body(request, OrderIn)
    keyed = idempotent(request, principal, body, placed_answer)
    job = intake.IntakeRequest(body.to_model(), principal.actor, keyed)
    writer: IntakeWriter = request.app.state.order_intake
    return respond(await writer.submit(job), placed_answer, keyed)


@router.post(
    "/orders/{order_ref}/cancel",
    tags=["orders"],
    summary="Cancel an order before it ships",
    responses=answers(OrderOut, 404, 409, description="The cancelled order"),
    openapi_extra=idempotent_operation(),
)
def cancel_order(
    request: Request,
    order_ref: str = order_in_path(),
    body: CancelIn | None = None,
    if_match: Annotated[str | None, if_match_header()] = None,
    principal: Principal = Depends(require("orders:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Cancels every unit not yet shipped: reservations are released (freed units go to orders
    waiting for them) and open fulfilment orders are cancelled. An order that has shipped
    cannot be cancelled (409)."""
    body = body or CancelIn()
    keyed = idempotent(request, principal, body.model_dump(mode="json"), OK)
    detail = order_actions.cancel_order(
        db,
        order_id_from_reference(db, order_ref),
        reason=body.why(),
        actor=principal.actor,
        expected_version=version_from_if_match(if_match),
        idempotency=keyed,
    )
    return respond(detail, OK, keyed)


@router.post(
    "/orders/{order_ref}/holds/{hold_id}/release",
    tags=["orders"],
    summary="Release a hold with a note",
    responses=answers(OrderOut, 404, 409, description="The order after the release"),
)
def release_hold(
    body: ReleaseHoldIn,
    order_ref: str = order_in_path(),
    hold_id: int = record_id("The hold's id (`holds[].id` of the order)", example=3),
    if_match: Annotated[str | None, if_match_header()] = None,
    principal: Principal = Depends(require("orders:write")),
    db: Database = Depends(get_db),
) -> Response:
    """A person has checked why the order was held (an unknown SKU, totals that differ) and
    lets it go on: with no hold left it is sourced at once. The note stays in the timeline.
    Releasing a hold twice is a 409."""
    detail = order_actions.release_hold(
        db,
        order_id_from_reference(db, order_ref),
        hold_id,
        note=body.note,
        actor=principal.actor,
        expected_version=version_from_if_match(if_match),
    )
    return respond(detail, OK)


# -- fulfilment ------------------------------------------------------------------------------


@router.post(
    "/fulfillment-orders/{fo_id}/ship",
    status_code=201,
    tags=["fulfillment"],
    summary="Ship a fulfilment order",
    responses=answers(ShipmentOut, 404, 409, status=201, description="The shipment"),
    openapi_extra=idempotent_operation(),
)
async def ship(
    body: ShipIn,
    request: Request,
    fo_id: int = fulfillment_order_id(),
    principal: Principal = Depends(require("fulfillment:write")),
) -> Response:
    """The location has handed the parcel to the carrier: everything still reserved for this
    fulfilment order leaves the stock, a shipment with its tracking number is recorded, and
    the order becomes (partially) shipped."""
    # On the event loop, no thread hop: the work runs on the location-work writer's thread,
    # committed together with the ships, accepts and picks that arrived meanwhile.
    keyed = idempotent(request, principal, body, shipped_answer)
    draft = ShipmentDraft(body.carrier.lower(), body.tracking_number, body.service)
    job = WriteJob(
        lambda uow: fulfillment_actions.ship_in(uow, fo_id, draft),
        principal.actor,
        keyed,
        location_access_check(fo_id, principal.location_id),
    )
    writer: LocationWorkWriter = request.app.state.location_work
    shipped: ShippedFulfillmentOrder = await writer.submit(job)
    return respond(shipped, shipped_answer, keyed)


@router.post(
    "/fulfillment-orders/{fo_id}/reject",
    tags=["fulfillment"],
    summary="The location cannot ship: source the lines again",
    responses=answers(RejectedOut, 404, 409, description="Rejected; the order sourced again"),
    openapi_extra=idempotent_operation(),
)
def reject(
    body: RejectIn,
    request: Request,
    fo_id: int = fulfillment_order_id(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """The location cannot ship this work (goods damaged, count wrong): its reservations are
    released and the lines are sourced again at other locations, never at this one; what no
    location has waits as backordered."""
    check_location_access(db, fo_id, principal.location_id)
    keyed = idempotent(request, principal, body, rejected_answer)
    rejected = fulfillment_actions.reject_fulfillment_order(
        db, fo_id, reason=body.reason, actor=principal.actor, idempotency=keyed
    )
    return respond(rejected, rejected_answer, keyed)


# -- stock -----------------------------------------------------------------------------------


@router.post(
    "/stock/{sku}/{location_code}/set",
    tags=["inventory"],
    summary="Book a stock count",
    responses=answers(StockPositionOut, 404, 409, description="The position after the count"),
    openapi_extra=idempotent_operation(),
)
def set_stock(
    body: StockSet,
    request: Request,
    sku: str = sku_in_path(),
    location_code: str = location_in_path(),
    principal: Principal = Depends(require("inventory:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Someone counted the shelf: on hand becomes the given number (and the safety stock, if
    given); the difference is booked in the ledger with the reason. New units go to the
    orders waiting for them at once. Fewer units than orders hold reserved is a 409."""
    keyed = idempotent(request, principal, body.model_dump(mode="json"), OK)
    count = StockCount(body.on_hand, body.reason, body.safety_stock)
    position = stock_actions.set_stock(
        db, sku, location_code, count, actor=principal.actor, idempotency=keyed
    )
    return respond(position, OK, keyed)


@router.post(
    "/stock/{sku}/{location_code}/adjust",
    tags=["inventory"],
    summary="Receive goods or correct the stock",
    responses=answers(StockPositionOut, 404, 409, description="The position after the change"),
    openapi_extra=idempotent_operation(),
)
def adjust_stock(
    body: StockAdjust,
    request: Request,
    sku: str = sku_in_path(),
    location_code: str = location_in_path(),
    principal: Principal = Depends(require("inventory:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Adds units (a goods receipt, `kind: receipt`) or corrects them either way
    (`kind: adjustment`), booked in the ledger with the reason; new units go to waiting
    orders. Send an Idempotency-Key, so a retried receipt counts once."""
    keyed = idempotent(request, principal, body.model_dump(mode="json"), OK)
    move = StockMove(body.delta, body.reason, body.kind)
    position = stock_actions.adjust_stock(
        db, sku, location_code, move, actor=principal.actor, idempotency=keyed
    )
    return respond(position, OK, keyed)
