"""The packing bench without a browser: the own location's worker packs units into a
package, ships it and prints its delivery note; another location's worker gets 404 on every
packing route and changes nothing; the order page lists the packages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.fulfillment import package_queries, packages, service
from ordnung.fulfillment.package_model import Measures, PackedUnits, Packing
from ordnung.orders.queries import get_order
from tests.web.accounts import sign_in_as
from tests.web.conftest import csrf_from
from tests.web.seed import seed_shop


def _accepted_at_berlin(db: Database) -> tuple[int, int]:
    shop = seed_shop(db)
    fo_id = get_order(db, shop.allocated)["fulfillment_orders"][0]["id"]
    service.accept_fulfillment_order(db, fo_id, actor="test")
    return shop.allocated, fo_id


def _pack_everything(web: TestClient, fo_id: int, token: str, db: Database) -> None:
    lines = package_queries.packing_state(db, fo_id)["lines"]
    data = {f"quantity_{line['id']}": str(line["unpacked_quantity"]) for line in lines}
    web.post(
        f"/fulfillment/{fo_id}/packages",
        data={"csrf_token": token, "package_type": "parcel_m", "weight_grams": "950", **data},
    )


def test_the_own_worker_packs_ships_and_prints_the_delivery_note(
    web: TestClient, db: Database
) -> None:
    order_id, fo_id = _accepted_at_berlin(db)
    sign_in_as(web, db, "warehouse", "ber")
    page = web.get(f"/fulfillment/{fo_id}/packing")
    assert page.status_code == 200 and "Verpacken" in page.text
    token = csrf_from(page.text)
    _pack_everything(web, fo_id, token, db)
    state = package_queries.packing_state(db, fo_id)
    [package] = state["packages"]
    assert state["status"] == "packed"
    assert package["number"] in web.get(f"/fulfillment/{fo_id}/packing").text
    pdf = web.get(f"/packages/{package['id']}/delivery-note.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    web.post(
        f"/packages/{package['id']}/ship",
        data={"csrf_token": token, "carrier": "dhl", "tracking_number": "JJD0001"},
    )
    assert package_queries.packing_state(db, fo_id)["status"] == "shipped"
    sign_in_as(web, db, "admin")
    order_page = web.get(f"/orders/{order_id}").text
    assert package["number"] in order_page and "JJD0001" in order_page


def test_every_packing_route_answers_404_to_another_locations_worker(
    web: TestClient, db: Database
) -> None:
    _order_id, fo_id = _accepted_at_berlin(db)
    line = package_queries.packing_state(db, fo_id)["lines"][0]
    packing = Packing([PackedUnits(line["id"], 1)], Measures("parcel_s", 500))
    packages.pack(db, fo_id, packing, actor="test")
    [package] = package_queries.packing_state(db, fo_id)["packages"]
    sign_in_as(web, db, "warehouse", "ham")
    token = csrf_from(web.get("/waves").text)
    assert web.get(f"/fulfillment/{fo_id}/packing").status_code == 404
    assert web.get(f"/packages/{package['id']}/delivery-note.pdf").status_code == 404
    posts = {
        f"/fulfillment/{fo_id}/packages": {"package_type": "parcel_s", "weight_grams": "1"},
        f"/packages/{package['id']}/ship": {"carrier": "dhl", "tracking_number": "JJD0002"},
        f"/packages/{package['id']}/remove": {},
    }
    for url, data in posts.items():
        response = web.post(url, data={"csrf_token": token, **data}, follow_redirects=False)
        assert response.status_code == 404, url
    state = package_queries.packing_state(db, fo_id)
    assert [(p["id"], p["status"]) for p in state["packages"]] == [(package["id"], "packed")]
