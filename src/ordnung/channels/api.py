"""HTTP interface of sales channels: /channels."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.channels import service
from ordnung.channels.model import MAX_NAME_LENGTH, ChannelDraft
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, idempotent, json_answer, require, respond

router = APIRouter(tags=["channels"])


class ChannelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    type: Literal["webshop", "marketplace", "store", "phone", "b2b"]
    currency: str = Field("EUR", min_length=3, max_length=3)


@router.post("/channels", status_code=201)
def create_channel(
    body: ChannelCreate,
    request: Request,
    principal: Principal = Depends(require("channels:write")),
    db: Database = Depends(get_db),
) -> Response:
    payload = body.model_dump(mode="json")
    render = json_answer(201)
    idempotency = idempotent(request, principal, payload, render)
    created = service.create_channel(
        db, ChannelDraft(**payload), actor=principal.actor, idempotency=idempotency
    )
    return respond(created, render, idempotency)


@router.get("/channels")
def list_channels(
    _: Principal = Depends(require("channels:read")),
    db: Database = Depends(get_db),
) -> Response:
    return JSONResponse({"items": service.list_channels(db), "next_cursor": None})


@router.get("/channels/{code}")
def get_channel(
    code: str,
    _: Principal = Depends(require("channels:read")),
    db: Database = Depends(get_db),
) -> Response:
    return JSONResponse(service.get_channel(db, code))
