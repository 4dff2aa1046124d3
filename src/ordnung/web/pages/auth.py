"""Sign in, sign out and the language switch — the pages that work without a session."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.staff.service import authenticate_staff
from ordnung.web.i18n import LANGUAGES
from ordnung.web.rendering import render
from ordnung.web.security import (
    LANGUAGE_KEY,
    checked_form,
    database,
    safe_next,
    sign_in,
    sign_out,
)

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "", signed_out: bool = False) -> Response:
    return render(
        request,
        "login.html",
        {"next": safe_next(next), "email": "", "failed": False, "signed_out": signed_out},
    )


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, form: FormData = Depends(checked_form)) -> Response:
    email = str(form.get("email", ""))
    next_path = safe_next(str(form.get("next", "")))
    staff = authenticate_staff(database(request), email, str(form.get("password", "")))
    if staff is None:
        context = {"next": next_path, "email": email, "failed": True, "signed_out": False}
        return render(request, "login.html", context, status_code=400)
    sign_in(request, staff)
    return RedirectResponse(next_path, status_code=303)


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
