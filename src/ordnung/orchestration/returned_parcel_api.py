"""Parcels returned to sender over HTTP: recording that a shipment came back, the location's
list of returned parcels (part of its queue), one parcel, and processing it. A key or user
bound to a location sees and acts only on its own location's: another's answers 404."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import key_in_path, record_id
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, idempotent, json_answer, require, respond
from ordnung.core.idempotency import Answer
from ordnung.core.openapi import REPLAYED_HEADER, answers, idempotent_operation
from ordnung.core.paging import DEFAULT_PAGE_SIZE, MAX_CURSOR_LENGTH, page_answers, page_request
from ordnung.fulfillment import returned_parcel_model as rules
from ordnung.fulfillment import returned_parcel_queries as queries
from ordnung.fulfillment.returned_parcels import ParcelReturn, record_returned_to_sender
from ordnung.orchestration.returned_parcel_actions import (
    ParcelSettlement,
    process_returned_parcel,
)
from ordnung.orchestration.returned_parcel_schemas import (
    ParcelStatus,
    ProcessedParcelOut,
    ProcessParcelIn,
    ReturnedParcelOut,
    ReturnedParcelPageOut,
    ReturnedToSenderIn,
    ReturnedToSenderOut,
    ReturnReason,
)

router = APIRouter(tags=["returned to sender"])

CREATED = json_answer(201)
OK = json_answer(200)


def _created(result: Any) -> Answer:
    return CREATED(asdict(result))


def _ok(result: Any) -> Answer:
    return OK(asdict(result))


@router.post(
    "/shipments/{shipment_id}/returned-to-sender",
    summary="Record that a parcel came back to the sender",
    status_code=201,
    responses=answers(
        ReturnedToSenderOut, 404, 409, status=201, description="Recorded", headers=REPLAYED_HEADER
    ),
    openapi_extra=idempotent_operation(),
)
def returned_to_sender(
    body: ReturnedToSenderIn,
    request: Request,
    shipment_id: int = record_id("The shipment's id", example=12),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """The shipment (shipped, in transit, out for delivery or with a carrier exception)
    becomes `returned_to_sender`; its units wait as a returned parcel in the queue of the
    location that shipped it, to be restocked or written off. The order's timeline shows
    `shipment.returned_to_sender`. Recording the same shipment twice is a 409; a delivered
    shipment a 409 too (a customer return is not a return to sender). Send an
    Idempotency-Key: a retry replays the first answer."""
    keyed = idempotent(request, principal, body, _created)
    recorded = record_returned_to_sender(
        db,
        shipment_id,
        ParcelReturn(body.reason.value, body.note),
        actor=principal.actor,
        only_location_id=principal.location_id,
        idempotency=keyed,
    )
    return respond(recorded, _created, keyed)


class ParcelListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: Annotated[
        ParcelStatus | None, Field(description="Without it: both; the queue shows `waiting`.")
    ] = None
    reason: ReturnReason | None = None
    cursor: Annotated[str | None, Field(min_length=1, max_length=MAX_CURSOR_LENGTH)] = None
    limit: Annotated[int, Field(ge=1, description="Capped at the largest page size")] = (
        DEFAULT_PAGE_SIZE
    )


@router.get(
    "/locations/{code}/queue/returned-parcels",
    summary="The location's parcels returned to sender",
    responses=page_answers(ReturnedParcelPageOut, 404),
)
def list_parcels(
    request: Request,
    params: Annotated[ParcelListQuery, Query()],
    code: str = key_in_path("The location's code", max_length=40, example="lager-nord"),
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The queue's "returned to sender" part: parcels that came back to this location,
    oldest first, with their lines; filter by `status` (`waiting` is the work still to do)
    and `reason`. A key bound to another location gets 404."""
    page = page_request(request, params.cursor, params.limit)
    filters = queries.ParcelFilter(
        status=None if params.status is None else params.status.value,
        reason=None if params.reason is None else params.reason.value,
    )
    result = queries.list_returned_parcels(
        db,
        code,
        filters,
        after_id=page.after_id,
        limit=page.limit,
        only_location_id=principal.location_id,
    )
    return page.respond(result["items"], result["next_after_id"])


def parcel_id_in_path() -> Any:
    return record_id("The returned parcel's id", example=4)


@router.get(
    "/returned-parcels/{parcel_id}",
    summary="One returned parcel",
    responses=answers(ReturnedParcelOut, 404),
)
def read_parcel(
    parcel_id: int = parcel_id_in_path(),
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The parcel with its lines and, once processed, what became of each line's units."""
    return JSONResponse(
        queries.get_returned_parcel(db, parcel_id, only_location_id=principal.location_id)
    )


@router.post(
    "/returned-parcels/{parcel_id}/process",
    summary="Restock or write off a returned parcel's units",
    responses=answers(ProcessedParcelOut, 404, 409, headers=REPLAYED_HEADER),
    openapi_extra=idempotent_operation(),
)
def process_parcel(
    body: ProcessParcelIn,
    request: Request,
    parcel_id: int = parcel_id_in_path(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Name every line once with `restocked` + `written_off` = its units (else 422).
    Restocked units go back on sale at the location (stock `return`, cause
    `returned_to_sender`) and to orders waiting for them; written-off ones leave with the
    `write_off_cause`. All in one transaction; the order's timeline shows
    `returned_parcel.processed`. A processed parcel is a 409 — of two people processing at
    once, one succeeds. Send an Idempotency-Key: a retry replays the first answer."""
    keyed = idempotent(request, principal, body, _ok)
    settlement = ParcelSettlement(
        [
            rules.LineSettlement(line.line_id, line.restocked, line.written_off)
            for line in body.lines
        ],
        body.write_off_cause.value,
        body.note,
    )
    processed = process_returned_parcel(
        db,
        parcel_id,
        settlement,
        actor=principal.actor,
        only_location_id=principal.location_id,
        idempotency=keyed,
    )
    return respond(processed, _ok, keyed)
