"""A channel's intake checks: each rule's mode (off, warn, hold) and parameters."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.checks.model import DEFAULT_RULES, MODES
from ordnung.checks.rules_config import checked_rules
from ordnung.checks.settings import channel_check_settings, replace_channel_check_settings
from ordnung.core.errors import NotFoundError, StaleVersionError, ValidationError
from ordnung.staff.model import CHANNELS_READ, CHANNELS_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FormRejectedError, version
from ordnung.web.rendering import render
from ordnung.web.security import PageNotFoundError, checked_form, database, require_permission

router = APIRouter(include_in_schema=False)
MAX_PARAMS_LENGTH = 4000


@router.get("/channels/{code}/checks", response_class=HTMLResponse)
def channel_checks(
    request: Request, code: str, staff: StaffUser = Depends(require_permission(CHANNELS_READ))
) -> Response:
    settings = _settings(request, code)
    rules = [
        (name, rule["mode"], json.dumps(rule["params"], ensure_ascii=False, sort_keys=True))
        for name, rule in settings["rules"].items()
    ]
    context = {
        "active": "channels",
        "code": code,
        "rules": rules,
        "modes": MODES,
        "can_edit": staff.can(CHANNELS_WRITE),
        "params_max": MAX_PARAMS_LENGTH,
        "version": settings["version"],
    }
    return render(request, "channels/checks.html", context)


@router.post("/channels/{code}/checks")
def save_channel_checks(
    request: Request,
    code: str,
    staff: StaffUser = Depends(require_permission(CHANNELS_WRITE)),
    form: FormData = Depends(checked_form),
) -> Response:
    _settings(request, code)
    try:
        rules = checked_rules(_rules_from(form))
        replace_channel_check_settings(
            database(request),
            code,
            rules,
            actor=f"staff:{staff.email}",
            expected_version=version(form),
        )
    except StaleVersionError:
        leave_flash(request, "error", "checks.stale")
    except FormRejectedError as error:
        leave_flash(request, "error", error.key, **error.values)
    except _BadParamsError as error:
        leave_flash(request, "error", "checks.bad_json", rule=error.rule)
    except ValidationError as error:
        leave_flash(
            request,
            "error",
            "checks.invalid",
            detail=f"{error.detail} ({error.extra.get('field', '')})",
        )
    else:
        leave_flash(request, "success", "checks.saved")
    return RedirectResponse(f"/channels/{code}/checks", status_code=303)


class _BadParamsError(Exception):
    def __init__(self, rule: str) -> None:
        super().__init__(rule)
        self.rule = rule


def _settings(request: Request, code: str) -> dict[str, Any]:
    try:
        return channel_check_settings(database(request), code)
    except NotFoundError:
        raise PageNotFoundError("error.channel_not_found", code) from None


def _rules_from(form: FormData) -> dict[str, dict[str, Any]]:
    rules = {}
    for name in DEFAULT_RULES:
        text = str(form.get(f"params:{name}", "{}")).strip() or "{}"
        try:
            params = json.loads(text) if len(text) <= MAX_PARAMS_LENGTH else None
        except ValueError:
            params = None
        if not isinstance(params, dict):
            raise _BadParamsError(name)
        rules[name] = {"mode": str(form.get(f"mode:{name}", "")), "params": params}
    return rules
