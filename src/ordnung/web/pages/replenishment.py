"""Replenishment in the back office: the rules per SKU × location, a form to set one, the
suggestions they make now, and one button that turns the chosen ones into draft purchase
orders (one per supplier and destination)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import OrdnungError
from ordnung.inventory.locations import list_locations
from ordnung.purchasing import replenishment
from ordnung.purchasing.suppliers import list_suppliers
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, stock_keeper, stock_reader
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import text
from ordnung.web.pages.purchase_orders import problem_text
from ordnung.web.rendering import render
from ordnung.web.security import checked_form, database

router = APIRouter(include_in_schema=False)


@router.get("/replenishment", response_class=HTMLResponse)
def overview(request: Request, _staff: StaffUser = Depends(stock_reader)) -> Response:
    db = database(request)
    context = {
        "active": "purchasing",
        "rules": replenishment.list_rules(db),
        "suggestions": replenishment.public(replenishment.suggestions(db)),
        "locations": list_locations(db),
        "suppliers": list_suppliers(db, is_active=True),
    }
    return render(request, "purchasing/replenishment.html", context)


def _level(form: FormData, name: str) -> int:
    value = text(form, name)
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else -1


@router.post("/replenishment/rules")
def save_rule(
    request: Request,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    rule = replenishment.RuleInput(
        sku=text(form, "sku"),
        location_code=text(form, "location"),
        reorder_point=_level(form, "reorder_point"),
        minimum=_level(form, "minimum") if text(form, "minimum") else 0,
        maximum=_level(form, "maximum"),
        supplier_code=text(form, "supplier") or None,
    )
    try:
        replenishment.save_rule(database(request), rule, actor=actor_of(staff))
    except OrdnungError as error:
        leave_flash(request, "error", "purchasing.flash.refused", detail=problem_text(error))
    else:
        leave_flash(request, "success", "replenishment.flash.rule_saved", sku=rule.sku)
    return RedirectResponse("/replenishment", status_code=303)


@router.post("/replenishment/order")
def order(
    request: Request,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    selected = []
    for value in form.getlist("selected"):
        sku, _, location = str(value).partition("@")
        selected.append((sku, location))
    try:
        created = replenishment.order_suggestions(
            database(request), selected, actor=actor_of(staff)
        )
    except OrdnungError as error:
        leave_flash(request, "error", "purchasing.flash.refused", detail=problem_text(error))
        return RedirectResponse("/replenishment", status_code=303)
    numbers = ", ".join(created["numbers"]) or "–"
    leave_flash(request, "success", "replenishment.flash.ordered", numbers=numbers)
    return RedirectResponse("/purchase-orders?status=draft", status_code=303)
