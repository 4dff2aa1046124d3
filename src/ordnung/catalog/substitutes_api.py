"""A product's substitutes over HTTP: read them, replace them as a whole (in order)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.catalog import substitutes
from ordnung.core.api_fields import Sku, sku_in_path
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, require
from ordnung.core.openapi import ResponseModel, answers

router = APIRouter(tags=["catalog"])


class SubstitutesIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"substitutes": ["OD-0002"]}]}
    )

    substitutes: Annotated[list[Sku], Field(max_length=substitutes.MAX_SUBSTITUTES)]


class SubstitutesOut(ResponseModel):
    sku: str
    substitutes: list[str] = Field(description="First choice first")


@router.get(
    "/products/{sku}/substitutes",
    summary="A product's substitutes",
    responses=answers(SubstitutesOut, 404),
)
def get_substitutes(
    sku: str = sku_in_path(),
    _: Principal = Depends(require("catalog:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The products that may stand in for this one when it cannot be delivered, first choice
    first (an order line can be switched to one: `POST /orders/{ref}/lines/{n}/substitute`)."""
    return JSONResponse({"sku": sku, "substitutes": substitutes.get_substitutes(db, sku)})


@router.put(
    "/products/{sku}/substitutes",
    summary="Set a product's substitutes",
    responses=answers(SubstitutesOut, 404, description="The substitutes as stored"),
)
def set_substitutes(
    body: SubstitutesIn,
    sku: str = sku_in_path(),
    principal: Principal = Depends(require("catalog:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Replaces the list as a whole, in the order given; an empty list removes them all. Each
    must be another catalogue product (422 on `substitutes` otherwise)."""
    stored = substitutes.set_substitutes(db, sku, body.substitutes, actor=principal.actor)
    return JSONResponse({"sku": sku, "substitutes": stored})
