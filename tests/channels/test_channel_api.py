from collections.abc import Callable

from fastapi.testclient import TestClient

from ordnung.channels.service import ChannelRef, find_channels_by_code
from ordnung.core.db import Database

CHANNELS = "/api/v1/channels"
AMAZON = {"code": "amazon-de", "name": "Amazon DE", "type": "marketplace", "currency": "EUR"}


def test_a_created_channel_can_be_fetched_and_listed(client: TestClient) -> None:
    created = client.post(CHANNELS, json=AMAZON)
    assert created.status_code == 201
    assert created.json()["code"] == "amazon-de"
    assert client.get(f"{CHANNELS}/amazon-de").json()["type"] == "marketplace"
    assert [c["code"] for c in client.get(CHANNELS).json()["items"]] == ["amazon-de"]


def test_a_taken_code_is_a_conflict(client: TestClient) -> None:
    client.post(CHANNELS, json=AMAZON)
    response = client.post(CHANNELS, json={**AMAZON, "name": "Zweiter"})
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"


def test_a_repeated_create_with_the_same_idempotency_key_replays_the_answer(
    client: TestClient,
) -> None:
    headers = {"Idempotency-Key": "create-amazon-1"}
    first = client.post(CHANNELS, json=AMAZON, headers=headers)
    second = client.post(CHANNELS, json=AMAZON, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert [c["code"] for c in client.get(CHANNELS).json()["items"]] == ["amazon-de"]


def test_an_unknown_currency_is_a_422_naming_currency(client: TestClient) -> None:
    response = client.post(CHANNELS, json={**AMAZON, "currency": "XYZ"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["currency"]


def test_an_unknown_channel_type_is_a_422_naming_type(client: TestClient) -> None:
    response = client.post(CHANNELS, json={**AMAZON, "type": "telegraph"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["type"]


def test_scopes_are_enforced(app_client: TestClient, make_api_key: Callable[..., str]) -> None:
    assert app_client.post(CHANNELS, json=AMAZON).status_code == 401
    app_client.headers["Authorization"] = f"Bearer {make_api_key('channels:read')}"
    assert app_client.get(CHANNELS).status_code == 200
    assert app_client.post(CHANNELS, json=AMAZON).status_code == 403


def test_an_unknown_code_is_a_404(client: TestClient) -> None:
    assert client.get(f"{CHANNELS}/nope").status_code == 404


def test_order_intake_finds_a_channel_by_code_inside_its_transaction(
    client: TestClient, db: Database
) -> None:
    channel_id = client.post(CHANNELS, json=AMAZON).json()["id"]
    found = db.read(
        lambda connection: find_channels_by_code(connection, ["amazon-de"]).get("amazon-de")
    )
    expected = ChannelRef(channel_id, "amazon-de", AMAZON["name"], "EUR", AMAZON["type"])
    assert found == expected
    assert db.read(lambda connection: find_channels_by_code(connection, ["nope"])) == {}
