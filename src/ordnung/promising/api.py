"""Available-to-promise and promise settings over HTTP."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import key_in_path, line_text
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
from ordnung.promising.availability import AvailabilityAnswer, Question, check_availability
from ordnung.promising.explanations import Reason, explain, language_of
from ordnung.promising.model import (
    PromiseSettings,
    check_postal_code,
    parse_cutoff,
    parse_skus,
)
from ordnung.promising.service import (
    SellScopeChange,
    channel_sell_scope,
    location_promise_settings,
    replace_channel_sell_scope,
    replace_location_promise_settings,
)

router = APIRouter()


class ExplanationOut(ResponseModel):
    key: str = Field(description="Stable machine-readable reason, e.g. `held.safety_stock`.")
    params: dict[str, str | int]
    text: str = Field(description="The reason in the request's language (Accept-Language).")


class LocationFigureOut(ResponseModel):
    location: str
    type: str
    on_hand: int
    reserved: int
    safety_stock: int
    available: int = Field(description="on_hand − reserved − safety_stock, never below 0")
    sellable: int = Field(description="What the channel may sell from here")
    held_safety_stock: int
    held_store_buffer: int
    reasons: list[str] = Field(
        description="counted, not_in_scope, cannot_ship, safety_stock_held, "
        "safety_stock_sold, store_buffer_held"
    )


class IncomingOut(ResponseModel):
    location: str
    quantity: int
    expected_on: date
    source: str


class PromiseOut(ResponseModel):
    source: str = Field(description="stock, incoming, non_stock, preorder or none")
    location: str | None
    ship_on: date | None
    delivery_on: date | None = Field(description="Only with a postal code")
    zone: str | None
    distance_km: float | None
    explanations: list[ExplanationOut]


class SkuAvailabilityOut(ResponseModel):
    sku: str
    is_always_sellable: bool = Field(
        description="True for a non-stock product (service, digital, made to order): no stock "
        "is counted, `available` and `sellable` are null"
    )
    available: int | None = Field(description="Available now in the whole network")
    sellable: int | None = Field(description="What the channel may sell now")
    incoming_quantity: int
    incoming_next_on: date | None
    locations: list[LocationFigureOut]
    incoming: list[IncomingOut]
    promise: PromiseOut
    explanations: list[ExplanationOut]


class AvailabilityOut(ResponseModel):
    channel: str | None
    postal_code: str | None
    language: str
    computed_at: datetime
    channel_explanations: list[ExplanationOut]
    items: list[SkuAvailabilityOut]


def _explained(reasons: list[Reason], language: str) -> list[dict[str, Any]]:
    return [
        {"key": reason.key, "params": reason.params, "text": explain(reason, language)}
        for reason in reasons
    ]


def availability_json(answer: AvailabilityAnswer, *, per_location: bool = True) -> dict[str, Any]:
    language = answer.question.language
    return {
        "channel": answer.question.channel,
        "postal_code": answer.question.postal_code,
        "language": language,
        "computed_at": answer.computed_at,
        "channel_explanations": _explained(answer.channel_reasons, language),
        "items": [_item_json(item, language, per_location) for item in answer.items],
    }


def _item_json(item: Any, language: str, per_location: bool) -> dict[str, Any]:
    figures, promise = item.figures, item.promise
    codes = {figure.place.id: figure.place.code for figure in figures.locations}
    timing = promise.timing
    return {
        "sku": figures.sku,
        "is_always_sellable": item.is_non_stock,
        "available": None if item.is_non_stock else figures.available,
        "sellable": None if item.is_non_stock else figures.sellable,
        "incoming_quantity": sum(supply.quantity for supply in figures.incoming),
        "incoming_next_on": figures.incoming[0].expected_on if figures.incoming else None,
        "locations": [
            {
                "location": f.place.code,
                "type": f.place.type,
                "on_hand": f.on_hand,
                "reserved": f.reserved,
                "safety_stock": f.safety_stock,
                "available": f.available,
                "sellable": f.sellable,
                "held_safety_stock": f.held_safety_stock,
                "held_store_buffer": f.held_store_buffer,
                "reasons": list(f.reasons),
            }
            for f in (figures.locations if per_location else ())
        ],
        "incoming": [
            {
                "location": codes.get(s.location_id, str(s.location_id)),
                "quantity": s.quantity,
                "expected_on": s.expected_on,
                "source": s.source,
            }
            for s in figures.incoming
        ],
        "promise": {
            "source": promise.source,
            "location": timing.place.code if timing else None,
            "ship_on": timing.ship_on if timing else None,
            "delivery_on": timing.delivery_on if timing else None,
            "zone": timing.zone.name if timing and timing.zone else None,
            "distance_km": timing.zone.distance_km if timing and timing.zone else None,
            "explanations": _explained(promise.reasons, language),
        },
        "explanations": _explained(item.reasons, language),
    }


@router.get(
    "/availability",
    tags=["inventory"],
    summary="Available-to-promise for up to 100 SKUs",
    responses=answers(AvailabilityOut, 404),
)
def get_availability(
    skus: str = Query(
        description="Comma-separated SKUs, at most 100", max_length=7000, examples=["A-1,B-2"]
    ),
    channel: str | None = Query(None, max_length=40, description="The selling channel's code"),
    postal_code: str | None = Query(
        None, max_length=10, description="The customer's German postal code", examples=["50667"]
    ),
    per_location: bool = Query(
        True,
        description="false: leave out the figures per location (a product list needs only "
        "the sums, the promise and the explanations; the answer is far smaller)",
    ),
    accept_language: str | None = Header(
        None,
        max_length=200,
        description="`de…` answers the explanations in German, anything else in English",
        examples=["de-DE,de;q=0.9"],
    ),
    _: Principal = Depends(require("inventory:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Per SKU: available now in the network and per location (on hand − reserved − safety
    stock, never below 0), what the channel may sell (its sell scope, the store buffer held
    back from online channels, safety stock), incoming supply, and the earliest ship and
    delivery date for the postal code — each figure with its explanation (reason keys, and
    text in the language of `Accept-Language`: German or English). An unknown channel is a
    404; a bad SKU list or postal code a 422 naming the field."""
    question = Question(
        skus=parse_skus(skus),
        channel=channel.strip() if channel and channel.strip() else None,
        postal_code=check_postal_code(postal_code),
        language=language_of(accept_language),
    )
    answer = check_availability(db, question)
    return JSONResponse(availability_json(answer, per_location=per_location))


# --- location promise settings --------------------------------------------------------------


class PromiseSettingsIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "federal_state": "BY",
                    "time_zone": "Europe/Berlin",
                    "cutoff": "14:00",
                    "handling_days": 1,
                    "working_weekdays": [1, 2, 3, 4, 5],
                }
            ]
        },
    )

    federal_state: str = line_text(
        2, min_length=0, default="", description="BY, NW, …; empty: nationwide"
    )
    time_zone: str = line_text(64, default="Europe/Berlin")
    cutoff: str = line_text(5, default="14:00", description="Local time HH:MM")
    handling_days: int = Field(0, ge=0, le=30)
    working_weekdays: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        default_factory=lambda: [1, 2, 3, 4, 5], min_length=1, max_length=7
    )


class PromiseSettingsOut(ResponseModel):
    location: str
    federal_state: str
    time_zone: str
    cutoff: str
    handling_days: int
    working_weekdays: list[int]
    version: int = Field(description="Also the ETag (0: never set, defaults shown)")


LOCATION_SETTINGS = "location's promise settings"
LOCATION_ETAG = versioned_etag_header(LOCATION_SETTINGS)


def _versioned(body: dict[str, Any]) -> Response:
    return JSONResponse(body, headers={"ETag": version_etag(body["version"])})


def location_code() -> Any:
    return key_in_path("The location's code", max_length=40, example="berlin")


def channel_code() -> Any:
    return key_in_path("The channel's code", max_length=40, example="webshop")


@router.get(
    "/locations/{code}/promise-settings",
    tags=["inventory"],
    summary="A location's promise settings",
    responses=answers(PromiseSettingsOut, 404, headers=LOCATION_ETAG),
)
def get_promise_settings(
    code: str = location_code(),
    _: Principal = Depends(require("inventory:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Federal state (public holidays), time zone, daily cut-off, handling days and working
    weekdays. Never set: the defaults with version 0."""
    return _versioned(location_promise_settings(db, code))


@router.put(
    "/locations/{code}/promise-settings",
    tags=["inventory"],
    summary="Set a location's promise settings",
    responses=answers(PromiseSettingsOut, 404, 409, headers=LOCATION_ETAG),
)
def put_promise_settings(
    body: PromiseSettingsIn,
    code: str = location_code(),
    if_match: str | None = if_match_of(LOCATION_SETTINGS),
    principal: Principal = Depends(require("inventory:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Replaces the settings as a whole; promises use them from the next request on. With
    If-Match (the ETag of GET), settings changed since are a 409."""
    settings = PromiseSettings(
        federal_state=body.federal_state.strip().upper(),
        time_zone=body.time_zone.strip(),
        cutoff=parse_cutoff(body.cutoff),
        handling_days=body.handling_days,
        working_weekdays=frozenset(body.working_weekdays),
    )
    stored = replace_location_promise_settings(
        db,
        code,
        settings,
        actor=principal.actor,
        expected_version=version_from_if_match(if_match, of=LOCATION_SETTINGS),
    )
    return _versioned(stored)


# --- channel sell scope ---------------------------------------------------------------------


class SellScopeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"locations": ["dc-koeln"], "store_buffer": 2, "is_safety_stock_held": True}
            ]
        },
    )

    locations: list[Annotated[str, line_text(40)]] = Field(
        default_factory=list, max_length=1000, description="Empty: every location that ships"
    )
    store_buffer: int = Field(0, ge=0, le=1_000_000)
    is_safety_stock_held: bool = True


class SellScopeOut(ResponseModel):
    channel: str
    locations: list[str]
    store_buffer: int
    is_safety_stock_held: bool
    version: int = Field(description="Also the ETag (0: never set, defaults shown)")


SCOPE = "channel's sell scope"
SCOPE_ETAG = versioned_etag_header(SCOPE)


@router.get(
    "/channels/{code}/sell-scope",
    tags=["channels"],
    summary="Where a channel may sell from",
    responses=answers(SellScopeOut, 404, headers=SCOPE_ETAG),
)
def get_sell_scope(
    code: str = channel_code(),
    _: Principal = Depends(require("channels:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The locations the channel may sell from (empty: all that ship), the buffer held back
    at each store from online channels, and whether safety stock is held back."""
    return _versioned(channel_sell_scope(db, code))


@router.put(
    "/channels/{code}/sell-scope",
    tags=["channels"],
    summary="Set where a channel may sell from",
    responses=answers(SellScopeOut, 404, 409, headers=SCOPE_ETAG),
)
def put_sell_scope(
    body: SellScopeIn,
    code: str = channel_code(),
    if_match: str | None = if_match_of(SCOPE),
    principal: Principal = Depends(require("channels:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Replaces the sell scope as a whole; an unknown location is a 422. With If-Match (the
    ETag of GET), a scope changed since is a 409."""
    change = SellScopeChange(
        tuple(code.strip() for code in body.locations), body.store_buffer, body.is_safety_stock_held
    )
    stored = replace_channel_sell_scope(
        db,
        code,
        change,
        actor=principal.actor,
        expected_version=version_from_if_match(if_match, of=SCOPE),
    )
    return _versioned(stored)
