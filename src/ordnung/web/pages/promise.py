"""Available-to-promise in the back office: ask for SKUs, see figures and their reasons; edit a
location's promise settings and a channel's sell scope."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.channels.service import list_channels
from ordnung.core.errors import NotFoundError, StaleVersionError, ValidationError
from ordnung.inventory.locations import list_locations
from ordnung.promising.api import availability_json
from ordnung.promising.availability import Question, check_availability
from ordnung.promising.calendar import federal_states
from ordnung.promising.model import PromiseSettings, check_postal_code, parse_cutoff, parse_skus
from ordnung.promising.service import (
    SellScopeChange,
    channel_sell_scope,
    location_promise_settings,
    replace_channel_sell_scope,
    replace_location_promise_settings,
)
from ordnung.staff.model import (
    CHANNELS_READ,
    CHANNELS_WRITE,
    LOCATIONS_READ,
    LOCATIONS_WRITE,
    STOCK_READ,
)
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FormRejectedError, text, version
from ordnung.web.rendering import render
from ordnung.web.security import (
    PageNotFoundError,
    checked_form,
    database,
    language,
    require_permission,
)

router = APIRouter(include_in_schema=False)


@router.get("/availability", response_class=HTMLResponse)
def availability_page(
    request: Request,
    skus: str = "",
    channel: str = "",
    postal_code: str = "",
    _staff: StaffUser = Depends(require_permission(STOCK_READ)),
) -> Response:
    db = database(request)
    context: dict[str, Any] = {
        "active": "availability",
        "skus": skus,
        "channel": channel,
        "postal_code": postal_code,
        "channels": list_channels(db),
        "answer": None,
        "problem": None,
    }
    if skus.strip():
        try:
            question = Question(
                parse_skus(skus),
                channel.strip() or None,
                check_postal_code(postal_code),
                language(request),
            )
            context["answer"] = availability_json(check_availability(db, question))
        except ValidationError as error:
            context["problem"] = error.extra["errors"][0]["field"]
        except NotFoundError:
            context["problem"] = "channel"
    return render(request, "promise/availability.html", context)


# --- a location's promise settings ----------------------------------------------------------


@router.get("/locations/{code}/promise", response_class=HTMLResponse)
def location_promise_page(
    request: Request,
    code: str,
    staff: StaffUser = Depends(require_permission(LOCATIONS_READ)),
) -> Response:
    try:
        settings = location_promise_settings(database(request), code)
    except NotFoundError:
        raise PageNotFoundError("error.location_not_found", code) from None
    context = {
        "active": "locations",
        "code": code,
        "settings": settings,
        "states": federal_states(),
        "weekdays": range(1, 8),
        "can_edit": staff.can(LOCATIONS_WRITE),
    }
    return render(request, "promise/location.html", context)


@router.post("/locations/{code}/promise")
def save_location_promise(
    request: Request,
    code: str,
    staff: StaffUser = Depends(require_permission(LOCATIONS_WRITE)),
    form: FormData = Depends(checked_form),
) -> Response:
    try:
        handling = text(form, "handling_days")
        settings = PromiseSettings(
            federal_state=text(form, "federal_state"),
            time_zone=text(form, "time_zone"),
            cutoff=parse_cutoff(text(form, "cutoff")),
            handling_days=int(handling) if handling.isdigit() else -1,
            working_weekdays=frozenset(
                int(str(day)) for day in form.getlist("working_weekdays") if str(day).isdigit()
            ),
        )
        replace_location_promise_settings(
            database(request),
            code,
            settings,
            actor=f"staff:{staff.email}",
            expected_version=version(form),
        )
    except NotFoundError:
        raise PageNotFoundError("error.location_not_found", code) from None
    except StaleVersionError:
        leave_flash(request, "error", "promise.stale")
    except FormRejectedError as error:
        leave_flash(request, "error", error.key, **error.values)
    except ValidationError as error:
        leave_flash(request, "error", "promise.invalid", field=_field(error))
    else:
        leave_flash(request, "success", "promise.saved")
    return RedirectResponse(f"/locations/{code}/promise", status_code=303)


def _field(error: ValidationError) -> str:
    errors = error.extra.get("errors") or [{}]
    return str(errors[0].get("field", error.extra.get("field", "")))


# --- a channel's sell scope -----------------------------------------------------------------


@router.get("/channels/{code}/sell-scope", response_class=HTMLResponse)
def sell_scope_page(
    request: Request,
    code: str,
    staff: StaffUser = Depends(require_permission(CHANNELS_READ)),
) -> Response:
    db = database(request)
    try:
        scope = channel_sell_scope(db, code)
    except NotFoundError:
        raise PageNotFoundError("error.channel_not_found", code) from None
    context = {
        "active": "channels",
        "code": code,
        "scope": scope,
        "locations": list_locations(db),
        "can_edit": staff.can(CHANNELS_WRITE),
    }
    return render(request, "promise/sell_scope.html", context)


@router.post("/channels/{code}/sell-scope")
def save_sell_scope(
    request: Request,
    code: str,
    staff: StaffUser = Depends(require_permission(CHANNELS_WRITE)),
    form: FormData = Depends(checked_form),
) -> Response:
    try:
        buffer = text(form, "store_buffer") or "0"
        change = SellScopeChange(
            tuple(str(value) for value in form.getlist("locations")),
            int(buffer) if buffer.isdigit() else -1,
            form.get("is_safety_stock_held") == "on",
        )
        replace_channel_sell_scope(
            database(request),
            code,
            change,
            actor=f"staff:{staff.email}",
            expected_version=version(form),
        )
    except NotFoundError:
        raise PageNotFoundError("error.channel_not_found", code) from None
    except StaleVersionError:
        leave_flash(request, "error", "promise.stale")
    except FormRejectedError as error:
        leave_flash(request, "error", error.key, **error.values)
    except ValidationError as error:
        leave_flash(request, "error", "promise.invalid", field=_field(error))
    else:
        leave_flash(request, "success", "promise.saved")
    return RedirectResponse(f"/channels/{code}/sell-scope", status_code=303)
