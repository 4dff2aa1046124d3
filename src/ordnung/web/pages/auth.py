"""Sign in, sign out, the start page, the language switch and setting a password through a
one-time link — the pages that work without a session."""

from __future__ import annotations

import math
from datetime import datetime

from babel.dates import format_time
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core import clock
from ordnung.core.errors import OrdnungError
from ordnung.staff.model import SignInBusyError, SignInThrottledError
from ordnung.staff.passwords import find_password_link, set_password_with_link
from ordnung.staff.queries import has_staff_users
from ordnung.staff.sign_in import Credentials, SignInPolicy, sign_in_with_password
from ordnung.web.flash import leave_flash
from ordnung.web.i18n import DISPLAY_TIMEZONE, LANGUAGES, LOCALES
from ordnung.web.rendering import render
from ordnung.web.security import (
    LANGUAGE_KEY,
    PageNotFoundError,
    checked_form,
    client_address,
    database,
    home_path,
    language,
    safe_next,
    sign_in,
    sign_out,
    signed_in_staff,
)

router = APIRouter(include_in_schema=False)

# Long enough for a form field, far below anything that could burden the server.
MAX_EMAIL_LENGTH = 320
# How long a client is told to wait when every password-hash slot is busy.
BUSY_RETRY_SECONDS = 5


def is_set_up(request: Request) -> bool:
    """Whether a staff account exists. Once true it stays true, so each process asks the
    database only until then."""
    if getattr(request.app.state, "is_set_up", False):
        return True
    request.app.state.is_set_up = has_staff_users(database(request))
    return bool(request.app.state.is_set_up)


@router.get("/")
def home(request: Request) -> Response:
    if not is_set_up(request):
        return RedirectResponse("/setup", status_code=303)
    staff = signed_in_staff(request)
    return RedirectResponse(home_path(staff) if staff else "/login", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "", signed_out: bool = False) -> Response:
    if not is_set_up(request):
        return RedirectResponse("/setup", status_code=303)
    context = {"next": safe_next(next, fallback=""), "email": "", "signed_out": signed_out}
    return render(request, "login.html", {**context, "problem": None})


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, form: FormData = Depends(checked_form)) -> Response:
    email = str(form.get("email", ""))[:MAX_EMAIL_LENGTH]
    next_path = safe_next(str(form.get("next", "")), fallback="")
    credentials = Credentials(email, str(form.get("password", "")), client_address(request))
    policy: SignInPolicy = request.app.state.sign_in_policy
    context = {"next": next_path, "email": email, "signed_out": False}
    try:
        staff = sign_in_with_password(database(request), credentials, policy)
    except SignInThrottledError as error:
        problem = {"key": "login.throttled", "time": _clock_time(request, error.retry_at)}
        wait = math.ceil((error.retry_at - clock.now()).total_seconds())
        headers = {"Retry-After": str(max(wait, 1))}
        return _login_refused(request, {**context, "problem": problem}, 429, headers)
    except SignInBusyError:
        problem = {"key": "login.busy", "time": ""}
        headers = {"Retry-After": str(BUSY_RETRY_SECONDS)}
        return _login_refused(request, {**context, "problem": problem}, 429, headers)
    if staff is None:
        return render(request, "login.html", {**context, "problem": {"key": "login.failed"}}, 400)
    sign_in(request, staff)
    return RedirectResponse(next_path or home_path(staff), status_code=303)


@router.post("/logout")
def logout(request: Request, _form: FormData = Depends(checked_form)) -> Response:
    sign_out(request)
    return RedirectResponse("/login?signed_out=1", status_code=303)


@router.get("/language/{code}")
def switch_language(request: Request, code: str, next: str = "") -> Response:
    # A plain link (works without JavaScript); it only changes how pages read, so a GET is fine.
    if code in LANGUAGES:
        request.session[LANGUAGE_KEY] = code
    return RedirectResponse(safe_next(next), status_code=303)


@router.get("/password/{token}", response_class=HTMLResponse)
def password_link_page(request: Request, token: str) -> Response:
    account = find_password_link(database(request), token)
    if account is None:
        raise PageNotFoundError("error.password_link_invalid", "")
    context = {"account": account, "token": token, "error": None}
    return render(request, "users/set_password.html", context)


@router.post("/password/{token}", response_class=HTMLResponse)
def set_password_from_link(
    request: Request, token: str, form: FormData = Depends(checked_form)
) -> Response:
    db = database(request)
    account = find_password_link(db, token)
    if account is None:
        raise PageNotFoundError("error.password_link_invalid", "")
    password = str(form.get("password", ""))
    error: dict[str, str] | None = None
    if password != str(form.get("password_repeated", "")):
        error = {"key": "password.mismatch", "detail": ""}
    else:
        try:
            set_password_with_link(db, token, password)
        except OrdnungError as refused:
            error = {"key": "password.refused", "detail": refused.detail}
    if error is not None:
        context = {"account": account, "token": token, "error": error}
        return render(request, "users/set_password.html", context, status_code=400)
    sign_out(request)
    leave_flash(request, "success", "password.set")
    return RedirectResponse("/login", status_code=303)


def _login_refused(
    request: Request, context: dict[str, object], status: int, headers: dict[str, str]
) -> Response:
    response = render(request, "login.html", context, status_code=status)
    response.headers.update(headers)
    return response


def _clock_time(request: Request, moment: datetime) -> str:
    """The time of day, with seconds: a lock of a minute must say exactly when it ends."""
    return format_time(
        moment, format="medium", tzinfo=DISPLAY_TIMEZONE, locale=LOCALES[language(request)]
    )
