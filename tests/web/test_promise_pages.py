"""The availability page and the settings pages, through HTTP (no browser)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.promising.service import channel_sell_scope, location_promise_settings
from tests.promising.shop import seed_network
from tests.web.conftest import csrf_from


@pytest.fixture
def network(db: Database) -> Iterator[dict[str, int]]:
    previous = clock.use_clock(clock.FixedClock(datetime(2026, 6, 3, 8, 0, tzinfo=UTC)))
    yield seed_network(db)
    clock.use_clock(previous)


def test_the_availability_page_shows_figures_and_their_reasons(
    signed_in: TestClient, network: dict[str, int]
) -> None:
    page = signed_in.get(
        "/availability", params={"skus": "TEE-1", "channel": "web", "postal_code": "80331"}
    )
    assert page.status_code == 200
    assert 'data-reason="held.safety_stock"' in page.text
    assert "2026-06-04" in page.text  # delivered Thursday from the Munich store
    refused = signed_in.get("/availability", params={"skus": "TEE-1", "postal_code": "1"})
    assert 'id="postal_code-error"' in refused.text


def test_location_settings_and_sell_scope_are_saved_with_their_version(
    signed_in: TestClient, db: Database, network: dict[str, int]
) -> None:
    form = signed_in.get("/locations/store-muc/promise")
    saved = signed_in.post(
        "/locations/store-muc/promise",
        data={
            "csrf_token": csrf_from(form.text),
            "version": "0",
            "federal_state": "BY",
            "time_zone": "Europe/Berlin",
            "cutoff": "12:30",
            "handling_days": "1",
            "working_weekdays": ["1", "2", "3", "4", "5", "6"],
        },
    )
    assert saved.status_code == 200
    stored = location_promise_settings(db, "store-muc")
    assert (stored["federal_state"], stored["cutoff"], stored["version"]) == ("BY", "12:30", 1)
    assert stored["working_weekdays"] == [1, 2, 3, 4, 5, 6]
    stale = signed_in.post(
        "/locations/store-muc/promise",
        data={
            "csrf_token": csrf_from(form.text),
            "version": "0",
            "time_zone": "Europe/Berlin",
            "cutoff": "10:00",
            "handling_days": "0",
            "working_weekdays": ["1"],
        },
    )
    assert "Jemand anderes hat die Einstellungen inzwischen geändert" in stale.text

    scope_form = signed_in.get("/channels/web/sell-scope")
    signed_in.post(
        "/channels/web/sell-scope",
        data={
            "csrf_token": csrf_from(scope_form.text),
            "version": "0",
            "locations": ["dc-koeln"],
            "store_buffer": "3",
        },
    )
    scope = channel_sell_scope(db, "web")
    assert (scope["locations"], scope["store_buffer"], scope["is_safety_stock_held"]) == (
        ["dc-koeln"],
        3,
        False,
    )
