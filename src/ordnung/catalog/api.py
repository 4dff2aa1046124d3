"""HTTP interface of the catalogue: /products."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Self

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ordnung.catalog import service
from ordnung.catalog.model import MAX_NAME_LENGTH, MAX_PREORDER_CAP, MAX_WEIGHT_GRAMS, ProductDraft
from ordnung.core.api_fields import SINGLE_LINE, line_text, sku_in_path
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import (
    JSONResponse,
    get_db,
    idempotent,
    json_answer,
    require,
    respond,
)
from ordnung.core.openapi import ResponseModel, answers, idempotent_operation
from ordnung.core.paging import Page, page_answers, page_from_service, requested_page

router = APIRouter(tags=["catalog"])


class TaxClass(StrEnum):
    """The VAT class of a product: `standard` (19 % in Germany), `reduced` (7 %), `zero`."""

    STANDARD = "standard"
    REDUCED = "reduced"
    ZERO = "zero"


Sku = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        examples=["OD-0001"],
    ),
]
Name = Annotated[str, line_text(MAX_NAME_LENGTH, examples=["Olivenöl nativ extra, 0,5 l"])]
# 14 digits plus room for the separators people paste (spaces, dashes).
Gtin = Annotated[
    str, Field(min_length=8, max_length=20, pattern=SINGLE_LINE, examples=["4006381333931"])
]
Weight = Annotated[int, Field(ge=0, le=MAX_WEIGHT_GRAMS, strict=True, examples=[540])]


class StockPolicy(StrEnum):
    STOCKED = "stocked"
    PREORDER = "preorder"
    NON_STOCK = "non_stock"


_POLICY_TEXT = (
    "`stocked`: sourced from stock, a shortfall waits as a backorder. `preorder`: units wait, "
    "unsourced, until `release_on`; orders beyond `preorder_cap` open units are held. "
    "`non_stock` (services, digital goods, made to order): no stock — never reserved, never "
    "backordered; its units go with the order's parcel, and stock bookings are refused."
)
_BACKORDER_TEXT = (
    "False: an order that cannot get every unit of this SKU at once is held (`stock_policy`) "
    "instead of waiting. Not looked at for a `non_stock` product."
)
_CAP_TEXT = "Pre-order: open units all orders may wait for; null = no cap"
PreorderCap = Annotated[int, Field(ge=0, le=MAX_PREORDER_CAP, strict=True)]
# A calendar day, ISO 8601 (`2027-01-15`).
Day = Annotated[
    date,
    Field(
        examples=["2027-01-15"],
        json_schema_extra={"pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "maxLength": 10},
    ),
]


class ProductOut(ResponseModel):
    """A product of the catalogue. `tax_rate` is the percentage its tax class stands for,
    written like an order line's `tax_rate`."""

    id: int
    sku: str = Field(examples=["OD-0001"])
    name: str
    gtin: str | None
    weight_grams: int | None
    tax_class: TaxClass
    tax_rate: str = Field(examples=["19"])
    created_at: datetime
    updated_at: datetime
    is_active: bool = Field(
        description="False once deactivated: not sold, new orders for it are held (unknown_sku)."
    )
    version: int = Field(description="Raised by every change of the product.")
    stock_policy: StockPolicy = Field(description=_POLICY_TEXT)
    allow_backorder: bool = Field(description=_BACKORDER_TEXT)
    release_on: date | None = Field(description="Pre-order: the day units may be sourced")
    preorder_cap: int | None = Field(description=_CAP_TEXT)


class ProductPageOut(ResponseModel):
    items: list[ProductOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class ProductCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "sku": "OD-0001",
                    "name": "Olivenöl nativ extra, 0,5 l",
                    "gtin": "4006381333931",
                    "weight_grams": 540,
                    "tax_class": "reduced",
                }
            ]
        },
    )

    sku: Sku
    name: Name
    gtin: Gtin | None = None
    weight_grams: Weight | None = None
    tax_class: TaxClass = TaxClass.STANDARD
    stock_policy: StockPolicy = Field(StockPolicy.STOCKED, description=_POLICY_TEXT)
    allow_backorder: Annotated[bool, Field(strict=True, description=_BACKORDER_TEXT)] = True
    release_on: Day | None = None
    preorder_cap: PreorderCap | None = None


class ProductPatch(BaseModel):
    """Only the fields sent are changed; `gtin` and `weight_grams` may be cleared with null."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "Olivenöl, 1 l"}]}
    )

    name: Name | None = None
    gtin: Gtin | None = None
    weight_grams: Weight | None = None
    tax_class: TaxClass | None = None
    stock_policy: StockPolicy | None = None
    allow_backorder: Annotated[bool | None, Field(strict=True)] = None
    release_on: Day | None = None
    preorder_cap: PreorderCap | None = None

    @model_validator(mode="after")
    def _required_fields_not_cleared(self) -> Self:
        for field in ("name", "tax_class", "stock_policy", "allow_backorder"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


@router.post(
    "/products",
    status_code=201,
    summary="Add a product to the catalogue",
    responses=answers(ProductOut, 409, status=201, description="The new product"),
    openapi_extra=idempotent_operation(),
)
def create_product(
    body: ProductCreate,
    request: Request,
    principal: Principal = Depends(require("catalog:write")),
    db: Database = Depends(get_db),
) -> Response:
    """A product that orders may name by its SKU. A SKU already taken is a 409; an invalid
    GTIN (wrong check digit) a 422."""
    payload = body.model_dump(mode="json")
    payload["release_on"] = body.release_on  # a date, not its JSON text
    render = json_answer(201)
    idempotency = idempotent(request, principal, payload, render)
    created = service.create_product(
        db, ProductDraft(**payload), actor=principal.actor, idempotency=idempotency
    )
    return respond(created, render, idempotency)


@router.get("/products", summary="List and search products", responses=page_answers(ProductPageOut))
def list_products(
    q: str | None = Query(
        None,
        max_length=200,
        pattern=SINGLE_LINE,
        description="Part of the SKU or name",
        examples=["olivenöl"],
    ),
    page: Page = Depends(requested_page),
    _: Principal = Depends(require("catalog:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The catalogue in the order products were added, optionally only those whose SKU or name
    contains `q`."""
    result = service.list_products(db, q=q, after_id=page.after_id, limit=page.limit)
    return page_from_service(page, result)


@router.get("/products/{sku}", summary="One product", responses=answers(ProductOut, 404))
def get_product(
    sku: str = sku_in_path(),
    _: Principal = Depends(require("catalog:read")),
    db: Database = Depends(get_db),
) -> Response:
    """A product by its SKU."""
    return JSONResponse(service.get_product(db, sku))


@router.patch(
    "/products/{sku}",
    summary="Change a product",
    responses=answers(ProductOut, 404, description="The product as changed"),
)
def update_product(
    body: ProductPatch,
    sku: str = sku_in_path(),
    principal: Principal = Depends(require("catalog:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Changes name, GTIN, weight or tax class; orders already taken keep the name and price
    they were placed with."""
    changes = body.model_dump(exclude_unset=True, mode="json")
    if "release_on" in changes:
        changes["release_on"] = body.release_on  # a date, not its JSON text
    if not changes:
        return JSONResponse(service.get_product(db, sku))
    return JSONResponse(service.update_product(db, sku, changes, actor=principal.actor))
