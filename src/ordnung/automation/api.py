"""HTTP API for outgoing webhooks: subscriptions, their deliveries and replays."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.automation import service
from ordnung.automation.model import DELIVERY_STATUSES, MAX_URL_LENGTH
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.errors import ValidationError
from ordnung.core.http import (
    JSONResponse,
    decode_cursor,
    encode_cursor,
    get_db,
    idempotent,
    json_answer,
    require,
    respond,
)
from ordnung.core.settings import Settings

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

DEFAULT_PAGE_SIZE = 50


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH)
    event_types: list[Annotated[str, Field(max_length=64)]] = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=200)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _page_size(request: Request, limit: int | None) -> int:
    maximum = _settings(request).max_page_size
    if limit is None:
        return min(DEFAULT_PAGE_SIZE, maximum)
    if not 1 <= limit <= maximum:
        raise ValidationError(f"limit must be between 1 and {maximum}.")
    return limit


def _cursor_id(cursor: str | None, key: str) -> int | None:
    if cursor is None:
        return None
    value = decode_cursor(cursor).get(key)
    if not isinstance(value, int):
        raise ValidationError("The cursor is not valid; use the one a list response gave.")
    return value


def _page(items: list[dict[str, Any]], limit: int, key: str) -> JSONResponse:
    next_cursor = encode_cursor({key: items[-1]["id"]}) if len(items) == limit else None
    return JSONResponse({"items": items, "next_cursor": next_cursor})


@router.post("", status_code=201)
def create_webhook(
    body: SubscriptionIn,
    request: Request,
    principal: Principal = Depends(require("webhooks:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Subscribe a URL to event types (or "*"). The signing secret is in this answer only."""
    render = json_answer(201)
    idempotency = idempotent(request, principal, body.model_dump(), render)
    created = service.create_subscription(
        db,
        service.NewSubscription(body.url, body.event_types, body.description),
        allow_private=_settings(request).webhook_allow_private,
        actor=principal.actor,
        idempotency=idempotency,
    )
    return respond(created, render, idempotency)


@router.get("")
def list_webhooks(
    request: Request,
    limit: int | None = None,
    cursor: str | None = None,
    _principal: Principal = Depends(require("webhooks:read")),
    db: Database = Depends(get_db),
) -> Response:
    size = _page_size(request, limit)
    items = service.list_subscriptions(db, after_id=_cursor_id(cursor, "after"), limit=size)
    return _page(items, size, "after")


@router.get("/{subscription_id}")
def get_webhook(
    subscription_id: int,
    _principal: Principal = Depends(require("webhooks:read")),
    db: Database = Depends(get_db),
) -> Response:
    return JSONResponse(service.get_subscription(db, subscription_id))


@router.delete("/{subscription_id}")
def deactivate_webhook(
    subscription_id: int,
    principal: Principal = Depends(require("webhooks:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Deactivates; the subscription and its delivery history stay visible."""
    return JSONResponse(service.deactivate_subscription(db, subscription_id, actor=principal.actor))


@router.get("/{subscription_id}/deliveries")
def list_webhook_deliveries(
    subscription_id: int,
    request: Request,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(DELIVERY_STATUSES) + ")$")] = None,
    limit: int | None = None,
    cursor: str | None = None,
    _principal: Principal = Depends(require("webhooks:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Newest first: status, attempts, last status code or error, next attempt."""
    size = _page_size(request, limit)
    items = service.list_deliveries(
        db, subscription_id, status=status, before_id=_cursor_id(cursor, "before"), limit=size
    )
    return _page(items, size, "before")


@router.post("/deliveries/{delivery_id}/replay")
def replay_webhook_delivery(
    delivery_id: int,
    request: Request,
    principal: Principal = Depends(require("webhooks:write")),
    db: Database = Depends(get_db),
) -> Response:
    """A dead delivery is sent again as soon as the worker next runs."""
    render = json_answer(200)
    idempotency = idempotent(request, principal, {"delivery_id": delivery_id}, render)
    replayed = service.replay_delivery(
        db, delivery_id, actor=principal.actor, idempotency=idempotency
    )
    return respond(replayed, render, idempotency)
