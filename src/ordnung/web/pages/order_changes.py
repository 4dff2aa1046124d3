"""Changing an order after intake from the back office: a line's change page (cancel units,
replace the SKU, correct the price), adding a line, changing the shipping address or method.

Each form carries the order version the page showed; a colleague's change in between is
refused by the service and the page says "changed meanwhile" instead of overwriting it. The
POSTs answer with a redirect (Post/Redirect/Get): to the order when done, back to the form
with the reason when not. Forms need `orders:write`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import NotFoundError, OrdnungError, StaleVersionError
from ordnung.core.money import format_minor
from ordnung.orchestration import order_changes
from ordnung.orchestration.order_changes import Edit, LineRequest, PriceRequest, SkuRequest
from ordnung.orders.changes import CANCEL_REASON_CODES
from ordnung.orders.draft import Address
from ordnung.orders.model import CANCELLED, COMPLETED, DELIVERED, SHIPPED
from ordnung.orders.queries import OrderView, get_order
from ordnung.staff.model import ORDERS_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.i18n import LOCALES
from ordnung.web.pages.order_actions import InvalidInputError, order_editor
from ordnung.web.rendering import render
from ordnung.web.security import (
    PageNotFoundError,
    checked_form,
    database,
    language,
    require_permission,
)

router = APIRouter(include_in_schema=False)

REASON_MAX = 500
# Like the API's UnitAmount: at least 0, at most 999999999.999999.
AMOUNT_LIMIT = Decimal("1000000000")
ADDRESS_FIELDS = ("first_name", "last_name", "company", "street", "street2", "postal_code")
ADDRESS_LIMITS = {"postal_code": 20, "country": 2}
ADDRESS_LABELS = {
    "first_name": "changes.address.first_name",
    "last_name": "changes.address.last_name",
    "company": "changes.address.company",
    "street": "changes.address.street",
    "street2": "changes.address.street2",
    "postal_code": "changes.address.postal_code",
    "city": "changes.address.city",
    "country": "changes.address.country",
    "phone": "changes.address.phone",
}
OPTIONAL_ADDRESS_FIELDS = frozenset({"company", "street2", "phone"})

FINISHED_STATUSES = frozenset({CANCELLED, SHIPPED, DELIVERED, COMPLETED})
# What a change reports on success: a message key and its values.
Outcome = tuple[str, dict[str, object]]


def change_context(order: OrderView, staff: StaffUser) -> dict[str, Any]:
    """What the order page needs for the change links and the timeline's before → after."""
    currency = order["currency"]
    may_write = staff.can(ORDERS_WRITE)
    has_shipped = any(line["shipped"] for line in order["lines"])
    return {
        "can_change": may_write and order["status"] not in FINISHED_STATUSES,
        "can_change_shipping": may_write and not has_shipped and order["status"] != CANCELLED,
        "minor_amount": lambda minor: format_minor(int(minor), currency),
        "cancel_reason_codes": CANCEL_REASON_CODES,
    }


# -- pages --------------------------------------------------------------------------------


@router.get("/orders/{order_id}/lines/{line_number}/change", response_class=HTMLResponse)
def line_change_page(
    request: Request,
    order_id: int,
    line_number: int,
    _staff: StaffUser = Depends(require_permission(ORDERS_WRITE)),
) -> Response:
    order = _order(request, order_id)
    line = next((ln for ln in order["lines"] if ln["line_number"] == line_number), None)
    if line is None:
        raise PageNotFoundError("error.order_not_found", order_id)
    context = {"active": "orders", "order": order, "line": line, "limit": REASON_MAX}
    return render(request, "orders/line_change.html", context)


@router.get("/orders/{order_id}/lines/new", response_class=HTMLResponse)
def add_line_page(
    request: Request,
    order_id: int,
    _staff: StaffUser = Depends(require_permission(ORDERS_WRITE)),
) -> Response:
    context = {"active": "orders", "order": _order(request, order_id), "limit": REASON_MAX}
    return render(request, "orders/line_add.html", context)


@router.get("/orders/{order_id}/change-shipping", response_class=HTMLResponse)
def shipping_page(
    request: Request,
    order_id: int,
    _staff: StaffUser = Depends(require_permission(ORDERS_WRITE)),
) -> Response:
    context = {
        "active": "orders",
        "order": _order(request, order_id),
        "limit": REASON_MAX,
        "address_labels": ADDRESS_LABELS,
    }
    return render(request, "orders/shipping_change.html", context)


# -- changes ------------------------------------------------------------------------------


@router.post("/orders/{order_id}/lines/{line_number}/cancel-units")
def cancel_units(
    request: Request,
    order_id: int,
    line_number: int,
    staff: StaffUser = Depends(order_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        units = _whole_number(form, "units")
        edit = _edit(form, staff)
        detail = order_changes.cancel_line_units(
            database(request), order_id, line_number, units, edit
        )
        requested = _units_asked_for(detail)
        if requested:
            counts: dict[str, object] = {"units": units - requested, "requested": requested}
            return "changes.flash.units_requested", counts | {"line": line_number}
        return "changes.flash.units_cancelled", {"units": units, "line": line_number}

    back = f"/orders/{order_id}/lines/{line_number}/change"
    return _perform(request, order_id, act, back)


def _units_asked_for(detail: dict[str, Any]) -> int:
    """How many units the line cancel just made asked a picking location for (its event)."""
    cancels = [event for event in detail["timeline"] if event["type"] == "order.line_cancelled"]
    latest = max(cancels, key=lambda event: event["id"])
    return int(latest["payload"].get("requested", 0))


@router.post("/orders/{order_id}/lines/{line_number}/replace")
def replace_sku(
    request: Request,
    order_id: int,
    line_number: int,
    staff: StaffUser = Depends(order_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        sku = _text(form, "sku", 64)
        price = _amount(request, form, "unit_price", required=False)
        edit = _edit(form, staff)
        db = database(request)
        order_changes.replace_line_sku(db, order_id, line_number, SkuRequest(sku, price), edit)
        return "changes.flash.sku_replaced", {"line": line_number, "sku": sku}

    back = f"/orders/{order_id}/lines/{line_number}/change"
    return _perform(request, order_id, act, back)


@router.post("/orders/{order_id}/lines/{line_number}/substitute")
def substitute(
    request: Request,
    order_id: int,
    line_number: int,
    staff: StaffUser = Depends(order_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        chosen = _text(form, "sku", 64, required=False) or None
        edit = _edit(form, staff)
        order_changes.substitute_line(database(request), order_id, line_number, edit, chosen)
        return "changes.flash.substituted", {"line": line_number}

    back = f"/orders/{order_id}/lines/{line_number}/change"
    return _perform(request, order_id, act, back)


@router.post("/orders/{order_id}/lines/{line_number}/correct-price")
def correct_price(
    request: Request,
    order_id: int,
    line_number: int,
    staff: StaffUser = Depends(order_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        price = PriceRequest(
            _amount(request, form, "unit_price", required=False),
            _amount(request, form, "discount", required=False),
        )
        edit = _edit(form, staff)
        order_changes.correct_line_price(database(request), order_id, line_number, price, edit)
        return "changes.flash.price_corrected", {"line": line_number}

    back = f"/orders/{order_id}/lines/{line_number}/change"
    return _perform(request, order_id, act, back)


@router.post("/orders/{order_id}/lines")
def add_line(
    request: Request,
    order_id: int,
    staff: StaffUser = Depends(order_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        sku = _text(form, "sku", 64)
        line = LineRequest(
            sku,
            _whole_number(form, "quantity"),
            _amount(request, form, "unit_price") or Decimal(0),
            _amount(request, form, "discount", required=False) or Decimal(0),
        )
        order_changes.add_line(database(request), order_id, line, _edit(form, staff))
        return "changes.flash.line_added", {"sku": sku}

    return _perform(request, order_id, act, f"/orders/{order_id}/lines/new")


@router.post("/orders/{order_id}/change-shipping")
def change_shipping(
    request: Request,
    order_id: int,
    staff: StaffUser = Depends(order_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> Outcome:
        address = _address(form)
        method = _text(form, "shipping_method", 64)
        edit = _edit(form, staff)
        db = database(request)
        order_changes.change_shipping(db, order_id, edit, address=address, method=method)
        return "changes.flash.shipping_changed", {}

    return _perform(request, order_id, act, f"/orders/{order_id}/change-shipping")


# -- form fields --------------------------------------------------------------------------


def _perform(request: Request, order_id: int, act: Callable[[], Outcome], back: str) -> Response:
    """Runs the change; done → the order page, refused → back to the form, with a message."""
    try:
        key, values = act()
    except InvalidInputError as error:
        leave_flash(request, "error", error.key, **error.values)
    except StaleVersionError:
        leave_flash(request, "error", "changes.flash.changed_meanwhile")
    except OrdnungError as error:
        leave_flash(request, "error", "changes.flash.refused", detail=error.detail)
    else:
        leave_flash(request, "success", key, **values)
        return RedirectResponse(f"/orders/{order_id}", status_code=303)
    return RedirectResponse(back, status_code=303)


def _order(request: Request, order_id: int) -> OrderView:
    try:
        return get_order(database(request), order_id)
    except NotFoundError:
        raise PageNotFoundError("error.order_not_found", order_id) from None


def _edit(form: FormData, staff: StaffUser) -> Edit:
    reason = _text(form, "reason", REASON_MAX)
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        raise InvalidInputError("flash.form_outdated") from None
    # The same `kind:name` shape as core.auth.Principal.actor.
    return Edit(f"staff:{staff.email}", reason, version)


def _text(form: FormData, name: str, max_length: int, *, required: bool = True) -> str:
    value = str(form.get(name, "")).strip()
    if required and not value:
        raise InvalidInputError("changes.flash.field_required", field=name)
    if len(value) > max_length or any(ord(c) < 32 for c in value):
        raise InvalidInputError("changes.flash.field_invalid", field=name)
    return value


def _whole_number(form: FormData, name: str) -> int:
    text = _text(form, name, 6)
    if not text.isdigit() or not 0 < int(text) <= 100_000:
        raise InvalidInputError("changes.flash.field_invalid", field=name)
    return int(text)


def _amount(
    request: Request, form: FormData, name: str, *, required: bool = True
) -> Decimal | None:
    """An amount as the reader writes it in their language (`17,50` or `17.50`)."""
    text = _text(form, name, 20, required=required)
    if not text:
        return None
    try:
        amount = parse_decimal(text, locale=LOCALES[language(request)], strict=True)
    except NumberFormatError:
        raise InvalidInputError("changes.flash.field_invalid", field=name) from None
    exponent = amount.as_tuple().exponent
    is_exact = isinstance(exponent, int) and exponent >= -6
    if not (is_exact and Decimal(0) <= amount < AMOUNT_LIMIT):
        raise InvalidInputError("changes.flash.field_invalid", field=name)
    return amount


def _address(form: FormData) -> Address:
    values = {
        name: _text(
            form, name, ADDRESS_LIMITS.get(name, 200), required=name not in OPTIONAL_ADDRESS_FIELDS
        )
        for name in (*ADDRESS_FIELDS, "city", "country", "phone")
    }
    values["country"] = values["country"].upper()
    if not (len(values["country"]) == 2 and values["country"].isalpha()):
        raise InvalidInputError("changes.flash.field_invalid", field="country")
    return Address(**values)
