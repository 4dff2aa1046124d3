"""HTTP interface of inventory: /locations, /stock and /availability. (Stock counts and
receipts give units to waiting orders: `orchestration/api.py`.)"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

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
from ordnung.inventory import locations, service
from ordnung.inventory.model import Address, LocationDraft

router = APIRouter(tags=["inventory"])

READ = "inventory:read"
WRITE = "inventory:write"
Capability = Literal["ship", "pickup", "ship_from_store", "dropship"]
CREATED = json_answer(201)


class AddressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    street: str = Field(min_length=1, max_length=200)
    postal_code: str = Field(min_length=1, max_length=20)
    city: str = Field(min_length=1, max_length=120)
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")


class LocationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1, max_length=200)
    type: Literal["warehouse", "store", "supplier", "3pl"]
    address: AddressIn
    # pydantic copies mutable defaults per instance.
    capabilities: list[Capability] = Field(["ship"], max_length=4)
    priority: int = Field(100, ge=0, le=1_000_000, description="Lower is asked first")


@router.post("/locations", status_code=201)
def create_location(
    body: LocationCreate,
    request: Request,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    payload = body.model_dump(mode="json")
    draft = LocationDraft(
        code=body.code,
        name=body.name,
        type=body.type,
        address=Address(**body.address.model_dump()),
        capabilities=tuple(body.capabilities),
        priority=body.priority,
    )
    keyed = idempotent(request, principal, payload, CREATED)
    location = locations.create_location(db, draft, actor=principal.actor, idempotency=keyed)
    return respond(location, CREATED, keyed)


@router.get("/locations")
def list_locations(
    _: Principal = Depends(require(READ)), db: Database = Depends(get_db)
) -> Response:
    return JSONResponse({"items": locations.list_locations(db), "next_cursor": None})


@router.get("/locations/{code}")
def get_location(
    code: str, _: Principal = Depends(require(READ)), db: Database = Depends(get_db)
) -> Response:
    return JSONResponse(locations.get_location(db, code))


@router.get("/stock")
def list_stock(
    sku: str | None = Query(None, max_length=64),
    location: str | None = Query(None, max_length=40, description="Location code"),
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(50, ge=1, le=200),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    result = service.list_stock(
        db, sku=sku, location_code=location, after_id=after_id_from_cursor(cursor), limit=limit
    )
    return JSONResponse(page_with_cursor(result))


@router.get("/stock/{sku}/{location_code}/movements")
def list_movements(
    sku: str,
    location_code: str,
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(50, ge=1, le=200),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    result = service.list_movements(
        db, sku, location_code, after_id=after_id_from_cursor(cursor), limit=limit
    )
    return JSONResponse(page_with_cursor(result))


@router.get("/availability/{sku}")
def availability(
    sku: str, _: Principal = Depends(require(READ)), db: Database = Depends(get_db)
) -> Response:
    return JSONResponse(service.availability(db, sku))
