"""orders/updated and orders/cancelled from Shopify become the existing order actions, or a
note for a person when the order has moved on."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.connectors.conftest import post_webhook
from tests.connectors.samples import needs_samples
from tests.connectors.test_inbound_api import _order

pytestmark = needs_samples


def test_an_edited_shipping_address_changes_the_orders_address(shop: TestClient) -> None:
    created = post_webhook(shop, _order(), delivery="c-1").json()
    edited = _order()
    edited["shipping_address"]["address1"] = "Walnut Street 7"
    answer = post_webhook(shop, edited, topic="orders/updated", delivery="u-1").json()
    assert answer["status"] == "imported"
    assert answer["order_id"] == created["order_id"]
    order = shop.get(f"/api/v1/orders/{created['order_id']}").json()
    assert order["shipping_address"]["street"] == "Walnut Street 7"
    unchanged = post_webhook(shop, edited, topic="orders/updated", delivery="u-2").json()
    assert unchanged["status"] == "duplicate"


def test_an_update_of_an_order_ordnung_missed_takes_it_in(shop: TestClient) -> None:
    answer = post_webhook(shop, _order("#2002"), topic="orders/updated", delivery="u-9").json()
    assert answer["status"] == "imported"
    assert shop.get(f"/api/v1/orders/{answer['order_id']}").json()["external_id"] == "#2002"


def test_a_cancellation_cancels_the_order(shop: TestClient) -> None:
    created = post_webhook(shop, _order(), delivery="c-2").json()
    cancelled = _order()
    cancelled["cancelled_at"] = "2026-11-30T12:00:00+01:00"
    answer = post_webhook(shop, cancelled, topic="orders/cancelled", delivery="x-1").json()
    assert answer["status"] == "imported"
    assert shop.get(f"/api/v1/orders/{created['order_id']}").json()["status"] == "cancelled"


def test_a_cancellation_after_shipment_is_left_to_a_person(shop: TestClient) -> None:
    created = post_webhook(shop, _order(), delivery="c-3").json()
    order = shop.get(f"/api/v1/orders/{created['order_id']}").json()
    [fulfillment] = order["fulfillment_orders"]
    shipped = shop.post(
        f"/api/v1/fulfillment-orders/{fulfillment['id']}/ship",
        json={"carrier": "dhl", "tracking_number": "00340434161094042557"},
    )
    assert shipped.status_code in (200, 201), shipped.text
    answer = post_webhook(shop, _order(), topic="orders/cancelled", delivery="x-2").json()
    assert answer["status"] == "failed"
    assert "cannot follow" in answer["error"]
    timeline = shop.get(f"/api/v1/orders/{created['order_id']}").json()["timeline"]
    assert any("settle this" in str(event) for event in timeline)
    assert shop.get(f"/api/v1/orders/{created['order_id']}").json()["status"] != "cancelled"
