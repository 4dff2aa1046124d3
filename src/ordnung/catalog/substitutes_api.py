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
from ordnung.core.http import (
    JSONResponse,
    get_db,
    if_match_of,
    require,
    version_etag,
    version_from_if_match,
    versioned_etag_header,
)
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
    version: int = Field(description="The list's version, also the ETag (0: never set)")


LIST = "substitute list"
ETAG = versioned_etag_header(LIST)


def _answer(sku: str, stored: substitutes.Substitutes) -> Response:
    body = {"sku": sku, "substitutes": stored.skus, "version": stored.version}
    return JSONResponse(body, headers={"ETag": version_etag(stored.version)})


@router.get(
    "/products/{sku}/substitutes",
    summary="A product's substitutes",
    responses=answers(SubstitutesOut, 404, headers=ETAG),
)
def get_substitutes(
    sku: str = sku_in_path(),
    _: Principal = Depends(require("catalog:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The products that may stand in for this one when it cannot be delivered, first choice
    first (an order line can be switched to one: `POST /orders/{ref}/lines/{n}/substitute`).
    The ETag carries the list's version for If-Match on the PUT."""
    return _answer(sku, substitutes.get_substitutes(db, sku))


@router.put(
    "/products/{sku}/substitutes",
    summary="Set a product's substitutes",
    responses=answers(
        SubstitutesOut, 404, 409, description="The substitutes as stored", headers=ETAG
    ),
)
def set_substitutes(
    body: SubstitutesIn,
    sku: str = sku_in_path(),
    if_match: str | None = if_match_of(LIST),
    principal: Principal = Depends(require("catalog:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Replaces the list as a whole, in the order given; an empty list removes them all. Each
    must be another catalogue product (422 on `substitutes` otherwise). With `If-Match`
    carrying the version last read (the ETag of GET), a list someone changed since is a 409
    with `current_version` and nothing is stored; without it, the PUT overwrites (last
    writer wins)."""
    stored = substitutes.set_substitutes(
        db,
        sku,
        body.substitutes,
        actor=principal.actor,
        expected_version=version_from_if_match(if_match, of=LIST),
    )
    return _answer(sku, stored)
