"""One-shot messages across a redirect: a POST leaves one, the next page shows it once.

Post/Redirect/Get keeps a reload from repeating an action, but the redirect loses the
outcome; the session carries it over. Only the message key and its values are stored, so the
page translates it into whatever language the reader has when it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import Request

FLASH_KEY = "flash"

FlashKind = Literal["success", "error"]


@dataclass(frozen=True, slots=True)
class Flash:
    kind: FlashKind
    key: str
    values: dict[str, str]


def leave_flash(request: Request, kind: FlashKind, key: str, **values: object) -> None:
    """Replaces any message not yet shown: only the latest outcome matters to the reader."""
    request.session[FLASH_KEY] = {
        "kind": kind,
        "key": key,
        "values": {name: str(value) for name, value in values.items()},
    }


def take_flash(request: Request) -> Flash | None:
    """The waiting message, removed from the session so it is shown only once."""
    if FLASH_KEY not in request.session:
        return None
    stored = request.session.pop(FLASH_KEY)
    if not isinstance(stored, dict) or stored.get("kind") not in ("success", "error"):
        return None
    values = stored.get("values")
    return Flash(
        kind="success" if stored["kind"] == "success" else "error",
        key=str(stored.get("key", "")),
        values={str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {},
    )
