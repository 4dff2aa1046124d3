"""HTTP interface of sales channels: /channels."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.channels import service
from ordnung.channels.model import MAX_NAME_LENGTH, ChannelDraft
from ordnung.core.api_fields import key_in_path, line_text
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, idempotent, json_answer, require, respond
from ordnung.core.openapi import ResponseModel, answers, idempotent_operation

router = APIRouter(tags=["channels"])


class ChannelType(StrEnum):
    WEBSHOP = "webshop"
    MARKETPLACE = "marketplace"
    STORE = "store"
    PHONE = "phone"
    B2B = "b2b"


class ChannelCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"code": "webshop", "name": "Webshop", "type": "webshop", "currency": "EUR"}
            ]
        },
    )

    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Annotated[str, line_text(MAX_NAME_LENGTH)]
    type: ChannelType
    currency: str = Field(
        "EUR", min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$", description="ISO 4217"
    )


class ChannelOut(ResponseModel):
    """Where orders come from, and the currency they are sold in."""

    id: int
    code: str = Field(examples=["webshop"])
    name: str
    type: ChannelType
    currency: str = Field(examples=["EUR"])
    created_at: datetime
    version: int = Field(description="Raised by every change of the channel.")


class ChannelListOut(ResponseModel):
    items: list[ChannelOut]
    next_cursor: None = Field(description="Always null: all channels fit on one page.")


@router.post(
    "/channels",
    status_code=201,
    summary="Add a sales channel",
    responses=answers(ChannelOut, 409, status=201, description="The new channel"),
    openapi_extra=idempotent_operation(),
)
def create_channel(
    body: ChannelCreate,
    request: Request,
    principal: Principal = Depends(require("channels:write")),
    db: Database = Depends(get_db),
) -> Response:
    """A web shop, marketplace, store, phone line or B2B portal that sends orders, with
    the currency it sells in. Orders name their channel by this code; a code already taken
    is a 409."""
    payload = body.model_dump(mode="json")
    render = json_answer(201)
    idempotency = idempotent(request, principal, payload, render)
    created = service.create_channel(
        db, ChannelDraft(**payload), actor=principal.actor, idempotency=idempotency
    )
    return respond(created, render, idempotency)


@router.get("/channels", summary="All sales channels", responses=answers(ChannelListOut))
def list_channels(
    _: Principal = Depends(require("channels:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Every channel by code; a merchant has a handful, so there is one page."""
    return JSONResponse({"items": service.list_channels(db), "next_cursor": None})


@router.get("/channels/{code}", summary="One sales channel", responses=answers(ChannelOut, 404))
def get_channel(
    code: str = key_in_path("The channel's code", max_length=40, example="webshop"),
    _: Principal = Depends(require("channels:read")),
    db: Database = Depends(get_db),
) -> Response:
    """A channel by its code."""
    return JSONResponse(service.get_channel(db, code))
