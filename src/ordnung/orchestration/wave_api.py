"""Bins and pick waves over HTTP, under the location they belong to. A key bound to a
location sees and works only its own: another location's bins and waves answer 404."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import location_in_path, record_id
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, idempotent, json_answer, require, respond
from ordnung.core.idempotency import Answer
from ordnung.core.openapi import REPLAYED_HEADER, answers, idempotent_operation, problems
from ordnung.core.paging import (
    DEFAULT_PAGE_SIZE,
    MAX_CURSOR_LENGTH,
    legacy_position,
    page_answers,
    page_from_legacy,
    page_request,
)
from ordnung.fulfillment import waves
from ordnung.fulfillment.pick_list_pdf import render_pick_list
from ordnung.inventory import bins
from ordnung.orchestration.wave_actions import WaveShortPick, report_wave_short_pick
from ordnung.orchestration.wave_schemas import (
    BinListOut,
    BinsIn,
    BinsSetOut,
    PickIn,
    PicksRecordedOut,
    PickWaveCreatedOut,
    PickWaveIn,
    PickWaveOut,
    PickWavePageOut,
    PickWaveStatus,
    WaveShortPickIn,
    WaveShortPickOut,
)

router = APIRouter(tags=["picking"])

CREATED = json_answer(201)
OK = json_answer(200)
PDF_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The pick list, A4, one or more pages",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    },
    **problems(404),
}


def wave_id_in_path() -> Any:
    return record_id("The pick wave's id", example=3)


def _created(result: Any) -> Answer:
    return CREATED(asdict(result))


def _ok(result: Any) -> Answer:
    return OK(asdict(result))


# -- bins ------------------------------------------------------------------------------------


@router.get(
    "/locations/{code}/bins",
    summary="The location's bins",
    responses=answers(BinListOut, 404),
)
def list_bins(
    code: str = location_in_path(),
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Which bin each product lies in at the location, by bin. Products without a bin are
    not listed (the pick list puts them last)."""
    items = bins.list_bins(db, code, only_location_id=principal.location_id)
    return JSONResponse({"items": items})


@router.put(
    "/locations/{code}/bins",
    summary="Set the bins of products at the location",
    responses=answers(BinsSetOut, 404),
)
def put_bins(
    body: BinsIn,
    code: str = location_in_path(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Gives each named product its bin at the location (or takes it off with `"bin":
    null`); products not named keep theirs. An unknown SKU or one named twice refuses the
    whole batch (422). Sending the same body again changes nothing."""
    changes = [bins.BinChange(item.sku, item.bin) for item in body.bins]
    done = bins.set_bins(
        db, code, changes, actor=principal.actor, only_location_id=principal.location_id
    )
    return JSONResponse(asdict(done))


# -- waves -----------------------------------------------------------------------------------


@router.post(
    "/locations/{code}/pick-waves",
    summary="Build a pick wave of fulfilment orders",
    status_code=201,
    responses=answers(
        PickWaveCreatedOut, 404, 409, status=201, description="Built", headers=REPLAYED_HEADER
    ),
    openapi_extra=idempotent_operation(),
)
def create_wave(
    body: PickWaveIn,
    request: Request,
    code: str = location_in_path(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Batches released or accepted fulfilment orders of the location into one wave; each
    starts picking (released ones are accepted first), recorded on its order's timeline.
    An id that is not a fulfilment order of this location is a 422, one already picking or
    in another open wave a 409; each problem names the ids. Send an Idempotency-Key: a retry
    builds no second wave."""
    keyed = idempotent(request, principal, body, _created)
    created = waves.create_wave(
        db,
        code,
        body.fulfillment_order_ids,
        actor=principal.actor,
        only_location_id=principal.location_id,
        idempotency=keyed,
    )
    return respond(created, _created, keyed)


class WaveListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: PickWaveStatus | None = None
    cursor: Annotated[str | None, Field(min_length=1, max_length=MAX_CURSOR_LENGTH)] = None
    limit: Annotated[int, Field(ge=1, description="Capped at the largest page size")] = (
        DEFAULT_PAGE_SIZE
    )


@router.get(
    "/locations/{code}/pick-waves",
    summary="The location's pick waves",
    responses=page_answers(PickWavePageOut, 404),
)
def list_waves(
    request: Request,
    params: Annotated[WaveListQuery, Query()],
    code: str = location_in_path(),
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Pick waves of the location, newest first, filterable by status (`open`, `done`)."""
    page = page_request(request, params.cursor, params.limit)
    result = waves.list_waves(
        db,
        code,
        status=None if params.status is None else params.status.value,
        cursor=legacy_position(page),
        limit=page.limit,
        only_location_id=principal.location_id,
    )
    return page_from_legacy(page, result)


@router.get(
    "/locations/{code}/pick-waves/{wave_id}",
    summary="One pick wave, in bin order",
    responses=answers(PickWaveOut, 404),
)
def read_wave(
    code: str = location_in_path(),
    wave_id: int = wave_id_in_path(),
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The wave's rows per bin and SKU in walking order (products without a bin last), with
    the fulfilment orders each row is for and how far picking got."""
    return JSONResponse(waves.get_wave(db, (code, wave_id), only_location_id=principal.location_id))


@router.get(
    "/locations/{code}/pick-waves/{wave_id}/pick-list.pdf",
    summary="The wave's pick list as a PDF",
    response_class=Response,
    responses=PDF_ANSWER,
)
def pick_list_pdf(
    code: str = location_in_path(),
    wave_id: int = wave_id_in_path(),
    language: Annotated[
        Literal["de", "en"] | None,
        Query(description="de or en; without it, from Accept-Language", examples=["de"]),
    ] = None,
    accept_language: Annotated[str | None, Header(max_length=200, examples=["de-DE"])] = None,
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """A4 pick list: wave number (also as a Code 128 barcode), location and date, then one
    row per bin and SKU in walking order with the quantity, the order numbers and a Code 128
    barcode of the product's GTIN (its SKU when it has none). German or English."""
    document = waves.pick_list_document(db, (code, wave_id), only_location_id=principal.location_id)
    chosen = language or ("de" if (accept_language or "").lower().startswith("de") else "en")
    return Response(
        render_pick_list(document, chosen),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{document.wave_number}.pdf"'},
    )


@router.post(
    "/locations/{code}/pick-waves/{wave_id}/picks",
    summary="Confirm picked units (a scan or a click)",
    responses=answers(PicksRecordedOut, 404, 409, headers=REPLAYED_HEADER),
    openapi_extra=idempotent_operation(),
)
def record_picks(
    body: PickIn,
    request: Request,
    code: str = location_in_path(),
    wave_id: int = wave_id_in_path(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Counts `quantity` units of the product (its SKU or GTIN, as scanned) as picked, for
    the named fulfilment order or the first of the wave that still wants them. More units
    than are still to pick, or a product not on the list, is a 422; a done wave a 409. When
    nothing is left to pick the wave is done; its fulfilment orders stay `picking`, ready
    to pack. Send an Idempotency-Key: a retried scan counts once."""
    keyed = idempotent(request, principal, body, _ok)
    pick = waves.Pick(body.sku, body.quantity, body.fulfillment_order_id)
    recorded = waves.record_picks(
        db,
        (code, wave_id),
        pick,
        actor=principal.actor,
        only_location_id=principal.location_id,
        idempotency=keyed,
    )
    return respond(recorded, _ok, keyed)


@router.post(
    "/locations/{code}/pick-waves/{wave_id}/short-picks",
    summary="Report units missing on the shelf during a wave",
    responses=answers(WaveShortPickOut, 404, 409, headers=REPLAYED_HEADER),
    openapi_extra=idempotent_operation(),
)
def report_short_pick(
    body: WaveShortPickIn,
    request: Request,
    code: str = location_in_path(),
    wave_id: int = wave_id_in_path(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """The missing units leave the fulfilment order and the location's stock, the order's
    units are sourced again where stock is or wait as backordered, and the order shows a
    short-pick marker (as `POST /fulfillment-orders/{id}/short-pick`). When several
    fulfilment orders of the wave still want the SKU, name one (else 422). Send an
    Idempotency-Key: a retry counts once."""
    keyed = idempotent(request, principal, body, _ok)
    report = WaveShortPick(body.sku, body.missing, body.fulfillment_order_id, body.note)
    outcome = report_wave_short_pick(
        db,
        (code, wave_id),
        report,
        actor=principal.actor,
        only_location_id=principal.location_id,
        idempotency=keyed,
    )
    return respond(outcome, _ok, keyed)
