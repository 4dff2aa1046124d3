"""A secret shown once, on the page after the POST that created it: an API key's token, a
webhook's signing secret, a one-time link to set a password.

Post/Redirect/Get keeps a reload from creating a second key, but the redirect loses the
secret; the session carries it over to the creator's own browser for that one redirect, and
the page that shows it removes it, so a reload or the back button never shows it again.
"""

from __future__ import annotations

from fastapi import Request

SHOWN_ONCE_KEY = "shown_once"


def show_once(request: Request, kind: str, value: str) -> None:
    request.session[SHOWN_ONCE_KEY] = {"kind": kind, "value": value}


def take_shown_once(request: Request, kind: str) -> str | None:
    """The waiting secret of this kind, removed from the session; None when there is none."""
    stored = request.session.get(SHOWN_ONCE_KEY)
    if not isinstance(stored, dict) or stored.get("kind") != kind:
        return None
    request.session.pop(SHOWN_ONCE_KEY)
    value = stored.get("value")
    return value if isinstance(value, str) else None
