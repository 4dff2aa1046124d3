"""Conventions every client relies on: one cursor format for every list, a `limit` above the
largest page capped (and said so), orders found by the number people read, and the ETag that
carries an order's version into If-Match."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from tests.factories import order_payload

API = "/api/v1"
LISTS = [
    "/orders",
    "/fulfillment-orders",
    "/products",
    "/customers",
    "/stock",
    "/stock/OD-0001/lager-nord/movements",
    "/webhooks",
    "/channels",
    "/locations",
]
PAGED_LISTS = LISTS[:7]


def _cursor(position: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


def _decoded(cursor: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


@pytest.fixture
def busy_shop(shop: TestClient) -> TestClient:
    """The seeded shop with a few more of everything, so each list has several pages."""
    for number in range(3):
        shop.post(
            f"{API}/products", json={"sku": f"PG-{number}", "name": f"Artikel {number}"}
        ).raise_for_status()
        body = order_payload([("OD-0001", 1)], customer={"email": f"k{number}@example.de"})
        shop.post(f"{API}/orders", json=body).raise_for_status()
        shop.post(
            f"{API}/stock/PG-{number}/lager-nord/set", json={"on_hand": 5, "reason": "Inventur"}
        ).raise_for_status()
        shop.post(
            f"{API}/webhooks",
            json={"url": f"http://127.0.0.1:9/h{number}", "event_types": ["*"]},
        ).raise_for_status()
    return shop


def _walk(shop: TestClient, path: str) -> list[int]:
    """Every id of a list, one item per page, following next_cursor."""
    ids: list[int] = []
    params: dict[str, Any] = {"limit": 1}
    for _ in range(50):
        page = shop.get(API + path, params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        ids += [item["id"] for item in body["items"]]
        if body["next_cursor"] is None:
            return ids
        assert _decoded(body["next_cursor"]) == {"after": ids[-1]}
        params["cursor"] = body["next_cursor"]
    raise AssertionError(f"{path} did not end")


@pytest.mark.parametrize("path", PAGED_LISTS)
def test_every_list_pages_with_one_cursor_format_and_misses_nothing(
    busy_shop: TestClient, path: str
) -> None:
    walked = _walk(busy_shop, path)
    everything = [item["id"] for item in busy_shop.get(API + path).json()["items"]]
    assert len(walked) >= 2
    assert walked == everything


@pytest.mark.parametrize("path", LISTS)
def test_a_limit_above_the_largest_page_is_capped_and_the_answer_says_so(
    shop: TestClient, path: str
) -> None:
    capped = shop.get(API + path, params={"limit": 10**30})
    assert capped.status_code == 200, capped.text
    plain = shop.get(API + path, params={"limit": 200})
    assert "X-Limit-Capped" not in plain.headers
    if path in PAGED_LISTS:
        assert capped.headers["X-Limit-Capped"] == "200"
        assert shop.get(API + path, params={"limit": 0}).status_code == 422
    else:
        # Channels and locations are a handful: one page, whatever the limit.
        assert capped.json()["next_cursor"] is None


def test_the_cap_follows_the_configured_largest_page(shop: TestClient) -> None:
    shop.app.state.settings.max_page_size = 2  # type: ignore[attr-defined]
    capped = shop.get(f"{API}/products", params={"limit": 3})
    assert capped.headers["X-Limit-Capped"] == "2"
    assert len(capped.json()["items"]) == 2


def test_a_numeric_cursor_from_before_still_pages_orders_and_fulfilment(
    busy_shop: TestClient,
) -> None:
    for path in ("/orders", "/fulfillment-orders"):
        newest_first = [item["id"] for item in busy_shop.get(API + path).json()["items"]]
        after = busy_shop.get(API + path, params={"cursor": str(newest_first[0])}).json()
        assert [item["id"] for item in after["items"]] == newest_first[1:]


NONSENSE_CURSORS = [
    "99999999999999999999",
    "0",
    "garbage!",
    _cursor({"after": 2**63}),
    _cursor({"after": True}),
    _cursor({"after": "12"}),
    _cursor({"after": -1}),
    _cursor([1]),
    _cursor({"elsewhere": 1}),
    "A" * 101,
]


@pytest.mark.parametrize("path", PAGED_LISTS)
def test_a_cursor_this_api_never_gave_is_a_clear_422(shop: TestClient, path: str) -> None:
    for cursor in NONSENSE_CURSORS:
        response = shop.get(API + path, params={"cursor": cursor})
        assert response.status_code == 422, (cursor, response.text)
        assert response.headers["content-type"] == "application/problem+json"


def test_webhook_delivery_cursors_from_before_still_work(shop: TestClient, db: Database) -> None:
    subscription = shop.get(f"{API}/webhooks").json()["items"][0]["id"]
    path = f"{API}/webhooks/{subscription}/deliveries"
    assert shop.get(path, params={"cursor": _cursor({"before": 5})}).status_code == 200


# -- human keys and versions -----------------------------------------------------------------


def _an_order(shop: TestClient) -> dict[str, Any]:
    summary = shop.get(f"{API}/orders", params={"status": "allocated"}).json()["items"][0]
    order: dict[str, Any] = shop.get(f"{API}/orders/{summary['id']}").json()
    return order


def test_an_order_is_read_by_its_number_as_well_as_by_its_id(shop: TestClient) -> None:
    order = _an_order(shop)
    by_number = shop.get(f"{API}/orders/{order['number']}")
    assert by_number.status_code == 200
    assert by_number.json() == order
    assert shop.get(f"{API}/orders/{order['number'].lower()}").json()["id"] == order["id"]
    missing = shop.get(f"{API}/orders/ORD-999999")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Order ORD-999999 does not exist."


def test_an_order_is_cancelled_by_its_number(shop: TestClient) -> None:
    order = _an_order(shop)
    cancelled = shop.post(f"{API}/orders/{order['number']}/cancel", json={"reason": "Doppelt"})
    assert cancelled.status_code == 200
    assert cancelled.json()["id"] == order["id"]
    assert cancelled.json()["status"] == "cancelled"


def test_a_hold_is_released_on_an_order_named_by_its_number(shop: TestClient) -> None:
    held = shop.get(f"{API}/orders", params={"status": "on_hold"}).json()["items"][0]
    order = shop.get(f"{API}/orders/{held['number']}").json()
    hold = order["holds"][0]["id"]
    released = shop.post(
        f"{API}/orders/{held['number']}/holds/{hold}/release", json={"note": "SKU angelegt"}
    )
    assert released.status_code == 200, released.text
    assert released.json()["holds"][0]["release_note"] == "SKU angelegt"


def test_an_order_read_carries_its_version_as_etag_that_if_match_accepts(
    shop: TestClient,
) -> None:
    order = _an_order(shop)
    read = shop.get(f"{API}/orders/{order['id']}")
    assert read.headers["ETag"] == f'"{order["version"]}"'
    stale = shop.post(
        f"{API}/orders/{order['id']}/cancel", headers={"If-Match": f'"{order["version"] - 1}"'}
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == order["version"]
    current = shop.post(
        f"{API}/orders/{order['id']}/cancel", headers={"If-Match": read.headers["ETag"]}
    )
    assert current.status_code == 200
    assert shop.get(f"{API}/orders/{order['id']}").headers["ETag"] == f'"{order["version"] + 1}"'
