"""The catalogue: product list with search and pages, create, edit, deactivate, reactivate.

Forms are checked field by field and shown again with every problem beside its field (422);
a saved form redirects to the product page with a message (Post/Redirect/Get). Edits carry
the version the page showed, so a stale page is refused instead of overwriting a colleague.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.catalog.model import TAX_RATES, Product, ProductDraft, invalid_fields
from ordnung.catalog.service import (
    create_product,
    deactivate_product,
    find_products,
    get_product,
    reactivate_product,
    update_product,
)
from ordnung.core.errors import (
    ConflictError,
    NotFoundError,
    OrdnungError,
    StaleVersionError,
    ValidationError,
)
from ordnung.inventory.service import availability
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, catalogue_editor, catalogue_reader
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FieldProblems, FormRejectedError, text, version, whole_number
from ordnung.web.rendering import query_string, render
from ordnung.web.security import checked_form, database

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
# The list's status filter → `is_active` of the query; active products are the default view.
STATUS_FILTERS: dict[str, bool | None] = {"active": True, "inactive": False, "all": None}
# Tax classes with their rates in percent, as the form offers them: 19 %, 7 %, 0 %.
TAX_PERCENTS = dict(TAX_RATES)


@dataclass(frozen=True, slots=True)
class ProductForm:
    """The product form as typed: text, so it can be shown again exactly as it was sent."""

    sku: str = ""
    name: str = ""
    gtin: str = ""
    weight_grams: str = ""
    tax_class: str = "standard"

    @classmethod
    def of(cls, product: Product) -> ProductForm:
        weight = "" if product.weight_grams is None else str(product.weight_grams)
        return cls(product.sku, product.name, product.gtin or "", weight, product.tax_class)

    @classmethod
    def read(cls, form: FormData, sku: str | None = None) -> ProductForm:
        return cls(
            sku if sku is not None else text(form, "sku"),
            text(form, "name"),
            text(form, "gtin"),
            text(form, "weight_grams"),
            text(form, "tax_class"),
        )

    def checked(self, form: FormData) -> tuple[ProductDraft | None, FieldProblems]:
        """The draft if every field is acceptable, and the problems of those that are not."""
        problems = FieldProblems()
        weight = whole_number(form, "weight_grams", problems, "product.error.weight_grams")
        draft = ProductDraft(
            sku=self.sku,
            name=self.name,
            tax_class=self.tax_class,
            gtin=self.gtin or None,
            weight_grams=weight,
        )
        for field in invalid_fields(draft):
            problems.add(field, f"product.error.{field}")
        return (None if problems else draft), problems


@router.get("/catalogue", response_class=HTMLResponse)
def product_list(
    request: Request,
    q: str = "",
    status: str = "active",
    after: str = "",
    _staff: StaffUser = Depends(catalogue_reader),
) -> Response:
    status = status if status in STATUS_FILTERS else "active"
    search = q.strip()
    page = find_products(
        database(request),
        q=search or None,
        is_active=STATUS_FILTERS[status],
        after_sku=after or None,
        limit=PAGE_SIZE,
    )
    params: dict[str, str | int | None] = {"q": search, "status": _unless_default(status)}
    context = {
        "active": "catalogue",
        "q": search,
        "status": status,
        "statuses": tuple(STATUS_FILTERS),
        "products": page.items,
        "tax_percents": TAX_PERCENTS,
        "is_first_page": not after,
        "first_page_url": "/catalogue" + query_string(params),
        "next_page_url": None
        if page.next_after_sku is None
        else "/catalogue" + query_string({**params, "after": page.next_after_sku}),
    }
    return render(request, "catalogue/list.html", context)


@router.get("/catalogue/new", response_class=HTMLResponse)
def new_product(request: Request, _staff: StaffUser = Depends(catalogue_editor)) -> Response:
    return _form_page(request, ProductForm(), FieldProblems())


@router.post("/catalogue/new", response_class=HTMLResponse)
def create(
    request: Request,
    staff: StaffUser = Depends(catalogue_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    values = ProductForm.read(form)
    draft, problems = values.checked(form)
    if draft is not None:
        try:
            created = create_product(database(request), draft, actor=actor_of(staff))
        except ConflictError:
            problems.add("sku", "product.error.sku_taken")
        except ValidationError as error:
            _note_refused_fields(problems, error)
        else:
            leave_flash(request, "success", "flash.product_created", sku=created.sku)
            return RedirectResponse(_product_path(created.sku), status_code=303)
    return _form_page(request, values, problems, status_code=422)


@router.get("/catalogue/products/{sku}", response_class=HTMLResponse)
def product_page(
    request: Request, sku: str, _staff: StaffUser = Depends(catalogue_reader)
) -> Response:
    try:
        product = get_product(database(request), sku)
    except NotFoundError:
        return product_not_found(request, sku)
    return _form_page(request, ProductForm.of(product), FieldProblems(), product)


@router.post("/catalogue/products/{sku}", response_class=HTMLResponse)
def save(
    request: Request,
    sku: str,
    staff: StaffUser = Depends(catalogue_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    db = database(request)
    try:
        product = get_product(db, sku)
        seen_version = version(form)
    except NotFoundError:
        return product_not_found(request, sku)
    except FormRejectedError as error:
        leave_flash(request, "error", error.key, **error.values)
        return RedirectResponse(_product_path(sku), status_code=303)
    values = ProductForm.read(form, sku=sku)
    draft, problems = values.checked(form)
    if draft is None:
        return _form_page(request, values, problems, product, status_code=422)
    changes = {
        "name": draft.name,
        "gtin": draft.gtin,
        "weight_grams": draft.weight_grams,
        "tax_class": draft.tax_class,
    }
    return _perform(
        request,
        sku,
        lambda: update_product(
            db, sku, changes, actor=actor_of(staff), expected_version=seen_version
        ),
        "flash.product_saved",
    )


@router.post("/catalogue/products/{sku}/deactivate")
def deactivate(
    request: Request,
    sku: str,
    staff: StaffUser = Depends(catalogue_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    return _switch(request, sku, staff, form, is_active=False)


@router.post("/catalogue/products/{sku}/reactivate")
def reactivate(
    request: Request,
    sku: str,
    staff: StaffUser = Depends(catalogue_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    return _switch(request, sku, staff, form, is_active=True)


def _switch(
    request: Request, sku: str, staff: StaffUser, form: FormData, *, is_active: bool
) -> Response:
    def act() -> Product:
        change = reactivate_product if is_active else deactivate_product
        return change(database(request), sku, actor=actor_of(staff), expected_version=version(form))

    key = "flash.product_reactivated" if is_active else "flash.product_deactivated"
    return _perform(request, sku, act, key)


def _perform(request: Request, sku: str, act: Callable[[], Product], success_key: str) -> Response:
    """Runs a change of the product and leaves its outcome as a message; back to the product."""
    try:
        act()
    except FormRejectedError as error:
        leave_flash(request, "error", error.key, **error.values)
    except StaleVersionError:
        leave_flash(request, "error", "flash.product_changed_meanwhile", sku=sku)
    except NotFoundError:
        leave_flash(request, "error", "flash.product_gone", sku=sku)
        return RedirectResponse("/catalogue", status_code=303)
    except OrdnungError as error:
        leave_flash(request, "error", "flash.product_not_saved", detail=error.detail)
    else:
        leave_flash(request, "success", success_key, sku=sku)
    return RedirectResponse(_product_path(sku), status_code=303)


def _form_page(
    request: Request,
    values: ProductForm,
    problems: FieldProblems,
    product: Product | None = None,
    status_code: int = 200,
) -> Response:
    stock = availability(database(request), product.sku) if product is not None else None
    context = {
        "active": "catalogue",
        "values": values,
        "problems": problems.by_field,
        "product": product,
        "tax_percents": TAX_PERCENTS,
        "stock": stock,
    }
    return render(request, "catalogue/form.html", context, status_code=status_code)


def product_not_found(request: Request, sku: str) -> Response:
    context = {
        "active": "catalogue",
        "message_key": "error.product_not_found",
        "value": sku,
        "back_url": "/catalogue",
        "back_key": "products.back",
    }
    return render(request, "catalogue/missing.html", context, status_code=404)


def _note_refused_fields(problems: FieldProblems, error: ValidationError) -> None:
    for refused in error.extra.get("errors", []):
        field = str(refused.get("field", ""))
        problems.add(field, f"product.error.{field}")


def _unless_default(status: str) -> str | None:
    return None if status == "active" else status


def _product_path(sku: str) -> str:
    return "/catalogue/products/" + quote(sku, safe="")
