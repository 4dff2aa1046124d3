"""Mounts the back office on the FastAPI app: session cookie, static files and page routes."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from ordnung.core.settings import Settings
from ordnung.web.pages import (
    auth,
    channels,
    dashboard,
    locations,
    order_actions,
    orders,
    product_transfer,
    products,
    stock,
    stock_booking,
)
from ordnung.web.rendering import render
from ordnung.web.security import CsrfRejectedError, LoginRequiredError, login_url

STATIC_DIRECTORY = Path(__file__).parent / "static"
SESSION_COOKIE = "ordnung_session"
# A working day plus margin; after that staff sign in again.
SESSION_MAX_AGE_SECONDS = 14 * 60 * 60


def mount_back_office(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE_SECONDS,
        same_site="lax",
        # Secure cookies would break the plain-HTTP demo; behind TLS the proxy sets HSTS.
        https_only=False,
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIRECTORY), name="static")
    for module in (auth, dashboard, orders, order_actions, stock):
        app.include_router(module.router)
    # Administration: catalogue, stock bookings, sales channels, locations.
    for module in (products, product_transfer, stock_booking, channels, locations):
        app.include_router(module.router)
    app.add_exception_handler(LoginRequiredError, _redirect_to_login)
    app.add_exception_handler(CsrfRejectedError, _refuse_forged_form)


def _redirect_to_login(_request: Request, error: Exception) -> Response:
    assert isinstance(error, LoginRequiredError)
    return RedirectResponse(login_url(error.next_path), status_code=303)


def _refuse_forged_form(request: Request, _error: Exception) -> Response:
    return render(request, "forbidden.html", {"message_key": "error.csrf"}, status_code=403)
