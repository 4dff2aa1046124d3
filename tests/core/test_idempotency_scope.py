"""Idempotency-Keys belong to the caller's identity, not to the API key's name: two keys both
named "shop" (or a rotated key that kept its name) each have their own key space."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from ordnung.core.db import Database
from tests.factories import order_payload, put_stock, standard_setup


def test_two_api_keys_with_the_same_name_do_not_share_idempotency_keys(
    app_client: TestClient, db: Database, make_api_key: Callable[..., str]
) -> None:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    first_key = make_api_key("orders:write", name="shop")
    second_key = make_api_key("orders:write", name="shop")  # the rotated key
    headers = {"Idempotency-Key": "bestellung-1"}

    def post(token: str, external_id: str) -> tuple[int, int]:
        body = order_payload([("SKU-1", 1)], external_id=external_id)
        response = app_client.post(
            "/api/v1/orders", json=body, headers={**headers, "Authorization": f"Bearer {token}"}
        )
        assert response.status_code in (200, 201), response.text
        return response.status_code, int(response.json()["id"])

    first = post(first_key, "SHOP-1")
    second = post(second_key, "SHOP-2")  # another order under the same key: its own answer
    again = post(first_key, "SHOP-1")

    assert first[0] == second[0] == 201
    assert second[1] != first[1]
    assert again == (201, first[1])  # the first key's stored answer, replayed
