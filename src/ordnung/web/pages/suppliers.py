"""Suppliers in the back office: list, create and edit (contacts, lead time, minimums and the
SKUs they supply). Edits carry the version the page showed; a stale page is refused."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import ConflictError, NotFoundError, OrdnungError, ValidationError
from ordnung.inventory.locations import list_locations
from ordnung.purchasing.model import Contact, SuppliedProduct, SupplierDraft
from ordnung.purchasing.suppliers import (
    create_supplier,
    get_supplier,
    list_suppliers,
    update_supplier,
)
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, stock_keeper, stock_reader
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FormRejectedError, text, version
from ordnung.web.pages.purchase_orders import problem_text
from ordnung.web.rendering import render
from ordnung.web.security import checked_form, database

router = APIRouter(include_in_schema=False)

BLANK_PRODUCTS = 3


@router.get("/suppliers", response_class=HTMLResponse)
def supplier_list(request: Request, _staff: StaffUser = Depends(stock_reader)) -> Response:
    context = {"active": "purchasing", "suppliers": list_suppliers(database(request))}
    return render(request, "purchasing/suppliers.html", context)


def _form(request: Request, supplier: dict[str, Any] | None, error: str = "") -> dict[str, Any]:
    products = list(supplier["products"]) if supplier else []
    contact = supplier["contacts"][0] if supplier and supplier["contacts"] else None
    return {
        "active": "purchasing",
        "supplier": supplier,
        "contact": contact,
        "products": products + [None] * BLANK_PRODUCTS,
        "dropship_locations": [
            place
            for place in list_locations(database(request))
            if "dropship" in place["capabilities"]
        ],
        "error": error,
    }


def _whole(value: str, name: str) -> int:
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise ValidationError(
            f"Invalid fields: {name}",
            errors=[{"field": name, "message": "a whole number, please", "type": "value_error"}],
        )
    return int(value)


def _amount(value: str, name: str) -> Decimal:
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise ValidationError(
            f"Invalid fields: {name}",
            errors=[{"field": name, "message": "an amount like 4.20", "type": "value_error"}],
        ) from None


def _products(form: FormData) -> tuple[SuppliedProduct, ...]:
    items = []
    columns = [form.getlist(name) for name in ("sku", "supplier_sku", "unit_price", "pack_size")]
    for index, (sku, supplier_sku, price, pack) in enumerate(zip(*columns, strict=True)):
        if not str(sku).strip():
            continue
        items.append(
            SuppliedProduct(
                str(sku).strip(),
                str(supplier_sku).strip(),
                _amount(str(price).strip() or "0", f"products[{index}].unit_price"),
                _whole(str(pack).strip() or "1", f"products[{index}].pack_size"),
            )
        )
    return tuple(items)


def _draft(form: FormData, code: str | None = None) -> SupplierDraft:
    minimum_value = text(form, "minimum_order_value")
    minimum_quantity = text(form, "minimum_order_quantity")
    contact_name = text(form, "contact_name")
    contacts = (
        (Contact(contact_name, text(form, "contact_email"), text(form, "contact_phone")),)
        if contact_name
        else ()
    )
    return SupplierDraft(
        code=code or text(form, "code"),
        name=text(form, "name"),
        currency=text(form, "currency").upper() or "EUR",
        lead_time_days=_whole(text(form, "lead_time_days") or "0", "lead_time_days"),
        minimum_order_value=_amount(minimum_value, "minimum_order_value")
        if minimum_value
        else None,
        minimum_order_quantity=(
            _whole(minimum_quantity, "minimum_order_quantity") if minimum_quantity else None
        ),
        contacts=contacts,
        products=_products(form),
        is_active=text(form, "is_active") == "on",
        dropship_location=text(form, "dropship_location") or None,
    )


@router.get("/suppliers/new", response_class=HTMLResponse)
def new_supplier(request: Request, _staff: StaffUser = Depends(stock_keeper)) -> Response:
    return render(request, "purchasing/supplier_form.html", _form(request, None))


@router.post("/suppliers/new", response_class=HTMLResponse)
def create(
    request: Request,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    try:
        created = create_supplier(database(request), _draft(form), actor=actor_of(staff))
    except (ConflictError, ValidationError) as error:
        context = _form(request, None, problem_text(error))
        return render(request, "purchasing/supplier_form.html", context, status_code=422)
    leave_flash(request, "success", "suppliers.flash.saved", code=created["code"])
    return RedirectResponse("/suppliers", status_code=303)


@router.get("/suppliers/{code}/edit", response_class=HTMLResponse)
def edit(request: Request, code: str, _staff: StaffUser = Depends(stock_reader)) -> Response:
    try:
        supplier = get_supplier(database(request), code)
    except NotFoundError:
        return RedirectResponse("/suppliers", status_code=303)
    return render(request, "purchasing/supplier_form.html", _form(request, supplier))


@router.post("/suppliers/{code}/edit", response_class=HTMLResponse)
def save(
    request: Request,
    code: str,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    db = database(request)
    path = f"/suppliers/{quote(code, safe='')}/edit"
    try:
        update_supplier(
            db, code, _draft(form, code), actor=actor_of(staff), expected_version=version(form)
        )
    except FormRejectedError as error:
        leave_flash(request, "error", error.key)
        return RedirectResponse(path, status_code=303)
    except ValidationError as error:
        context = _form(request, get_supplier(db, code), problem_text(error))
        return render(request, "purchasing/supplier_form.html", context, status_code=422)
    except OrdnungError as error:
        leave_flash(request, "error", "purchasing.flash.refused", detail=problem_text(error))
        return RedirectResponse(path, status_code=303)
    leave_flash(request, "success", "suppliers.flash.saved", code=code)
    return RedirectResponse("/suppliers", status_code=303)
