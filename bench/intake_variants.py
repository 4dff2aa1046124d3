"""Experimental app factories for `intake.py --app` (what-if measurements, not product code).

They patch the running server process only, to measure a suggested change to the hot path
before anyone changes `src/`:

- `intake_variants:create_app_sqlite_write_lock` — SQLite write transactions queue on a
  process-wide lock before `BEGIN IMMEDIATE`, so threads of one worker never meet in SQLite's
  busy handler (which sleeps 1, 2, 5, 10 … 100 ms between retries).
- `intake_variants:create_app_sqlite_normal` — SQLite with `synchronous=NORMAL` (in WAL mode
  a commit survives an application crash; only an OS crash or power loss may lose the latest
  commits).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI

from ordnung.api import create_app
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.settings import get_settings

T = TypeVar("T")
_write_lock = threading.Lock()


def _serialised_write(original: Callable[..., Any]) -> Callable[..., Any]:
    def write(self: Database, work: Callable[[UnitOfWork], T], *, actor: str = "system") -> T:
        if not self.is_sqlite:
            result: T = original(self, work, actor=actor)
            return result
        with _write_lock:
            result = original(self, work, actor=actor)
            return result

    return write


def create_app_sqlite_write_lock() -> FastAPI:
    Database.write = _serialised_write(Database.write)  # type: ignore[method-assign]
    return create_app()


def create_app_sqlite_normal() -> FastAPI:
    settings = get_settings()
    return create_app(settings, Database(settings.database_url, sqlite_synchronous="NORMAL"))


def create_app_sqlite_write_lock_normal() -> FastAPI:
    Database.write = _serialised_write(Database.write)  # type: ignore[method-assign]
    return create_app_sqlite_normal()
