"""HTTP API for outgoing webhooks: subscriptions, their deliveries and replays."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.automation import service
from ordnung.automation.model import MAX_URL_LENGTH
from ordnung.core.api_fields import MAX_BIGINT_ID, MAX_INTEGER_ID, line_text, record_id
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, idempotent, json_answer, require, respond
from ordnung.core.openapi import ResponseModel, answers, idempotent_operation
from ordnung.core.paging import Page, page_answers, requested_page
from ordnung.core.settings import Settings
from ordnung.orders.schemas import EventType

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def subscription_id_in_path() -> Any:
    return record_id("The subscription's id", maximum=MAX_INTEGER_ID, example=3)


class DeliveryStatus(StrEnum):
    """`pending` is sent (again) by the worker; `dead` gave up after the retry schedule."""

    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://shop.example.com/hooks/ordnung",
                    "event_types": ["order.shipped", "order.cancelled"],
                    "description": "Shop: shipping e-mails",
                }
            ]
        },
    )

    url: Annotated[str, line_text(MAX_URL_LENGTH)]
    event_types: list[Annotated[str, line_text(64, description="An event type, or * for all")]] = (
        Field(min_length=1, max_length=100)
    )
    description: Annotated[str, line_text(200, min_length=0)] = ""


class SubscriptionOut(ResponseModel):
    id: int
    url: str
    event_types: list[EventType | Literal["*"]]
    description: str
    is_active: bool
    created_at: datetime


class NewSubscriptionOut(SubscriptionOut):
    """The subscription with its signing secret, shown in this answer only: verify each
    delivery's `webhook-signature` with it (Standard Webhooks)."""

    secret: str = Field(examples=["whsec_…"])


class SubscriptionPageOut(ResponseModel):
    items: list[SubscriptionOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class DeliveryOut(ResponseModel):
    """One event sent (or to be sent) to one subscription."""

    id: int
    subscription_id: int
    event_id: int
    event_type: EventType
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None


class DeliveryPageOut(ResponseModel):
    items: list[DeliveryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _page(items: list[dict[str, Any]], page: Page) -> JSONResponse:
    return page.respond(items, items[-1]["id"] if len(items) == page.limit else None)


@router.post(
    "",
    status_code=201,
    summary="Subscribe a URL to events",
    responses=answers(NewSubscriptionOut, 409, status=201, description="The subscription"),
    openapi_extra=idempotent_operation(),
)
def create_webhook(
    body: SubscriptionIn,
    request: Request,
    principal: Principal = Depends(require("webhooks:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Another system (the shop, an ERP) is told of each event it names, or of every event
    with "*": the worker POSTs it, signed, and retries for a day. The signing secret is in
    this answer only."""
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


@router.get("", summary="All subscriptions", responses=page_answers(SubscriptionPageOut))
def list_webhooks(
    page: Page = Depends(requested_page),
    _principal: Principal = Depends(require("webhooks:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Subscriptions in the order they were made, active or not."""
    items = service.list_subscriptions(db, after_id=page.after_id, limit=page.limit)
    return _page(items, page)


@router.get(
    "/{subscription_id}", summary="One subscription", responses=answers(SubscriptionOut, 404)
)
def get_webhook(
    subscription_id: int = subscription_id_in_path(),
    _principal: Principal = Depends(require("webhooks:read")),
    db: Database = Depends(get_db),
) -> Response:
    """A subscription without its secret."""
    return JSONResponse(service.get_subscription(db, subscription_id))


@router.delete(
    "/{subscription_id}",
    summary="Deactivate a subscription",
    responses=answers(SubscriptionOut, 404, description="The deactivated subscription"),
)
def deactivate_webhook(
    subscription_id: int = subscription_id_in_path(),
    principal: Principal = Depends(require("webhooks:write")),
    db: Database = Depends(get_db),
) -> Response:
    """No more events are sent to it; the subscription and its delivery history stay
    visible."""
    return JSONResponse(service.deactivate_subscription(db, subscription_id, actor=principal.actor))


@router.get(
    "/{subscription_id}/deliveries",
    summary="What was sent to a subscription",
    responses=page_answers(DeliveryPageOut, 404),
)
def list_webhook_deliveries(
    subscription_id: int = subscription_id_in_path(),
    status: Annotated[DeliveryStatus | None, Query()] = None,
    page: Page = Depends(requested_page),
    _principal: Principal = Depends(require("webhooks:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Newest first: status, attempts, last status code or error, next attempt."""
    items = service.list_deliveries(
        db,
        subscription_id,
        status=None if status is None else status.value,
        before_id=page.after_id,
        limit=page.limit,
    )
    return _page(items, page)


@router.post(
    "/deliveries/{delivery_id}/replay",
    summary="Send a dead delivery again",
    responses=answers(DeliveryOut, 404, 409, description="The delivery, pending again"),
    openapi_extra=idempotent_operation(),
)
def replay_webhook_delivery(
    request: Request,
    delivery_id: int = record_id("The delivery's id", maximum=MAX_BIGINT_ID, example=118),
    principal: Principal = Depends(require("webhooks:write")),
    db: Database = Depends(get_db),
) -> Response:
    """A delivery the worker gave up on goes back to pending with the full retry schedule,
    once the receiver works again. A deactivated subscription's delivery is a 409."""
    render = json_answer(200)
    idempotency = idempotent(request, principal, {"delivery_id": delivery_id}, render)
    replayed = service.replay_delivery(
        db, delivery_id, actor=principal.actor, idempotency=idempotency
    )
    return respond(replayed, render, idempotency)
