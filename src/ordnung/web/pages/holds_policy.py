"""Back-office pages of checkout holds and product stock policy: the active holds (what carts
keep back right now), and a product's stock policy, edited with the version it was read at."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.catalog.model import STOCK_POLICIES
from ordnung.catalog.service import get_product, update_product
from ordnung.core.errors import NotFoundError, StaleVersionError, ValidationError
from ordnung.orchestration.checkout_holds import list_active_holds
from ordnung.staff.model import STOCK_READ
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, catalogue_editor, catalogue_reader
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FormRejectedError, version
from ordnung.web.rendering import render
from ordnung.web.security import PageNotFoundError, checked_form, database, require_permission

router = APIRouter(include_in_schema=False)


@router.get("/stock/checkout-holds", response_class=HTMLResponse)
def checkout_holds_page(
    request: Request, _staff: StaffUser = Depends(require_permission(STOCK_READ))
) -> Response:
    context = {"active": "stock", "holds": list_active_holds(database(request))}
    return render(request, "stock/checkout_holds.html", context)


@router.get("/catalogue/products/{sku}/stock-policy", response_class=HTMLResponse)
def stock_policy_page(
    request: Request, sku: str, _staff: StaffUser = Depends(catalogue_reader)
) -> Response:
    try:
        product = get_product(database(request), sku)
    except NotFoundError:
        raise PageNotFoundError("error.product_not_found", sku) from None
    context = {"active": "catalogue", "product": product, "policies": STOCK_POLICIES}
    return render(request, "catalogue/stock_policy.html", context)


@router.post("/catalogue/products/{sku}/stock-policy")
def save_stock_policy(
    request: Request,
    sku: str,
    staff: StaffUser = Depends(catalogue_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    try:
        changes = _policy_changes(form)
        update_product(
            database(request),
            sku,
            changes,
            actor=actor_of(staff),
            expected_version=version(form),
        )
    except NotFoundError:
        raise PageNotFoundError("error.product_not_found", sku) from None
    except StaleVersionError:
        leave_flash(request, "error", "stock_policy.stale")
    except FormRejectedError as error:
        leave_flash(request, "error", error.key, **error.values)
    except ValidationError as error:
        leave_flash(request, "error", "changes.flash.refused", detail=error.detail)
    else:
        leave_flash(request, "success", "stock_policy.saved")
    return RedirectResponse(f"/catalogue/products/{quote(sku)}/stock-policy", status_code=303)


def _policy_changes(form: FormData) -> dict[str, Any]:
    release = str(form.get("release_on", "")).strip()
    cap = str(form.get("preorder_cap", "")).strip()
    try:
        release_on = date.fromisoformat(release) if release else None
    except ValueError:
        raise ValidationError("release_on: not a date (YYYY-MM-DD)", field="release_on") from None
    if cap and not cap.isdigit():
        raise ValidationError("preorder_cap: a whole number", field="preorder_cap")
    return {
        "stock_policy": str(form.get("stock_policy", "stocked")),
        "allow_backorder": form.get("allow_backorder") == "yes",
        "release_on": release_on,
        "preorder_cap": int(cap) if cap else None,
    }
