"""Click & collect over HTTP, the store's side that changes only the fulfilment order: make
it ready for pickup (the code is made), and read its pickup. (The hand-over changes the
order too: `orchestration/pickup_api.py`.)"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import Field

from ordnung.core.api_fields import record_id
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError
from ordnung.core.http import JSONResponse, get_db, require
from ordnung.core.openapi import ResponseModel, answers
from ordnung.core.settings import Settings
from ordnung.fulfillment import pickup, pickup_model
from ordnung.fulfillment.queries import check_location_access
from ordnung.fulfillment.schemas import FulfillmentStatus

router = APIRouter(tags=["fulfillment"])


class ReadyForPickupOut(ResponseModel):
    id: int
    status: FulfillmentStatus
    pickup_code: str = Field(
        examples=["KX7R4MQA"], description="What the customer shows at the counter"
    )
    ready_at: datetime
    expires_at: datetime = Field(description="Not collected by then, the order is cancelled")


class PickupOut(ResponseModel):
    """A click & collect fulfilment order's pickup: the code once it is ready, the deadline,
    wrong codes typed, and when it was collected or expired."""

    fulfillment_order_id: int
    order_number: str = Field(examples=["ORD-000321"])
    pickup_code: str | None = Field(examples=["KX7R4MQA"])
    pickup_code_shown: str | None = Field(examples=["KX7R-4MQA"], description="As printed")
    ready_at: datetime | None
    expires_at: datetime | None
    wrong_codes: int
    locked_until: datetime | None
    picked_up_at: datetime | None
    expired_at: datetime | None


def _fo_id() -> Any:
    return record_id("The fulfilment order's id", example=7)


@router.post(
    "/fulfillment-orders/{fo_id}/ready-for-pickup",
    summary="The store has a click & collect order ready: make its pickup code",
    responses=answers(ReadyForPickupOut, 404, 409),
)
def ready_for_pickup(
    request: Request,
    fo_id: int = _fo_id(),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """The goods are at the counter: a pickup code is made, the customer is told with it
    (event `fulfillment_order.ready_for_pickup`) and must collect within the store's days
    (`ORDNUNG_PICKUP_DAYS`). Asked again, it answers the same code. A fulfilment order that
    is not click & collect, or has left already, answers 409."""
    check_location_access(db, fo_id, principal.location_id)
    settings: Settings = request.app.state.settings
    ready = pickup.mark_ready(db, fo_id, actor=principal.actor, days=settings.pickup_days)
    return JSONResponse(ready)


@router.get(
    "/fulfillment-orders/{fo_id}/pickup",
    summary="A click & collect order's pickup code and deadline",
    responses=answers(PickupOut, 404),
)
def read_pickup(
    fo_id: int = _fo_id(),
    principal: Principal = Depends(require("fulfillment:read")),
    db: Database = Depends(get_db),
) -> Response:
    """For printing the customer's slip: the code (and as shown, in two groups), the
    deadline, and the counter's wrong tries. 404 for a fulfilment order that is not
    click & collect."""
    check_location_access(db, fo_id, principal.location_id)
    row = pickup.pickup_of(db, fo_id)
    if row is None:
        raise NotFoundError(f"Fulfilment order {fo_id} is not a click & collect order.")
    code = row["code"]
    return JSONResponse(
        {
            "fulfillment_order_id": fo_id,
            "order_number": row["order_number"],
            "pickup_code": code,
            "pickup_code_shown": None if code is None else pickup_model.shown(code),
            "ready_at": row["ready_at"],
            "expires_at": row["expires_at"],
            "wrong_codes": row["wrong_codes"],
            "locked_until": row["locked_until"],
            "picked_up_at": row["picked_up_at"],
            "expired_at": row["expired_at"],
        }
    )
