"""Fixtures for back-office tests: an app client and a signed-in staff client."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ordnung.api import create_app
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from tests.web.seed import STAFF_EMAIL, STAFF_PASSWORD, add_staff

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def log_in(client: TestClient, email: str = STAFF_EMAIL, password: str = STAFF_PASSWORD) -> None:
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/orders"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def web(db: Database, settings: Settings) -> Iterator[TestClient]:
    """A browser-like client: no API key, keeps the session cookie."""
    with TestClient(create_app(settings, db)) as client:
        yield client


@pytest.fixture
def staff_id(db: Database) -> int:
    return add_staff(db)


@pytest.fixture
def signed_in(web: TestClient, staff_id: int) -> TestClient:
    log_in(web)
    return web
