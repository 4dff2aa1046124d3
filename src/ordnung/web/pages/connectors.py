"""A channel's connection to its shop platform, and the import queue (/imports): what each
platform sent, what became of it, and the fix (map an SKU, correct a field) and replay of
what failed. Secrets are never shown: only whether each is set, or its env: name.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.channels.service import get_channel, list_channels
from ordnung.connectors import connections, inbound, pull, queue, sku_mappings
from ordnung.connectors.connections import ConnectionDraft
from ordnung.connectors.model import IMPORT_STATUSES, PLATFORMS, PRICE_MODES, SECRET_NAMES
from ordnung.core.errors import NotFoundError, OrdnungError
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, channel_admin, channel_reader
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import text
from ordnung.web.rendering import render
from ordnung.web.security import app_settings, checked_form, database

router = APIRouter(include_in_schema=False)


def _connection_path(code: str) -> str:
    return f"/channels/{quote(code, safe='')}/connection"


def _method_lines(mapping: dict[str, str]) -> str:
    return "\n".join(f"{key} = {value}" for key, value in mapping.items())


def _method_map(raw: str) -> dict[str, str]:
    """`paypal = paypal` lines as typed into the form (blank lines skipped)."""
    mapped: dict[str, str] = {}
    for line in raw.splitlines():
        key, sign, value = line.partition("=")
        if sign and key.strip() and value.strip():
            mapped[key.strip()] = value.strip()
    return mapped


@router.get("/channels/{code}/connection", response_class=HTMLResponse)
def connection_page(
    request: Request, code: str, _staff: StaffUser = Depends(channel_reader)
) -> Response:
    db = database(request)
    try:
        channel = get_channel(db, code)
    except NotFoundError:
        return RedirectResponse("/channels", status_code=303)
    connection = connections.find_connection(db, code)
    platform = connection.platform if connection else "shopify"
    base = str(request.base_url).rstrip("/")
    context: dict[str, Any] = {
        "active": "channels",
        "channel": channel,
        "connection": connection,
        "platforms": PLATFORMS,
        "price_modes": PRICE_MODES,
        "secret_names": SECRET_NAMES,
        "webhook_base": f"{base}/api/v1/channels/{channel.code}/inbound/{platform}/",
        "payment_lines": _method_lines(connection.settings.get("payment_methods", {}))
        if connection
        else "",
        "shipping_lines": _method_lines(connection.settings.get("shipping_methods", {}))
        if connection
        else "",
        "counts": queue.count_by_status(db, code),
        "mappings": sku_mappings.list_mappings(db, code),
    }
    return render(request, "connectors/connection.html", context)


@router.post("/channels/{code}/connection", response_class=HTMLResponse)
def save_connection(
    request: Request,
    code: str,
    staff: StaffUser = Depends(channel_admin),
    form: FormData = Depends(checked_form),
) -> Response:
    settings = {
        "shop_url": text(form, "shop_url"),
        "price_mode": text(form, "price_mode") or "gross",
        "payment_methods": _method_map(str(form.get("payment_methods") or "")),
        "shipping_methods": _method_map(str(form.get("shipping_methods") or "")),
    }
    new_secrets = {name: text(form, name) for name in SECRET_NAMES if text(form, name)}
    draft = ConnectionDraft(text(form, "platform"), settings, new_secrets)
    try:
        connections.connect_channel(
            database(request),
            code,
            draft,
            secret_key=app_settings(request).secret_key,
            actor=actor_of(staff),
        )
    except OrdnungError as error:
        leave_flash(request, "error", "flash.not_saved", detail=error.detail)
    else:
        leave_flash(request, "success", "connectors.saved")
    return RedirectResponse(_connection_path(code), status_code=303)


@router.post("/channels/{code}/pull", response_class=HTMLResponse)
def pull_now(
    request: Request,
    code: str,
    _staff: StaffUser = Depends(channel_admin),
    _form: FormData = Depends(checked_form),
) -> Response:
    try:
        summary = pull.pull_orders(
            database(request), code, secret_key=app_settings(request).secret_key
        )
    except OrdnungError as error:
        leave_flash(request, "error", "connectors.pull_failed", detail=error.detail)
    else:
        leave_flash(
            request,
            "success",
            "connectors.pulled",
            fetched=summary.fetched,
            imported=summary.imported,
            duplicate=summary.duplicate,
            failed=summary.failed,
        )
    return RedirectResponse(_connection_path(code), status_code=303)


@router.get("/imports", response_class=HTMLResponse)
def import_list(
    request: Request,
    channel: str = "",
    status: str = "",
    before: int | None = None,
    _staff: StaffUser = Depends(channel_reader),
) -> Response:
    db = database(request)
    status = status if status in IMPORT_STATUSES else ""
    items = queue.list_payloads(
        db, channel=channel or None, status=status or None, before_id=before, limit=50
    )
    more = None
    if len(items) == 50:
        more = "/imports?" + urlencode(
            {"channel": channel, "status": status, "before": items[-1].id}
        )
    context = {
        "active": "imports",
        "items": items,
        "channels": list_channels(db),
        "statuses": IMPORT_STATUSES,
        "channel": channel,
        "status": status,
        "counts": queue.count_by_status(db, channel or None),
        "more": more,
    }
    return render(request, "connectors/imports.html", context)


@router.get("/imports/{import_id}", response_class=HTMLResponse)
def import_detail(
    request: Request, import_id: int, _staff: StaffUser = Depends(channel_reader)
) -> Response:
    try:
        item = queue.get_payload(database(request), import_id)
    except NotFoundError:
        return RedirectResponse("/imports", status_code=303)
    context = {
        "active": "imports",
        "item": item,
        "unknown_sku": inbound.unknown_platform_sku(item.error_field, item.effective_body),
    }
    return render(request, "connectors/import.html", context)


def _detail_path(import_id: int) -> str:
    return f"/imports/{import_id}"


@router.post("/imports/{import_id}/replay", response_class=HTMLResponse)
def replay(
    request: Request,
    import_id: int,
    _staff: StaffUser = Depends(channel_admin),
    _form: FormData = Depends(checked_form),
) -> Response:
    try:
        outcome = inbound.replay_payload(database(request), import_id)
    except NotFoundError:
        return RedirectResponse("/imports", status_code=303)
    key = f"connectors.replayed.{outcome.status}"
    if outcome.status in ("imported", "duplicate"):
        leave_flash(request, "success", key)
    else:
        leave_flash(request, "error", key)
    return RedirectResponse(_detail_path(import_id), status_code=303)


@router.post("/imports/{import_id}/fix", response_class=HTMLResponse)
def fix(
    request: Request,
    import_id: int,
    staff: StaffUser = Depends(channel_admin),
    form: FormData = Depends(checked_form),
) -> Response:
    try:
        queue.fix_field(
            database(request),
            import_id,
            text(form, "path"),
            str(form.get("value") or "").strip(),
            actor=actor_of(staff),
        )
    except OrdnungError as error:
        leave_flash(request, "error", "flash.not_saved", detail=error.detail)
    else:
        leave_flash(request, "success", "connectors.fixed")
    return RedirectResponse(_detail_path(import_id), status_code=303)


@router.post("/imports/{import_id}/map-sku", response_class=HTMLResponse)
def map_sku(
    request: Request,
    import_id: int,
    staff: StaffUser = Depends(channel_admin),
    form: FormData = Depends(checked_form),
) -> Response:
    db = database(request)
    try:
        item = queue.get_payload(db, import_id)
        sku_mappings.map_sku(
            db, item.channel, text(form, "platform_sku"), text(form, "sku"), actor=actor_of(staff)
        )
    except OrdnungError as error:
        leave_flash(request, "error", "flash.not_saved", detail=error.detail)
    else:
        leave_flash(request, "success", "connectors.sku_mapped")
    return RedirectResponse(_detail_path(import_id), status_code=303)
