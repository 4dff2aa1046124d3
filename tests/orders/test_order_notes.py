"""Tags and comments on orders: normalised, idempotent, on the timeline, refused with a
problem naming the field when they cannot be taken."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.core.errors import ValidationError
from ordnung.orders.notes_model import checked_comment, normalise_tag
from tests.factories import order_payload, put_stock, standard_setup


@pytest.fixture
def order(client: TestClient, db: Database) -> dict[str, Any]:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    response = client.post("/api/v1/orders", json=order_payload([("SKU-1", 1)]))
    assert response.status_code == 201
    return dict(response.json())


@pytest.mark.parametrize(
    ("raw", "stored"), [(" VIP ", "vip"), ("Gift-Wrap", "gift-wrap"), ("b2b_2026", "b2b_2026")]
)
def test_a_tag_is_stored_trimmed_and_lower_case(raw: str, stored: str) -> None:
    assert normalise_tag(raw) == stored


@pytest.mark.parametrize("raw", ["", "   ", "two words", "x" * 41, "a,b", "50%"])
def test_what_is_not_a_tag_is_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        normalise_tag(raw)


def test_an_empty_or_overlong_comment_is_refused() -> None:
    assert checked_comment("  Rückruf erbeten \n") == "Rückruf erbeten"
    for raw in ("", " \n ", "x" * 4001):
        with pytest.raises(ValidationError):
            checked_comment(raw)


def _timeline(client: TestClient, number: str) -> list[dict[str, Any]]:
    return list(client.get(f"/api/v1/orders/{number}").json()["timeline"])


def test_tagging_twice_changes_nothing_and_untagging_is_told_once(
    client: TestClient, order: dict[str, Any]
) -> None:
    number = order["number"]
    for _ in range(2):
        response = client.post(f"/api/v1/orders/{number}/tags", json={"tag": "Express"})
        assert response.status_code == 200
        assert response.json() == {"order_id": order["id"], "tags": ["express"]}
    client.post(f"/api/v1/orders/{order['id']}/tags", json={"tag": "b2b"})
    for _ in range(2):
        response = client.delete(f"/api/v1/orders/{number}/tags/EXPRESS")
        assert response.json()["tags"] == ["b2b"]
    types = [event["type"] for event in _timeline(client, number)]
    assert types.count("order.tagged") == 2
    assert types.count("order.untagged") == 1


def test_tags_do_not_change_the_orders_version(client: TestClient, order: dict[str, Any]) -> None:
    client.post(f"/api/v1/orders/{order['number']}/tags", json={"tag": "vip"})
    assert client.get(f"/api/v1/orders/{order['number']}").json()["version"] == order["version"]


def test_a_bad_tag_is_a_problem_naming_the_field(client: TestClient, order: dict[str, Any]) -> None:
    response = client.post(f"/api/v1/orders/{order['number']}/tags", json={"tag": "no spaces"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == "tag"


def test_tagging_an_unknown_order_is_a_404(client: TestClient, order: dict[str, Any]) -> None:
    assert client.post("/api/v1/orders/ORD-999999/tags", json={"tag": "x"}).status_code == 404
    assert client.delete("/api/v1/orders/999999/tags/x").status_code == 404
    assert client.get("/api/v1/orders/999999/comments").status_code == 404


def test_a_comment_lands_on_the_timeline_with_its_author_once_per_key(
    client: TestClient, order: dict[str, Any]
) -> None:
    number = order["number"]
    headers = {"Idempotency-Key": "comment-1"}
    first = client.post(
        f"/api/v1/orders/{number}/comments", json={"body": "Kunde ruft zurück"}, headers=headers
    )
    again = client.post(
        f"/api/v1/orders/{number}/comments", json={"body": "Kunde ruft zurück"}, headers=headers
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["author"] == "api_key:admin-test"
    client.post(f"/api/v1/orders/{number}/comments", json={"body": "Zweite Notiz"})
    comments = client.get(f"/api/v1/orders/{number}/comments").json()["items"]
    assert [c["body"] for c in comments] == ["Kunde ruft zurück", "Zweite Notiz"]
    commented = [e for e in _timeline(client, number) if e["type"] == "order.commented"]
    assert [e["payload"]["body"] for e in commented] == ["Kunde ruft zurück", "Zweite Notiz"]
    assert {e["actor"] for e in commented} == {"api_key:admin-test"}


def test_an_empty_comment_is_a_problem_naming_the_body(
    client: TestClient, order: dict[str, Any]
) -> None:
    response = client.post(f"/api/v1/orders/{order['number']}/comments", json={"body": "   "})
    assert response.status_code == 422
    assert "body" in str(response.json())


def test_a_read_only_key_may_read_comments_but_not_write_them(
    app_client: TestClient, make_api_key: Any, order: dict[str, Any]
) -> None:
    app_client.headers["Authorization"] = f"Bearer {make_api_key('orders:read')}"
    number = order["number"]
    assert app_client.get(f"/api/v1/orders/{number}/comments").status_code == 200
    assert (
        app_client.post(f"/api/v1/orders/{number}/comments", json={"body": "x"}).status_code == 403
    )
    assert app_client.post(f"/api/v1/orders/{number}/tags", json={"tag": "x"}).status_code == 403
