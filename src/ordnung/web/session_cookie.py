"""The back-office session cookie: signed, `HttpOnly`, `SameSite=Lax`, and `Secure` whenever
the request came over HTTPS — or always, when `ORDNUNG_BEHIND_TLS_PROXY` says a proxy in front
terminates TLS and talks plain HTTP to the app.

Starlette's SessionMiddleware fixes the Secure flag when it is built; the plain-HTTP demo must
keep working while the same app behind TLS must not leak its cookie over HTTP, so each request
is handed to one of two otherwise identical middlewares by its scheme. uvicorn sets the scheme
from `X-Forwarded-Proto` when the proxy is trusted (`ordnung serve` passes `proxy_headers`).
"""

from __future__ import annotations

from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

SESSION_COOKIE = "ordnung_session"


class SessionCookie:
    def __init__(
        self, app: ASGIApp, *, secret_key: str, max_age_seconds: int, always_secure: bool
    ) -> None:
        self._secure = SessionMiddleware(
            app,
            secret_key=secret_key,
            session_cookie=SESSION_COOKIE,
            max_age=max_age_seconds,
            same_site="lax",
            https_only=True,
        )
        self._plain = (
            self._secure
            if always_secure
            else SessionMiddleware(
                app,
                secret_key=secret_key,
                session_cookie=SESSION_COOKIE,
                max_age=max_age_seconds,
                same_site="lax",
                https_only=False,
            )
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        is_tls = scope.get("scheme") in ("https", "wss")
        await (self._secure if is_tls else self._plain)(scope, receive, send)
