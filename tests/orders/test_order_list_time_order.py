"""The order list of a time range, without a search, pages newest first by creation time
with a cursor of its own (time and id): every order of the range once, none outside it —
and a cursor of one kind of list is refused by the other, on both backends."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from ordnung.core import clock
from ordnung.core.db import Database
from tests.factories import order_payload, put_stock, standard_setup


def _place(client: TestClient, external_id: str) -> dict[str, object]:
    response = client.post(
        "/api/v1/orders", json=order_payload([("SKU-1", 1)], external_id=external_id)
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _pages(client: TestClient, **params: str) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        query = {**params, "limit": "2", **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/orders", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append([item["external_id"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


def test_a_time_range_pages_newest_first_by_time_each_order_once(
    client: TestClient, db: Database
) -> None:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 100)
    start = clock.now() - timedelta(seconds=1)
    for n in range(5):
        _place(client, f"RANGE-{n}")
    end = clock.now() + timedelta(seconds=1)

    pages = _pages(client, created_from=start.isoformat(), created_to=end.isoformat())

    found = [external_id for page in pages for external_id in page]
    assert found == [f"RANGE-{n}" for n in reversed(range(5))]
    assert [len(page) for page in pages] == [2, 2, 1]


def test_a_cursor_of_one_kind_of_list_is_refused_by_the_other(
    client: TestClient, db: Database
) -> None:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 100)
    for n in range(3):
        _place(client, f"KIND-{n}")
    start = (clock.now() - timedelta(hours=1)).isoformat()
    timed = client.get("/api/v1/orders", params={"created_from": start, "limit": "1"}).json()
    plain = client.get("/api/v1/orders", params={"limit": "1"}).json()
    assert timed["next_cursor"] != plain["next_cursor"]

    for params in (
        {"cursor": timed["next_cursor"]},
        {"cursor": timed["next_cursor"], "q": "KIND"},
        {"cursor": plain["next_cursor"], "created_from": start},
        {"cursor": "12.x"},
        {"cursor": "." * 3},
    ):
        response = client.get("/api/v1/orders", params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["field"] == "cursor"
