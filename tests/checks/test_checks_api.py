"""The hold queue and channel check settings over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from tests.factories import order_payload, put_stock, standard_setup


@pytest.fixture
def shop(db: Database) -> None:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)


def _post_order(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/orders", json=order_payload([("SKU-1", 1)], **body))
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_the_hold_queue_lists_held_orders_with_their_rules_and_pages(
    client: TestClient, shop: None
) -> None:
    first = _post_order(client, totals={"total": "54.93"})
    second = _post_order(client, customer={"email": "x@example.de"}, totals={"total": "1.00"})
    page = client.get("/api/v1/holds", params={"limit": 1}).json()
    (item,) = page["items"]
    assert item["order_number"] == first["number"] and item["rules"] == ["totals_mismatch"]
    assert item["facts"]["findings"][0]["values"]["channel"]["amount"] == "54.93"
    rest = client.get("/api/v1/holds", params={"cursor": page["next_cursor"]}).json()
    assert [i["order_number"] for i in rest["items"]] == [second["number"]]
    assert client.get("/api/v1/holds", params={"reason": "fraud"}).json()["items"] == []
    refused = client.get("/api/v1/holds", params={"reason": "nonsense"})
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_bulk_release_answers_per_order_and_replays_with_the_same_key(
    client: TestClient, shop: None
) -> None:
    held = _post_order(client, totals={"total": "54.93"})
    body = {
        "orders": [
            {"order": held["number"], "version": held["version"]},
            {"order": "ORD-999999"},
        ],
        "note": "Summe mit dem Shop geklärt",
    }
    headers = {"Idempotency-Key": "bulk-1"}
    answer = client.post("/api/v1/holds/release", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["outcome"] for r in results] == ["done", "failed"]
    assert results[0]["order_status"] == "allocated"
    replay = client.post("/api/v1/holds/release", json=body, headers=headers)
    assert replay.json() == answer.json() and replay.headers["Idempotent-Replayed"] == "true"
    again = client.post("/api/v1/holds/release", json=body)
    assert again.json()["results"][0]["outcome"] == "changed"


def test_bulk_cancel_cancels_with_the_note_as_reason(client: TestClient, shop: None) -> None:
    held = _post_order(client, totals={"total": "54.93"})
    body = {"orders": [{"order": str(held["id"])}], "note": "fraud"}
    answer = client.post("/api/v1/holds/cancel", json=body)
    assert answer.json()["results"][0]["order_status"] == "cancelled"
    assert client.get("/api/v1/holds").json()["items"] == []


def test_channel_checks_are_read_and_set_and_bad_settings_name_the_field(
    client: TestClient, shop: None
) -> None:
    defaults = client.get("/api/v1/channels/webshop/checks").json()
    assert defaults["rules"]["fraud_score"]["mode"] == "hold"
    assert defaults["rules"]["fraud_score"]["params"]["threshold"] == 60
    body = {"rules": {"ship_to_country": {"mode": "hold", "params": {"countries": ["AT"]}}}}
    saved = client.put("/api/v1/channels/webshop/checks", json=body)
    assert saved.status_code == 200
    assert saved.json()["rules"]["ship_to_country"]["params"]["countries"] == ["AT"]
    held = _post_order(client)
    assert [h["reason"] for h in held["holds"]] == ["address"]
    bad = {"rules": {"fraud_score": {"mode": "hold", "params": {"threshold": "high"}}}}
    refused = client.put("/api/v1/channels/webshop/checks", json=bad)
    assert refused.status_code == 422
    assert "rules.fraud_score.params.threshold" in refused.text
    unknown = client.put("/api/v1/channels/nope/checks", json=body)
    assert unknown.status_code == 404


def test_a_payment_and_vat_id_are_taken_in_and_checked(client: TestClient, shop: None) -> None:
    placed = _post_order(
        client,
        customer={"email": "einkauf@firma.de", "vat_id": "DE123456789"},
        payment={"method": "card", "card_fingerprint": "fp_1"},
    )
    assert [h["reason"] for h in placed["holds"]] == ["contact"]
    assert "VAT id" in placed["holds"][0]["detail"]


def test_a_channel_without_settings_holds_duplicates_by_default(
    client: TestClient, shop: None
) -> None:
    channel = {"code": "b2b-portal", "name": "B2B", "type": "b2b", "currency": "EUR"}
    assert client.post("/api/v1/channels", json=channel).status_code == 201
    first = _post_order(client, channel="b2b-portal")
    second = _post_order(client, channel="b2b-portal")
    assert first["status"] == "allocated"
    assert [h["reason"] for h in second["holds"]] == ["duplicate"]
