"""First start: on an empty installation the back office asks for the first admin, sales
channel and location — no command line needed. Once any account exists the page is gone (404).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.channels.model import CHANNEL_TYPES, ChannelDraft
from ordnung.core.errors import OrdnungError
from ordnung.inventory.model import LOCATION_TYPES, Address, LocationDraft
from ordnung.orchestration.first_start import FirstStart, set_up_installation
from ordnung.staff.model import NewStaffUser
from ordnung.staff.service import get_staff_user
from ordnung.web.flash import leave_flash
from ordnung.web.i18n import LANGUAGES
from ordnung.web.pages.auth import is_set_up
from ordnung.web.rendering import render
from ordnung.web.security import PageNotFoundError, checked_form, database, language, sign_in

router = APIRouter(include_in_schema=False)

FIELDS = (
    "admin_name",
    "admin_email",
    "language",
    "channel_code",
    "channel_name",
    "channel_type",
    "currency",
    "location_code",
    "location_name",
    "location_type",
    "street",
    "postal_code",
    "city",
    "country",
)
# Longest value any of these fields takes; the services check the real limits.
_MAX_FIELD_LENGTH = 320


@router.get("/setup", response_class=HTMLResponse)
def setup_page(request: Request) -> Response:
    _ensure_not_set_up(request)
    values = {
        "language": language(request),
        "channel_type": "webshop",
        "currency": "EUR",
        "location_type": "warehouse",
        "country": "DE",
    }
    return _form(request, {name: values.get(name, "") for name in FIELDS}, None)


@router.post("/setup", response_class=HTMLResponse)
def set_up(request: Request, form: FormData = Depends(checked_form)) -> Response:
    _ensure_not_set_up(request)
    values = {name: str(form.get(name, "")).strip()[:_MAX_FIELD_LENGTH] for name in FIELDS}
    password = str(form.get("password", ""))
    if password != str(form.get("password_repeated", "")):
        return _form(request, values, {"key": "password.mismatch", "detail": ""})
    db = database(request)
    try:
        installation = set_up_installation(db, _first_start(values, password))
    except OrdnungError as error:
        if is_set_up(request):  # another first start won the race a moment ago
            leave_flash(request, "error", "setup.done_elsewhere")
            return RedirectResponse("/login", status_code=303)
        return _form(request, values, {"key": "setup.failed", "detail": error.detail})
    request.app.state.is_set_up = True
    admin = get_staff_user(db, installation.admin_id)
    assert admin is not None
    sign_in(request, admin)
    leave_flash(request, "success", "setup.done")
    return RedirectResponse("/", status_code=303)


def _first_start(values: dict[str, str], password: str) -> FirstStart:
    address = Address(values["street"], values["postal_code"], values["city"], values["country"])
    return FirstStart(
        admin=NewStaffUser(
            values["admin_email"], values["admin_name"], values["language"], password=password
        ),
        channel=ChannelDraft(
            values["channel_code"],
            values["channel_name"],
            values["channel_type"],
            values["currency"],
        ),
        location=LocationDraft(
            values["location_code"], values["location_name"], values["location_type"], address
        ),
    )


def _ensure_not_set_up(request: Request) -> None:
    if is_set_up(request):
        raise PageNotFoundError("error.setup_done", "")


def _form(request: Request, values: dict[str, str], error: dict[str, str] | None) -> Response:
    context = {
        "values": values,
        "error": error,
        "languages": LANGUAGES,
        "channel_types": sorted(CHANNEL_TYPES),
        "location_types": sorted(LOCATION_TYPES),
    }
    return render(request, "setup.html", context, status_code=200 if error is None else 400)
