"""Every back-office page checks the role's permission; a warehouse worker sees only their
location's work, and another location's order or fulfilment order is as if it did not exist."""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import update

from ordnung.core.db import Database
from ordnung.core.tables import staff_user_table
from ordnung.fulfillment.queries import get_fulfillment_order
from ordnung.orders.queries import get_order
from ordnung.web import pages
from tests.web.accounts import sign_in_as
from tests.web.conftest import csrf_from
from tests.web.seed import SeededOrders, seed_shop

PAGES = ("/dashboard", "/orders", "/stock", "/fulfillment", "/users", "/roles", "/api-keys")
ALLOWED = {
    "admin": set(PAGES) | {"/webhooks"},
    "operations": {"/dashboard", "/orders", "/stock", "/fulfillment"},
    "customer_service": {"/dashboard", "/orders"},
    "finance": {"/dashboard", "/orders"},
}
# Pages any visitor or any signed-in person may open, whatever the role.
_EXAMPLE_KEYS = {"sku": "SKU-1", "code": "webshop", "location": "ber"}

OPEN_PATHS = {
    "/",
    "/login",
    "/logout",
    "/language/{code}",
    "/password/{token}",
    "/setup",
    "/account",
    "/account/language",
    "/account/password",
    "/account/sign-out-everywhere",
}


def _back_office_routes() -> list[APIRoute]:
    """The routes of every page module, including any added later."""
    modules = pkgutil.iter_modules(pages.__path__, pages.__name__ + ".")
    routers = [importlib.import_module(module.name).router for module in modules]
    return [route for router in routers for route in router.routes if isinstance(route, APIRoute)]


@pytest.fixture
def shop(db: Database) -> SeededOrders:
    return seed_shop(db)


def _fo(db: Database, order_id: int) -> dict[str, Any]:
    [fo] = get_order(db, order_id)["fulfillment_orders"]
    return fo


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_opens_exactly_the_pages_its_permissions_allow(
    web: TestClient, db: Database, shop: SeededOrders, role: str
) -> None:
    sign_in_as(web, db, role)
    for path in (*PAGES, "/webhooks", f"/orders/{shop.allocated}"):
        expected = 200 if path.split("/")[1] in {p.strip("/") for p in ALLOWED[role]} else 403
        response = web.get(path, follow_redirects=False)
        assert response.status_code == expected, (role, path)
        if expected == 403:
            assert "Dafür hat Ihre Rolle keine Berechtigung." in response.text
    assert web.get("/account").status_code == 200


def test_every_back_office_route_asks_for_a_permission(
    web: TestClient, db: Database, shop: SeededOrders
) -> None:
    """A role that grants nothing (a role name unknown to this version) opens nothing but its
    own account: so no route can have been left without a check."""
    staff_id = sign_in_as(web, db, "finance")
    with db.engine.begin() as connection:
        connection.execute(
            update(staff_user_table).where(staff_user_table.c.id == staff_id).values(role="ghost")
        )
    token = csrf_from(web.get("/account").text)
    checked = 0
    for route in _back_office_routes():
        if route.path in OPEN_PATHS:
            continue
        # Ids become 1; SKUs and codes a real one, so a missing check cannot hide behind a 404.
        path = re.sub(r"\{(\w+)\}", lambda part: _EXAMPLE_KEYS.get(part[1], "1"), route.path)
        for method in route.methods:
            response = web.request(method, path, data={"csrf_token": token})
            assert response.status_code == 403, (method, route.path)
            checked += 1
    assert checked >= 25


def test_a_warehouse_worker_sees_only_their_location_s_fulfilment_orders(
    web: TestClient, db: Database, shop: SeededOrders
) -> None:
    sign_in_as(web, db, "warehouse", location="ber")
    berlin, hamburg = _fo(db, shop.allocated), _fo(db, shop.shipped)
    assert (berlin["location"]["code"], hamburg["location"]["code"]) == ("ber", "ham")

    home = web.get("/", follow_redirects=False)
    assert home.headers["location"] == "/fulfillment"
    work = web.get("/fulfillment?location=ham").text
    assert f'href="/fulfillment/{berlin["id"]}"' in work
    assert f'href="/fulfillment/{hamburg["id"]}"' not in work
    assert 'name="location"' not in work  # no location filter to play with
    nav = work.split("</nav>")[0]
    assert 'href="/fulfillment"' in nav
    assert 'href="/orders"' not in nav and 'href="/stock"' not in nav

    assert web.get(f"/fulfillment/{berlin['id']}").status_code == 200
    for path in (
        f"/fulfillment/{hamburg['id']}",
        f"/orders/{shop.shipped}",
        f"/orders/{shop.backordered}",
        "/orders/999999",
    ):
        response = web.get(path, follow_redirects=False)
        assert response.status_code == 404, path
        assert "gibt es nicht" in response.text
    own_order = web.get(f"/orders/{shop.allocated}", follow_redirects=False)
    assert own_order.headers["location"] == f"/fulfillment/{berlin['id']}"


def test_a_warehouse_worker_cannot_act_on_another_location_s_work(
    web: TestClient, db: Database, shop: SeededOrders
) -> None:
    sign_in_as(web, db, "warehouse", location="ham")
    berlin = _fo(db, shop.allocated)
    token = csrf_from(web.get("/fulfillment").text)
    for path in (
        f"/fulfillment/{berlin['id']}/reject",
        f"/fulfillment/{berlin['id']}/accept",
        f"/orders/{shop.allocated}/fulfillment-orders/{berlin['id']}/reject",
    ):
        response = web.post(path, data={"csrf_token": token, "reason": "keine Lust"})
        assert response.status_code == 404, path
    assert (
        web.post(
            f"/orders/{shop.allocated}/cancel", data={"csrf_token": token, "reason": "x"}
        ).status_code
        == 403
    )
    assert get_fulfillment_order(db, berlin["id"])["status"] == "released"
    assert get_order(db, shop.allocated)["status"] == "allocated"


def test_a_warehouse_worker_accepts_and_ships_their_own_work(
    web: TestClient, db: Database, shop: SeededOrders
) -> None:
    sign_in_as(web, db, "warehouse", location="ber")
    fo_id = _fo(db, shop.allocated)["id"]
    page = web.get(f"/fulfillment/{fo_id}").text
    assert "Kaffeebecher" in page and "Heidestraße 17" in page  # what to pack, where to
    accepted = web.post(
        f"/fulfillment/{fo_id}/accept", data={"csrf_token": csrf_from(page)}, follow_redirects=True
    )
    assert f"Fulfillment-Auftrag #{fo_id} wurde angenommen." in accepted.text
    shipped = web.post(
        f"/fulfillment/{fo_id}/ship",
        data={"csrf_token": csrf_from(page), "carrier": "dhl", "tracking_number": "JJD000123"},
        follow_redirects=True,
    )
    assert "wurde versandt (Sendungsnummer JJD000123)" in shipped.text
    order = get_order(db, shop.allocated)
    assert order["status"] == "shipped"
    assert order["shipments"][0]["tracking_number"] == "JJD000123"
    assert order["timeline"][-1]["actor"] == "staff:warehouse@example.de"


def test_customer_service_cancels_but_cannot_ship(
    web: TestClient, db: Database, shop: SeededOrders
) -> None:
    sign_in_as(web, db, "customer_service")
    fo_id = _fo(db, shop.allocated)["id"]
    page = web.get(f"/orders/{shop.allocated}").text
    assert f'action="/orders/{shop.allocated}/cancel"' in page
    assert "/ship" not in page and "/accept" not in page
    ship = web.post(
        f"/orders/{shop.allocated}/fulfillment-orders/{fo_id}/ship",
        data={"csrf_token": csrf_from(page), "carrier": "dhl", "tracking_number": "ABC123"},
    )
    assert ship.status_code == 403
    version = get_order(db, shop.allocated)["version"]
    cancel = web.post(
        f"/orders/{shop.allocated}/cancel",
        data={"csrf_token": csrf_from(page), "reason": "Kunde ruft an", "version": version},
        follow_redirects=True,
    )
    assert "Die Bestellung wurde storniert." in cancel.text


def test_finance_reads_orders_without_any_form_to_change_them(
    web: TestClient, db: Database, shop: SeededOrders
) -> None:
    sign_in_as(web, db, "finance")
    page = web.get(f"/orders/{shop.on_hold}").text
    assert "Summe" in page
    assert "/cancel" not in page and "/release" not in page
    version = get_order(db, shop.on_hold)["version"]
    refused = web.post(
        f"/orders/{shop.on_hold}/cancel",
        data={"csrf_token": csrf_from(page), "reason": "nein", "version": version},
    )
    assert refused.status_code == 403
    assert get_order(db, shop.on_hold)["status"] == "on_hold"


def test_operations_sees_every_location_s_work_and_filters_by_one(
    web: TestClient, db: Database, shop: SeededOrders
) -> None:
    sign_in_as(web, db, "operations")
    berlin, hamburg = _fo(db, shop.allocated), _fo(db, shop.shipped)
    everything = web.get("/fulfillment").text
    assert f"/fulfillment/{berlin['id']}" in everything
    assert f"/fulfillment/{hamburg['id']}" in everything
    only_hamburg = web.get("/fulfillment?location=ham").text
    assert f"/fulfillment/{berlin['id']}" not in only_hamburg
    assert f"/fulfillment/{hamburg['id']}" in only_hamburg
    assert web.get("/fulfillment?cursor=kaputt").status_code == 200
