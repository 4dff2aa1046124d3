"""Fulfilment exceptions over HTTP: a location starts picking, reports a short pick, decides
a cancellation request; an agent reads and acknowledges what happened on an order."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ordnung.core.api_fields import record_id
from ordnung.core.auth import Principal
from ordnung.core.batching import JobWriter
from ordnung.core.db import Database, WriteJob
from ordnung.core.http import JSONResponse, get_db, idempotent, json_answer, require, respond
from ordnung.core.idempotency import Answer
from ordnung.core.openapi import answers, idempotent_operation
from ordnung.fulfillment import cancellation_requests, short_picks
from ordnung.fulfillment.model import MissingUnits
from ordnung.fulfillment.queries import check_location_access, location_access_check
from ordnung.fulfillment.schemas import FulfillmentStateOut
from ordnung.fulfillment.service import start_picking_in
from ordnung.orchestration import exception_actions
from ordnung.orchestration.exception_schemas import (
    AcceptCancellationIn,
    CancellationDecidedOut,
    CancellationRequestListOut,
    DeclineCancellationIn,
    ShortPickedOut,
    ShortPickIn,
    ShortPickListOut,
    ShortPickReportOut,
)
from ordnung.orders.api import order_id_from_reference, order_in_path
from ordnung.orders.queries import get_order

router = APIRouter()

OK = json_answer(200)


def fulfillment_order_id() -> Any:
    return record_id("The fulfilment order's id", example=7)


def _as_dict(result: Any) -> Answer:
    return OK(asdict(result))


def _existing_order(db: Database, order_ref: str) -> int:
    order_id = order_id_from_reference(db, order_ref)
    get_order(db, order_id)  # 404 for an order that does not exist
    return order_id


@router.post(
    "/fulfillment-orders/{fo_id}/start-picking",
    tags=["fulfillment"],
    summary="The location starts picking",
    responses=answers(FulfillmentStateOut, 404, 409),
)
async def start_picking_route(
    request: Request,
    fo_id: int = fulfillment_order_id(),
    principal: Principal = Depends(require("fulfillment:write")),
) -> Response:
    """An accepted fulfilment order goes to `picking` (no stock moves). From then on an
    order cancel no longer cancels it but asks the location (a cancellation request).
    Starting twice, or from another status, is a 409."""
    # Committed with the location's other answers of the moment (group commit, see
    # orchestration/api.py `create_location_work_writer`).
    job = WriteJob(
        lambda uow: start_picking_in(uow, fo_id),
        principal.actor,
        check=location_access_check(fo_id, principal.location_id),
    )
    writer: JobWriter = request.app.state.location_work
    return JSONResponse(await writer.submit(job))


@router.post(
    "/fulfillment-orders/{fo_id}/short-pick",
    tags=["fulfillment"],
    summary="Report units missing on the shelf",
    responses=answers(ShortPickedOut, 404, 409, description="Reported; the order re-sourced"),
    openapi_extra=idempotent_operation(),
)
def short_pick(
    body: ShortPickIn,
    request: Request,
    fo_id: int = fulfillment_order_id(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """An accepted or picking fulfilment order is missing units: they leave the fulfilment
    order (an empty one is cancelled) and the location's on hand (ledger kind `short_pick`);
    the order's units are sourced again where stock is, or wait as backordered. The order
    shows a short-pick marker until an agent acknowledges it. A line named twice or more
    units than it holds is a 422; a fulfilment order in another status, or with an open
    cancellation request, a 409. Send an Idempotency-Key: a retry counts once."""
    check_location_access(db, fo_id, principal.location_id)
    keyed = idempotent(request, principal, body, _as_dict)
    missing = [MissingUnits(line.line_id, line.missing) for line in body.lines]
    outcome = exception_actions.report_short_pick(
        db, fo_id, missing, note=body.note, actor=principal.actor, idempotency=keyed
    )
    return respond(outcome, _as_dict, keyed)


@router.post(
    "/fulfillment-orders/{fo_id}/cancellation-request/accept",
    tags=["fulfillment"],
    summary="Accept a cancellation request: stop and give the units back",
    responses=answers(CancellationDecidedOut, 404, 409),
    openapi_extra=idempotent_operation(),
)
def accept_cancellation(
    request: Request,
    body: AcceptCancellationIn | None = None,
    fo_id: int = fulfillment_order_id(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """The fulfilment order is cancelled and its reservations released (to orders waiting
    for the stock); the order's units are cancelled, the order too once none is left. No
    open request on this fulfilment order is a 409."""
    body = body or AcceptCancellationIn()
    check_location_access(db, fo_id, principal.location_id)
    keyed = idempotent(request, principal, body, _as_dict)
    decided = exception_actions.accept_cancellation_request(
        db, fo_id, note=body.note, actor=principal.actor, idempotency=keyed
    )
    return respond(decided, _as_dict, keyed)


@router.post(
    "/fulfillment-orders/{fo_id}/cancellation-request/decline",
    tags=["fulfillment"],
    summary="Decline a cancellation request: the goods will ship",
    responses=answers(CancellationDecidedOut, 404, 409),
    openapi_extra=idempotent_operation(),
)
def decline_cancellation(
    body: DeclineCancellationIn,
    request: Request,
    fo_id: int = fulfillment_order_id(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """The location goes on; the note tells the agent why. No open request is a 409.
    (Shipping with a request open declines it as well, with a note saying so.)"""
    check_location_access(db, fo_id, principal.location_id)
    keyed = idempotent(request, principal, body, _as_dict)
    decided = exception_actions.decline_cancellation_request(
        db, fo_id, note=body.note, actor=principal.actor, idempotency=keyed
    )
    return respond(decided, _as_dict, keyed)


@router.get(
    "/orders/{order_ref}/cancellation-requests",
    tags=["orders"],
    summary="The cancellation requests of an order",
    responses=answers(CancellationRequestListOut, 404),
)
def list_cancellation_requests(
    order_ref: str = order_in_path(),
    _principal: Principal = Depends(require("orders:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Locations asked to cancel work they had started, oldest first, with their answers."""
    order_id = _existing_order(db, order_ref)
    items = cancellation_requests.list_cancellation_requests(db, order_id)
    return JSONResponse({"items": items})


@router.get(
    "/orders/{order_ref}/short-picks",
    tags=["orders"],
    summary="The short picks reported on an order",
    responses=answers(ShortPickListOut, 404),
)
def list_short_picks(
    order_ref: str = order_in_path(),
    _principal: Principal = Depends(require("orders:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Units locations found missing, oldest first, with what sourcing made of them; those
    without `acknowledged_at` are the order's open markers."""
    order_id = _existing_order(db, order_ref)
    return JSONResponse({"items": short_picks.list_short_picks(db, order_id)})


@router.post(
    "/orders/{order_ref}/short-picks/{report_id}/acknowledge",
    tags=["orders"],
    summary="Acknowledge a short pick (the order's marker goes)",
    responses=answers(ShortPickReportOut, 404),
    openapi_extra=idempotent_operation(),
)
def acknowledge_short_pick(
    request: Request,
    order_ref: str = order_in_path(),
    report_id: int = record_id("The short-pick report's id", example=4),
    principal: Principal = Depends(require("orders:write")),
    db: Database = Depends(get_db),
) -> Response:
    """An agent has seen it. Acknowledging again changes nothing and answers the report."""
    order_id = order_id_from_reference(db, order_ref)
    keyed = idempotent(request, principal, {}, OK)
    report = short_picks.acknowledge_short_pick(
        db, order_id, report_id, actor=principal.actor, idempotency=keyed
    )
    return respond(report, OK, keyed)
