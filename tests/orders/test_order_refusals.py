"""Orders that cannot be taken are refused with a 422 that names the field, and nothing is
written: tax rates that are not percentages of the destination, countries that are not ISO
3166-1, a currency the channel does not sell in, negative money, totals beyond what is stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ordnung.core.db import Database
from ordnung.orders.tables import sales_order_table
from tests.factories import order_payload, put_stock, standard_setup


@pytest.fixture
def shop(db: Database) -> None:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)


def _with_line(**line: Any) -> dict[str, Any]:
    body = order_payload([("SKU-1", 1)])
    body["lines"][0].update(line)
    return body


def _refused(client: TestClient, db: Database, body: dict[str, Any], field: str) -> None:
    response = client.post("/api/v1/orders", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    named = [problem.get("field")] + [error.get("field") for error in problem.get("errors", [])]
    assert any(name and field in name for name in named), problem
    with db.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(sales_order_table)).scalar() == 0


@pytest.mark.usefixtures("shop")
@pytest.mark.parametrize("rate", ["0.19", "16", "25"])
def test_a_rate_that_germany_does_not_have_is_refused_for_a_german_address(
    client: TestClient, db: Database, rate: str
) -> None:
    _refused(client, db, _with_line(tax_rate=rate), "tax_rate")


@pytest.mark.usefixtures("shop")
def test_a_delivery_abroad_may_carry_the_destinations_or_the_merchants_rate(
    client: TestClient,
) -> None:
    for country, rate in (("FR", "20"), ("AT", "20"), ("AT", "19"), ("FR", "5.5"), ("CH", "8.1")):
        body = _with_line(tax_rate=rate)
        body["billing_address"] = {**body["billing_address"], "country": country}
        response = client.post("/api/v1/orders", json=body)
        assert response.status_code == 201, (country, rate, response.text)


@pytest.mark.usefixtures("shop")
def test_a_shipping_rate_is_checked_like_a_line_rate(client: TestClient, db: Database) -> None:
    _refused(client, db, {**order_payload([("SKU-1", 1)]), "shipping_tax_rate": "0.19"}, "shipping")


@pytest.mark.usefixtures("shop")
def test_a_country_that_is_not_iso_3166_is_refused(client: TestClient, db: Database) -> None:
    body = order_payload([("SKU-1", 1)])
    body["billing_address"] = {**body["billing_address"], "country": "XX"}
    _refused(client, db, body, "country")


@pytest.mark.usefixtures("shop")
def test_an_order_in_another_currency_than_its_channel_is_refused(
    client: TestClient, db: Database
) -> None:
    _refused(client, db, {**order_payload([("SKU-1", 1)]), "currency": "USD"}, "currency")


@pytest.mark.usefixtures("shop")
@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"shipping_amount": "-1000.00"}, "shipping_amount"),
        ({"line": {"unit_price": "-19.99"}}, "unit_price"),
        ({"line": {"discount": "-5.00"}}, "discount"),
    ],
)
def test_negative_money_is_refused(
    client: TestClient, db: Database, override: dict[str, Any], field: str
) -> None:
    body = _with_line(**override.get("line", {}))
    body.update({key: value for key, value in override.items() if key != "line"})
    _refused(client, db, body, field)


@pytest.mark.usefixtures("shop")
def test_a_total_beyond_what_is_stored_is_refused_not_a_server_error(
    client: TestClient, db: Database
) -> None:
    body = _with_line(quantity=100_000, unit_price="999999999999.99")
    response = client.post("/api/v1/orders", json=body)
    assert response.status_code == 422, response.text
