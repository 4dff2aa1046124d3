"""The back-office pages of checkout holds and product stock policy, over HTTP (a signed-in
staff member; the browser's phone test covers their layout)."""

from __future__ import annotations

from typing import Any

from ordnung.catalog.service import get_product
from ordnung.core.db import Database
from ordnung.orchestration.checkout_holds import Cart, CartLine, place_checkout_hold
from tests.factories import put_stock, standard_setup
from tests.web.conftest import csrf_from


def test_staff_see_the_active_checkout_holds(signed_in: Any, db: Database) -> None:
    locations = standard_setup(db)
    put_stock(db, "SKU-1", locations["A"], 3)
    place_checkout_hold(db, Cart((CartLine("SKU-1", 2),), 600), actor="api:webshop")
    page = signed_in.get("/stock/checkout-holds")
    assert page.status_code == 200
    assert "SKU-1" in page.text and "api:webshop" in page.text


def test_staff_change_a_product_s_stock_policy_with_the_version_they_saw(
    signed_in: Any, db: Database
) -> None:
    standard_setup(db)
    product_page = signed_in.get("/catalogue/products/SKU-1")
    assert "/catalogue/products/SKU-1/stock-policy" in product_page.text
    form = signed_in.get("/catalogue/products/SKU-1/stock-policy")
    answer = signed_in.post(
        "/catalogue/products/SKU-1/stock-policy",
        data={
            "csrf_token": csrf_from(form.text),
            "version": "1",
            "stock_policy": "preorder",
            "release_on": "2031-01-15",
            "preorder_cap": "50",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    product = get_product(db, "SKU-1")
    assert (product.stock_policy, str(product.release_on), product.preorder_cap) == (
        "preorder",
        "2031-01-15",
        50,
    )
    assert product.allow_backorder is False  # the box was not ticked
    stale = signed_in.post(
        "/catalogue/products/SKU-1/stock-policy",
        data={"csrf_token": csrf_from(form.text), "version": "1", "stock_policy": "stocked"},
    )
    assert get_product(db, "SKU-1").stock_policy == "preorder"
    assert stale.status_code == 200


def test_staff_make_a_product_non_stock_and_a_made_up_policy_is_refused_with_a_message(
    signed_in: Any, db: Database
) -> None:
    standard_setup(db)
    form = signed_in.get("/catalogue/products/SKU-2/stock-policy")
    assert 'value="non_stock"' in form.text
    assert "Non-stock (service, digital, made to order)" in form.text or (
        "Ohne Bestand (Dienstleistung, digital, Anfertigung)" in form.text
    )
    saved = signed_in.post(
        "/catalogue/products/SKU-2/stock-policy",
        data={"csrf_token": csrf_from(form.text), "version": "1", "stock_policy": "non_stock"},
    )
    assert saved.status_code == 200
    assert get_product(db, "SKU-2").stock_policy == "non_stock"
    shown = signed_in.get("/catalogue/products/SKU-2")
    assert "Non-stock" in shown.text or "Ohne Bestand" in shown.text

    form = signed_in.get("/catalogue/products/SKU-2/stock-policy")
    refused = signed_in.post(
        "/catalogue/products/SKU-2/stock-policy",
        data={"csrf_token": csrf_from(form.text), "version": "2", "stock_policy": "magic"},
    )
    assert refused.status_code == 200
    assert "stock_policy" in refused.text and "non_stock" in refused.text  # the allowed values
    assert get_product(db, "SKU-2").stock_policy == "non_stock"
