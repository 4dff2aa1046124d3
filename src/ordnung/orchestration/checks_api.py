"""Intake checks over HTTP: the hold queue (holds_api.py) and a channel's rule settings."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.checks.rules_config import checked_rules
from ordnung.checks.settings import channel_check_settings, replace_channel_check_settings
from ordnung.core.api_fields import key_in_path
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
from ordnung.orchestration.holds_api import router as holds_router

router = APIRouter()
router.include_router(holds_router)

Mode = Literal["off", "warn", "hold"]


class RuleSettingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Mode
    params: dict[str, Any] = Field(
        default_factory=dict, description="The rule's parameters (README: Checks at intake)"
    )


class CheckSettingsIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"rules": {"fraud_score": {"mode": "hold", "params": {"threshold": 50}}}}]
        },
    )

    rules: dict[str, RuleSettingIn] = Field(max_length=40)


class RuleSettingOut(ResponseModel):
    mode: Mode
    params: dict[str, Any]


class CheckSettingsOut(ResponseModel):
    channel: str
    rules: dict[str, RuleSettingOut]
    version: int = Field(description="The settings' version, also the ETag (0: never set)")


SETTINGS = "channel's checks"
ETAG = versioned_etag_header(SETTINGS)


def _answer(settings: dict[str, Any]) -> Response:
    return JSONResponse(settings, headers={"ETag": version_etag(settings["version"])})


def channel_code() -> Any:
    return key_in_path("The channel's code", max_length=40, example="webshop")


@router.get(
    "/channels/{code}/checks",
    tags=["channels"],
    summary="A channel's intake checks",
    responses=answers(CheckSettingsOut, 404, headers=ETAG),
)
def get_checks(
    code: str = channel_code(),
    _: Principal = Depends(require("channels:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Every rule with its mode (`off`, `warn`, `hold`) and parameters for this channel; a
    rule the channel never set shows its default. The ETag carries the settings' version
    for If-Match on the PUT."""
    return _answer(channel_check_settings(db, code))


@router.put(
    "/channels/{code}/checks",
    tags=["channels"],
    summary="Set a channel's intake checks",
    responses=answers(CheckSettingsOut, 404, 409, headers=ETAG),
)
def put_checks(
    body: CheckSettingsIn,
    code: str = channel_code(),
    if_match: str | None = if_match_of(SETTINGS),
    principal: Principal = Depends(require("channels:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Sets the named rules (mode and parameters, replacing that rule's earlier setting);
    rules not named keep theirs. Orders taken in from now on are checked this way. Doing the
    same again changes the settings no further (PUT; the version still counts the write).
    With `If-Match` carrying the version last read (the ETag of GET), settings someone
    changed since are a 409 with `current_version` and nothing is stored; without it, the
    PUT overwrites (last writer wins)."""
    rules = checked_rules({name: rule.model_dump() for name, rule in body.rules.items()})
    expected = version_from_if_match(if_match, of=SETTINGS)
    stored = replace_channel_check_settings(
        db, code, rules, actor=principal.actor, expected_version=expected
    )
    return _answer(stored)
