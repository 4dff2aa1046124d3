"""If-Match on the two PUTs that replace settings as a whole — a channel's intake checks and
a product's substitutes — on each backend: GET and PUT answer the version as ETag; a PUT
with the version last read is stored, one with an older version is a 409 problem that
changes nothing, and a PUT without If-Match still overwrites (documented)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from tests.factories import standard_setup

CHECKS = "/api/v1/channels/webshop/checks"
SUBSTITUTES = "/api/v1/products/SKU-1/substitutes"


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    return standard_setup(db)


def _checks(mode: str) -> dict[str, Any]:
    return {"rules": {"fraud_score": {"mode": mode, "params": {"threshold": 50}}}}


def _substitutes(*skus: str) -> dict[str, Any]:
    return {"substitutes": list(skus)}


# (url, first body, second body, what the first stored as GET shows it)
CASES = {
    "channel-checks": (
        CHECKS,
        _checks("warn"),
        _checks("off"),
        lambda body: body["rules"]["fraud_score"]["mode"],
        "warn",
    ),
    "substitutes": (
        SUBSTITUTES,
        _substitutes("SKU-2"),
        _substitutes("SKU-3"),
        lambda body: body["substitutes"],
        ["SKU-2"],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_put_with_a_stale_if_match_is_refused_and_a_fresh_one_is_stored(
    client: TestClient, locations: dict[str, int], case: tuple[Any, ...]
) -> None:
    url, first, second, shown, stored = case
    read = client.get(url)
    assert read.headers["ETag"] == '"0"' and read.json()["version"] == 0

    fresh = client.put(url, json=first, headers={"If-Match": read.headers["ETag"]})
    assert fresh.status_code == 200, fresh.text
    assert fresh.headers["ETag"] == '"1"'

    stale = client.put(url, json=second, headers={"If-Match": read.headers["ETag"]})
    assert stale.status_code == 409, stale.text
    assert stale.headers["content-type"].startswith("application/problem+json")
    assert stale.json()["current_version"] == 1
    now = client.get(url)
    assert now.headers["ETag"] == '"1"'
    assert shown(now.json()) == stored

    # Without If-Match the PUT overwrites, as before; a garbled one is a 422.
    assert client.put(url, json=second).headers["ETag"] == '"2"'
    garbled = client.put(url, json=first, headers={"If-Match": "yesterday"})
    assert garbled.status_code == 422
    assert client.get(url).headers["ETag"] == '"2"'


def test_the_settings_puts_declare_if_match_the_409_and_the_etag(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/channels/{code}/checks", "/api/v1/products/{sku}/substitutes"):
        put, get = paths[path]["put"], paths[path]["get"]
        assert "409" in put["responses"]
        assert "ETag" in put["responses"]["200"]["headers"]
        assert "ETag" in get["responses"]["200"]["headers"]
        [if_match] = [p for p in put["parameters"] if p["name"].lower() == "if-match"]
        assert "Without If-Match" in if_match["description"]
