"""The store's pickup counter in the back office: a store clerk sees and acts on their own
store's click & collect orders only (404 for any other, on every route), makes an order
ready, and hands it over against its code."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.fulfillment import pickup
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.intake import place_order
from tests.factories import add_location, order_payload, position, put_stock, standard_setup
from tests.web.accounts import sign_in_as
from tests.web.conftest import csrf_from


def place_collected(db: Database, store: str, quantity: int = 1) -> int:
    """A click & collect order of SKU-1 at `store`; its fulfilment order's id."""
    body = order_payload([("SKU-1", quantity)], pickup_location=store)
    placed = place_order(db, OrderIn.model_validate(body).to_model(), actor="test").order
    return int(placed["fulfillment_orders"][0]["id"])


@pytest.fixture
def stores(db: Database) -> dict[str, Any]:
    ids = standard_setup(db)
    ids["S"] = add_location(db, "S", 4, ("pickup",))
    put_stock(db, "SKU-1", ids["C"], 5)
    put_stock(db, "SKU-1", ids["S"], 5)
    return {
        "ids": ids,
        "fresh_c": place_collected(db, "C"),
        "ready_c": place_collected(db, "C"),
        "ready_s": place_collected(db, "S"),
    }


def _ready(db: Database, fo_id: int) -> str:
    return pickup.mark_ready(db, fo_id, actor="test", days=7).pickup_code


def test_the_counter_lists_only_the_clerks_store_with_age_and_deadline(
    web: TestClient, db: Database, stores: dict[str, Any]
) -> None:
    _ready(db, stores["ready_c"])
    _ready(db, stores["ready_s"])
    sign_in_as(web, db, "warehouse", "C")
    page = web.get("/pickup")
    assert page.status_code == 200
    assert f'data-fulfillment-order="{stores["ready_c"]}"' in page.text
    assert f'data-fulfillment-order="{stores["fresh_c"]}"' in page.text
    assert f'data-fulfillment-order="{stores["ready_s"]}"' not in page.text
    assert "Abholen bis" in page.text and "0 Tage" in page.text
    assert 'href="/pickup"' in page.text  # the nav link


def test_a_clerk_makes_an_order_ready_and_hands_it_over_with_its_code(
    web: TestClient, db: Database, stores: dict[str, Any]
) -> None:
    sign_in_as(web, db, "warehouse", "C")
    fo_id = stores["fresh_c"]
    token = csrf_from(web.get("/pickup").text)
    web.post(f"/pickup/{fo_id}/ready", data={"csrf_token": token})
    code = pickup.pickup_of(db, fo_id)["code"]  # type: ignore[index]
    detail = web.get(f"/fulfillment/{fo_id}").text
    assert f"{code[:4]}-{code[4:]}" in detail and f"/pickup/{fo_id}/qr.svg" in detail
    wrong = web.post(f"/pickup/{fo_id}/hand-over", data={"csrf_token": token, "code": "AAAAAAAA"})
    assert "nicht" in wrong.text.lower() or "not" in wrong.text.lower()
    assert position(db, "SKU-1", stores["ids"]["C"])["on_hand"] == 5
    done = web.post(f"/pickup/{fo_id}/hand-over", data={"csrf_token": token, "code": code})
    assert done.status_code == 200
    assert f"#{fo_id} wurde übergeben" in done.text
    assert position(db, "SKU-1", stores["ids"]["C"])["on_hand"] == 4


def test_the_qr_is_an_svg_of_the_code(
    web: TestClient, db: Database, stores: dict[str, Any]
) -> None:
    _ready(db, stores["ready_c"])
    sign_in_as(web, db, "warehouse", "C")
    qr = web.get(f"/pickup/{stores['ready_c']}/qr.svg")
    assert qr.status_code == 200
    assert qr.headers["content-type"].startswith("image/svg+xml")
    assert qr.text.startswith("<svg")
    # Not ready yet: no code, no QR.
    assert web.get(f"/pickup/{stores['fresh_c']}/qr.svg").status_code == 404


def test_another_stores_order_answers_404_on_every_pickup_route(
    web: TestClient, db: Database, stores: dict[str, Any]
) -> None:
    code = _ready(db, stores["ready_s"])
    sign_in_as(web, db, "warehouse", "C")
    theirs = stores["ready_s"]
    token = csrf_from(web.get("/pickup").text)
    assert web.get(f"/pickup/{theirs}/qr.svg").status_code == 404
    assert web.post(f"/pickup/{theirs}/ready", data={"csrf_token": token}).status_code == 404
    handed = web.post(f"/pickup/{theirs}/hand-over", data={"csrf_token": token, "code": code})
    assert handed.status_code == 404
    assert (
        web.post(
            f"/pickup/{stores['fresh_c']}/ready",
            data={"csrf_token": token},
            follow_redirects=False,
        ).status_code
        == 303
    )
    assert position(db, "SKU-1", stores["ids"]["S"])["on_hand"] == 5


def test_a_shipped_fulfilment_order_is_no_pickup(
    web: TestClient, db: Database, stores: dict[str, Any]
) -> None:
    put_stock(db, "SKU-2", stores["ids"]["A"], 5)
    body = order_payload([("SKU-2", 1)])
    placed = place_order(db, OrderIn.model_validate(body).to_model(), actor="test").order
    fo_id = placed["fulfillment_orders"][0]["id"]
    sign_in_as(web, db, "operations")
    assert web.get(f"/pickup/{fo_id}/qr.svg").status_code == 404
    token = csrf_from(web.get("/pickup").text)
    assert web.post(f"/pickup/{fo_id}/ready", data={"csrf_token": token}).status_code == 404
