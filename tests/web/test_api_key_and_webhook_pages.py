"""The API key and webhook screens: secrets shown once, revocation, the delivery log and
replaying a dead delivery — the same services the API uses."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ordnung.automation.tables import webhook_delivery_table
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.staff.service import list_api_keys
from ordnung.worker import run_once
from tests.automation import conftest as automation_fixtures
from tests.automation.conftest import Receiver
from tests.web.accounts import sign_in_as
from tests.web.conftest import csrf_from
from tests.web.seed import place, seed_shop

receiver = automation_fixtures.receiver
_TOKEN = re.compile(r'id="new-token">(ord_[^<]+)<')
_SECRET = re.compile(r'id="signing-secret">(whsec_[^<]+)<')


@pytest.fixture
def admin(web: TestClient, db: Database) -> TestClient:
    sign_in_as(web, db, "admin")
    return web


def _post(web: TestClient, path: str, page: str, **fields: object) -> str:
    token = csrf_from(web.get(page).text)
    data = {"csrf_token": token, **fields}
    return web.post(path, data=data, follow_redirects=True).text


def test_a_new_api_key_is_shown_once_works_and_stops_working_when_revoked(
    admin: TestClient, db: Database
) -> None:
    page = _post(admin, "/api-keys", "/api-keys", name="shop-sync", scopes=["orders:read"])
    token = _TOKEN.search(page)
    assert token, "the token is shown after creating"
    assert "Der Schlüssel shop-sync ist erzeugt." in page
    assert _TOKEN.search(admin.get("/api-keys").text) is None  # and never again
    headers = {"Authorization": f"Bearer {token.group(1)}"}
    assert admin.get("/api/v1/orders", headers=headers).status_code == 200
    assert admin.get("/api/v1/products", headers=headers).status_code == 403

    [key] = list_api_keys(db)
    assert token.group(1).startswith(key.prefix) and f"{key.prefix}…" in page
    revoked = _post(admin, f"/api-keys/{key.id}/revoke", "/api-keys")
    assert "Der Schlüssel ist widerrufen" in revoked
    assert f'action="/api-keys/{key.id}/revoke"' not in revoked
    assert admin.get("/api/v1/orders", headers=headers).status_code == 401


def test_a_key_bound_to_a_location_carries_only_fulfilment_scopes(
    admin: TestClient, db: Database
) -> None:
    seed_shop(db)
    refused = _post(
        admin, "/api-keys", "/api-keys", name="3pl", scopes=["orders:read"], location="ham"
    )
    assert "Der Schlüssel wurde nicht erzeugt" in refused
    assert _TOKEN.search(refused) is None
    bound = _post(
        admin, "/api-keys", "/api-keys", name="3pl", scopes=["fulfillment:read"], location="ham"
    )
    assert _TOKEN.search(bound) and "Nur Lager ham" in bound
    nothing = _post(admin, "/api-keys", "/api-keys", name="leer")
    assert "The key needs at least one scope." in nothing
    assert [key.name for key in list_api_keys(db)] == ["3pl"]


def test_a_webhook_subscription_shows_its_secret_once_and_its_deliveries(
    admin: TestClient, db: Database, settings: Settings, receiver: Receiver
) -> None:
    page = _post(
        admin,
        "/webhooks",
        "/webhooks",
        url=receiver.url + "/hook",
        event_types=["order.received"],
        description="Warenwirtschaft",
    )
    secret = _SECRET.search(page)
    assert secret, "the signing secret is shown after creating"
    subscription_path = re.search(r'action="(/webhooks/\d+)/deactivate"', page)
    assert subscription_path
    assert _SECRET.search(admin.get(subscription_path.group(1)).text) is None
    assert "Noch keine Zustellungen." in page

    seed_shop(db)
    run_once(db, settings)
    log = admin.get(subscription_path.group(1)).text
    assert len(receiver.requests) == 4  # one per order received
    assert log.count('<td data-label="Ereignis">Bestellung eingegangen<br>') == 4
    assert log.count('class="badge delivery-delivered"') == 4
    assert "HTTP 204" in log


def test_a_dead_delivery_is_replayed_and_a_deactivated_subscription_gets_no_more(
    admin: TestClient, db: Database, settings: Settings, receiver: Receiver
) -> None:
    page = _post(admin, "/webhooks", "/webhooks", url=receiver.url, event_types=["*"])
    path = re.search(r'action="(/webhooks/\d+)/deactivate"', page)
    assert path
    seed_shop(db)
    receiver.statuses = [500]
    run_once(db, settings)
    with db.engine.begin() as connection:  # as if every retry had failed for three days
        connection.execute(update(webhook_delivery_table).values(status="dead"))
    log = admin.get(path.group(1)).text
    [replay] = re.findall(r'action="(/webhooks/\d+/deliveries/\d+/replay)"', log)[:1]
    replayed = _post(admin, replay, path.group(1))
    assert re.search(r"Zustellung #\d+ wird erneut gesendet.", replayed)
    assert "delivery-pending" in replayed

    deactivated = _post(admin, path.group(1) + "/deactivate", path.group(1))
    assert "Das Abonnement ist deaktiviert" in deactivated
    assert "/replay" not in deactivated
    receiver.statuses = [204]
    sent_before = len(receiver.requests)
    place(db, "EXT-LATE", ("late@example.de", "Lea", "Spät"), [("SKU-1", 1)])
    run_once(db, settings)
    assert len(receiver.requests) == sent_before


def test_a_private_address_is_refused_with_the_reason_when_not_allowed(
    db: Database, settings: Settings
) -> None:
    from ordnung.api import create_app

    strict = settings.model_copy(update={"webhook_allow_private": False})
    with TestClient(create_app(strict, db)) as web:
        sign_in_as(web, db, "admin")
        page = _post(web, "/webhooks", "/webhooks", url="http://127.0.0.1:9/", event_types=["*"])
    assert "Das Abonnement wurde nicht angelegt" in page
    assert "loopback, private" in page
