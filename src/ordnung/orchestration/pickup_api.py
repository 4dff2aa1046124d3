"""The click & collect hand-over over HTTP: the customer's code checked at the counter."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import record_id
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, require
from ordnung.core.openapi import ResponseModel, answers
from ordnung.fulfillment.queries import check_location_access
from ordnung.fulfillment.schemas import FulfillmentStatus
from ordnung.orchestration.pickup_actions import hand_over_pickup
from ordnung.orders.schemas import OrderStatus

router = APIRouter(tags=["fulfillment"])


class PickupIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"code": "KX7R-4MQA"}]},
    )

    code: Annotated[
        str,
        Field(
            min_length=1,
            max_length=20,
            pattern=r"^[A-Za-z0-9 -]+$",
            description="The pickup code as typed or scanned (case, spaces and dashes ignored)",
            examples=["KX7R-4MQA"],
        ),
    ]


class PickedUpOut(ResponseModel):
    id: int
    status: FulfillmentStatus
    picked_up_at: datetime
    order_status: OrderStatus
    is_repeat: bool = Field(
        description="true: this code was accepted before; nothing moved this time"
    )


@router.post(
    "/fulfillment-orders/{fo_id}/pickup",
    summary="Hand a click & collect order over against its pickup code",
    responses=answers(PickedUpOut, 404, 409, description="Handed over"),
)
def hand_over(
    body: PickupIn,
    fo_id: int = record_id("The fulfilment order's id", example=7),
    principal: Principal = Depends(require("fulfillment:write")),
    db: Database = Depends(get_db),
) -> Response:
    """The customer shows the code: the right one hands the order over — its units leave the
    store's stock, the fulfilment order is `picked_up` and the order shipped (complete). A
    retry with the same code answers the same (`is_repeat`) and books nothing twice. A wrong
    code is 422 (`tries_left`); after 5 wrong codes the hand-over is locked for 15 minutes
    (409, `locked_until`). Only a fulfilment order ready for pickup can be handed over
    (otherwise 409)."""
    check_location_access(db, fo_id, principal.location_id)
    return JSONResponse(hand_over_pickup(db, fo_id, body.code, actor=principal.actor))
