"""Hostile input gets a clear 4xx problem, never a 500, on SQLite and PostgreSQL: ids beyond
their column, control characters in texts and URLs, negative or enormous amounts, times no
database can hold, broken JSON. What nobody handled still answers problem+json with an error
id that is in the log."""

from __future__ import annotations

import copy
import http.client
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from tests.factories import add_channel, order_payload

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"
JSON = {"content-type": "application/json"}


def assert_problem(response: Any, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    return body


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/orders/99999999999999999999"),
        ("GET", "/orders/9223372036854775808"),
        ("GET", "/orders/ORD-99999999999999999999"),
        ("POST", "/orders/9223372036854775808/cancel"),
        ("POST", "/orders/1/holds/9223372036854775808/release"),
        ("GET", "/customers/9223372036854775808"),
        ("GET", "/fulfillment-orders/9223372036854775808"),
        ("POST", "/fulfillment-orders/9223372036854775808/accept"),
        ("GET", "/webhooks/3000000000"),
        ("DELETE", "/webhooks/2147483648"),
        ("GET", "/webhooks/2147483648/deliveries"),
        ("POST", "/webhooks/deliveries/9223372036854775808/replay"),
        ("GET", "/customers/0"),
        ("GET", "/customers/-1"),
    ],
)
def test_an_id_beyond_its_column_is_not_found_or_refused_never_a_server_error(
    shop: TestClient, method: str, path: str
) -> None:
    body = {"note": "checked"} if path.endswith("/release") else None
    assert_problem(shop.request(method, API + path, json=body), 404, 422)


# -- control characters ----------------------------------------------------------------------


def _documented_bodies(shop: TestClient) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every operation with a JSON body, with the example its OpenAPI schema gives."""
    document = shop.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            schema = content["application/json"]["schema"]
            if "$ref" not in schema:
                schema = next(s for s in schema["anyOf"] if "$ref" in s)
            model = schemas[schema["$ref"].rsplit("/", 1)[1]]
            yield method.upper(), path, model["examples"][0]


def _string_leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_leaves(item, (*path, index))


def _with(value: Any, path: tuple[Any, ...], replacement: str) -> Any:
    changed = copy.deepcopy(value)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = replacement
    return changed


def _concrete(path: str) -> str:
    return (
        path.replace("{order_ref}", "ORD-000001")
        .replace("{hold_id}", "1")
        .replace("{fo_id}", "1")
        .replace("{sku}", "OD-0001")
        .replace("{location_code}", "lager-nord")
    )


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f", "\u0085"])
def test_a_control_character_in_any_text_of_any_body_is_refused(
    shop: TestClient, character: str
) -> None:
    tried = 0
    for method, path, example in _documented_bodies(shop):
        for leaf in _string_leaves(example):
            text = f"ab{character}cd"
            response = shop.request(method, _concrete(path), json=_with(example, leaf, text))
            problem = assert_problem(response, 422)
            assert problem["type"].endswith("/validation-error"), (path, leaf)
            tried += 1
    # Every body with texts was tried: orders (addresses, lines), products, channels,
    # locations, webhooks, and the actions' reasons and notes.
    assert tried > 40


def test_line_breaks_and_tabs_stay_allowed_where_people_write_sentences(shop: TestClient) -> None:
    reason = "Customer called:\n\tordered twice"
    number = shop.get(f"{API}/orders").json()["items"][-1]["number"]
    response = shop.post(f"{API}/orders/{number}/cancel", json={"reason": reason})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    refused = shop.post(f"{API}/products", json={"sku": "T-1", "name": "Zwei\nZeilen"})
    assert_problem(refused, 422)


@pytest.mark.parametrize(
    "url",
    [
        "/products/%00",
        "/products/A%1BB",
        "/orders?q=a%00b",
        "/stock?sku=%00",
        "/customers?q=%7F",
        "/orders/ORD-000001%00",
    ],
)
def test_a_control_character_in_the_url_is_refused(shop: TestClient, url: str) -> None:
    problem = assert_problem(shop.get(API + url), 422)
    assert problem["errors"][0]["message"] == "must not contain control characters"


def test_a_lone_surrogate_in_json_is_refused(shop: TestClient) -> None:
    raw = json.dumps({"sku": "S-1", "name": "Na\\ud800me"}).replace("\\\\", "\\")
    response = shop.post(f"{API}/products", content=raw, headers=JSON)
    assert_problem(response, 422)
    order = json.dumps(order_payload([("OD-0001", 1)])).replace("Erika", "Er\\ud800ika", 1)
    response = shop.post(
        f"{API}/orders", content=order, headers={"content-type": "application/json"}
    )
    assert_problem(response, 422)


def test_a_body_that_is_not_json_is_a_problem(shop: TestClient) -> None:
    for path in ("/orders", "/products"):
        response = shop.post(
            API + path, content=b"{not json", headers={"content-type": "application/json"}
        )
        assert_problem(response, 400, 422)


# -- money and quantities --------------------------------------------------------------------


def _line(**values: Any) -> dict[str, Any]:
    return {"sku": "OD-0001", "quantity": 1, "unit_price": "19.99", "tax_rate": "19", **values}


def _order(**overrides: Any) -> dict[str, Any]:
    body = order_payload([("OD-0001", 1)])
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    "change",
    [
        {"lines": [{"sku": "OD-0001", "quantity": 1, "unit_price": "-19.99", "tax_rate": "19"}]},
        {
            "lines": [
                {
                    "sku": "OD-0001",
                    "quantity": 1,
                    "unit_price": "19.99",
                    "discount": "-1.00",
                    "tax_rate": "19",
                }
            ]
        },
        {"shipping_amount": "-4.90"},
        {"totals": {"total": "-1.00"}},
    ],
)
def test_a_negative_amount_is_refused(shop: TestClient, change: dict[str, Any]) -> None:
    response = shop.post(f"{API}/orders", json=_order(**change))
    assert_problem(response, 422)


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([_line(unit_price="1000000000.00")], "lines.0.unit_price"),
        ([_line(discount="1000000000")], "lines.0.discount"),
        ([_line(quantity=100_001)], "lines.0.quantity"),
        ([_line()] * 501, "lines"),
        # Each line within its ceilings, the order above 10^13 in all.
        ([_line(unit_price="999999999.99", quantity=100_000)], "lines"),
    ],
)
def test_amounts_and_quantities_above_their_ceiling_are_refused(
    shop: TestClient, lines: list[dict[str, Any]], field: str
) -> None:
    response = shop.post(f"{API}/orders", json=_order(lines=lines))
    problem = assert_problem(response, 422)
    fields = [e["field"] for e in problem.get("errors", [])] or [problem.get("field")]
    assert field in fields


def test_the_largest_order_the_ceilings_allow_is_stored_exactly_in_a_three_decimal_currency(
    shop: TestClient, db: Database
) -> None:
    add_channel(db, "kuwait", currency="KWD")
    line = _line(unit_price="99999999.999", quantity=100_000, tax_rate="19")
    body = _order(
        channel="kuwait",
        currency="KWD",
        lines=[line],
        shipping_amount="99.999",
        prices_include_tax=False,
    )
    response = shop.post(f"{API}/orders", json=body)
    assert response.status_code == 201, response.text
    totals = response.json()["totals"]
    assert totals["subtotal"] == "9999999999900.000"
    assert totals["shipping"] == "99.999"
    order = shop.get(f"{API}/orders/{response.json()['number']}").json()
    assert order["totals"] == totals


# -- times -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "created_from",
    ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-01-01T00:00:00", "0.5"],
)
def test_a_time_no_database_can_hold_or_without_offset_is_refused_in_filters(
    shop: TestClient, created_from: str
) -> None:
    response = shop.get(f"{API}/orders", params={"created_from": created_from})
    assert_problem(response, 422)


def test_an_order_placed_at_a_time_no_database_can_hold_is_refused(shop: TestClient) -> None:
    body = _order(placed_at="9999-12-31T23:59:59-14:00")
    assert_problem(shop.post(f"{API}/orders", json=body), 422)


# -- the last guards -------------------------------------------------------------------------


def test_a_stock_position_has_a_ceiling_far_below_the_database_column(
    shop: TestClient, backend: str
) -> None:
    path = f"{API}/stock/OD-0001/lager-nord/adjust"
    before = shop.get(f"{API}/stock", params={"sku": "OD-0001"}).json()["items"][0]["on_hand"]
    top_up = 1_000_000_000 - before
    assert shop.post(path, json={"delta": top_up, "reason": "Lieferung"}).status_code == 200
    # One more unit would pass the ceiling (on both backends, long before 2^31 - 1).
    problem = assert_problem(shop.post(path, json={"delta": 1, "reason": "Lieferung"}), 422)
    assert problem["errors"][0]["field"] == "delta"
    assert "at most 1000000000" in problem["detail"] + problem["errors"][0]["message"]
    position = shop.get(f"{API}/stock", params={"sku": "OD-0001"}).json()["items"][0]
    assert position["on_hand"] == 1_000_000_000


def test_an_error_nobody_handled_answers_a_problem_with_an_error_id_that_is_in_the_log(
    shop: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("a bug")

    shop.app.add_api_route(f"{API}/broken", broken)  # type: ignore[attr-defined]
    with caplog.at_level(logging.ERROR, logger="ordnung.api"):
        response = shop.get(f"{API}/broken")
    problem = assert_problem(response, 500)
    assert problem["type"].endswith("/internal-error")
    assert problem["error_id"] in problem["detail"]
    logged = [r for r in caplog.records if problem["error_id"] in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert "a bug" not in response.text


def test_an_error_on_a_back_office_page_answers_a_page_with_the_error_id(
    shop: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("a bug")

    shop.app.add_api_route("/orders-broken", broken)  # type: ignore[attr-defined]
    with caplog.at_level(logging.ERROR, logger="ordnung.api"):
        response = shop.get("/orders-broken")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    error_id = re.search(r"<code>([^<]+)</code>", response.text)
    assert error_id is not None
    assert "Fehler-ID" in response.text and "a bug" not in response.text
    assert any(error_id[1] in record.getMessage() for record in caplog.records)


def test_the_keep_alive_connection_stays_usable_after_an_unhandled_error(
    live_app: FastAPI, live_server: str
) -> None:
    def broken() -> None:
        raise RuntimeError("a bug")

    live_app.add_api_route(f"{API}/broken", broken)
    connection = http.client.HTTPConnection(live_server, timeout=10)
    try:
        connection.request("GET", f"{API}/broken")
        failed = connection.getresponse()
        assert failed.status == 500
        assert failed.getheader("content-type") == PROBLEM_JSON
        assert "error_id" in json.loads(failed.read())
        # The same connection answers the next request: uvicorn did not close it.
        connection.request("GET", "/health")
        healthy = connection.getresponse()
        assert healthy.status == 200
        assert json.loads(healthy.read())["status"] == "ok"
    finally:
        connection.close()
