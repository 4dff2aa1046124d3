"""Webhook subscriptions: list, create (the signing secret shown once), deactivate, the
delivery log of a subscription, and replaying a dead delivery. The work is done by
`ordnung.automation.service`, exactly as the API does it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.automation import service as webhooks
from ordnung.automation.model import ALL_EVENTS, DELIVERY_STATUSES, MAX_URL_LENGTH
from ordnung.core.errors import NotFoundError, OrdnungError
from ordnung.core.events import EVENT_TYPES
from ordnung.staff.model import WEBHOOKS_MANAGE
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.rendering import query_string, render
from ordnung.web.security import (
    PageNotFoundError,
    app_settings,
    checked_form,
    database,
    require_permission,
)
from ordnung.web.shown_once import show_once, take_shown_once

router = APIRouter(include_in_schema=False)

may_manage_webhooks = require_permission(WEBHOOKS_MANAGE)
SIGNING_SECRET = "webhook_secret"
WEBHOOKS_PATH = "/webhooks"
PAGE_SIZE = 50
MAX_DESCRIPTION_LENGTH = 200


@router.get(WEBHOOKS_PATH, response_class=HTMLResponse)
def subscription_list(
    request: Request, _staff: StaffUser = Depends(may_manage_webhooks)
) -> Response:
    # A merchant has a handful of subscriptions; a generous page shows them all.
    subscriptions = webhooks.list_subscriptions(database(request), after_id=None, limit=500)
    context = {
        "active": "webhooks",
        "subscriptions": subscriptions,
        "event_types": [ALL_EVENTS, *sorted(EVENT_TYPES)],
        "max_url_length": MAX_URL_LENGTH,
    }
    return render(request, "webhooks/list.html", context)


@router.post(WEBHOOKS_PATH)
def create_subscription(
    request: Request,
    staff: StaffUser = Depends(may_manage_webhooks),
    form: FormData = Depends(checked_form),
) -> Response:
    new = webhooks.NewSubscription(
        url=str(form.get("url", "")).strip()[:MAX_URL_LENGTH],
        event_types=[str(value) for value in form.getlist("event_types")][: len(EVENT_TYPES) + 1],
        description=str(form.get("description", "")).strip()[:MAX_DESCRIPTION_LENGTH],
    )
    try:
        created = webhooks.create_subscription(
            database(request),
            new,
            allow_private=app_settings(request).webhook_allow_private,
            actor=_actor(staff),
        )
    except OrdnungError as error:
        leave_flash(request, "error", "webhooks.create_failed", detail=error.detail)
        return RedirectResponse(WEBHOOKS_PATH, status_code=303)
    show_once(request, SIGNING_SECRET, str(created["secret"]))
    leave_flash(request, "success", "webhooks.created")
    return RedirectResponse(_path(int(created["id"])), status_code=303)


@router.get(WEBHOOKS_PATH + "/{subscription_id}", response_class=HTMLResponse)
def subscription_detail(
    request: Request,
    subscription_id: int,
    status: str = "",
    before: str = "",
    _staff: StaffUser = Depends(may_manage_webhooks),
) -> Response:
    db = database(request)
    status_filter = status if status in DELIVERY_STATUSES else ""
    before_id = int(before) if before.isdigit() else None
    try:
        subscription = webhooks.get_subscription(db, subscription_id)
        deliveries = webhooks.list_deliveries(
            db, subscription_id, status=status_filter or None, before_id=before_id, limit=PAGE_SIZE
        )
    except NotFoundError:
        raise PageNotFoundError("error.webhook_not_found", subscription_id) from None
    params: dict[str, str | int | None] = {"status": status_filter}
    context = {
        "active": "webhooks",
        "subscription": subscription,
        "secret": take_shown_once(request, SIGNING_SECRET),
        "deliveries": deliveries,
        "statuses": DELIVERY_STATUSES,
        "status": status_filter,
        "is_first_page": before_id is None,
        "first_page_url": _path(subscription_id) + query_string(params),
        "next_page_url": _path(subscription_id)
        + query_string({**params, "before": deliveries[-1]["id"]})
        if len(deliveries) == PAGE_SIZE
        else None,
    }
    return render(request, "webhooks/detail.html", context)


@router.post(WEBHOOKS_PATH + "/{subscription_id}/deactivate")
def deactivate_subscription(
    request: Request,
    subscription_id: int,
    staff: StaffUser = Depends(may_manage_webhooks),
    _form: FormData = Depends(checked_form),
) -> Response:
    try:
        webhooks.deactivate_subscription(database(request), subscription_id, actor=_actor(staff))
    except OrdnungError as error:
        leave_flash(request, "error", "webhooks.change_failed", detail=error.detail)
    else:
        leave_flash(request, "success", "webhooks.deactivated")
    return RedirectResponse(_path(subscription_id), status_code=303)


@router.post(WEBHOOKS_PATH + "/{subscription_id}/deliveries/{delivery_id}/replay")
def replay_delivery(
    request: Request,
    subscription_id: int,
    delivery_id: int,
    staff: StaffUser = Depends(may_manage_webhooks),
    _form: FormData = Depends(checked_form),
) -> Response:
    try:
        webhooks.replay_delivery(database(request), delivery_id, actor=_actor(staff))
    except OrdnungError as error:
        leave_flash(request, "error", "webhooks.change_failed", detail=error.detail)
    else:
        leave_flash(request, "success", "webhooks.replayed", id=delivery_id)
    return RedirectResponse(_path(subscription_id), status_code=303)


def _actor(staff: StaffUser) -> str:
    return f"staff:{staff.email}"


def _path(subscription_id: int) -> str:
    return f"{WEBHOOKS_PATH}/{subscription_id}"
