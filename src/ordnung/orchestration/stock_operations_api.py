"""HTTP interface of stock operations: transfers between locations, write-offs and returns,
stock imports from outside systems (`/stock/...`). They free units for waiting orders, so
they are business actions across capabilities (`stock_operations.py`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ordnung.core.api_fields import SINGLE_LINE, location_in_path, record_id, sku_in_path
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.errors import ValidationError
from ordnung.core.http import (
    JSONResponse,
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
from ordnung.core.paging import Page, page_answers, page_from_service, requested_page
from ordnung.inventory import imports, stock_sync, transfer_queries
from ordnung.inventory.bookings import StockBooking
from ordnung.inventory.imports import ImportOutcome
from ordnung.inventory.operations import TransferDraft, TransferLine, TransferReceipt
from ordnung.inventory.schemas import StockPositionOut
from ordnung.inventory.stock_sync import SyncBatch, SyncLine
from ordnung.inventory.transfers import MovedUnits
from ordnung.orchestration import stock_operations
from ordnung.orchestration.stock_operations_schemas import (
    CancelTransferIn,
    ImportLinePageOut,
    ReceiveIn,
    ReturnIn,
    StockImportIn,
    StockImportOut,
    StockImportPageOut,
    TransferIn,
    TransferOut,
    TransferPageOut,
    TransferStatus,
    WriteOffIn,
)

router = APIRouter(tags=["inventory"])

READ = "inventory:read"
WRITE = "inventory:write"
ATTENTION_SHOWN = 1_000
CSV_TYPES = ("text/csv", "application/csv")


def transfer_in_path() -> Any:
    return record_id("The transfer's id", maximum=2_147_483_647)


def if_match_transfer() -> Any:
    return Header(
        default=None,
        description=(
            'The transfer\'s version you last saw (`"3"`): if it changed since, nothing is '
            "booked and the answer is 409 with `current_version`."
        ),
        examples=['"3"'],
        max_length=40,
    )


def _transfer_answer(status: int) -> Any:
    def render(moved: MovedUnits) -> Answer:
        return json_answer(status)(moved.details)

    return render


@router.post(
    "/stock/transfers",
    status_code=201,
    summary="Send units to another location",
    responses=answers(TransferOut, 409, status=201, description="The transfer, in transit"),
    openapi_extra=idempotent_operation(),
)
def create_transfer(
    body: TransferIn,
    request: Request,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Creates a transfer (`TR-…`) and takes its units off the source at once: only units no
    order holds. Asking more than that is a 409 with `on_hand`, `reserved`, `free` and
    `requested`, and nothing is sent. The units are then in transit to the destination."""
    render = _transfer_answer(201)
    keyed = idempotent(request, principal, body, render)
    draft = TransferDraft(
        body.from_location,
        body.to_location,
        tuple(TransferLine(line.sku, line.quantity) for line in body.lines),
        body.cause,
        body.note,
    )
    moved = stock_operations.send_transfer(db, draft, actor=principal.actor, idempotency=keyed)
    return respond(moved, render, keyed)


@router.get("/stock/transfers", summary="Transfers", responses=page_answers(TransferPageOut))
def list_transfers(
    status: TransferStatus | None = Query(None),
    location: str | None = Query(
        None, min_length=1, max_length=40, pattern=SINGLE_LINE, description="From or to"
    ),
    page: Page = Depends(requested_page),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """Transfers newest first, optionally by status or by a location they leave or reach."""
    result = transfer_queries.list_transfers(
        db, status=status, location_code=location, after_id=page.after_id, limit=page.limit
    )
    return page_from_service(page, result)


@router.get(
    "/stock/transfers/{transfer_id}", summary="One transfer", responses=answers(TransferOut, 404)
)
def get_transfer(
    transfer_id: int = transfer_in_path(),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """A transfer with its lines: sent, received, still on the way."""
    found = transfer_queries.get_transfer(db, transfer_id)
    return JSONResponse(found, headers={"ETag": f'"{found["version"]}"'})


@router.post(
    "/stock/transfers/{transfer_id}/receive",
    summary="Receive units of a transfer",
    responses=answers(TransferOut, 404, 409, description="The transfer after the receipt"),
    openapi_extra=idempotent_operation(),
)
def receive_transfer(
    body: ReceiveIn,
    request: Request,
    transfer_id: int = transfer_in_path(),
    if_match: str | None = if_match_transfer(),
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Books arrived units at the destination, any part of any line (`transfer_in`); once
    nothing is on the way the transfer is `received`. The units go to waiting orders at
    once. More than is still on the way is a 422; a received or cancelled transfer a 409."""
    render = _transfer_answer(200)
    keyed = idempotent(request, principal, body, render)
    quantities: dict[str, int] = {}
    for line in body.lines:
        quantities[line.sku] = quantities.get(line.sku, 0) + line.quantity
    receipt = TransferReceipt(quantities, body.note, version_from_if_match(if_match, of="transfer"))
    moved = stock_operations.receive_transfer(
        db, transfer_id, receipt, actor=principal.actor, idempotency=keyed
    )
    return respond(moved, render, keyed)


@router.post(
    "/stock/transfers/{transfer_id}/cancel",
    summary="Cancel a transfer",
    responses=answers(TransferOut, 404, 409, description="The cancelled transfer"),
    openapi_extra=idempotent_operation(),
)
def cancel_transfer(
    body: CancelTransferIn,
    request: Request,
    transfer_id: int = transfer_in_path(),
    if_match: str | None = if_match_transfer(),
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Calls a transfer in transit off: the units not yet received are booked back at the
    source (`transfer_in`, cause `cancelled`)."""
    render = _transfer_answer(200)
    keyed = idempotent(request, principal, body, render)
    moved = stock_operations.cancel_transfer(
        db,
        transfer_id,
        note=body.note,
        expected_version=version_from_if_match(if_match, of="transfer"),
        actor=principal.actor,
        idempotency=keyed,
    )
    return respond(moved, render, keyed)


OK = json_answer(200)


@router.post(
    "/stock/{sku}/{location_code}/write-off",
    summary="Write off damaged, lost or expired units",
    responses=answers(StockPositionOut, 404, 409, description="The position after it"),
    openapi_extra=idempotent_operation(),
)
def write_off(
    body: WriteOffIn,
    request: Request,
    sku: str = sku_in_path(),
    location_code: str = location_in_path(),
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Takes units off the shelf for good (`write_off` with its cause). Units orders hold
    are never written off: that is a 409 with the figures."""
    keyed = idempotent(request, principal, body, OK)
    booking = StockBooking("write_off", body.quantity, body.cause, body.note)
    position = stock_operations.book_stock(
        db, sku, location_code, booking, actor=principal.actor, idempotency=keyed
    )
    return respond(position, OK, keyed)


@router.post(
    "/stock/{sku}/{location_code}/return",
    summary="Put returned units back into sellable stock",
    responses=answers(StockPositionOut, 404, description="The position after it"),
    openapi_extra=idempotent_operation(),
)
def return_to_stock(
    body: ReturnIn,
    request: Request,
    sku: str = sku_in_path(),
    location_code: str = location_in_path(),
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Units back on the shelf (`return` with its cause); waiting orders may take them."""
    keyed = idempotent(request, principal, body, OK)
    booking = StockBooking("return", body.quantity, body.cause, body.note)
    position = stock_operations.book_stock(
        db, sku, location_code, booking, actor=principal.actor, idempotency=keyed
    )
    return respond(position, OK, keyed)


# -- imports ---------------------------------------------------------------------------------


def _import_answer(outcome: ImportOutcome) -> Answer:
    return json_answer(201)(outcome.report)


_CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/StockImportIn"}},
            "text/csv": {
                "schema": {"type": "string"},
                "example": "sku;location;quantity\nOD-0001;lager-nord;37\n",
            },
        },
    }
}


@router.post(
    "/stock/imports",
    status_code=201,
    summary="Import stock from a WMS, POS or supplier feed",
    responses=answers(StockImportOut, status=201, description="What the import changed"),
    openapi_extra={**idempotent_operation(StockImportIn), **_CSV_BODY},
)
async def create_import(
    request: Request,
    mode: str | None = Query(None, description="For text/csv: snapshot or delta"),
    source: str | None = Query(
        None, max_length=120, pattern=SINGLE_LINE, description="For text/csv: who sent it"
    ),
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """`snapshot`: the rows are the whole truth for the locations they name — a position
    there that is not named counts as 0. `delta`: quantities are changes. Each difference is
    a `count` ledger row (cause `sync`). Unknown SKUs or locations, and counts below what
    orders hold reserved, are not applied: they come back in `attention`. JSON rows or a
    CSV file (`sku;location;quantity`, `;` or `,`, UTF-8) with `?mode=&source=`; at most
    50,000 rows, applied in one transaction (all or nothing)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in CSV_TYPES:
        batch, payload = await _csv_batch(request, mode, source)
    else:
        body = await parse_json_body(request, StockImportIn)
        lines = [
            SyncLine(i + 2, row.sku, row.location, row.quantity) for i, row in enumerate(body.rows)
        ]
        batch, payload = SyncBatch(body.source, body.mode, lines), body.model_dump(mode="json")
    render = _import_answer
    keyed = idempotent(request, principal, payload, render)
    outcome = await run_in_threadpool(
        stock_operations.import_stock, db, batch, actor=principal.actor, idempotency=keyed
    )
    return respond(outcome, render, keyed)


async def _csv_batch(
    request: Request, mode: str | None, source: str | None
) -> tuple[SyncBatch, dict[str, Any]]:
    if mode not in stock_sync.MODES:
        raise _invalid("mode", "query parameter mode must be snapshot or delta")
    if not source or not source.strip():
        raise _invalid("source", "query parameter source names the sending system")
    data = await request.body()
    read = stock_sync.read_sync_file(data)
    if read.problems:
        first = read.problems[0]
        raise _invalid(
            "body", f"line {first.line_number}: {first.message}", problems=len(read.problems)
        )
    payload = {"mode": mode, "source": source, "csv": data.decode("utf-8-sig")}
    return SyncBatch(source, mode, read.lines), payload


def _invalid(field: str, message: str, **extra: Any) -> ValidationError:
    return ValidationError(
        f"Invalid fields: {field}",
        errors=[{"field": field, "message": message, "type": "value_error"}],
        **extra,
    )


@router.get("/stock/imports", summary="Stock imports", responses=page_answers(StockImportPageOut))
def list_imports(
    page: Page = Depends(requested_page),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """Imports newest first, with their counts."""
    return page_from_service(
        page, imports.list_imports(db, after_id=page.after_id, limit=page.limit)
    )


@router.get(
    "/stock/imports/{import_id}",
    summary="One stock import: the reconciliation",
    responses=answers(StockImportOut, 404),
)
def get_import(
    import_id: int = record_id("The import's id", maximum=2_147_483_647),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """What changed (counts) and what was refused and why (`attention`, up to 1,000 lines)."""
    return JSONResponse(imports.import_report(db, import_id))


@router.get(
    "/stock/imports/{import_id}/lines",
    summary="The lines of a stock import",
    responses=page_answers(ImportLinePageOut, 404),
)
def list_import_lines(
    import_id: int = record_id("The import's id", maximum=2_147_483_647),
    outcome: list[str] = Query([], description="Only these outcomes (repeat the parameter)"),
    page: Page = Depends(requested_page),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """Every line in file order with before, after, difference and outcome."""
    imports.get_import(db, import_id)  # 404 for an unknown import
    result = imports.import_lines(
        db, import_id, outcomes=tuple(outcome), after_id=page.after_id, limit=page.limit
    )
    return page_from_service(page, result)
