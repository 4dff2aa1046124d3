"""Changes to an order after intake, over HTTP: shipping, lines (cancel units, add, replace
the SKU, correct the price). Each carries the order's version in `If-Match` (409 with
`current_version` when it is stale) and answers the changed order with its new ETag; each
honours an `Idempotency-Key`, so a retried change is done once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import get_db, idempotent, json_answer, require, respond
from ordnung.core.http import version_from_if_match as version_of
from ordnung.core.openapi import answers, idempotent_operation
from ordnung.orchestration import order_changes
from ordnung.orchestration.api import if_match_header
from ordnung.orchestration.change_schemas import (
    LineAddIn,
    LineCancelIn,
    LineReplaceIn,
    LineSubstituteIn,
    PriceCorrectionIn,
    ShippingChangeIn,
)
from ordnung.orchestration.order_changes import Edit
from ordnung.orders.api import ETAG_HEADER, order_id_from_reference, order_in_path, version_etag
from ordnung.orders.changes import MAX_LINES
from ordnung.orders.queries import OrderView
from ordnung.orders.schemas import OrderOut

router = APIRouter(tags=["orders"])
OK = json_answer(200)
CHANGED = answers(OrderOut, 404, 409, description="The changed order", headers=ETAG_HEADER)
Writer = Annotated[Principal, Depends(require("orders:write"))]
IfMatch = Annotated[str | None, if_match_header()]


def line_in_path() -> Any:
    return Path(ge=1, le=MAX_LINES, description="The line's number (from 1)", examples=[1])


@dataclass(frozen=True, slots=True)
class Target:
    """The order (and line) a change names, the version the client saw, the database. The
    order is looked up only when the route asks, after the body was checked: a bad body is a
    422 whether or not the order exists."""

    db: Database
    order_ref: str
    if_match: str | None
    line_number: int = 0

    @property
    def order_id(self) -> int:
        return order_id_from_reference(self.db, self.order_ref)

    def edit(self, principal: Principal, reason: str) -> Edit:
        return Edit(principal.actor, reason, version_of(self.if_match))


def order_target(
    order_ref: str = order_in_path(), if_match: IfMatch = None, db: Database = Depends(get_db)
) -> Target:
    return Target(db, order_ref, if_match)


def line_target(
    order_ref: str = order_in_path(),
    line_number: int = line_in_path(),
    if_match: IfMatch = None,
    db: Database = Depends(get_db),
) -> Target:
    return Target(db, order_ref, if_match, line_number)


OrderTarget = Annotated[Target, Depends(order_target)]
LineTarget = Annotated[Target, Depends(line_target)]


def _answer(detail: OrderView, keyed: Any) -> Response:
    response = respond(detail, OK, keyed)
    response.headers["ETag"] = version_etag(detail["version"])
    return response


@router.patch(
    "/orders/{order_ref}/shipping",
    summary="Change the shipping address or method before shipment",
    responses=CHANGED,
    openapi_extra=idempotent_operation(),
)
def change_shipping(
    body: ShippingChangeIn,
    request: Request,
    principal: Writer,
    target: OrderTarget,
) -> Response:
    """Where or how the order ships, while nothing of it has shipped (409 after). The
    locations holding its fulfilment orders get the change as an event (webhooks), also when
    they have accepted already; the checks run again."""
    keyed = idempotent(request, principal, body, OK)
    detail = order_changes.change_shipping(
        target.db,
        target.order_id,
        target.edit(principal, body.reason),
        address=None if body.shipping_address is None else body.shipping_address.to_model(),
        method=body.shipping_method,
        idempotency=keyed,
    )
    return _answer(detail, keyed)


@router.post(
    "/orders/{order_ref}/lines",
    summary="Add a line",
    responses=CHANGED,
    openapi_extra=idempotent_operation(),
)
def add_line(
    body: LineAddIn,
    request: Request,
    principal: Writer,
    target: OrderTarget,
) -> Response:
    """A line of an active catalogue product (422 on `sku` otherwise), sourced at once or
    waiting as backordered; totals and VAT follow."""
    keyed = idempotent(request, principal, body, OK)
    detail = order_changes.add_line(
        target.db,
        target.order_id,
        body.to_request(),
        target.edit(principal, body.reason),
        keyed,
    )
    return _answer(detail, keyed)


@router.post(
    "/orders/{order_ref}/lines/{line_number}/cancel",
    summary="Cancel units of a line",
    responses=CHANGED,
    openapi_extra=idempotent_operation(),
)
def cancel_line_units(
    body: LineCancelIn,
    request: Request,
    principal: Writer,
    target: LineTarget,
) -> Response:
    """Cancels units not yet shipped, as an order cancel does: waiting ones first, then
    reserved ones at a location that has not started picking (their stock goes to orders
    waiting for it). Units a location is picking or has packed stay on the order and become
    a cancellation request for those units of this line (`GET
    /orders/{ref}/cancellation-requests`); the event's `requested` counts them. The location
    accepts (they are cancelled then) or declines (they ship). While an earlier request on
    that fulfilment order is open, the cancel is a 409 and changes nothing."""
    keyed = idempotent(request, principal, body, OK)
    detail = order_changes.cancel_line_units(
        target.db,
        target.order_id,
        target.line_number,
        body.units,
        target.edit(principal, body.reason),
        keyed,
    )
    return _answer(detail, keyed)


@router.post(
    "/orders/{order_ref}/lines/{line_number}/replace",
    summary="Replace a line's SKU",
    responses=CHANGED,
    openapi_extra=idempotent_operation(),
)
def replace_line_sku(
    body: LineReplaceIn,
    request: Request,
    principal: Writer,
    target: LineTarget,
) -> Response:
    """The line's units still to ship become units of another catalogue product, at the same
    price unless one is given; only while none of the line shipped. Replacing an order's
    last unknown SKU releases its `unknown_sku` hold and sources the order."""
    keyed = idempotent(request, principal, body, OK)
    detail = order_changes.replace_line_sku(
        target.db,
        target.order_id,
        target.line_number,
        body.to_request(),
        target.edit(principal, body.reason),
        keyed,
    )
    return _answer(detail, keyed)


@router.post(
    "/orders/{order_ref}/lines/{line_number}/substitute",
    summary="Switch a line to a configured substitute product",
    responses=CHANGED,
    openapi_extra=idempotent_operation(),
)
def substitute_line(
    body: LineSubstituteIn,
    request: Request,
    principal: Writer,
    target: LineTarget,
) -> Response:
    """Like a replacement, with a substitute configured for the line's product
    (`/products/{sku}/substitutes`): the one named, or the first in stock. No substitute in
    stock is a 409."""
    keyed = idempotent(request, principal, body, OK)
    detail = order_changes.substitute_line(
        target.db,
        target.order_id,
        target.line_number,
        target.edit(principal, body.reason),
        body.sku,
        keyed,
    )
    return _answer(detail, keyed)


@router.post(
    "/orders/{order_ref}/lines/{line_number}/correct-price",
    summary="Correct a line's unit price or discount",
    responses=CHANGED,
    openapi_extra=idempotent_operation(),
)
def correct_line_price(
    body: PriceCorrectionIn,
    request: Request,
    principal: Writer,
    target: LineTarget,
) -> Response:
    """A unit price and/or discount corrected with a reason, before anything of the line
    shipped (shipped units are corrected by a credit note); totals and VAT follow."""
    keyed = idempotent(request, principal, body, OK)
    detail = order_changes.correct_line_price(
        target.db,
        target.order_id,
        target.line_number,
        body.to_request(),
        target.edit(principal, body.reason),
        keyed,
    )
    return _answer(detail, keyed)
