"""A person's own account: their language, their password, and signing out everywhere."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import OrdnungError
from ordnung.staff.passwords import end_sessions
from ordnung.staff.queries import get_staff_account
from ordnung.staff.service import StaffUser, set_language
from ordnung.staff.sign_in import Credentials, SignInPolicy, change_own_password
from ordnung.web.flash import leave_flash
from ordnung.web.i18n import LANGUAGES
from ordnung.web.rendering import render
from ordnung.web.security import (
    LANGUAGE_KEY,
    checked_form,
    client_address,
    current_staff,
    database,
    keep_session_after_password_change,
    sign_out,
)

router = APIRouter(include_in_schema=False)

ACCOUNT_PATH = "/account"


@router.get(ACCOUNT_PATH, response_class=HTMLResponse)
def account_page(request: Request, staff: StaffUser = Depends(current_staff)) -> Response:
    context = {
        "active": "account",
        "account": get_staff_account(database(request), staff.id),
        "languages": LANGUAGES,
    }
    return render(request, "users/account.html", context)


@router.post(ACCOUNT_PATH + "/language")
def choose_language(
    request: Request,
    staff: StaffUser = Depends(current_staff),
    form: FormData = Depends(checked_form),
) -> Response:
    chosen = str(form.get("language", ""))
    try:
        set_language(database(request), staff.id, chosen)
    except OrdnungError as error:
        leave_flash(request, "error", "account.failed", detail=error.detail)
    else:
        request.session[LANGUAGE_KEY] = chosen
        leave_flash(request, "success", "account.language_saved")
    return RedirectResponse(ACCOUNT_PATH, status_code=303)


@router.post(ACCOUNT_PATH + "/password")
def change_password(
    request: Request,
    staff: StaffUser = Depends(current_staff),
    form: FormData = Depends(checked_form),
) -> Response:
    new_password = str(form.get("password", ""))
    if new_password != str(form.get("password_repeated", "")):
        leave_flash(request, "error", "password.mismatch", detail="")
        return RedirectResponse(ACCOUNT_PATH, status_code=303)
    current = str(form.get("current_password", ""))
    credentials = Credentials(staff.email, current, client_address(request))
    policy: SignInPolicy = request.app.state.sign_in_policy
    try:
        version = change_own_password(database(request), staff, credentials, new_password, policy)
    except OrdnungError as error:
        leave_flash(request, "error", "account.failed", detail=error.detail)
    else:
        keep_session_after_password_change(request, version)
        leave_flash(request, "success", "account.password_changed")
    return RedirectResponse(ACCOUNT_PATH, status_code=303)


@router.post(ACCOUNT_PATH + "/sign-out-everywhere")
def sign_out_everywhere(
    request: Request,
    staff: StaffUser = Depends(current_staff),
    _form: FormData = Depends(checked_form),
) -> Response:
    end_sessions(database(request), staff.id)
    sign_out(request)
    return RedirectResponse("/login?signed_out=1", status_code=303)
