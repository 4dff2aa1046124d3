"""The supplier's side of drop-ship over HTTP: /supplier/purchase-orders — its open drop-ship
purchase orders with the ship-to address, confirm, ship with tracking, reject.

A key bound to the supplier's drop-ship location sees and works only that location's orders;
another's answer 404, as if they did not exist (design.md §8). An unbound key (the merchant's
own integration) sees all. Scopes: `fulfillment:read` / `fulfillment:write`, as for any other
location's work.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from ordnung.core.api_fields import SINGLE_LINE
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, idempotent, json_answer, require, respond
from ordnung.core.idempotency import Answer
from ordnung.core.openapi import answers, idempotent_operation
from ordnung.core.paging import Page, page_answers, page_from_service, requested_page
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.orchestration import dropship as actions
from ordnung.orchestration.dropship import DropshipAnswer
from ordnung.orchestration.schemas import RejectIn, ShipIn
from ordnung.purchasing import dropship
from ordnung.purchasing.schemas import DropshipConfirmIn, DropshipPageOut, PurchaseOrderOut

router = APIRouter(tags=["drop-ship"])

READ = "fulfillment:read"
WRITE = "fulfillment:write"


def number_in_path() -> Any:
    return Path(
        min_length=1,
        max_length=40,
        pattern=SINGLE_LINE,
        description="The drop-ship purchase order's number",
        examples=["PO-2026-000123"],
    )


OK = json_answer(200)


def _answer(result: DropshipAnswer) -> Answer:
    return OK(result.purchase_order)


@router.get(
    "/supplier/purchase-orders",
    summary="A supplier's drop-ship purchase orders",
    responses=page_answers(DropshipPageOut),
)
def list_dropship_orders(
    state: Annotated[
        str,
        Query(
            pattern="^(open|all)$",
            description="`open` (sent or confirmed: still to ship) or `all`.",
        ),
    ] = "open",
    page: Page = Depends(requested_page),
    principal: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """Oldest first — the order they should leave in — each with its lines, the customer's
    ship-to address and contact."""
    result = dropship.list_dropship_orders(
        db,
        only_location_id=principal.location_id,
        is_open=state == "open",
        after_id=page.after_id,
        limit=page.limit,
    )
    return page_from_service(page, result)


@router.get(
    "/supplier/purchase-orders/{number}",
    summary="One drop-ship purchase order",
    responses=answers(PurchaseOrderOut, 404),
)
def get_dropship_order(
    number: str = number_in_path(),
    principal: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """Lines, ship-to, status and, once shipped, carrier and tracking number."""
    return JSONResponse(
        dropship.get_dropship_order(db, number, only_location_id=principal.location_id)
    )


@router.post(
    "/supplier/purchase-orders/{number}/confirm",
    summary="The supplier confirms it will ship",
    responses=answers(PurchaseOrderOut, 404, 409, description="The confirmed purchase order"),
    openapi_extra=idempotent_operation(),
)
def confirm(
    request: Request,
    body: DropshipConfirmIn | None = None,
    number: str = number_in_path(),
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Confirms a sent drop-ship purchase order, optionally with the day it will ship; its
    fulfilment order counts as accepted. Confirming twice, or a cancelled or shipped one, is
    a 409."""
    checked = body or DropshipConfirmIn()
    keyed = idempotent(request, principal, checked, _answer)
    confirmed = actions.confirm_dropship_order(
        db,
        number,
        expected_ship_on=checked.expected_ship_on,
        location_id=principal.location_id,
        actor=principal.actor,
        idempotency=keyed,
    )
    return respond(confirmed, _answer, keyed)


@router.post(
    "/supplier/purchase-orders/{number}/ship",
    summary="The supplier shipped it, with tracking",
    responses=answers(PurchaseOrderOut, 404, 409, description="The shipped purchase order"),
    openapi_extra=idempotent_operation(),
)
def ship(
    body: ShipIn,
    request: Request,
    number: str = number_in_path(),
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """The parcel went to the customer: the fulfilment order ships (the supplier's stock
    leaves, a shipment with carrier and tracking number is recorded, the customer's order
    becomes shipped) and the purchase order is shipped. Only whole: every unit of the purchase
    order ships in one parcel. A second ship is a 409; repeat with the same Idempotency-Key to
    get the first answer again."""
    keyed = idempotent(request, principal, body, _answer)
    draft = ShipmentDraft(body.carrier.lower(), body.tracking_number, body.service)
    shipped = actions.ship_dropship_order(
        db,
        number,
        draft,
        location_id=principal.location_id,
        actor=principal.actor,
        idempotency=keyed,
    )
    return respond(shipped, _answer, keyed)


@router.post(
    "/supplier/purchase-orders/{number}/reject",
    summary="The supplier cannot ship it",
    responses=answers(PurchaseOrderOut, 404, 409, description="The cancelled purchase order"),
    openapi_extra=idempotent_operation(),
)
def reject(
    body: RejectIn,
    request: Request,
    number: str = number_in_path(),
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Cancels the drop-ship purchase order with the reason; its fulfilment order is
    rejected, and the customer's units are sourced again elsewhere (never at this supplier)
    or wait as backordered."""
    keyed = idempotent(request, principal, body, _answer)
    rejected = actions.reject_dropship_order(
        db,
        number,
        reason=body.reason,
        location_id=principal.location_id,
        actor=principal.actor,
        idempotency=keyed,
    )
    return respond(rejected, _answer, keyed)
