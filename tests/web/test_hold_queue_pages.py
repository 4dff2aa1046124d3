"""The hold queue page: held orders with translated reasons and figures, filters, and the
bulk form that releases or cancels many orders at once (no JavaScript)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.order_actions import cancel_order
from ordnung.orders.queries import get_order
from tests.factories import order_payload
from tests.web.accounts import sign_in_as
from tests.web.conftest import csrf_from
from tests.web.seed import SeededOrders, seed_shop


def place_held(db: Database, **body: Any) -> int:
    order = OrderIn.model_validate(order_payload([("SKU-1", 1)], **body)).to_model()
    placed = place_order(db, order, actor="test").order
    assert placed["status"] == "on_hold", placed["holds"]
    return int(placed["id"])


@pytest.fixture
def held(db: Database) -> dict[str, int]:
    seed_shop(db)
    return {
        "totals": place_held(db, totals={"total": "54.93"}),
        "address": place_held(
            db,
            customer={"email": "paul@example.de"},
            billing_address={
                "first_name": "Paul",
                "last_name": "Paket",
                "street": "Packstation 105",
                "postal_code": "10115",
                "city": "Berlin",
                "country": "DE",
            },
        ),
    }


def _picks(html: str) -> dict[int, str]:
    """Order id → the checkbox value the page offers for its (first) hold."""
    values = re.findall(r'name="pick" value="((\d+):\d+:\d+)"', html)
    return {int(order_id): value for value, order_id in reversed(values)}


def test_the_queue_shows_each_hold_in_german_with_its_figures_and_rule(
    signed_in: TestClient, held: dict[str, int]
) -> None:
    html = signed_in.get("/holds").text
    assert "Summe laut Kanal 54,93\xa0€, berechnet 24,89\xa0€" in html
    assert "Packstation/Postfiliale ohne Postnummer" in html
    assert "Summenabgleich" in html and "Packstation/Postfiliale" in html
    assert 'href="/holds"' in html  # the menu links the queue


def test_the_queue_filters_by_reason(signed_in: TestClient, held: dict[str, int]) -> None:
    html = signed_in.get("/holds?reason=address").text
    assert set(_picks(html)) == {held["address"]}
    assert "54,93" not in html


def test_bulk_release_reports_each_order_and_sources_the_released(
    signed_in: TestClient, held: dict[str, int], db: Database
) -> None:
    page = signed_in.get("/holds").text
    picks = _picks(page)
    data = {
        "csrf_token": csrf_from(page),
        "pick": [picks[held["totals"]], picks[held["address"]]],
        "note": "Mit Kundin telefoniert",
        "action": "release",
    }
    # Someone releases one of them after the page was shown.
    cancel_order(db, held["address"], reason="Kundin hat storniert", actor="test")
    result = signed_in.post("/holds/bulk", data=data)
    assert result.status_code == 200
    rows = re.findall(r'<tr class="outcome-(\w+)">', result.text)
    assert rows == ["done", "changed"]
    assert "Erledigt" in result.text and "Inzwischen geändert" in result.text
    assert get_order(db, held["totals"])["status"] == "allocated"


def test_bulk_cancel_cancels_each_picked_order_with_the_note(
    signed_in: TestClient, held: dict[str, int], db: Database
) -> None:
    page = signed_in.get("/holds").text
    data = {
        "csrf_token": csrf_from(page),
        "pick": list(_picks(page).values()),
        "note": "fraud",
        "action": "cancel",
    }
    result = signed_in.post("/holds/bulk", data=data)
    assert re.findall(r'<tr class="outcome-(\w+)">', result.text).count("done") == 3
    assert get_order(db, held["address"])["status"] == "cancelled"
    assert "Keine gesperrten Bestellungen" in signed_in.get("/holds").text


def test_without_a_note_or_a_pick_nothing_happens(
    signed_in: TestClient, held: dict[str, int], db: Database
) -> None:
    page = signed_in.get("/holds").text
    token = csrf_from(page)
    pick = _picks(page)[held["totals"]]
    for data in (
        {"csrf_token": token, "pick": pick, "note": " ", "action": "release"},
        {"csrf_token": token, "note": "ok", "action": "release"},
    ):
        response = signed_in.post("/holds/bulk", data=data, follow_redirects=False)
        assert response.status_code == 303
    assert "Bitte eine Notiz angeben" not in signed_in.get("/orders").text
    assert get_order(db, held["totals"])["status"] == "on_hold"


def test_a_reader_sees_the_queue_without_the_bulk_form_and_may_not_act(
    web: TestClient, held: dict[str, int], db: Database
) -> None:
    sign_in_as(web, db, "finance")
    page = web.get("/holds")
    assert page.status_code == 200 and 'name="pick"' not in page.text
    token = csrf_from(page.text)
    pick = f"{held['totals']}:1:1"
    refused = web.post("/holds/bulk", data={"csrf_token": token, "pick": pick, "note": "x"})
    assert refused.status_code == 403
    assert get_order(db, held["totals"])["status"] == "on_hold"


def test_the_order_page_shows_the_hold_with_its_figures(
    signed_in: TestClient, held: dict[str, int]
) -> None:
    html = signed_in.get(f"/orders/{held['totals']}").text
    assert "Summe laut Kanal 54,93\xa0€, berechnet 24,89\xa0€" in html


def test_channel_checks_are_shown_and_saved_with_a_readable_refusal(
    signed_in: TestClient, held: dict[str, int]
) -> None:
    page = signed_in.get("/channels/webshop/checks").text
    assert "Betrugs-Score" in page
    fields = dict(
        re.findall(
            r'<select name="(mode:\w+)"[^>]*>.*?<option value="(\w+)"[^>]*selected', page, re.S
        )
    )
    params = {
        name: text.replace("&#34;", '"').replace("&quot;", '"')
        for name, text in re.findall(r'<textarea name="(params:\w+)"[^>]*>([^<]*)</textarea>', page)
    }
    version = _shown_version(page)
    data = {"csrf_token": csrf_from(page), **fields, **params, "version": version}
    data["mode:fraud_score"] = "warn"
    saved = signed_in.post("/channels/webshop/checks", data=data)
    assert "Prüfungen gespeichert" in saved.text
    assert re.search(r'name="mode:fraud_score"[^>]*>.*?value="warn" selected', saved.text, re.S)
    assert _shown_version(saved.text) == str(int(version) + 1)
    refused = signed_in.post("/channels/webshop/checks", data=data | {"mode:fraud_score": "off"})
    assert "jemand hat die prüfungen dieses kanals inzwischen geändert" in refused.text.lower()
    assert re.search(r'name="mode:fraud_score"[^>]*>.*?value="warn" selected', refused.text, re.S)
    data["version"] = _shown_version(refused.text)
    data["params:duplicate_order"] = '{"window_minutes": -1}'
    refused = signed_in.post("/channels/webshop/checks", data=data)
    assert "Nicht gespeichert" in refused.text and "window_minutes" in refused.text


def _shown_version(page: str) -> str:
    match = re.search(r'name="version" value="(\d+)"', page)
    assert match, "the form carries no version"
    return match.group(1)


def test_seeded_orders_fixture_is_unchanged(db: Database) -> None:
    seeded: SeededOrders = seed_shop(db)
    assert get_order(db, seeded.allocated)["status"] == "allocated"
