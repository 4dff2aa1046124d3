"""The pick wave pages without a browser: a location-bound worker sees only their own
location's waves, pick lists and bins (every wave route answers 404 for another location's
wave and changes nothing), and bins set from the page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.fulfillment import waves
from ordnung.inventory.bins import list_bins
from ordnung.orders.queries import get_order
from tests.web.accounts import sign_in_as
from tests.web.conftest import csrf_from
from tests.web.seed import seed_shop


def _wave_at_berlin(db: Database) -> int:
    shop = seed_shop(db)
    fo_id = get_order(db, shop.allocated)["fulfillment_orders"][0]["id"]
    return waves.create_wave(db, "ber", [fo_id], actor="test").id


def test_every_wave_route_answers_404_to_another_locations_worker(
    web: TestClient, db: Database
) -> None:
    wave_id = _wave_at_berlin(db)
    sign_in_as(web, db, "warehouse", "ham")
    page = web.get("/waves")
    assert page.status_code == 200
    assert "Lager ham" in page.text and "PW-" not in page.text
    token = csrf_from(page.text)
    assert web.get(f"/waves/{wave_id}").status_code == 404
    assert web.get(f"/waves/{wave_id}/pick-list.pdf").status_code == 404
    for action, data in (
        ("scan", {"code": "SKU-1"}),
        ("short-pick", {"sku": "SKU-1", "missing": "1"}),
    ):
        response = web.post(
            f"/waves/{wave_id}/{action}", data={"csrf_token": token, **data}, follow_redirects=False
        )
        assert response.status_code == 404, action
    # Asking for Berlin's list or bins by name still shows Hamburg's.
    assert "Lager ber" not in web.get("/waves?location=ber").text
    web.post(
        "/waves/bins",
        data={"csrf_token": token, "location": "ber", "bins": "SKU-1;X-1"},
        follow_redirects=False,
    )
    assert list_bins(db, "ber") == []
    wave = waves.get_wave(db, ("ber", wave_id))
    assert wave["rows"][0]["picked"] == 0 and wave["rows"][0]["short"] == 0


def test_the_own_locations_worker_sees_the_wave_and_its_pick_list(
    web: TestClient, db: Database
) -> None:
    wave_id = _wave_at_berlin(db)
    sign_in_as(web, db, "warehouse", "ber")
    page = web.get(f"/waves/{wave_id}")
    assert page.status_code == 200 and "SKU-1" in page.text
    pdf = web.get(f"/waves/{wave_id}/pick-list.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    token = csrf_from(page.text)
    web.post(f"/waves/{wave_id}/scan", data={"csrf_token": token, "code": "SKU-1"})
    assert waves.get_wave(db, ("ber", wave_id))["rows"][0]["picked"] == 1


def test_bins_are_set_from_the_page_and_a_bad_line_changes_nothing(
    web: TestClient, db: Database
) -> None:
    seed_shop(db)
    sign_in_as(web, db, "warehouse", "ber")
    token = csrf_from(web.get("/waves").text)
    bad = web.post("/waves/bins", data={"csrf_token": token, "bins": "SKU-1;A-1\nkein Trenner"})
    assert "nicht im Format" in bad.text
    assert list_bins(db, "ber") == []
    web.post("/waves/bins", data={"csrf_token": token, "bins": "SKU-1;A-1\nSKU-3;B-2"})
    assert [(b["sku"], b["bin"]) for b in list_bins(db, "ber")] == [
        ("SKU-1", "A-1"),
        ("SKU-3", "B-2"),
    ]
    page = web.get("/waves").text
    assert "SKU-1 → A-1" in page
