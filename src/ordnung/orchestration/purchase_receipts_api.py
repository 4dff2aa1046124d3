"""HTTP: receive goods of a purchase order (stock rises, waiting orders take the units)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from ordnung.core.api_fields import SINGLE_LINE
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import get_db, idempotent, json_answer, require, respond
from ordnung.core.openapi import answers, idempotent_operation
from ordnung.orchestration.purchase_receipts import receive_purchase_order
from ordnung.purchasing.schemas import PurchaseOrderOut, ReceiveIn

router = APIRouter(tags=["supply"])
OK = json_answer(200)


def number_in_path() -> Any:
    return Path(
        min_length=1,
        max_length=40,
        pattern=SINGLE_LINE,
        description="The purchase order's number",
        examples=["PO-2026-000123"],
    )


@router.post(
    "/purchase-orders/{number}/receive",
    summary="Receive goods of a purchase order",
    responses=answers(PurchaseOrderOut, 404, 409, description="The order after the receipt"),
    openapi_extra=idempotent_operation(),
)
def receive(
    body: ReceiveIn,
    request: Request,
    number: str = number_in_path(),
    principal: Principal = Depends(require("inventory:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Books the units that arrived, line by line (also partially): stock rises at the
    destination with a `receipt` ledger row naming the order, and orders waiting for these
    SKUs take the new units at once. More than is still open on a line is a 422 naming the
    line. Send an Idempotency-Key, so a retried receipt counts once."""
    keyed = idempotent(request, principal, body.model_dump(mode="json"), OK)
    received = receive_purchase_order(
        db, number, body.receipt(), actor=principal.actor, idempotency=keyed
    )
    return respond(received, OK, keyed)
