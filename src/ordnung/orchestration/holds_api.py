"""The hold queue over HTTP: list held orders, release or cancel many at once."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import MAX_BIGINT_ID, SINGLE_LINE, free_text
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError
from ordnung.core.http import get_db, idempotent, json_answer, require, respond
from ordnung.core.openapi import MoneyOut, ResponseModel, answers, idempotent_operation
from ordnung.core.paging import DEFAULT_PAGE_SIZE, MAX_CURSOR_LENGTH, page_answers, page_request
from ordnung.orchestration import hold_actions
from ordnung.orchestration.hold_actions import ItemOutcome, QueueItem
from ordnung.orders.api import ORDER_REFERENCE, order_id_from_reference
from ordnung.orders.hold_queue import HoldQueueFilter, list_active_holds
from ordnung.orders.schemas import HoldReason, OrderStatus

router = APIRouter(tags=["holds"])
MAX_ITEMS = 200


class HeldTotal(ResponseModel):
    amount: MoneyOut
    currency: str = Field(examples=["EUR"])


class HeldOrderOut(ResponseModel):
    """One active hold with its order: why it was put on and which rules fired."""

    id: int = Field(description="The hold's id")
    order_id: int
    order_number: str = Field(examples=["ORD-000321"])
    order_status: OrderStatus
    order_version: int = Field(description="Send it back as `version` to act only on what you saw.")
    channel: str
    customer_name: str
    email: str
    total: HeldTotal
    reason: HoldReason
    detail: str = Field(description="In English; `facts` holds the figures.")
    facts: dict[str, Any] | None
    rules: list[str] = Field(description="The rules that fired", examples=[["fraud_score"]])
    created_at: datetime


class HoldPageOut(ResponseModel):
    items: list[HeldOrderOut]
    next_cursor: str | None


class HoldQueueQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: HoldReason | None = None
    channel: Annotated[
        str | None, Field(max_length=40, pattern=SINGLE_LINE, description="Channel code")
    ] = None
    cursor: Annotated[str | None, Field(min_length=1, max_length=MAX_CURSOR_LENGTH)] = None
    limit: Annotated[int, Field(ge=1, description="Capped at the largest page size")] = (
        DEFAULT_PAGE_SIZE
    )


@router.get("/holds", summary="The hold queue", responses=page_answers(HoldPageOut))
def list_holds(
    request: Request,
    params: Annotated[HoldQueueQuery, Query()],
    _: Principal = Depends(require("orders:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Every active hold of an order not cancelled, oldest first, with the rule that fired
    and its facts; filter by reason and channel."""
    page = page_request(request, params.cursor, params.limit)
    filters = HoldQueueFilter(
        None if params.reason is None else params.reason.value, params.channel
    )
    result = list_active_holds(db, filters, page.after_id, page.limit)
    return page.respond(result["items"], result["next_after_id"])


class PickedOrder(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order: str = Field(
        pattern=ORDER_REFERENCE, max_length=23, description="Id or number", examples=["ORD-000321"]
    )
    hold_ids: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_BIGINT_ID)]] | None,
        Field(max_length=20, description="Which holds to release; leave out for all"),
    ] = None
    version: Annotated[
        int | None,
        Field(
            ge=1, le=2**31 - 1, description="The order version you saw; a newer one is left alone"
        ),
    ] = None


class BulkIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [{"orders": [{"order": "ORD-000321"}], "note": "Checked by phone"}]
        },
    )

    orders: Annotated[list[PickedOrder], Field(min_length=1, max_length=MAX_ITEMS)]
    note: Annotated[str, free_text(500)]


class ItemOutcomeOut(ResponseModel):
    order: str = Field(description="The order as it was named in the request")
    outcome: str = Field(description="`done`, `changed` (someone changed it meanwhile) or `failed`")
    detail: str
    order_number: str | None
    order_status: OrderStatus | None


class BulkOut(ResponseModel):
    results: list[ItemOutcomeOut]


def _items(db: Database, body: BulkIn) -> tuple[list[QueueItem], list[ItemOutcomeOut | None]]:
    """The picked orders that exist, and a `failed` outcome in place of each that does not."""
    items: list[QueueItem] = []
    missing: list[ItemOutcomeOut | None] = []
    for picked in body.orders:
        try:
            order_id = order_id_from_reference(db, picked.order)
        except NotFoundError as error:
            missing.append(
                ItemOutcomeOut(
                    order=picked.order,
                    outcome="failed",
                    detail=error.detail,
                    order_number=None,
                    order_status=None,
                )
            )
            continue
        hold_ids = None if picked.hold_ids is None else tuple(picked.hold_ids)
        items.append(QueueItem(order_id, hold_ids, picked.version))
        missing.append(None)
    return items, missing


def _merged(
    body: BulkIn, outcomes: list[ItemOutcome], missing: list[ItemOutcomeOut | None]
) -> dict[str, Any]:
    done = iter(outcomes)
    results = []
    for picked, failed in zip(body.orders, missing, strict=True):
        if failed is not None:
            results.append(failed.model_dump())
        else:
            results.append({"order": picked.order, **_outcome(next(done))})
    return {"results": results}


def _outcome(outcome: ItemOutcome) -> dict[str, Any]:
    values = asdict(outcome)
    values.pop("order_id")
    return values


OK = json_answer(200)


def _bulk(request: Request, body: BulkIn, principal: Principal, db: Database, act: Any) -> Response:
    keyed = idempotent(request, principal, body.model_dump(mode="json"), OK)

    def run() -> dict[str, Any]:
        items, missing = _items(db, body)
        return _merged(body, act(db, items, note=body.note, actor=principal.actor), missing)

    result = hold_actions.with_idempotency_key(db, keyed, run, actor=principal.actor)
    return respond(result, OK, keyed)


@router.post(
    "/holds/release",
    summary="Release the holds of many orders",
    responses=answers(BulkOut, 409, description="What happened to each order"),
    openapi_extra=idempotent_operation(),
)
def release_holds(
    body: BulkIn,
    request: Request,
    principal: Principal = Depends(require("orders:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Releases the named holds (or all active ones) of each order with the note; an order
    left without holds is sourced at once. Each order is done on its own: one that changed
    meanwhile (`changed`) or failed does not stop the others."""
    return _bulk(request, body, principal, db, hold_actions.release_many)


@router.post(
    "/holds/cancel",
    summary="Cancel many held orders",
    responses=answers(BulkOut, 409, description="What happened to each order"),
    openapi_extra=idempotent_operation(),
)
def cancel_held_orders(
    body: BulkIn,
    request: Request,
    principal: Principal = Depends(require("orders:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Cancels each order with the note as the reason (a note of `fraud` records a fraud
    cancellation, which the fraud check counts for the customer's next orders)."""
    return _bulk(request, body, principal, db, hold_actions.cancel_many)
