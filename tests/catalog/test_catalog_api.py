from collections.abc import Callable

from fastapi.testclient import TestClient

from ordnung.catalog.model import ProductDraft
from ordnung.catalog.service import get_product, upsert_products
from ordnung.core.db import Database

PRODUCTS = "/api/v1/products"


def _product(sku: str = "TSH-RED-M", **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "sku": sku,
        "name": "T-Shirt rot M",
        "gtin": "4006381333931",
        "weight_grams": 180,
        "tax_class": "standard",
    }
    body.update(overrides)
    return body


def test_a_created_product_can_be_fetched_and_listed(client: TestClient) -> None:
    created = client.post(PRODUCTS, json=_product())
    assert created.status_code == 201
    assert created.json()["tax_rate"] == "19"

    fetched = client.get(f"{PRODUCTS}/TSH-RED-M")
    assert fetched.status_code == 200
    assert fetched.json()["gtin"] == "4006381333931"
    assert [p["sku"] for p in client.get(PRODUCTS).json()["items"]] == ["TSH-RED-M"]


def test_a_second_product_with_the_same_sku_is_a_conflict(client: TestClient) -> None:
    client.post(PRODUCTS, json=_product())
    again = client.post(PRODUCTS, json=_product(name="Other"))
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert "TSH-RED-M" in again.json()["detail"]


def test_a_wrong_gtin_check_digit_is_a_422_naming_gtin(client: TestClient) -> None:
    response = client.post(PRODUCTS, json=_product(gtin="4006381333932"))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["gtin"]


def test_unknown_fields_and_bad_tax_classes_are_422_naming_them(client: TestClient) -> None:
    response = client.post(PRODUCTS, json=_product(tax_class="luxury", price="9.99"))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"tax_class", "price"}


def test_without_a_key_the_answer_is_401(app_client: TestClient) -> None:
    response = app_client.get(PRODUCTS)
    assert response.status_code == 401
    assert response.json()["type"].endswith("/unauthenticated")


def test_a_read_only_key_may_list_but_not_create(
    app_client: TestClient, make_api_key: Callable[..., str]
) -> None:
    app_client.headers["Authorization"] = f"Bearer {make_api_key('catalog:read')}"
    assert app_client.get(PRODUCTS).status_code == 200
    response = app_client.post(PRODUCTS, json=_product())
    assert response.status_code == 403
    assert "catalog:write" in response.json()["detail"]


def test_a_repeated_create_with_the_same_idempotency_key_replays_the_answer(
    client: TestClient,
) -> None:
    headers = {"Idempotency-Key": "create-tsh-1"}
    first = client.post(PRODUCTS, json=_product(), headers=headers)
    second = client.post(PRODUCTS, json=_product(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


def test_the_same_idempotency_key_with_another_body_is_a_422(client: TestClient) -> None:
    headers = {"Idempotency-Key": "create-tsh-2"}
    client.post(PRODUCTS, json=_product(), headers=headers)
    response = client.post(PRODUCTS, json=_product(name="Anders"), headers=headers)
    assert response.status_code == 422
    assert response.json()["type"].endswith("/idempotency-key-reused")


def test_listing_pages_with_a_cursor_and_filters_by_sku_or_name(client: TestClient) -> None:
    for number in range(5):
        client.post(PRODUCTS, json=_product(f"MUG-{number}", name=f"Becher {number}", gtin=None))
    client.post(PRODUCTS, json=_product("CAP-1", name="Kappe", gtin=None))

    first = client.get(PRODUCTS, params={"q": "becher", "limit": 3}).json()
    second = client.get(PRODUCTS, params={"q": "becher", "cursor": first["next_cursor"]}).json()
    skus = [p["sku"] for p in first["items"] + second["items"]]
    assert skus == [f"MUG-{n}" for n in range(5)]
    assert second["next_cursor"] is None
    # Above the largest page the limit is capped, and the answer says so.
    capped = client.get(PRODUCTS, params={"limit": 201})
    assert capped.status_code == 200
    assert capped.headers["X-Limit-Capped"] == "200"
    assert client.get(PRODUCTS, params={"limit": 0}).status_code == 422
    assert client.get(PRODUCTS, params={"cursor": "garbage!"}).status_code == 422


def test_a_like_wildcard_in_the_search_matches_only_itself(client: TestClient) -> None:
    client.post(PRODUCTS, json=_product("A-1", name="100% Baumwolle", gtin=None))
    client.post(PRODUCTS, json=_product("A-2", name="1000 Teile", gtin=None))
    items = client.get(PRODUCTS, params={"q": "0%"}).json()["items"]
    assert [p["sku"] for p in items] == ["A-1"]


def test_patch_changes_only_the_fields_sent(client: TestClient) -> None:
    client.post(PRODUCTS, json=_product())
    response = client.patch(f"{PRODUCTS}/TSH-RED-M", json={"tax_class": "reduced", "gtin": None})
    assert response.status_code == 200
    body = response.json()
    assert (body["tax_class"], body["tax_rate"], body["gtin"]) == ("reduced", "7", None)
    assert body["name"] == "T-Shirt rot M"
    assert client.patch(f"{PRODUCTS}/TSH-RED-M", json={"name": None}).status_code == 422
    assert client.patch(f"{PRODUCTS}/NOPE", json={"name": "x"}).status_code == 404


def test_an_unknown_sku_is_a_404_problem(client: TestClient) -> None:
    response = client.get(f"{PRODUCTS}/NOPE")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_bulk_upsert_creates_then_overwrites(db: Database) -> None:
    drafts = [ProductDraft(sku=f"B-{n}", name=f"Artikel {n}") for n in range(3)]
    assert upsert_products(db, drafts) == 3
    assert upsert_products(db, [ProductDraft(sku="B-1", name="Neu", tax_class="zero")]) == 1
    assert get_product(db, "B-1").name == "Neu"
    assert get_product(db, "B-1").tax_class == "zero"
    assert get_product(db, "B-2").name == "Artikel 2"
