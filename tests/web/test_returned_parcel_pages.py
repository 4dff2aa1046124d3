"""Returned parcels in the back office without a browser: a worker records a parcel on their
own location's shipment, finds it in the queue tab and processes it; a worker of another
location gets 404 from every returned-parcel page and form."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.fulfillment.returned_parcel_queries import returned_parcels_of_order
from ordnung.fulfillment.returned_parcels import ParcelReturn, record_returned_to_sender
from ordnung.orders.queries import get_order
from tests.web.accounts import sign_in_as
from tests.web.conftest import csrf_from
from tests.web.seed import seed_shop


def test_a_worker_records_and_processes_a_parcel_of_their_own_location(
    web: TestClient, db: Database
) -> None:
    orders = seed_shop(db)
    shipment = get_order(db, orders.shipped)["shipments"][0]
    sign_in_as(web, db, "warehouse", "ham")
    token = csrf_from(web.get(f"/fulfillment/{shipment['fulfillment_order_id']}").text)
    recorded = web.post(
        f"/shipments/{shipment['id']}/returned-to-sender",
        data={
            "csrf_token": token,
            "reason": "undeliverable",
            "note": "Unbekannt verzogen",
            "fulfillment_order_id": str(shipment["fulfillment_order_id"]),
        },
        follow_redirects=False,
    )
    assert recorded.status_code == 303
    tab = web.get("/queue/ham/returned-parcels")
    assert tab.status_code == 200
    assert "Unzustellbar" in tab.text and "Unbekannt verzogen" in tab.text
    parcel = returned_parcels_of_order(db, orders.shipped)[0]
    line_id = parcel["lines"][0]["id"]
    screen = web.get(f"/returned-parcels/{parcel['id']}")
    assert "Wieder einlagern" in screen.text
    token = csrf_from(screen.text)
    bad = web.post(
        f"/returned-parcels/{parcel['id']}/process",
        data={"csrf_token": token, f"restock_{line_id}": "x"},
    )
    assert "ganze Stückzahlen" in bad.text
    assert returned_parcels_of_order(db, orders.shipped)[0]["status"] == "waiting"
    done = web.post(
        f"/returned-parcels/{parcel['id']}/process",
        data={"csrf_token": token, f"restock_{line_id}": "1", f"write_off_{line_id}": "0"},
    )
    assert "1 eingelagert, 0 abgeschrieben" in done.text
    assert returned_parcels_of_order(db, orders.shipped)[0]["status"] == "processed"


def test_another_locations_worker_gets_404_from_every_returned_parcel_route(
    web: TestClient, db: Database
) -> None:
    orders = seed_shop(db)
    shipment = get_order(db, orders.shipped)["shipments"][0]  # shipped from ham
    sign_in_as(web, db, "warehouse", "ber")
    token = csrf_from(web.get("/queue/ber").text)
    record = web.post(
        f"/shipments/{shipment['id']}/returned-to-sender",
        data={"csrf_token": token, "reason": "refused"},
    )
    assert record.status_code == 404
    assert returned_parcels_of_order(db, orders.shipped) == []
    assert web.get("/queue/ham/returned-parcels").status_code == 404
    assert web.get("/queue/ber/returned-parcels").status_code == 200
    # A parcel of ham, recorded by ham's own worker, stays invisible to ber.
    parcel_id = record_returned_to_sender(
        db, shipment["id"], ParcelReturn("refused"), actor="test"
    ).returned_parcel_id
    assert web.get(f"/returned-parcels/{parcel_id}").status_code == 404
    processed = web.post(f"/returned-parcels/{parcel_id}/process", data={"csrf_token": token})
    assert processed.status_code == 404
    assert returned_parcels_of_order(db, orders.shipped)[0]["status"] == "waiting"
