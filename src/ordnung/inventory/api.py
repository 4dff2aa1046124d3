"""HTTP interface of inventory: /locations, /stock and /availability. (Stock counts and
receipts give units to waiting orders: `orchestration/api.py`.)"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import SINGLE_LINE, line_text, location_in_path, sku_in_path
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
from ordnung.core.openapi import answers, idempotent_operation
from ordnung.core.paging import Page, page_answers, page_from_service, requested_page
from ordnung.inventory import locations, service
from ordnung.inventory.model import Address, LocationDraft
from ordnung.inventory.schemas import (
    AvailabilityOut,
    LocationCapability,
    LocationListOut,
    LocationOut,
    LocationType,
    MovementPageOut,
    StockPageOut,
)

router = APIRouter(tags=["inventory"])

READ = "inventory:read"
WRITE = "inventory:write"
CREATED = json_answer(201)


class AddressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    street: Annotated[str, line_text(200, examples=["Hafenstraße 1"])]
    postal_code: Annotated[str, line_text(20, examples=["20457"])]
    city: Annotated[str, line_text(120, examples=["Hamburg"])]
    country: str = Field(
        min_length=2, max_length=2, pattern=SINGLE_LINE, description="ISO 3166-1 alpha-2"
    )


class LocationCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "lager-nord",
                    "name": "Lager Nord",
                    "type": "warehouse",
                    "address": {
                        "street": "Hafenstraße 1",
                        "postal_code": "20457",
                        "city": "Hamburg",
                        "country": "DE",
                    },
                    "capabilities": ["ship"],
                    "priority": 10,
                }
            ]
        },
    )

    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Annotated[str, line_text(200)]
    type: LocationType
    address: AddressIn
    # pydantic copies mutable defaults per instance.
    capabilities: list[LocationCapability] = Field([LocationCapability.SHIP], max_length=4)
    priority: int = Field(100, ge=0, le=1_000_000, strict=True, description="Lower is asked first")


@router.post(
    "/locations",
    status_code=201,
    summary="Add a location",
    responses=answers(LocationOut, 409, status=201, description="The new location"),
    openapi_extra=idempotent_operation(),
)
def create_location(
    body: LocationCreate,
    request: Request,
    principal: Principal = Depends(require(WRITE)),
    db: Database = Depends(get_db),
) -> Response:
    """A warehouse, store, supplier or logistics partner that holds stock. Sourcing asks
    the locations that can ship by ascending priority. A code already taken is a 409."""
    payload = body.model_dump(mode="json")
    draft = LocationDraft(
        code=body.code,
        name=body.name,
        type=body.type.value,
        address=Address(**body.address.model_dump()),
        capabilities=tuple(capability.value for capability in body.capabilities),
        priority=body.priority,
    )
    keyed = idempotent(request, principal, payload, CREATED)
    location = locations.create_location(db, draft, actor=principal.actor, idempotency=keyed)
    return respond(location, CREATED, keyed)


@router.get("/locations", summary="All locations", responses=answers(LocationListOut))
def list_locations(
    _: Principal = Depends(require(READ)), db: Database = Depends(get_db)
) -> Response:
    """Every location by code; a merchant has a handful, so there is one page."""
    return JSONResponse({"items": locations.list_locations(db), "next_cursor": None})


@router.get("/locations/{code}", summary="One location", responses=answers(LocationOut, 404))
def get_location(
    code: str = location_in_path(),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """A location by its code."""
    return JSONResponse(locations.get_location(db, code))


@router.get("/stock", summary="Stock positions", responses=page_answers(StockPageOut))
def list_stock(
    sku: str | None = Query(
        None, min_length=1, max_length=64, pattern=SINGLE_LINE, examples=["OD-0001"]
    ),
    location: str | None = Query(
        None,
        min_length=1,
        max_length=40,
        pattern=SINGLE_LINE,
        description="Location code",
        examples=["lager-nord"],
    ),
    page: Page = Depends(requested_page),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """What each location holds of each SKU: on hand, reserved for orders, safety stock and
    available, optionally for one SKU or one location."""
    result = service.list_stock(
        db, sku=sku, location_code=location, after_id=page.after_id, limit=page.limit
    )
    return page_from_service(page, result)


@router.get(
    "/stock/{sku}/{location_code}/movements",
    summary="The stock ledger of one position",
    responses=page_answers(MovementPageOut, 404),
)
def list_movements(
    sku: str = sku_in_path(),
    location_code: str = location_in_path(),
    page: Page = Depends(requested_page),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """Every change of one SKU at one location, oldest first — receipts, counts,
    reservations, shipments — with who made it and for which order."""
    result = service.list_movements(
        db, sku, location_code, after_id=page.after_id, limit=page.limit
    )
    return page_from_service(page, result)


@router.get(
    "/availability/{sku}",
    summary="What can be sold of a SKU",
    responses=answers(AvailabilityOut, 404),
)
def availability(
    sku: str = sku_in_path(),
    _: Principal = Depends(require(READ)),
    db: Database = Depends(get_db),
) -> Response:
    """Available to promise of one SKU, in total and per location in sourcing order."""
    return JSONResponse(service.availability(db, sku))
