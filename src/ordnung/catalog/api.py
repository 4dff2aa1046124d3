"""HTTP interface of the catalogue: /products."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ordnung.catalog import service
from ordnung.catalog.model import MAX_NAME_LENGTH, MAX_WEIGHT_GRAMS, ProductDraft
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import (
    JSONResponse,
    after_id_from_cursor,
    get_db,
    idempotent,
    json_answer,
    page_with_cursor,
    require,
    respond,
)

router = APIRouter(tags=["catalog"])

TaxClass = Literal["standard", "reduced", "zero"]
Sku = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH)]
# 14 digits plus room for the separators people paste (spaces, dashes).
Gtin = Annotated[str, Field(min_length=8, max_length=20)]
Weight = Annotated[int, Field(ge=0, le=MAX_WEIGHT_GRAMS)]


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Sku
    name: Name
    gtin: Gtin | None = None
    weight_grams: Weight | None = None
    tax_class: TaxClass = "standard"


class ProductPatch(BaseModel):
    """Only the fields sent are changed; `gtin` and `weight_grams` may be cleared with null."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    gtin: Gtin | None = None
    weight_grams: Weight | None = None
    tax_class: TaxClass | None = None

    @model_validator(mode="after")
    def _required_fields_not_cleared(self) -> Self:
        for field in ("name", "tax_class"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


@router.post("/products", status_code=201)
def create_product(
    body: ProductCreate,
    request: Request,
    principal: Principal = Depends(require("catalog:write")),
    db: Database = Depends(get_db),
) -> Response:
    payload = body.model_dump(mode="json")
    render = json_answer(201)
    idempotency = idempotent(request, principal, payload, render)
    created = service.create_product(
        db, ProductDraft(**payload), actor=principal.actor, idempotency=idempotency
    )
    return respond(created, render, idempotency)


@router.get("/products")
def list_products(
    q: str | None = Query(None, max_length=200, description="Part of the SKU or name"),
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(50, ge=1, le=200),
    _: Principal = Depends(require("catalog:read")),
    db: Database = Depends(get_db),
) -> Response:
    result = service.list_products(db, q=q, after_id=after_id_from_cursor(cursor), limit=limit)
    return JSONResponse(page_with_cursor(result))


@router.get("/products/{sku}")
def get_product(
    sku: str,
    _: Principal = Depends(require("catalog:read")),
    db: Database = Depends(get_db),
) -> Response:
    return JSONResponse(service.get_product(db, sku))


@router.patch("/products/{sku}")
def update_product(
    sku: str,
    body: ProductPatch,
    principal: Principal = Depends(require("catalog:write")),
    db: Database = Depends(get_db),
) -> Response:
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        return JSONResponse(service.get_product(db, sku))
    return JSONResponse(service.update_product(db, sku, changes, actor=principal.actor))
