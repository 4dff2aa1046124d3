"""The queue page of a location (issue 10): a warehouse worker sees and works only their own
location's queue; every other location's queue and work answers 404."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.orders.queries import get_order
from tests.web.accounts import sign_in_as
from tests.web.conftest import csrf_from
from tests.web.seed import seed_shop


def _fo_at(db: Database, order_id: int, code: str) -> int:
    fos = get_order(db, order_id)["fulfillment_orders"]
    return next(fo["id"] for fo in fos if fo["location"]["code"] == code)


def test_a_warehouse_worker_is_taken_to_their_queue_and_sees_only_it(
    web: TestClient, db: Database
) -> None:
    orders = seed_shop(db)
    sign_in_as(web, db, "warehouse", "ber")
    landing = web.get("/queue", follow_redirects=False)
    assert (landing.status_code, landing.headers["location"]) == (303, "/queue/ber")
    page = web.get("/queue/ber")
    assert page.status_code == 200
    assert f'data-fo="{_fo_at(db, orders.allocated, "ber")}"' in page.text
    assert "Warteschlange" in page.text
    assert web.get("/queue/ham").status_code == 404
    assert web.get("/queue/nope").status_code == 404


def test_someone_bound_to_no_location_chooses_a_queue(web: TestClient, db: Database) -> None:
    seed_shop(db)
    sign_in_as(web, db, "admin")
    page = web.get("/queue")
    assert page.status_code == 200
    assert 'href="/queue/ber"' in page.text and 'href="/queue/ham"' in page.text


def test_a_worker_accepts_and_rejects_with_a_reason_from_the_queue(
    web: TestClient, db: Database
) -> None:
    orders = seed_shop(db)
    sign_in_as(web, db, "warehouse", "ber")
    fo_id = _fo_at(db, orders.allocated, "ber")
    token = csrf_from(web.get("/queue/ber").text)

    no_reason = web.post(
        f"/queue/ber/{fo_id}/reject",
        data={"csrf_token": token, "reason": " "},
        follow_redirects=False,
    )
    assert no_reason.status_code == 303
    assert get_order(db, orders.allocated)["fulfillment_orders"][0]["status"] == "released"

    accepted = web.post(
        f"/queue/ber/{fo_id}/accept", data={"csrf_token": token}, follow_redirects=False
    )
    assert accepted.status_code == 303
    assert web.get(f"/fulfillment/{fo_id}").status_code == 200
    statuses = {
        fo["id"]: fo["status"] for fo in get_order(db, orders.allocated)["fulfillment_orders"]
    }
    assert statuses[fo_id] == "accepted"

    rejected = web.post(
        f"/queue/ber/{fo_id}/reject",
        data={"csrf_token": token, "reason": "Regal leer", "back": "https://evil.example/"},
        follow_redirects=False,
    )
    assert (rejected.status_code, rejected.headers["location"]) == (303, "/queue/ber")
    fos = {fo["id"]: fo for fo in get_order(db, orders.allocated)["fulfillment_orders"]}
    assert fos[fo_id]["status"] == "rejected"
    assert "Regal leer" in web.get("/queue/ber").text  # the flash names the reason


def test_another_locations_work_answers_404_from_the_queue_routes(
    web: TestClient, db: Database
) -> None:
    orders = seed_shop(db)
    sign_in_as(web, db, "warehouse", "ham")
    theirs = _fo_at(db, orders.allocated, "ber")
    token = csrf_from(web.get("/queue/ham").text)
    for action, data in (("accept", {}), ("reject", {"reason": "Nicht unseres"})):
        response = web.post(f"/queue/ham/{theirs}/{action}", data={"csrf_token": token, **data})
        assert response.status_code == 404
    assert get_order(db, orders.allocated)["fulfillment_orders"][0]["status"] == "released"


def test_a_form_without_its_csrf_token_is_refused(web: TestClient, db: Database) -> None:
    orders = seed_shop(db)
    sign_in_as(web, db, "warehouse", "ber")
    fo_id = _fo_at(db, orders.allocated, "ber")
    response = web.post(f"/queue/ber/{fo_id}/accept", data={}, follow_redirects=False)
    assert response.status_code in (400, 403)
    assert get_order(db, orders.allocated)["fulfillment_orders"][0]["status"] == "released"


def test_the_fulfilment_page_shows_what_the_location_needs(web: TestClient, db: Database) -> None:
    orders = seed_shop(db)
    sign_in_as(web, db, "warehouse", "ber")
    fo_id = _fo_at(db, orders.allocated, "ber")
    page = web.get(f"/fulfillment/{fo_id}").text
    for shown in ("Für den Versand", "Erika Mustermann", "erika@example.de", "Kaffeebecher"):
        assert shown in page
    assert "Standard" in page
