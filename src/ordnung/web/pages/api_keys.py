"""API keys for integrations: list, create with scopes (and optionally bound to a location),
revoke. The token is shown once, on the page after creation; only its hash is stored."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.auth import SCOPES
from ordnung.core.errors import OrdnungError
from ordnung.core.http import forget_cached_keys
from ordnung.inventory.locations import list_locations
from ordnung.staff.model import API_KEYS_MANAGE
from ordnung.staff.service import (
    LOCATION_SCOPES,
    StaffUser,
    create_api_key,
    list_api_keys,
    revoke_api_key,
)
from ordnung.web.flash import leave_flash
from ordnung.web.rendering import render
from ordnung.web.security import checked_form, database, require_permission
from ordnung.web.shown_once import show_once, take_shown_once

router = APIRouter(include_in_schema=False)

may_manage_keys = require_permission(API_KEYS_MANAGE)
API_TOKEN = "api_token"
KEYS_PATH = "/api-keys"
# `admin` first: it is the one a person most often means; the rest alphabetically.
SCOPE_CHOICES = ("admin", *sorted(SCOPES - {"admin"}))
MAX_NAME_LENGTH = 120


@router.get(KEYS_PATH, response_class=HTMLResponse)
def key_list(request: Request, _staff: StaffUser = Depends(may_manage_keys)) -> Response:
    db = database(request)
    context = {
        "active": "api_keys",
        "keys": list_api_keys(db),
        "new_token": take_shown_once(request, API_TOKEN),
        "scopes": SCOPE_CHOICES,
        "location_scopes": sorted(LOCATION_SCOPES),
        "locations": list_locations(db),
    }
    return render(request, "apikeys/list.html", context)


@router.post(KEYS_PATH)
def create_key(
    request: Request,
    _staff: StaffUser = Depends(may_manage_keys),
    form: FormData = Depends(checked_form),
) -> Response:
    name = str(form.get("name", "")).strip()[:MAX_NAME_LENGTH]
    scopes = [str(scope) for scope in form.getlist("scopes")]
    location = str(form.get("location", "")).strip() or None
    try:
        key_id, token = create_api_key(database(request), name, scopes, location_code=location)
    except OrdnungError as error:
        leave_flash(request, "error", "api_keys.create_failed", detail=error.detail)
    else:
        show_once(request, API_TOKEN, token)
        leave_flash(request, "success", "api_keys.created", name=name, id=key_id)
    return RedirectResponse(KEYS_PATH, status_code=303)


@router.post(KEYS_PATH + "/{key_id}/revoke")
def revoke_key(
    request: Request,
    key_id: int,
    _staff: StaffUser = Depends(may_manage_keys),
    _form: FormData = Depends(checked_form),
) -> Response:
    try:
        revoke_api_key(database(request), key_id)
    except OrdnungError as error:
        leave_flash(request, "error", "api_keys.revoke_failed", detail=error.detail)
    else:
        # This process stops accepting it at once; others within the API's key cache time.
        forget_cached_keys()
        leave_flash(request, "success", "api_keys.revoked", id=key_id)
    return RedirectResponse(KEYS_PATH, status_code=303)
