"""The demo's delivery promise: each location's calendar (Hamburg, Bavaria, North
Rhine-Westphalia), the Köln store open on Saturdays, and the online channels' sell scope, so
the availability page shows held-back stock, a store buffer and holidays skipped."""

from __future__ import annotations

from datetime import time

from ordnung.core.db import Database
from ordnung.demo.progress import ACTOR
from ordnung.promising.model import PromiseSettings
from ordnung.promising.service import (
    SellScopeChange,
    replace_channel_sell_scope,
    replace_location_promise_settings,
)

LOCATION_SETTINGS = {
    "lager-nord": PromiseSettings("HH", "Europe/Berlin", time(15, 0), 0),
    "lager-sued": PromiseSettings("BY", "Europe/Berlin", time(14, 0), 1),
    "filiale-koeln": PromiseSettings(
        "NW", "Europe/Berlin", time(12, 0), 1, frozenset({1, 2, 3, 4, 5, 6})
    ),
}
# Online channels leave two pieces on the store's shelf; B2B sells only from the warehouses.
SELL_SCOPES = {
    "onlineshop": SellScopeChange((), 2, True),
    "marktplatz": SellScopeChange(("lager-nord", "lager-sued", "filiale-koeln"), 2, True),
    "b2b": SellScopeChange(("lager-nord", "lager-sued"), 0, False),
}


def seed_promise_settings(db: Database) -> int:
    """Returns how many settings it stored (locations and channels)."""
    for code, settings in LOCATION_SETTINGS.items():
        replace_location_promise_settings(db, code, settings, actor=ACTOR)
    for code, scope in SELL_SCOPES.items():
        replace_channel_sell_scope(db, code, scope, actor=ACTOR)
    return len(LOCATION_SETTINGS) + len(SELL_SCOPES)
