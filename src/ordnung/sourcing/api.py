"""HTTP interface of sourcing: a channel's rule versions (draft, change, activate), an
order's sourcing decisions, and the orders nobody can fulfil. Scopes: `channels:read` /
`channels:write` for rules, `orders:read` for decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import key_in_path
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import (
    JSONResponse,
    get_db,
    idempotent,
    if_match_of,
    json_answer,
    require,
    respond,
    version_etag,
    version_from_if_match,
    versioned_etag_header,
)
from ordnung.core.openapi import ResponseModel, answers, idempotent_operation
from ordnung.sourcing import rule_versions
from ordnung.sourcing.decisions import decisions_of_order, unfulfillable_orders
from ordnung.sourcing.rules import parse_rules

router = APIRouter(tags=["sourcing"])
CREATED = json_answer(201)
RULES = "rule version"
ETAG = versioned_etag_header(RULES)

FilterKind = Literal[
    "capability", "country", "max_distance", "no_store_for_bulky", "keep_units", "daily_capacity"
]


class FilterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: FilterKind
    capability: Literal["ship", "pickup", "ship_from_store", "dropship"] | None = None
    countries: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] | None = Field(
        default=None, max_length=60
    )
    km: int | None = Field(default=None, strict=True, ge=1, le=2000)
    grams: int | None = Field(default=None, strict=True, ge=1, le=10_000_000)
    units: int | None = Field(default=None, strict=True, ge=0, le=1_000_000)
    orders: int | None = Field(default=None, strict=True, ge=1, le=1_000_000)


class SplitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    policy: Literal["ship_complete", "allow_split", "max_shipments"] = "allow_split"
    max_shipments: int | None = Field(default=None, strict=True, ge=1, le=20)


class RulesIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "filters": [
                        {"kind": "capability", "capability": "ship"},
                        {"kind": "max_distance", "km": 400},
                        {"kind": "keep_units", "units": 1},
                    ],
                    "strategy": "nearest",
                    "split": {"policy": "max_shipments", "max_shipments": 2},
                }
            ]
        },
    )

    filters: list[FilterIn] = Field(default_factory=list, max_length=20)
    strategy: Literal["priority", "nearest", "fewest_shipments", "balance_stock", "cheapest"] = (
        "priority"
    )
    split: SplitIn = Field(default_factory=SplitIn)

    def plain(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class RuleVersionOut(ResponseModel):
    id: int
    channel: str
    number: int = Field(description="Counts the channel's versions: 1, 2, …")
    status: Literal["draft", "active", "retired"]
    rules: dict[str, Any]
    version: int = Field(description="Changes with every write; the ETag, for If-Match")
    created_at: datetime
    created_by: str
    activated_at: datetime | None


class RuleVersionListOut(ResponseModel):
    items: list[RuleVersionOut]
    next_cursor: None = None


class DecisionOut(ResponseModel):
    outcome: str
    details: dict[str, Any]
    decided_at: datetime


class DecisionListOut(ResponseModel):
    items: list[DecisionOut]
    next_cursor: None = None


class UnfulfillableOut(ResponseModel):
    order_id: int
    details: dict[str, Any]
    decided_at: datetime


class UnfulfillableListOut(ResponseModel):
    items: list[UnfulfillableOut]
    next_cursor: None = None


def channel_code() -> Any:
    return key_in_path("The channel's code", max_length=40, example="webshop")


def number_in_path() -> Any:
    return Path(
        description="The version's number within the channel", ge=1, le=1_000_000, examples=[1]
    )


def _versioned(found: dict[str, Any], status: int = 200) -> Response:
    return JSONResponse(found, status_code=status, headers={"ETag": version_etag(found["version"])})


@router.get(
    "/channels/{code}/sourcing-rules",
    summary="A channel's sourcing rule versions",
    responses=answers(RuleVersionListOut, 404),
)
def list_versions(
    code: str = channel_code(),
    _: Principal = Depends(require("channels:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Every version, newest first: at most one `active` (what intake uses), drafts, and the
    retired ones. A channel without an active version is sourced by location priority."""
    return JSONResponse({"items": rule_versions.list_rule_versions(db, code), "next_cursor": None})


@router.post(
    "/channels/{code}/sourcing-rules",
    status_code=201,
    summary="Draft a new version of a channel's sourcing rules",
    responses=answers(RuleVersionOut, 404, status=201, description="The new draft"),
    openapi_extra=idempotent_operation(),
)
def create_version(
    body: RulesIn,
    request: Request,
    code: str = channel_code(),
    principal: Principal = Depends(require("channels:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Filters (applied in order; the first that drops a location names the reason), a
    strategy and a split policy, as a draft: nothing changes until it is activated."""
    rules = parse_rules(body.plain())
    keyed = idempotent(request, principal, body.plain(), CREATED)
    created = rule_versions.create_rule_draft(
        db, code, rules, actor=principal.actor, idempotency=keyed
    )
    return respond(created, CREATED, keyed)


@router.get(
    "/channels/{code}/sourcing-rules/{number}",
    summary="One version of a channel's sourcing rules",
    responses=answers(RuleVersionOut, 404, headers=ETAG),
)
def get_version(
    code: str = channel_code(),
    number: int = number_in_path(),
    _: Principal = Depends(require("channels:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The version with its ETag (for If-Match on a change or the activation)."""
    return _versioned(rule_versions.get_rule_version(db, code, number))


@router.put(
    "/channels/{code}/sourcing-rules/{number}",
    summary="Change a draft",
    responses=answers(RuleVersionOut, 404, 409, headers=ETAG),
)
def update_version(
    body: RulesIn,
    code: str = channel_code(),
    number: int = number_in_path(),
    if_match: str | None = if_match_of(RULES),
    principal: Principal = Depends(require("channels:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Replaces a draft's rules. An active or retired version is a 409 (draft a new one);
    with If-Match, a version changed since is a 409 with `current_version`."""
    saved = rule_versions.update_rule_draft(
        db,
        code,
        number,
        parse_rules(body.plain()),
        actor=principal.actor,
        expected_version=version_from_if_match(if_match, of=RULES),
    )
    return _versioned(saved)


@router.post(
    "/channels/{code}/sourcing-rules/{number}/activate",
    summary="Activate a draft",
    responses=answers(RuleVersionOut, 404, 409, headers=ETAG),
)
def activate_version(
    code: str = channel_code(),
    number: int = number_in_path(),
    if_match: str | None = if_match_of(RULES),
    principal: Principal = Depends(require("channels:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Makes the draft the channel's active rules (the one before is retired); orders taken
    in from now on are sourced under it. Activating again is a 409 (it is no draft now)."""
    activated = rule_versions.activate_rule_version(
        db,
        code,
        number,
        actor=principal.actor,
        expected_version=version_from_if_match(if_match, of=RULES),
    )
    return _versioned(activated)


@router.get(
    "/orders/{order_id}/sourcing-decisions",
    summary="Why an order was sourced as it was",
    responses=answers(DecisionListOut),
)
def order_decisions(
    order_id: int = Path(ge=1, le=2**62, examples=[1]),
    _: Principal = Depends(require("orders:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Each decision, newest first: the candidates, the locations dropped and by which
    filter, the allocation, its cost (cents) and the outcome."""
    return JSONResponse({"items": decisions_of_order(db, order_id), "next_cursor": None})


@router.get(
    "/sourcing/unfulfillable",
    summary="Orders nobody can fulfil under the rules",
    responses=answers(UnfulfillableListOut),
)
def unfulfillable(
    _: Principal = Depends(require("orders:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Orders whose latest decision dropped every location holding some line's stock."""
    return JSONResponse({"items": unfulfillable_orders(db), "next_cursor": None})
