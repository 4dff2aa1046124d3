"""Who is signed in, what they may do, which language they read, and CSRF tokens for every
form.

The session is a cookie signed with `settings.secret_key` (see `web/session_cookie.py`); it
holds the staff id, the account's session version, when the session began and was last used,
the language and the CSRF token. The account is re-read on every page, so a deactivated
account, a changed password (a new session version) or a changed role takes effect at once;
a session also ends after `ORDNUNG_SESSION_IDLE_SECONDS` without a request and
`ORDNUNG_SESSION_MAX_SECONDS` after signing in.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from urllib.parse import urlencode

from fastapi import Request
from starlette.datastructures import FormData

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.staff import model as staff_model
from ordnung.staff.service import StaffUser, get_staff_user
from ordnung.web.flash import leave_flash
from ordnung.web.i18n import resolve_language

STAFF_KEY = "staff_id"
VERSION_KEY = "staff_version"
SIGNED_IN_AT_KEY = "signed_in_at"
SEEN_AT_KEY = "seen_at"
LANGUAGE_KEY = "language"
CSRF_KEY = "csrf"
CSRF_FIELD = "csrf_token"
# "Last seen" is written back at most this often: every write is a new cookie.
_SEEN_AT_GRANULARITY_SECONDS = 60


class LoginRequiredError(Exception):
    """Raised by page dependencies; answered with a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class CsrfRejectedError(Exception):
    """A POST without the session's CSRF token: likely a forged cross-site request."""


class PermissionRequiredError(Exception):
    """The signed-in user's role lacks the permission a page needs; answered 403."""

    def __init__(self, permission: str) -> None:
        super().__init__(permission)
        self.permission = permission


class PageNotFoundError(Exception):
    """Answered with the 404 page. Also what a location-bound user gets for another
    location's order or fulfilment order: it is as if it did not exist (design.md §5.7)."""

    def __init__(self, message_key: str, object_id: int | str) -> None:
        super().__init__(message_key)
        self.message_key = message_key
        self.object_id = object_id


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def current_staff(request: Request) -> StaffUser:
    """Page dependency: the signed-in staff user, or a redirect to /login."""
    staff = signed_in_staff(request)
    if staff is None:
        raise LoginRequiredError(_path_with_query(request))
    return staff


def signed_in_staff(request: Request) -> StaffUser | None:
    """The account of a live session, else None. A session that has ended — expired, signed
    out elsewhere by a password change, or its account deactivated — is cleared here."""
    session = request.session
    staff_id = session.get(STAFF_KEY)
    if not isinstance(staff_id, int):
        return None
    staff = get_staff_user(database(request), staff_id)
    now = int(clock.now().timestamp())
    if (
        staff is None
        or session.get(VERSION_KEY) != staff.session_version
        or _has_expired(session, app_settings(request), now)
    ):
        sign_out(request)
        leave_flash(request, "error", "login.session_ended")
        return None
    if now - _timestamp(session, SEEN_AT_KEY) >= _SEEN_AT_GRANULARITY_SECONDS:
        session[SEEN_AT_KEY] = now
    request.state.staff = staff
    return staff


def require_permission(permission: str) -> Callable[[Request], StaffUser]:
    """Page dependency: the signed-in staff user, whose role must grant `permission`
    (`ordnung.staff.model.ROLE_PERMISSIONS`); else the 403 page."""
    if permission not in staff_model.PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def dependency(request: Request) -> StaffUser:
        staff = current_staff(request)
        ensure_permission(staff, permission)
        return staff

    return dependency


def ensure_permission(staff: StaffUser, permission: str) -> None:
    if not staff.can(permission):
        raise PermissionRequiredError(permission)


def home_path(staff: StaffUser) -> str:
    """Where a person starts: a warehouse worker at their work list, everybody else at the
    first screen their role opens."""
    if staff.is_location_bound:
        return "/fulfillment"
    for permission, path in (
        (staff_model.ORDERS_READ, "/orders"),
        (staff_model.FULFILLMENT_READ, "/fulfillment"),
        (staff_model.STOCK_READ, "/stock"),
        (staff_model.USERS_MANAGE, "/users"),
    ):
        if staff.can(permission):
            return path
    return "/account"


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
    now = int(clock.now().timestamp())
    request.session[STAFF_KEY] = staff.id
    request.session[VERSION_KEY] = staff.session_version
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[SEEN_AT_KEY] = now
    request.session[LANGUAGE_KEY] = chosen_language or staff.language
    # A new token after sign-in, so a token seen before login is worthless afterwards.
    request.session[CSRF_KEY] = secrets.token_urlsafe(32)


def keep_session_after_password_change(request: Request, session_version: int) -> None:
    """The person changed their own password: their other sessions end, this one goes on."""
    request.session[VERSION_KEY] = session_version


def sign_out(request: Request) -> None:
    chosen_language = request.session.get(LANGUAGE_KEY)
    request.session.clear()
    if chosen_language:
        request.session[LANGUAGE_KEY] = chosen_language


def client_address(request: Request) -> str:
    """The address sign-in attempts are counted against. Behind a proxy, uvicorn takes it from
    X-Forwarded-For when the proxy is trusted (`--forwarded-allow-ips`)."""
    return request.client.host if request.client else "unknown"


def safe_next(target: str | None, fallback: str = "/orders") -> str:
    """Only paths on this site: `next=https://evil.example` must not turn us into a redirector."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    if any(ord(character) < 32 for character in target):
        return fallback
    return target


def login_url(next_path: str) -> str:
    return "/login?" + urlencode({"next": next_path})


def _has_expired(session: dict[str, object], settings: Settings, now: int) -> bool:
    signed_in_at = _timestamp(session, SIGNED_IN_AT_KEY)
    seen_at = _timestamp(session, SEEN_AT_KEY)
    return (
        now - signed_in_at >= settings.session_max_seconds
        or now - seen_at >= settings.session_idle_seconds
    )


def _timestamp(session: dict[str, object], key: str) -> int:
    # A session from before these keys existed counts as expired (0 is long ago).
    value = session.get(key)
    return value if isinstance(value, int) else 0


def _path_with_query(request: Request) -> str:
    query = request.url.query
    return request.url.path + ("?" + query if query else "")
