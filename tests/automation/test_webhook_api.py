"""The webhooks API through HTTP: subscriptions, deliveries, replay, scopes and the SSRF guard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from ordnung.automation import model
from ordnung.automation.dispatch import dispatch_events
from ordnung.automation.tables import webhook_delivery_table
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.worker import run_once

from .conftest import Receiver

PROBLEM_JSON = "application/problem+json"
PUBLIC_URL = "https://93.184.216.34/hooks/ordnung"


def _auth(client: TestClient, token: str) -> TestClient:
    client.headers["Authorization"] = f"Bearer {token}"
    return client


@pytest.fixture
def admin(webhooks_client: TestClient, make_api_key: Callable[..., str]) -> TestClient:
    return _auth(webhooks_client, make_api_key("webhooks:read", "webhooks:write"))


def test_creating_a_subscription_returns_its_secret_once(admin: TestClient) -> None:
    created = admin.post(
        "/api/v1/webhooks",
        json={"url": PUBLIC_URL, "event_types": ["order.shipped"], "description": "ERP"},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["event_types"] == ["order.shipped"]
    assert body["is_active"] is True

    shown = admin.get(f"/api/v1/webhooks/{body['id']}").json()
    listed = admin.get("/api/v1/webhooks").json()
    assert "secret" not in shown
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert "secret" not in listed["items"][0]


def test_a_repeated_creation_with_the_same_idempotency_key_replays_the_answer(
    admin: TestClient,
) -> None:
    request = {"url": PUBLIC_URL, "event_types": ["*"]}
    headers = {"Idempotency-Key": "hook-1"}
    first = admin.post("/api/v1/webhooks", json=request, headers=headers)
    second = admin.post("/api/v1/webhooks", json=request, headers=headers)
    assert second.headers.get("idempotent-replayed") == "true"
    assert second.json() == first.json()
    assert len(admin.get("/api/v1/webhooks").json()["items"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": PUBLIC_URL, "event_types": ["order.exploded"]}, "order.exploded"),
        ({"url": PUBLIC_URL, "event_types": []}, "event_types"),
        ({"url": "ftp://example.com/", "event_types": ["*"]}, "https"),
        ({"url": PUBLIC_URL, "event_types": ["*"], "secret": "mine"}, "secret"),
    ],
)
def test_invalid_subscriptions_are_refused_with_a_problem(
    admin: TestClient, body: dict[str, Any], field: str
) -> None:
    response = admin.post("/api/v1/webhooks", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert field in response.text


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/hook",
        "http://[::1]/hook",
    ],
)
def test_private_addresses_are_refused_unless_allowed(
    strict_webhooks_client: TestClient, make_api_key: Callable[..., str], url: str
) -> None:
    client = _auth(strict_webhooks_client, make_api_key("webhooks:write"))
    response = client.post("/api/v1/webhooks", json={"url": url, "event_types": ["*"]})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = response.json()
    assert problem["type"].endswith("/webhook-address-not-allowed")
    assert "ORDNUNG_WEBHOOK_ALLOW_PRIVATE" in problem["detail"]


def test_public_addresses_are_accepted_when_private_ones_are_refused(
    strict_webhooks_client: TestClient, make_api_key: Callable[..., str]
) -> None:
    client = _auth(strict_webhooks_client, make_api_key("webhooks:write"))
    response = client.post("/api/v1/webhooks", json={"url": PUBLIC_URL, "event_types": ["*"]})
    assert response.status_code == 201


def test_requests_without_a_key_get_401_and_without_the_scope_403(
    webhooks_client: TestClient, make_api_key: Callable[..., str]
) -> None:
    anonymous = webhooks_client.get("/api/v1/webhooks")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == PROBLEM_JSON

    reader = _auth(webhooks_client, make_api_key("webhooks:read"))
    assert reader.get("/api/v1/webhooks").status_code == 200
    refused = reader.post("/api/v1/webhooks", json={"url": PUBLIC_URL, "event_types": ["*"]})
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/forbidden")
    assert reader.delete("/api/v1/webhooks/1").status_code == 403
    assert reader.post("/api/v1/webhooks/deliveries/1/replay").status_code == 403

    other = _auth(webhooks_client, make_api_key("orders:read"))
    assert other.get("/api/v1/webhooks").status_code == 403


def test_unknown_subscriptions_and_deliveries_answer_404(admin: TestClient) -> None:
    for response in (
        admin.get("/api/v1/webhooks/999"),
        admin.delete("/api/v1/webhooks/999"),
        admin.get("/api/v1/webhooks/999/deliveries"),
        admin.post("/api/v1/webhooks/deliveries/999/replay"),
    ):
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM_JSON


def test_the_subscription_list_is_paginated_with_a_cursor(admin: TestClient) -> None:
    ids = [
        admin.post("/api/v1/webhooks", json={"url": PUBLIC_URL, "event_types": ["*"]}).json()["id"]
        for _ in range(3)
    ]
    first = admin.get("/api/v1/webhooks", params={"limit": 2}).json()
    second = admin.get(
        "/api/v1/webhooks", params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [item["id"] for item in first["items"] + second["items"]] == ids
    assert second["next_cursor"] is None
    assert admin.get("/api/v1/webhooks", params={"limit": 0}).status_code == 422
    assert admin.get("/api/v1/webhooks", params={"cursor": "garbage"}).status_code == 422


def test_deliveries_are_listed_and_a_dead_one_can_be_replayed(
    admin: TestClient,
    db: Database,
    settings: Settings,
    receiver: Receiver,
    record_event: Callable[..., None],
) -> None:
    receiver.statuses = [500, 200]
    hook = admin.post(
        "/api/v1/webhooks", json={"url": receiver.url, "event_types": ["order.received"]}
    ).json()
    record_event("order.received")
    run_once(db, settings)

    [delivery] = admin.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    assert delivery["status"] == "pending"
    assert delivery["attempts"] == 1
    assert delivery["last_status_code"] == 500
    assert delivery["next_attempt_at"] is not None
    assert admin.post(f"/api/v1/webhooks/deliveries/{delivery['id']}/replay").status_code == 409

    db.write(
        lambda uow: uow.connection.execute(update(webhook_delivery_table).values(status=model.DEAD))
    )
    replayed = admin.post(f"/api/v1/webhooks/deliveries/{delivery['id']}/replay")
    assert replayed.status_code == 200
    assert replayed.json()["status"] == "pending"
    run_once(db, settings)

    listed = admin.get(
        f"/api/v1/webhooks/{hook['id']}/deliveries", params={"status": "delivered"}
    ).json()
    assert [d["id"] for d in listed["items"]] == [delivery["id"]]
    assert listed["items"][0]["next_attempt_at"] is None


def test_a_repeated_replay_with_the_same_idempotency_key_gets_the_first_answer(
    admin: TestClient, db: Database, record_event: Callable[..., None]
) -> None:
    admin.post("/api/v1/webhooks", json={"url": PUBLIC_URL, "event_types": ["*"]})
    record_event("order.received")
    dispatch_events(db)  # a delivery is waiting; nothing is sent
    db.write(
        lambda uow: uow.connection.execute(update(webhook_delivery_table).values(status=model.DEAD))
    )
    [delivery_id] = db.read(
        lambda c: c.execute(select(webhook_delivery_table.c.id)).scalars().all()
    )
    replay = f"/api/v1/webhooks/deliveries/{delivery_id}/replay"
    headers = {"Idempotency-Key": "replay-1"}

    first = admin.post(replay, headers=headers)
    second = admin.post(replay, headers=headers)

    assert first.status_code == second.status_code == 200
    assert first.json()["status"] == "pending"
    assert second.content == first.content
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    # Without the key, the same request is a new replay of a delivery that is no longer dead.
    assert admin.post(replay).status_code == 409


def test_deactivating_keeps_the_subscription_visible_but_inactive(admin: TestClient) -> None:
    hook = admin.post("/api/v1/webhooks", json={"url": PUBLIC_URL, "event_types": ["*"]}).json()
    response = admin.delete(f"/api/v1/webhooks/{hook['id']}")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert admin.get(f"/api/v1/webhooks/{hook['id']}").json()["is_active"] is False


def test_the_application_mounts_the_webhooks_api(client: TestClient) -> None:
    created = client.post("/api/v1/webhooks", json={"url": PUBLIC_URL, "event_types": ["*"]})
    assert created.status_code == 201
    assert (
        "/api/v1/webhooks/deliveries/{delivery_id}/replay"
        in client.get("/openapi.json").json()["paths"]
    )
