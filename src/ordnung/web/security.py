"""Who is signed in, which language they read, and CSRF tokens for every form.

The session is a cookie signed with `settings.secret_key` (Starlette's SessionMiddleware); it
holds only the staff id, the language and the CSRF token. The staff row is re-read on each
page, so a deactivated account loses access at once.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode

from fastapi import Request
from starlette.datastructures import FormData

from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.staff.service import StaffUser, get_staff_user
from ordnung.web.i18n import resolve_language

STAFF_KEY = "staff_id"
LANGUAGE_KEY = "language"
CSRF_KEY = "csrf"
CSRF_FIELD = "csrf_token"


class LoginRequiredError(Exception):
    """Raised by page dependencies; answered with a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class CsrfRejectedError(Exception):
    """A POST without the session's CSRF token: likely a forged cross-site request."""


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def current_staff(request: Request) -> StaffUser:
    """Page dependency: the signed-in staff user, or a redirect to /login."""
    staff_id = request.session.get(STAFF_KEY)
    staff = get_staff_user(database(request), staff_id) if isinstance(staff_id, int) else None
    if staff is None:
        request.session.pop(STAFF_KEY, None)
        raise LoginRequiredError(_path_with_query(request))
    request.state.staff = staff
    return staff


def language(request: Request) -> str:
    return resolve_language(
        request.session.get(LANGUAGE_KEY), app_settings(request).default_language
    )


def csrf_token(request: Request) -> str:
    """The session's token, created on first use; every form carries it in a hidden field."""
    token = request.session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_KEY] = token
    return token


async def checked_form(request: Request) -> FormData:
    """Dependency for POST handlers: the form, after its CSRF token matched the session's."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_KEY)
    if not isinstance(sent, str) or not isinstance(expected, str):
        raise CsrfRejectedError()
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRejectedError()
    return form


def sign_in(request: Request, staff: StaffUser) -> None:
    """Starts a fresh session for `staff`, keeping only the language chosen before."""
    chosen_language = request.session.get(LANGUAGE_KEY)
    request.session.clear()
    request.session[STAFF_KEY] = staff.id
    request.session[LANGUAGE_KEY] = chosen_language or staff.language
    # A new token after sign-in, so a token seen before login is worthless afterwards.
    request.session[CSRF_KEY] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
    chosen_language = request.session.get(LANGUAGE_KEY)
    request.session.clear()
    if chosen_language:
        request.session[LANGUAGE_KEY] = chosen_language


def safe_next(target: str | None, fallback: str = "/orders") -> str:
    """Only paths on this site: `next=https://evil.example` must not turn us into a redirector."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    if any(ord(character) < 32 for character in target):
        return fallback
    return target


def login_url(next_path: str) -> str:
    return "/login?" + urlencode({"next": next_path})


def _path_with_query(request: Request) -> str:
    query = request.url.query
    return request.url.path + ("?" + query if query else "")
