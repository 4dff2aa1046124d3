"""The OpenAPI document says what the API really does: every operation has a summary, a
description and examples, its answers (success and problems) have declared shapes, it names
the API key scope it needs and the headers it honours, and every field of every body is
bounded. The contract test (test_contract.py) checks the answers against it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

import pytest

from ordnung.api import create_app
from ordnung.automation.api import DeliveryStatus
from ordnung.automation.model import DELIVERY_STATUSES
from ordnung.catalog.api import TaxClass
from ordnung.catalog.model import TAX_RATES
from ordnung.channels.api import ChannelType
from ordnung.channels.model import CHANNEL_TYPES
from ordnung.core.events import EVENT_TYPES
from ordnung.core.settings import Settings
from ordnung.fulfillment import returned_parcel_model
from ordnung.fulfillment.model import FULFILLMENT_STATUSES, SHIPMENT_STATUSES
from ordnung.fulfillment.schemas import FulfillmentStatus, ShipmentStatus
from ordnung.inventory import stock
from ordnung.inventory.model import CAPABILITIES, LOCATION_TYPES
from ordnung.inventory.schemas import LedgerKind, LocationCapability, LocationType
from ordnung.orchestration.returned_parcel_schemas import ParcelStatus, ReturnReason, WriteOffCause
from ordnung.orders.model import HOLD_REASONS, ORDER_STATUSES
from ordnung.orders.schemas import EventType, HoldReason, OrderStatus
from ordnung.purchasing.model import PURCHASE_ORDER_STATUSES
from ordnung.purchasing.schemas import PurchaseOrderStatus

PROBLEM = "#/components/schemas/ProblemOut"
IDEMPOTENT_POSTS = {
    "/api/v1/orders",
    "/api/v1/orders/{order_ref}/cancel",
    "/api/v1/orders/{order_ref}/tags",
    "/api/v1/orders/{order_ref}/comments",
    "/api/v1/fulfillment-orders/{fo_id}/ship",
    "/api/v1/fulfillment-orders/{fo_id}/packages",
    "/api/v1/packages/{package_id}/ship",
    "/api/v1/fulfillment-orders/{fo_id}/reject",
    "/api/v1/fulfillment-orders/{fo_id}/short-pick",
    "/api/v1/fulfillment-orders/{fo_id}/cancellation-request/accept",
    "/api/v1/fulfillment-orders/{fo_id}/cancellation-request/decline",
    "/api/v1/orders/{order_ref}/short-picks/{report_id}/acknowledge",
    "/api/v1/stock/{sku}/{location_code}/set",
    "/api/v1/stock/{sku}/{location_code}/adjust",
    "/api/v1/products",
    "/api/v1/channels",
    "/api/v1/locations",
    "/api/v1/webhooks",
    "/api/v1/webhooks/deliveries/{delivery_id}/replay",
    "/api/v1/holds/release",
    "/api/v1/holds/cancel",
    "/api/v1/orders/{order_ref}/lines",
    "/api/v1/orders/{order_ref}/lines/{line_number}/cancel",
    "/api/v1/orders/{order_ref}/lines/{line_number}/replace",
    "/api/v1/orders/{order_ref}/lines/{line_number}/correct-price",
    "/api/v1/orders/{order_ref}/lines/{line_number}/substitute",
    "/api/v1/suppliers",
    "/api/v1/purchase-orders",
    "/api/v1/purchase-orders/{number}/receive",
    "/api/v1/supplier/purchase-orders/{number}/confirm",
    "/api/v1/supplier/purchase-orders/{number}/ship",
    "/api/v1/supplier/purchase-orders/{number}/reject",
    "/api/v1/replenishment/suggestions/order",
    "/api/v1/stock/transfers",
    "/api/v1/reservations",
    "/api/v1/stock/transfers/{transfer_id}/receive",
    "/api/v1/stock/transfers/{transfer_id}/cancel",
    "/api/v1/stock/{sku}/{location_code}/write-off",
    "/api/v1/stock/{sku}/{location_code}/return",
    "/api/v1/stock/imports",
    "/api/v1/channels/{code}/sourcing-rules",
    "/api/v1/locations/{code}/pick-waves",
    "/api/v1/locations/{code}/pick-waves/{wave_id}/picks",
    "/api/v1/locations/{code}/pick-waves/{wave_id}/short-picks",
    "/api/v1/shipments/{shipment_id}/returned-to-sender",
    "/api/v1/returned-parcels/{parcel_id}/process",
    "/api/v1/channels/{code}/sku-mappings",
    "/api/v1/imports/{import_id}/fix",
}
# Documents, not JSON: their success answer is declared with its media type as binary.
DOCUMENT_ANSWERS = {
    "/api/v1/locations/{code}/pick-waves/{wave_id}/pick-list.pdf": "application/pdf",
    "/api/v1/packages/{package_id}/delivery-note.pdf": "application/pdf",
}
# Their services take no Idempotency-Key: accepting twice is a 409, releasing twice too.
POSTS_WITHOUT_KEY = {
    "/api/v1/fulfillment-orders/{fo_id}/accept",
    "/api/v1/fulfillment-orders/{fo_id}/start-picking",
    "/api/v1/orders/{order_ref}/holds/{hold_id}/release",
    "/api/v1/purchase-orders/{number}/send",
    "/api/v1/purchase-orders/{number}/confirm",
    "/api/v1/purchase-orders/{number}/cancel",
    # Activating twice is a 409 (it is no draft any more); If-Match guards a stale page.
    "/api/v1/channels/{code}/sourcing-rules/{number}/activate",
    # Click & collect: idempotent by their nature — made ready again answers the same code,
    # handed over again with the same code answers the same (`is_repeat`), nothing twice.
    "/api/v1/fulfillment-orders/{fo_id}/ready-for-pickup",
    "/api/v1/fulfillment-orders/{fo_id}/pickup",
    *(
        CONNECTOR_POSTS := {
            # Repeatable by nature, and no version to match: a replay of an imported payload
            # answers its order, a pull again fetches nothing new, a platform's retried webhook
            # is recognised by its delivery id (docs/connectors.md).
            "/api/v1/imports/{import_id}/replay",
            "/api/v1/channels/{code}/pull",
            "/api/v1/channels/{code}/inbound/{platform}/{topic}",
        }
    ),
}
# Signed by the shop platform (HMAC of the body), not by an API key.
PLATFORM_SIGNED = {"/api/v1/channels/{code}/inbound/{platform}/{topic}"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_app(Settings(database_url="sqlite://")).openapi()


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _component(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        resolved: dict[str, Any] = document["components"]["schemas"][schema["$ref"].split("/")[-1]]
        return resolved
    return schema


def test_every_operation_has_a_summary_a_description_and_request_examples(
    document: dict[str, Any],
) -> None:
    for path, method, operation in _operations(document):
        label = f"{method.upper()} {path}"
        assert operation.get("summary"), label
        assert len(operation.get("description", "")) > 20, label
        for parameter in operation.get("parameters", []):
            if parameter["in"] in ("path", "header"):
                has_example = "example" in parameter or "examples" in parameter["schema"]
                assert has_example, (label, parameter["name"])
        body = operation.get("requestBody")
        if body is not None:
            schema = body["content"]["application/json"]["schema"]
            if "anyOf" in schema:  # an optional body
                schema = next(s for s in schema["anyOf"] if "$ref" in s)
            assert _component(document, schema).get("examples"), label


def test_every_answer_has_a_declared_shape_and_every_problem_is_problem_json(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas
    for path, method, operation in _operations(document):
        label = f"{method.upper()} {path}"
        answers = operation["responses"]
        successes = [status for status in answers if status.startswith("2")]
        assert successes, label
        for status in successes:
            if path in DOCUMENT_ANSWERS:
                binary = {"schema": {"type": "string", "format": "binary"}}
                assert answers[status]["content"] == {DOCUMENT_ANSWERS[path]: binary}, label
                continue
            schema = answers[status]["content"]["application/json"]["schema"]
            assert set(schema) == {"$ref"}, (label, status)
            # The model names every key: the contract test then fails on any other.
            assert _component(document, schema)["additionalProperties"] is False, label
        if not path.startswith("/api/v1"):
            continue
        has_input = operation.get("parameters") or operation.get("requestBody")
        for status in ("401", "403", "500", *(["422"] if has_input else [])):
            content = answers[status]["content"]
            assert content == {"application/problem+json": {"schema": {"$ref": PROBLEM}}}, (
                label,
                status,
            )


def test_every_api_operation_needs_a_bearer_key_with_the_scope_it_names(
    document: dict[str, Any],
) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiKey"]["type"] == "http"
    assert schemes["ApiKey"]["scheme"] == "bearer"
    for path, method, operation in _operations(document):
        if not path.startswith("/api/v1"):
            assert "security" not in operation
            continue
        if path in PLATFORM_SIGNED:
            assert operation["security"] == []
            continue
        [requirement] = operation["security"]
        [scope] = requirement["ApiKey"]
        area, _, access = scope.partition(":")
        assert area and access in ("read", "write"), (path, scope)
        assert (access == "read") == (method == "get"), (method, path, scope)


def test_idempotency_key_is_documented_on_every_post_that_honours_it(
    document: dict[str, Any],
) -> None:
    keyed, unkeyed = set(), set()
    for path, method, operation in _operations(document):
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        if method == "post":
            (keyed if "Idempotency-Key" in names else unkeyed).add(path)
        if "Idempotency-Key" in names:
            replayed = operation["responses"]
            assert any("Idempotent-Replayed" in a.get("headers", {}) for a in replayed.values())
    assert keyed == IDEMPOTENT_POSTS
    assert unkeyed == POSTS_WITHOUT_KEY


def test_if_match_and_etag_are_documented_where_the_order_version_is_checked(
    document: dict[str, Any],
) -> None:
    for path in POSTS_WITHOUT_KEY | {"/api/v1/orders/{order_ref}/cancel"}:
        if "fulfillment" in path or path in CONNECTOR_POSTS:
            continue
        names = [p["name"] for p in document["paths"][path]["post"]["parameters"]]
        assert "if-match" in names, path
    read = document["paths"]["/api/v1/orders/{order_ref}"]["get"]["responses"]["200"]
    assert "ETag" in read["headers"]


def _body_properties(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every property of every schema a request body uses, nested ones too."""
    seen: set[str] = set()
    pending = [
        s["$ref"].split("/")[-1]
        for _, _, operation in _operations(document)
        for s in _body_schemas(operation)
    ]
    schemas = document["components"]["schemas"]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for field, schema in schemas[name].get("properties", {}).items():
            for variant in schema.get("anyOf", [schema]):
                if variant.get("type") == "null":
                    continue
                if variant.get("type") == "array":
                    yield name, field, variant
                    variant = variant["items"]
                if "$ref" in variant:
                    pending.append(variant["$ref"].split("/")[-1])
                else:
                    yield name, field, variant


def _body_schemas(operation: dict[str, Any]) -> list[dict[str, Any]]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return []
    schema = content["schema"]
    return [s for s in schema.get("anyOf", [schema]) if "$ref" in s]


DATES = ("date", "date-time")


def test_every_field_of_every_body_is_bounded(document: dict[str, Any]) -> None:
    checked = 0
    for model, field, schema in _body_properties(document):
        label = f"{model}.{field}"
        kind = schema.get("type")
        # Days and timestamps are bounded by their format: only ISO text of one is taken.
        if kind == "string" and "enum" not in schema and schema.get("format") not in DATES:
            # Texts: a length and a pattern that refuses control characters (or stricter).
            assert "maxLength" in schema or "pattern" in schema, label
            if schema.get("format") != "email":
                pattern = re.compile(schema["pattern"])
                for control in ("\x00", "\x1b", "\x7f", "\u0085"):
                    assert not pattern.search(f"1{control}1"), (label, repr(control))
        elif kind == "integer":
            assert "maximum" in schema or "exclusiveMaximum" in schema, label
        elif kind == "array":
            assert "maxItems" in schema, label
        checked += 1
    assert checked > 40


MONEY_FIELDS = {"unit_price", "discount", "shipping_amount", "subtotal", "tax", "total"}


def test_money_in_bodies_cannot_be_negative_and_has_a_ceiling(document: dict[str, Any]) -> None:
    found = set()
    for _, field, schema in _body_properties(document):
        if field in MONEY_FIELDS:
            found.add(field)
            pattern = re.compile(schema["pattern"])
            assert pattern.search("19.99"), field
            assert not pattern.search("-19.99"), field
            assert not pattern.search("99999999999999.99"), field
    assert found == MONEY_FIELDS


@pytest.mark.parametrize(
    ("enum", "domain"),
    [
        (OrderStatus, ORDER_STATUSES),
        (HoldReason, HOLD_REASONS),
        (FulfillmentStatus, FULFILLMENT_STATUSES),
        (ShipmentStatus, SHIPMENT_STATUSES),
        (EventType, EVENT_TYPES),
        (LocationType, LOCATION_TYPES),
        (LocationCapability, CAPABILITIES),
        (
            LedgerKind,
            {
                stock.RECEIPT,
                stock.ADJUSTMENT,
                stock.RESERVATION,
                stock.RELEASE,
                stock.SHIPMENT,
                stock.RETURN,
                stock.TRANSFER,
                stock.SHORT_PICK,
                stock.TRANSFER_OUT,
                stock.TRANSFER_IN,
                stock.COUNT,
                stock.WRITE_OFF,
            },
        ),
        (DeliveryStatus, DELIVERY_STATUSES),
        (ChannelType, CHANNEL_TYPES),
        (TaxClass, TAX_RATES),
        (PurchaseOrderStatus, PURCHASE_ORDER_STATUSES),
        (ReturnReason, returned_parcel_model.REASONS),
        (ParcelStatus, returned_parcel_model.PARCEL_STATUSES),
        (WriteOffCause, returned_parcel_model.WRITE_OFF_CAUSES),
    ],
)
def test_each_documented_enum_names_exactly_the_values_the_domain_knows(
    enum: type[StrEnum], domain: Any
) -> None:
    assert {member.value for member in enum} == set(domain)
