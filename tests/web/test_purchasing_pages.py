"""The supply pages without a browser: suppliers, a purchase order from the form through
send, confirm and a partial receipt, replenishment suggestions ordered as drafts."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.purchasing.service import PurchaseOrderFilter, get_purchase_order, list_purchase_orders
from tests.factories import position
from tests.web.conftest import csrf_from
from tests.web.seed import seed_shop


def _post(client: TestClient, page: str, path: str, data: dict[str, object]) -> str:
    token = csrf_from(client.get(page).text)
    response = client.post(path, data={**data, "csrf_token": token})
    assert response.status_code == 200, response.text
    return response.text


def test_a_supplier_and_a_purchase_order_go_through_the_pages(
    db: Database, signed_in: TestClient
) -> None:
    seed_shop(db)
    html = _post(
        signed_in,
        "/suppliers/new",
        "/suppliers/new",
        {
            "code": "nordholz",
            "name": "Nordholz Handels GmbH",
            "currency": "EUR",
            "lead_time_days": "5",
            "minimum_order_quantity": "",
            "minimum_order_value": "100,00",
            "is_active": "on",
            "contact_name": "Jana Krüger",
            "contact_email": "jana@nordholz.example",
            "contact_phone": "",
            "sku": ["SKU-2", ""],
            "supplier_sku": ["NH-2", ""],
            "unit_price": ["3,50", ""],
            "pack_size": ["1", "1"],
        },
    )
    assert "Lieferant nordholz wurde gespeichert." in html
    html = _post(
        signed_in,
        "/purchase-orders/new",
        "/purchase-orders/new",
        {
            "supplier": "nordholz",
            "location": "ber",
            "note": "",
            "sku": ["SKU-2", ""],
            "quantity": ["8", ""],
            "unit_price": ["", ""],
            "expected_on": ["", ""],
        },
    )
    [order] = list_purchase_orders(db, PurchaseOrderFilter())["items"]
    number = order["number"]
    assert f"Entwurf {number} wurde angelegt." in html
    page = f"/purchase-orders/{number}"
    html = _post(signed_in, page, page + "/send", {"version": "1"})
    assert "wurde gesendet" in html
    html = _post(signed_in, page, page + "/receive", {"receive_1": "9"})
    assert "Nicht gebucht" in html and "only 8 of 8 units of SKU-2 are still open" in html
    html = _post(signed_in, page, page + "/receive", {"receive_1": "5"})
    assert "Wareneingang zu" in html
    assert get_purchase_order(db, number)["status"] == "partially_received"
    assert position(db, "SKU-2", 1)["reserved"] == 5  # the backordered order took them
    for path in ("/purchase-orders", "/suppliers", "/suppliers/nordholz/edit", "/replenishment"):
        assert signed_in.get(path).status_code == 200, path


def test_replenishment_rules_and_ordering_suggestions_from_the_page(
    db: Database, signed_in: TestClient
) -> None:
    seed_shop(db)
    from tests.purchasing.supply import add_supplier

    add_supplier(db)
    html = _post(
        signed_in,
        "/replenishment",
        "/replenishment/rules",
        {
            "sku": "SKU-1",
            "location": "ham",
            "reorder_point": "10",
            "minimum": "2",
            "maximum": "30",
            "supplier": "nordholz",
        },
    )
    assert "Regel für SKU-1 gespeichert." in html
    assert "SKU-1@ham" in html
    html = _post(signed_in, "/replenishment", "/replenishment/order", {"selected": "SKU-1@ham"})
    assert "Entwürfe angelegt: PO-" in html
    [order] = list_purchase_orders(db, PurchaseOrderFilter(status="draft"))["items"]
    assert order["quantity"] == 25  # 5 on hand (−0 reserved) → up to 30
