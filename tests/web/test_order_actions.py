"""Acting from the order page: cancel, release a hold, accept / ship / reject a fulfilment
order — each a CSRF-protected POST that redirects back to the order with a message."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.orders.queries import get_order
from tests.web.conftest import csrf_from
from tests.web.seed import STAFF_EMAIL, SeededOrders, place, seed_shop

STAFF_ACTOR = f"staff:{STAFF_EMAIL}"


@pytest.fixture
def orders(db: Database) -> SeededOrders:
    return seed_shop(db)


def _fo_id(db: Database, order_id: int) -> int:
    return int(get_order(db, order_id)["fulfillment_orders"][0]["id"])


def _hold_id(db: Database, order_id: int) -> int:
    return int(get_order(db, order_id)["holds"][0]["id"])


def _post(client: TestClient, order_id: int, path: str, **fields: Any) -> str:
    """Posts a form from the order page as a browser would; returns the page it lands on."""
    page = client.get(f"/orders/{order_id}").text
    version = re.search(r'name="version" value="(\d+)"', page)
    data = {"csrf_token": csrf_from(page), "version": version.group(1) if version else ""}
    data.update({name: str(value) for name, value in fields.items()})
    response = client.post(f"/orders/{order_id}{path}", data=data, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/orders/{order_id}"
    landed = client.get(response.headers["location"])
    assert landed.status_code == 200
    return landed.text


def _flash(html: str) -> str:
    match = re.search(r'<p class="alert flash (?:success|error)" role="\w+">([^<]*)</p>', html)
    assert match, "the page shows no flash message"
    return match.group(1)


# Cancel


def test_an_agent_cancels_an_order_with_a_reason_and_the_page_says_so(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    html = _post(signed_in, orders.allocated, "/cancel", reason="Kunde hat angerufen")
    assert _flash(html) == "Die Bestellung wurde storniert."
    assert '<span class="badge status-cancelled">Storniert</span>' in html
    assert f'action="/orders/{orders.allocated}/cancel"' not in html
    order = get_order(db, orders.allocated)
    assert order["status"] == "cancelled"
    cancelled = [e for e in order["timeline"] if e["type"] == "order.cancelled"]
    assert cancelled[0]["actor"] == STAFF_ACTOR
    assert cancelled[0]["payload"]["reason"] == "Kunde hat angerufen"


def test_the_message_is_shown_once_only(signed_in: TestClient, orders: SeededOrders) -> None:
    _post(signed_in, orders.allocated, "/cancel", reason="doppelt bestellt")
    assert (
        "Die Bestellung wurde storniert." not in signed_in.get(f"/orders/{orders.allocated}").text
    )


def test_a_shipped_order_offers_no_cancel_form(signed_in: TestClient, orders: SeededOrders) -> None:
    html = signed_in.get(f"/orders/{orders.shipped}").text
    assert f'action="/orders/{orders.shipped}/cancel"' not in html
    assert "/ship" not in html  # its fulfilment order is shipped: nothing left to ship


def test_cancelling_from_a_stale_page_is_refused_with_the_stale_version_message(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    version = get_order(db, orders.allocated)["version"]
    page = signed_in.get(f"/orders/{orders.allocated}").text
    response = signed_in.post(
        f"/orders/{orders.allocated}/cancel",
        data={"csrf_token": csrf_from(page), "version": version - 1, "reason": "zu spät"},
    )
    assert response.status_code == 200
    message = _flash(response.text)
    assert message.startswith("Die Bestellung wurde inzwischen geändert; nichts wurde gespeichert.")
    assert f"at version {version}, not {version - 1}" in message
    assert get_order(db, orders.allocated)["status"] == "allocated"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": "   "}, "Bitte einen Grund angeben."),
        ({"reason": "x" * 501}, "Der Text ist zu lang (höchstens 500 Zeichen)."),
        ({"reason": "ok", "version": "vier"}, "Das Formular ist unvollständig."),
    ],
)
def test_bad_cancel_input_explains_itself_and_changes_nothing(
    signed_in: TestClient, orders: SeededOrders, db: Database, fields: dict[str, str], message: str
) -> None:
    html = _post(signed_in, orders.allocated, "/cancel", **fields)
    assert _flash(html).startswith(message)
    assert get_order(db, orders.allocated)["status"] == "allocated"


# Holds


def test_an_agent_releases_a_hold_with_a_note(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    hold_id = _hold_id(db, orders.on_hold)
    html = _post(signed_in, orders.on_hold, f"/holds/{hold_id}/release", note="SKU gibt es doch")
    assert _flash(html) == "Die Sperre wurde aufgehoben."
    hold = get_order(db, orders.on_hold)["holds"][0]
    assert hold["released_by"] == STAFF_ACTOR
    assert hold["release_note"] == "SKU gibt es doch"
    assert f"/holds/{hold_id}/release" not in html


def test_releasing_from_a_stale_page_is_refused(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    hold_id = _hold_id(db, orders.on_hold)
    page = signed_in.get(f"/orders/{orders.on_hold}").text
    version = get_order(db, orders.on_hold)["version"]
    response = signed_in.post(
        f"/orders/{orders.on_hold}/holds/{hold_id}/release",
        data={"csrf_token": csrf_from(page), "version": version + 1, "note": "geprüft"},
    )
    assert "Die Bestellung wurde inzwischen geändert" in _flash(response.text)
    assert get_order(db, orders.on_hold)["holds"][0]["released_at"] is None


def test_releasing_needs_a_note(signed_in: TestClient, orders: SeededOrders, db: Database) -> None:
    hold_id = _hold_id(db, orders.on_hold)
    html = _post(signed_in, orders.on_hold, f"/holds/{hold_id}/release", note="")
    assert _flash(html) == "Bitte eine Notiz angeben."
    assert get_order(db, orders.on_hold)["holds"][0]["released_at"] is None


# Fulfilment orders


def test_warehouse_staff_accept_then_ship_a_fulfilment_order(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    fo_id = _fo_id(db, orders.allocated)
    html = _post(signed_in, orders.allocated, f"/fulfillment-orders/{fo_id}/accept")
    assert _flash(html) == f"Fulfillment-Auftrag #{fo_id} wurde angenommen."
    assert f"/fulfillment-orders/{fo_id}/accept" not in html  # accepted: no second accept

    html = _post(
        signed_in,
        orders.allocated,
        f"/fulfillment-orders/{fo_id}/ship",
        carrier="dpd",
        tracking_number="05222-4711",
    )
    assert _flash(html) == (
        f"Fulfillment-Auftrag #{fo_id} wurde versandt (Sendungsnummer 05222-4711)."
    )
    order = get_order(db, orders.allocated)
    assert order["status"] == "shipped"
    assert order["shipments"][0]["carrier"] == "dpd"
    assert order["shipments"][0]["tracking_number"] == "05222-4711"
    shipped = [e for e in order["timeline"] if e["type"] == "fulfillment_order.shipped"]
    assert shipped[0]["actor"] == STAFF_ACTOR
    assert f'action="/orders/{orders.allocated}/cancel"' not in html


@pytest.mark.parametrize(
    "tracking_number", ["", "ab", "00340 4341", "JJD<script>", "1" * 81, "ÄÖÜ-123"]
)
def test_a_bad_tracking_number_is_explained_and_nothing_ships(
    signed_in: TestClient, orders: SeededOrders, db: Database, tracking_number: str
) -> None:
    fo_id = _fo_id(db, orders.allocated)
    html = _post(
        signed_in,
        orders.allocated,
        f"/fulfillment-orders/{fo_id}/ship",
        carrier="dhl",
        tracking_number=tracking_number,
    )
    assert _flash(html).startswith("Die Sendungsnummer muss 3 bis 80 Zeichen lang sein")
    assert get_order(db, orders.allocated)["fulfillment_orders"][0]["status"] == "released"


def test_shipping_needs_a_carrier_from_the_list(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    fo_id = _fo_id(db, orders.allocated)
    path = f"/fulfillment-orders/{fo_id}/ship"
    html = _post(signed_in, orders.allocated, path, carrier="pigeon", tracking_number="ABC123")
    assert _flash(html) == "Bitte einen Versender wählen."
    assert get_order(db, orders.allocated)["shipments"] == []


def test_shipping_twice_shows_the_service_s_reason_instead_of_an_error_page(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    fo_id = _fo_id(db, orders.allocated)
    path = f"/fulfillment-orders/{fo_id}/ship"
    _post(signed_in, orders.allocated, path, carrier="dhl", tracking_number="ABC123")
    html = _post(signed_in, orders.allocated, path, carrier="dhl", tracking_number="ABC124")
    assert _flash(html) == (
        "Der Fulfillment-Auftrag konnte nicht versandt werden: "
        "A fulfilment order in status shipped cannot become shipped."
    )
    assert len(get_order(db, orders.allocated)["shipments"]) == 1


def test_a_fulfilment_order_of_another_order_is_not_touched(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    other = place(db, "EXT-OTHER", ("kai@example.de", "Kai", "Berg"), [("SKU-1", 1)])
    fo_id = _fo_id(db, other)
    path = f"/fulfillment-orders/{fo_id}/ship"
    html = _post(signed_in, orders.allocated, path, carrier="dhl", tracking_number="ABC123")
    assert "does not belong to this order" in _flash(html)
    assert get_order(db, other)["fulfillment_orders"][0]["status"] == "released"


def test_rejecting_a_fulfilment_order_records_the_reason(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    fo_id = _fo_id(db, orders.allocated)
    path = f"/fulfillment-orders/{fo_id}/reject"
    assert _flash(_post(signed_in, orders.allocated, path, reason="")) == (
        "Bitte einen Grund angeben."
    )
    html = _post(signed_in, orders.allocated, path, reason="Regal leer")
    assert _flash(html) == f"Fulfillment-Auftrag #{fo_id} wurde abgelehnt."
    rejected = get_order(db, orders.allocated)["fulfillment_orders"][0]
    assert rejected["status"] == "rejected"
    assert rejected["reject_reason"] == "Regal leer"


def test_messages_follow_the_reader_s_language(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    signed_in.get("/language/en")
    fo_id = _fo_id(db, orders.allocated)
    path = f"/fulfillment-orders/{fo_id}/ship"
    html = _post(signed_in, orders.allocated, path, carrier="dhl", tracking_number="x")
    assert _flash(html).startswith("The tracking number must be 3 to 80 characters long")
    html = _post(signed_in, orders.allocated, "/cancel", reason="customer called")
    assert _flash(html) == "The order has been cancelled."
    assert "Cancel order" not in html


# Protection


def _action_paths(db: Database, orders: SeededOrders) -> list[tuple[int, str]]:
    fo_id = _fo_id(db, orders.allocated)
    return [
        (orders.allocated, "/cancel"),
        (orders.on_hold, f"/holds/{_hold_id(db, orders.on_hold)}/release"),
        (orders.allocated, f"/fulfillment-orders/{fo_id}/accept"),
        (orders.allocated, f"/fulfillment-orders/{fo_id}/ship"),
        (orders.allocated, f"/fulfillment-orders/{fo_id}/reject"),
    ]


_FIELDS = {"reason": "weil", "note": "geprüft", "carrier": "dhl", "tracking_number": "ABC123"}


def test_every_action_refuses_a_form_without_the_session_s_csrf_token(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    before = get_order(db, orders.allocated)
    for order_id, path in _action_paths(db, orders):
        version = get_order(db, order_id)["version"]
        for token in ({}, {"csrf_token": "forged"}):
            data = {**_FIELDS, "version": str(version), **token}
            response = signed_in.post(f"/orders/{order_id}{path}", data=data)
            assert response.status_code == 403, path
            assert "Das Formular ist abgelaufen." in response.text
    after = get_order(db, orders.allocated)
    assert (after["version"], after["status"]) == (before["version"], before["status"])
    assert get_order(db, orders.on_hold)["holds"][0]["released_at"] is None


def test_every_action_sends_a_signed_out_visitor_to_login_and_back_to_the_order(
    web: TestClient, staff_id: int, orders: SeededOrders, db: Database
) -> None:
    token = csrf_from(web.get("/login").text)
    for order_id, path in _action_paths(db, orders):
        data = {**_FIELDS, "version": "1", "csrf_token": token}
        response = web.post(f"/orders/{order_id}{path}", data=data, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/login?next=" + quote(
            f"/orders/{order_id}", safe=""
        )
    assert get_order(db, orders.allocated)["status"] == "allocated"


def test_a_cancelled_order_offers_no_actions_at_all(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    html = _post(signed_in, orders.on_hold, "/cancel", reason="Kunde storniert")
    forms = re.findall(r'method="post" action="/orders/\d+/([a-z-]+)', html)
    # Tags and comments stay possible: notes about a cancelled order are still wanted.
    assert set(forms) <= {"tags", "comments"}, forms
    assert '<span class="badge hold-active">Aktiv</span>' in html  # still shown, not offered
