"""HTTP interface of supply: /suppliers, /purchase-orders (drafts, send, confirm, cancel),
/replenishment. (Receiving moves stock and fills backorders: `orchestration/
purchase_receipts_api.py`.) Scopes: `inventory:read` / `inventory:write`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import Response

from ordnung.core.api_fields import SINGLE_LINE, location_in_path, sku_in_path
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import (
    JSONResponse,
    get_db,
    idempotent,
    json_answer,
    require,
    respond,
    version_etag,
    version_from_if_match,
    versioned_etag_header,
)
from ordnung.core.openapi import answers, idempotent_operation
from ordnung.core.paging import Page, page_answers, page_from_service, requested_page
from ordnung.purchasing import replenishment, service, suppliers
from ordnung.purchasing.schemas import (
    CancelIn,
    ConfirmIn,
    CreatedOrdersOut,
    OrderSuggestionsIn,
    PurchaseOrderIn,
    PurchaseOrderOut,
    PurchaseOrderPageOut,
    PurchaseOrderStatus,
    RuleIn,
    RuleListOut,
    RuleOut,
    SuggestionListOut,
    SupplierIn,
    SupplierListOut,
    SupplierOut,
)

router = APIRouter(tags=["supply"])

READ = "inventory:read"
WRITE = "inventory:write"
OK = json_answer(200)
CREATED = json_answer(201)


def if_match_header(of: str) -> Any:
    return Header(
        description=(
            f'The {of}\'s version you last saw (its ETag, e.g. `"3"`): if it changed since, '
            "nothing is done and the answer is 409 with `current_version`."
        ),
        examples=['"3"'],
        max_length=40,
    )


def number_in_path() -> Any:
    return Path(
        min_length=1,
        max_length=40,
        pattern=SINGLE_LINE,
        description="The purchase order's number",
        examples=["PO-2026-000123"],
    )


def code_in_path() -> Any:
    return Path(
        min_length=1,
        max_length=40,
        pattern=SINGLE_LINE,
        description="Supplier code",
        examples=["nordholz"],
    )


def _versioned(result: dict[str, Any]) -> Response:
    return JSONResponse(result, headers={"ETag": version_etag(result["version"])})


# -- suppliers ------------------------------------------------------------------------------


@router.post(
    "/suppliers",
    status_code=201,
    summary="Add a supplier",
    responses=answers(SupplierOut, 409, status=201, description="The new supplier"),
    openapi_extra=idempotent_operation(),
)
def create_supplier(
    body: SupplierIn,
    request: Request,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """A supplier with its contacts, lead time, order minimums and the SKUs it supplies at
    which price and pack size. A code already taken is a 409."""
    keyed = idempotent(request, principal, body.model_dump(mode="json"), CREATED)
    created = suppliers.create_supplier(
        db, body.to_draft(), actor=principal.actor, idempotency=keyed
    )
    return respond(created, CREATED, keyed)


@router.get("/suppliers", summary="All suppliers", responses=answers(SupplierListOut))
def list_suppliers(
    _: Principal = Depends(require(READ)), db: Database = Depends(get_db)
) -> Response:
    """Every supplier by code, with what it supplies; one page."""
    return JSONResponse({"items": suppliers.list_suppliers(db), "next_cursor": None})


@router.get(
    "/suppliers/{code}",
    summary="One supplier",
    responses=answers(SupplierOut, 404, headers=versioned_etag_header("supplier")),
)
def get_supplier(
    code: str = code_in_path(),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """A supplier by its code; the ETag carries its version for If-Match."""
    return _versioned(suppliers.get_supplier(db, code))


@router.put(
    "/suppliers/{code}",
    summary="Change a supplier",
    responses=answers(SupplierOut, 404, 409, headers=versioned_etag_header("supplier")),
)
def update_supplier(
    body: SupplierIn,
    code: str = code_in_path(),
    if_match: Annotated[str | None, if_match_header("supplier")] = None,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Replaces the supplier's data and SKU list (the code in the body must be the one in
    the path). Send If-Match with the version you saw: a stale one is a 409."""
    saved = suppliers.update_supplier(
        db,
        code,
        body.to_draft(code=code),
        actor=principal.actor,
        expected_version=version_from_if_match(if_match, of="supplier"),
    )
    return _versioned(saved)


# -- purchase orders ------------------------------------------------------------------------


@router.post(
    "/purchase-orders",
    status_code=201,
    summary="Draft a purchase order",
    responses=answers(PurchaseOrderOut, status=201, description="The new draft"),
    openapi_extra=idempotent_operation(),
)
def create_purchase_order(
    body: PurchaseOrderIn,
    request: Request,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """A draft purchase order to a supplier for a destination location. Lines without a
    price take the supplier's, without an expected date today plus the lead time."""
    keyed = idempotent(request, principal, body.model_dump(mode="json"), CREATED)
    created = service.create_purchase_order(
        db, body.to_draft(), actor=principal.actor, idempotency=keyed
    )
    return respond(created, CREATED, keyed)


@router.get(
    "/purchase-orders", summary="Purchase orders", responses=page_answers(PurchaseOrderPageOut)
)
def list_purchase_orders(
    status: PurchaseOrderStatus | None = None,
    supplier: str | None = Query(None, min_length=1, max_length=40, pattern=SINGLE_LINE),
    location: str | None = Query(None, min_length=1, max_length=40, pattern=SINGLE_LINE),
    sku: str | None = Query(None, min_length=1, max_length=64, pattern=SINGLE_LINE),
    page: Page = Depends(requested_page),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """Newest first, optionally of one status, supplier, destination or SKU."""
    filters = service.PurchaseOrderFilter(status.value if status else None, supplier, location, sku)
    result = service.list_purchase_orders(db, filters, after_id=page.after_id, limit=page.limit)
    return page_from_service(page, result)


@router.get(
    "/purchase-orders/{number}",
    summary="One purchase order",
    responses=answers(PurchaseOrderOut, 404, headers=versioned_etag_header("purchase order")),
)
def get_purchase_order(
    number: str = number_in_path(),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """A purchase order with its lines and receipts; the ETag carries its version."""
    return _versioned(service.get_purchase_order(db, number))


@router.put(
    "/purchase-orders/{number}",
    summary="Change a draft",
    responses=answers(PurchaseOrderOut, 404, 409, headers=versioned_etag_header("purchase order")),
)
def update_draft(
    body: PurchaseOrderIn,
    number: str = number_in_path(),
    if_match: Annotated[str | None, if_match_header("purchase order")] = None,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Replaces supplier, destination, lines and note of a draft. Only drafts change; a
    stale If-Match is a 409."""
    saved = service.update_draft(
        db,
        number,
        body.to_draft(),
        actor=principal.actor,
        expected_version=version_from_if_match(if_match, of="purchase order"),
    )
    return _versioned(saved)


@router.post(
    "/purchase-orders/{number}/send",
    summary="Send a draft to the supplier",
    responses=answers(PurchaseOrderOut, 404, 409),
)
def send(
    number: str = number_in_path(),
    if_match: Annotated[str | None, if_match_header("purchase order")] = None,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """The draft becomes `sent`; its open quantities count as incoming supply from now on.
    Sending twice is a 409."""
    expected = version_from_if_match(if_match, of="purchase order")
    return JSONResponse(
        service.send_purchase_order(db, number, actor=principal.actor, expected_version=expected)
    )


@router.post(
    "/purchase-orders/{number}/confirm",
    summary="Record the supplier's confirmation",
    responses=answers(PurchaseOrderOut, 404, 409),
)
def confirm(
    body: ConfirmIn,
    number: str = number_in_path(),
    if_match: Annotated[str | None, if_match_header("purchase order")] = None,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """A sent order becomes `confirmed`, with the delivery date the supplier confirmed per
    line (lines left out keep their expected date)."""
    dates = {line.line_number: line.confirmed_on for line in body.lines}
    expected = version_from_if_match(if_match, of="purchase order")
    confirmed = service.confirm_purchase_order(
        db, number, dates, actor=principal.actor, expected_version=expected
    )
    return JSONResponse(confirmed)


@router.post(
    "/purchase-orders/{number}/cancel",
    summary="Cancel a purchase order",
    responses=answers(PurchaseOrderOut, 404, 409),
)
def cancel(
    body: CancelIn,
    number: str = number_in_path(),
    if_match: Annotated[str | None, if_match_header("purchase order")] = None,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Cancels a draft, sent or confirmed order; once goods arrived it is a 409."""
    expected = version_from_if_match(if_match, of="purchase order")
    cancelled = service.cancel_purchase_order(
        db, number, reason=body.reason, actor=principal.actor, expected_version=expected
    )
    return JSONResponse(cancelled)


# -- replenishment --------------------------------------------------------------------------


@router.get("/replenishment/rules", summary="Replenishment rules", responses=answers(RuleListOut))
def list_rules(_: Principal = Depends(require(READ)), db: Database = Depends(get_db)) -> Response:
    """Every rule (reorder point, minimum, maximum, preferred supplier) by SKU and location."""
    return JSONResponse({"items": replenishment.list_rules(db), "next_cursor": None})


@router.put(
    "/replenishment/rules/{sku}/{location_code}",
    summary="Set the rule of a SKU at a location",
    responses=answers(RuleOut, 409),
)
def save_rule(
    body: RuleIn,
    sku: str = sku_in_path(),
    location_code: str = location_in_path(),
    if_match: Annotated[str | None, if_match_header("rule")] = None,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """Creates or replaces the rule; minimum ≤ reorder point < maximum. With If-Match, a
    rule changed meanwhile is a 409."""
    rule = replenishment.RuleInput(
        sku, location_code, body.reorder_point, body.minimum, body.maximum, body.supplier
    )
    expected = version_from_if_match(if_match, of="rule")
    return JSONResponse(
        replenishment.save_rule(db, rule, actor=principal.actor, expected_version=expected)
    )


@router.get(
    "/replenishment/suggestions",
    summary="What to order now",
    responses=answers(SuggestionListOut),
)
def list_suggestions(
    _: Principal = Depends(require(READ)), db: Database = Depends(get_db)
) -> Response:
    """Per rule whose projected stock (on hand − reserved + open supply) is at or below the
    reorder point: the quantity up to the maximum, in whole packs; urgent ones first."""
    found = replenishment.public(replenishment.suggestions(db))
    return JSONResponse({"items": found, "next_cursor": None})


@router.post(
    "/replenishment/suggestions/order",
    summary="Turn suggestions into draft purchase orders",
    responses=answers(CreatedOrdersOut, status=201, description="The new drafts' numbers"),
    status_code=201,
    openapi_extra=idempotent_operation(),
)
def order_suggestions(
    body: OrderSuggestionsIn,
    request: Request,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """One draft per supplier and destination, quantities raised to the supplier's order
    minimum. Suggestions without a supplier are left out."""
    keyed = idempotent(request, principal, body.model_dump(mode="json"), CREATED)
    selected = [(item.sku, item.location) for item in body.selected]
    created = replenishment.order_suggestions(
        db, selected, actor=principal.actor, idempotency=keyed
    )
    return respond(created, CREATED, keyed)
