"""The catalogue pages: list with search and pages, create, edit, deactivate and reactivate —
refused input comes back translated beside its field, and nothing is half-written."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ordnung.catalog.model import ProductDraft
from ordnung.catalog.service import (
    create_product,
    deactivate_product,
    find_products,
    get_product,
    update_product,
)
from ordnung.core.db import Database
from tests.web.admin_forms import field_errors, flash, landed, submit
from tests.web.conftest import csrf_from

NEW = "/catalogue/new"


def _skus(html: str) -> list[str]:
    return re.findall(r'<a class="strong mono" href="/catalogue/products/[^"]+">([^<]+)</a>', html)


@pytest.fixture
def catalogue(db: Database) -> None:
    create_product(db, ProductDraft("MUG-1", "Kaffeebecher", gtin="4006381333931"))
    create_product(db, ProductDraft("POT-1", "Teekanne", tax_class="reduced", weight_grams=1250))
    create_product(db, ProductDraft("OLD-1", "Auslaufmodell"))
    deactivate_product(db, "OLD-1")


def test_the_list_shows_active_products_with_gtin_weight_and_vat_as_a_percentage(
    signed_in: TestClient, catalogue: None
) -> None:
    html = signed_in.get("/catalogue").text
    assert _skus(html) == ["MUG-1", "POT-1"]
    assert "4006381333931" in html
    assert "1.250 g" in html
    assert "19\xa0%" in html and "7\xa0%" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "kanne"}, ["POT-1"]),
        ({"q": "4006381333931"}, ["MUG-1"]),
        ({"q": "mug"}, ["MUG-1"]),
        ({"status": "inactive"}, ["OLD-1"]),
        ({"status": "all"}, ["MUG-1", "OLD-1", "POT-1"]),
        ({"status": "bogus"}, ["MUG-1", "POT-1"]),
    ],
)
def test_the_list_searches_sku_name_and_gtin_and_filters_by_status(
    signed_in: TestClient, catalogue: None, params: dict[str, str], expected: list[str]
) -> None:
    assert _skus(signed_in.get("/catalogue", params=params).text) == expected


def test_the_list_pages_by_sku_and_keeps_the_filter(signed_in: TestClient, db: Database) -> None:
    for number in range(53):
        create_product(db, ProductDraft(f"BULK-{number:02d}", f"Becher {number}"))
    html = signed_in.get("/catalogue", params={"q": "becher"}).text
    assert len(_skus(html)) == 50
    next_url = re.search(r'rel="next" href="([^"]+)"', html)
    assert next_url is not None
    second = signed_in.get(next_url.group(1).replace("&amp;", "&")).text
    assert _skus(second) == ["BULK-50", "BULK-51", "BULK-52"]
    assert 'rel="next"' not in second


def test_staff_create_a_product_and_land_on_its_page(signed_in: TestClient, db: Database) -> None:
    response = submit(
        signed_in,
        NEW,
        NEW,
        {
            "sku": "TSH-RED-M",
            "name": "T-Shirt rot M",
            "gtin": "4006381 333931",
            "weight_grams": "180",
            "tax_class": "reduced",
        },
    )
    html = landed(signed_in, response, "/catalogue/products/TSH-RED-M")
    assert flash(html) == "Artikel TSH-RED-M wurde angelegt."
    product = get_product(db, "TSH-RED-M")
    assert (product.gtin, product.weight_grams, product.tax_class) == (
        "4006381333931",
        180,
        "reduced",
    )


def test_an_empty_name_and_a_bad_gtin_come_back_beside_their_fields_and_nothing_is_stored(
    signed_in: TestClient, db: Database
) -> None:
    response = submit(
        signed_in,
        NEW,
        NEW,
        {
            "sku": "NEU-1",
            "name": "  ",
            "gtin": "4006381333932",
            "weight_grams": "-5",
            "tax_class": "standard",
        },
    )
    assert response.status_code == 422
    assert field_errors(response.text) == {
        "name": "Bitte einen Namen angeben (höchstens 300 Zeichen).",
        "gtin": "Keine gültige GTIN: 8, 12, 13 oder 14 Ziffern mit richtiger Prüfziffer.",
        "weight_grams": "Das Gewicht muss eine ganze Zahl von 0 bis 1.000.000 Gramm sein.",
    }
    assert 'value="NEU-1"' in response.text  # what was typed is kept
    assert find_products(db, is_active=None).items == []


def test_the_same_problems_read_in_english(signed_in: TestClient, db: Database) -> None:
    signed_in.get("/language/en")
    response = submit(signed_in, NEW, NEW, {"sku": "bad sku", "name": "x", "tax_class": "luxury"})
    assert field_errors(response.text) == {
        "sku": "The SKU is missing or has characters other than letters, digits, dot, "
        "underscore and hyphen (at most 64, starting with a letter or digit).",
        "tax_class": "Please choose a VAT rate.",
    }


def test_a_taken_sku_is_refused_beside_the_field(
    signed_in: TestClient, catalogue: None, db: Database
) -> None:
    response = submit(
        signed_in, NEW, NEW, {"sku": "MUG-1", "name": "Anderer Becher", "tax_class": "standard"}
    )
    assert response.status_code == 422
    assert field_errors(response.text) == {"sku": "Diese SKU ist schon vergeben."}
    assert get_product(db, "MUG-1").name == "Kaffeebecher"


def test_staff_edit_a_product_but_its_sku_stays(
    signed_in: TestClient, catalogue: None, db: Database
) -> None:
    page = "/catalogue/products/MUG-1"
    response = submit(
        signed_in,
        page,
        page,
        {
            "sku": "HIJACK",
            "name": "Kaffeebecher groß",
            "gtin": "",
            "weight_grams": "",
            "tax_class": "zero",
        },
    )
    html = landed(signed_in, response, page)
    assert flash(html) == "Artikel MUG-1 wurde gespeichert."
    product = get_product(db, "MUG-1")
    assert (product.name, product.gtin, product.tax_class, product.version) == (
        "Kaffeebecher groß",
        None,
        "zero",
        2,
    )


def test_an_edit_from_a_page_shown_before_a_colleague_s_change_is_refused(
    signed_in: TestClient, catalogue: None, db: Database
) -> None:
    page = "/catalogue/products/MUG-1"
    stale = signed_in.get(page).text
    update_product(db, "MUG-1", {"name": "Vom Kollegen"})
    response = signed_in.post(
        page,
        data={
            "csrf_token": csrf_from(stale),
            "version": "1",
            "name": "Von mir",
            "tax_class": "standard",
        },
        follow_redirects=False,
    )
    html = landed(signed_in, response, page)
    assert "wurde inzwischen geändert; nichts wurde gespeichert" in flash(html)
    assert get_product(db, "MUG-1").name == "Vom Kollegen"


def test_a_bad_edit_is_shown_again_with_the_product_unchanged(
    signed_in: TestClient, catalogue: None, db: Database
) -> None:
    page = "/catalogue/products/POT-1"
    response = submit(signed_in, page, page, {"name": "", "tax_class": "reduced"})
    assert response.status_code == 422
    assert list(field_errors(response.text)) == ["name"]
    assert get_product(db, "POT-1").name == "Teekanne"


def test_staff_deactivate_and_reactivate_a_product(
    signed_in: TestClient, catalogue: None, db: Database
) -> None:
    page = "/catalogue/products/MUG-1"
    html = landed(signed_in, submit(signed_in, page, page + "/deactivate"), page)
    assert flash(html) == "Artikel MUG-1 wurde deaktiviert und wird nicht mehr verkauft."
    assert get_product(db, "MUG-1").is_active is False
    assert "MUG-1" not in _skus(signed_in.get("/catalogue").text)
    html = landed(signed_in, submit(signed_in, page, page + "/reactivate"), page)
    assert flash(html) == "Artikel MUG-1 wird wieder verkauft."
    assert get_product(db, "MUG-1").is_active is True


def test_an_unknown_product_is_a_translated_404(signed_in: TestClient) -> None:
    response = signed_in.get("/catalogue/products/NOPE-1")
    assert response.status_code == 404
    assert "Den Artikel NOPE-1 gibt es nicht." in response.text


def test_a_form_without_the_session_s_csrf_token_is_refused(
    signed_in: TestClient, catalogue: None, db: Database
) -> None:
    response = signed_in.post(
        "/catalogue/products/MUG-1/deactivate", data={"csrf_token": "forged", "version": "1"}
    )
    assert response.status_code == 403
    assert get_product(db, "MUG-1").is_active is True


def test_signed_out_staff_are_sent_to_sign_in_and_back_to_the_product_page(
    web: TestClient, catalogue: None
) -> None:
    assert web.get("/catalogue", follow_redirects=False).headers["location"] == (
        "/login?next=%2Fcatalogue"
    )
    response = web.post("/catalogue/products/MUG-1/deactivate", follow_redirects=False)
    assert response.headers["location"] == "/login?next=%2Fcatalogue%2Fproducts%2FMUG-1"
