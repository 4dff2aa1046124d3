"""A product's substitutes in the back office: the list in rank order, edited as one field
of SKUs separated by commas (first choice first)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.catalog.substitutes import get_substitutes, set_substitutes
from ordnung.core.errors import NotFoundError, StaleVersionError, ValidationError
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, catalogue_editor, catalogue_reader
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FormRejectedError, version
from ordnung.web.rendering import render
from ordnung.web.security import PageNotFoundError, checked_form, database

router = APIRouter(include_in_schema=False)


@router.get("/catalogue/products/{sku}/substitutes", response_class=HTMLResponse)
def substitutes_page(
    request: Request, sku: str, _staff: StaffUser = Depends(catalogue_reader)
) -> Response:
    try:
        listed = get_substitutes(database(request), sku)
    except NotFoundError:
        raise PageNotFoundError("error.product_not_found", sku) from None
    context = {
        "active": "catalogue",
        "sku": sku,
        "substitutes": listed.skus,
        "version": listed.version,
    }
    return render(request, "catalogue/substitutes.html", context)


@router.post("/catalogue/products/{sku}/substitutes")
def save_substitutes(
    request: Request,
    sku: str,
    staff: StaffUser = Depends(catalogue_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    text = str(form.get("substitutes", ""))
    skus = [part.strip() for part in text.split(",") if part.strip()]
    try:
        set_substitutes(
            database(request),
            sku,
            skus,
            actor=actor_of(staff),
            expected_version=version(form),
        )
    except NotFoundError:
        raise PageNotFoundError("error.product_not_found", sku) from None
    except StaleVersionError:
        leave_flash(request, "error", "substitutes.stale")
    except FormRejectedError as error:
        leave_flash(request, "error", error.key, **error.values)
    except ValidationError as error:
        leave_flash(request, "error", "changes.flash.refused", detail=error.detail)
    else:
        leave_flash(request, "success", "substitutes.saved", count=len(skus))
    return RedirectResponse(f"/catalogue/products/{quote(sku)}/substitutes", status_code=303)
