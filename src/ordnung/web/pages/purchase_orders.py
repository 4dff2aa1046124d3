"""Purchase orders in the back office: the list with filters, a draft's form (new and edit,
with the version it was shown with), the detail page with send, confirm (dates per line),
receive (units per line, also partially) and cancel.

Every action answers with a redirect back to the order and a message (Post/Redirect/Get);
what the rules refuse — over-receipt, a stale draft, a move the lifecycle does not allow —
comes back as the message, word for word from the rule.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import NotFoundError, OrdnungError
from ordnung.inventory.locations import list_locations
from ordnung.orchestration.purchase_receipts import receive_purchase_order
from ordnung.purchasing import service
from ordnung.purchasing.model import (
    PURCHASE_ORDER_KINDS,
    PURCHASE_ORDER_STATUSES,
    LineDraft,
    PurchaseOrderDraft,
)
from ordnung.purchasing.suppliers import list_suppliers
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, stock_keeper, stock_reader
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FormRejectedError, text, version
from ordnung.web.rendering import render
from ordnung.web.security import checked_form, database

router = APIRouter(include_in_schema=False)

BLANK_LINES = 3


def problem_text(error: OrdnungError) -> str:
    """What the rule said, field by field when it named fields."""
    errors = error.extra.get("errors")
    if errors:
        return "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return error.detail


def _order_path(number: str) -> str:
    return f"/purchase-orders/{quote(number, safe='')}"


@router.get("/purchase-orders", response_class=HTMLResponse)
def order_list(
    request: Request,
    status: str = "",
    supplier: str = "",
    sku: str = "",
    kind: str = "",
    _staff: StaffUser = Depends(stock_reader),
) -> Response:
    filters = service.PurchaseOrderFilter(
        status=status if status in PURCHASE_ORDER_STATUSES else None,
        supplier_code=supplier.strip() or None,
        sku=sku.strip() or None,
        kind=kind if kind in PURCHASE_ORDER_KINDS else None,
    )
    db = database(request)
    context = {
        "active": "purchasing",
        "orders": service.list_purchase_orders(db, filters, limit=100)["items"],
        "statuses": PURCHASE_ORDER_STATUSES,
        "kinds": PURCHASE_ORDER_KINDS,
        "suppliers": list_suppliers(db),
        "filters": {
            "status": filters.status or "",
            "supplier": supplier,
            "sku": sku,
            "kind": filters.kind or "",
        },
    }
    return render(request, "purchasing/orders.html", context)


def _form_context(request: Request, order: dict[str, Any] | None) -> dict[str, Any]:
    db = database(request)
    lines = list(order["lines"]) if order else []
    return {
        "active": "purchasing",
        "order": order,
        "lines": lines + [None] * BLANK_LINES,
        "suppliers": list_suppliers(db, is_active=True),
        "locations": list_locations(db),
        "error": "",
    }


@router.get("/purchase-orders/new", response_class=HTMLResponse)
def new_order(request: Request, _staff: StaffUser = Depends(stock_keeper)) -> Response:
    return render(request, "purchasing/order_form.html", _form_context(request, None))


def _draft_from(form: FormData) -> PurchaseOrderDraft:
    lines = []
    for index in range(len(form.getlist("sku"))):
        sku = str(form.getlist("sku")[index]).strip()
        if not sku:
            continue
        quantity = _number(str(form.getlist("quantity")[index]), f"lines[{index}].quantity")
        price_text = str(form.getlist("unit_price")[index]).strip().replace(",", ".")
        day = str(form.getlist("expected_on")[index]).strip()
        lines.append(
            LineDraft(sku, quantity, _price(price_text, index), _day(day, index) if day else None)
        )
    return PurchaseOrderDraft(
        text(form, "supplier"), text(form, "location"), tuple(lines), text(form, "note")
    )


class _FormProblemError(OrdnungError):
    status = 422


def _number(value: str, name: str) -> int:
    if not (value.strip().isascii() and value.strip().isdigit()) or len(value.strip()) > 9:
        raise _FormProblemError(f"{name}: a whole number, please")
    return int(value)


def _price(value: str, index: int) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise _FormProblemError(f"lines[{index}].unit_price: a price like 4.20") from None


def _day(value: str, index: int) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _FormProblemError(f"lines[{index}]: a date like 2027-01-15") from None


@router.post("/purchase-orders/new", response_class=HTMLResponse)
def create(
    request: Request,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    try:
        draft = _draft_from(form)
        created = service.create_purchase_order(database(request), draft, actor=actor_of(staff))
    except OrdnungError as error:
        context = {**_form_context(request, None), "error": problem_text(error)}
        return render(request, "purchasing/order_form.html", context, status_code=422)
    leave_flash(request, "success", "purchasing.flash.created", number=created["number"])
    return RedirectResponse(_order_path(created["number"]), status_code=303)


def _load(request: Request, number: str) -> dict[str, Any] | None:
    try:
        return service.get_purchase_order(database(request), number)
    except NotFoundError:
        return None


def _not_found(request: Request, number: str) -> Response:
    context = {
        "active": "purchasing",
        "message_key": "purchasing.not_found",
        "value": number,
        "back_url": "/purchase-orders",
        "back_key": "purchasing.back",
    }
    return render(request, "catalogue/missing.html", context, status_code=404)


@router.get("/purchase-orders/{number}", response_class=HTMLResponse)
def detail(request: Request, number: str, _staff: StaffUser = Depends(stock_reader)) -> Response:
    order = _load(request, number)
    if order is None:
        return _not_found(request, number)
    return render(request, "purchasing/order.html", {"active": "purchasing", "order": order})


@router.get("/purchase-orders/{number}/edit", response_class=HTMLResponse)
def edit(request: Request, number: str, _staff: StaffUser = Depends(stock_keeper)) -> Response:
    order = _load(request, number)
    if order is None:
        return _not_found(request, number)
    return render(request, "purchasing/order_form.html", _form_context(request, order))


@router.post("/purchase-orders/{number}/edit", response_class=HTMLResponse)
def save(
    request: Request,
    number: str,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    order = _load(request, number)
    if order is None:
        return _not_found(request, number)
    try:
        seen = version(form)
        service.update_draft(
            database(request),
            number,
            _draft_from(form),
            actor=actor_of(staff),
            expected_version=seen,
        )
    except FormRejectedError as error:
        leave_flash(request, "error", error.key)
        return RedirectResponse(_order_path(number) + "/edit", status_code=303)
    except OrdnungError as error:
        context = {**_form_context(request, order), "error": problem_text(error)}
        return render(request, "purchasing/order_form.html", context, status_code=422)
    leave_flash(request, "success", "purchasing.flash.saved", number=number)
    return RedirectResponse(_order_path(number), status_code=303)


def _act(request: Request, number: str, action: Any, done_key: str) -> Response:
    try:
        action()
    except NotFoundError:
        return _not_found(request, number)
    except FormRejectedError as error:
        leave_flash(request, "error", error.key)
    except OrdnungError as error:
        leave_flash(request, "error", "purchasing.flash.refused", detail=problem_text(error))
    else:
        leave_flash(request, "success", done_key, number=number)
    return RedirectResponse(_order_path(number), status_code=303)


@router.post("/purchase-orders/{number}/send")
def send(
    request: Request,
    number: str,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    db = database(request)
    return _act(
        request,
        number,
        lambda: service.send_purchase_order(
            db, number, actor=actor_of(staff), expected_version=version(form)
        ),
        "purchasing.flash.sent",
    )


@router.post("/purchase-orders/{number}/confirm")
def confirm(
    request: Request,
    number: str,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    db = database(request)

    def confirm_dates() -> None:
        dates = {}
        for key, value in form.multi_items():
            if key.startswith("confirmed_on_") and isinstance(value, str) and value.strip():
                line_number = _number(key.removeprefix("confirmed_on_"), "line")
                dates[line_number] = _day(value.strip(), line_number)
        service.confirm_purchase_order(
            db, number, dates, actor=actor_of(staff), expected_version=version(form)
        )

    return _act(request, number, confirm_dates, "purchasing.flash.confirmed")


@router.post("/purchase-orders/{number}/receive")
def receive(
    request: Request,
    number: str,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    db = database(request)

    def book() -> None:
        receipt = {}
        for key, value in form.multi_items():
            if key.startswith("receive_") and isinstance(value, str) and value.strip():
                line_number = _number(key.removeprefix("receive_"), "line")
                receipt[line_number] = _number(value, f"lines[{line_number}].quantity")
        receive_purchase_order(db, number, receipt, actor=actor_of(staff))

    return _act(request, number, book, "purchasing.flash.received")


@router.post("/purchase-orders/{number}/cancel")
def cancel(
    request: Request,
    number: str,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    db = database(request)
    return _act(
        request,
        number,
        lambda: service.cancel_purchase_order(
            db,
            number,
            reason=text(form, "reason"),
            actor=actor_of(staff),
            expected_version=version(form),
        ),
        "purchasing.flash.cancelled",
    )
