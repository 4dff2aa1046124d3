"""Sourcing rules per channel on a real database (SQLite, and PostgreSQL when configured):
versions, intake under the active version, the stored decision, the unfulfillable queue,
and the API (If-Match, 422 naming the field)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from ordnung.core.db import Database
from ordnung.core.errors import ConflictError, StaleVersionError
from ordnung.core.tables import domain_event_table
from ordnung.inventory.service import StockCount
from ordnung.inventory.tables import location_table
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.stock_actions import set_stock
from ordnung.orders.queries import get_order
from ordnung.sourcing import rule_versions
from ordnung.sourcing.decisions import decisions_of_order, unfulfillable_orders
from ordnung.sourcing.rules import parse_rules
from tests.factories import order_payload, put_stock, standard_setup


def _move(db: Database, location_id: int, postal_code: str, kind: str = "warehouse") -> None:
    address = {"street": "Straße 1", "postal_code": postal_code, "city": "X", "country": "DE"}
    with db.engine.begin() as connection:
        connection.execute(
            update(location_table)
            .where(location_table.c.id == location_id)
            .values(address=address, type=kind)
        )


def _place(db: Database, lines: list[tuple[str, int]]) -> dict[str, Any]:
    order = OrderIn.model_validate(order_payload(lines)).to_model()
    return place_order(db, order, actor="test").order


def _activate(db: Database, rules: dict[str, Any]) -> dict[str, Any]:
    draft = rule_versions.create_rule_draft(db, "webshop", parse_rules(rules), actor="test")
    return rule_versions.activate_rule_version(db, "webshop", draft["number"], actor="test")


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    ids = standard_setup(db)
    _move(db, ids["A"], "20457")  # Hamburg, priority 1
    _move(db, ids["B"], "50667")  # Cologne, priority 2 — the customer lives in Cologne
    return ids


def test_without_rules_the_order_goes_by_priority_and_the_decision_is_stored(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    put_stock(db, "SKU-1", locations["B"], 5)
    order = _place(db, [("SKU-1", 2)])
    [decision] = decisions_of_order(db, order["id"])
    assert decision["outcome"] == "allocated"
    assert decision["details"]["strategy"] == "priority"
    assert decision["details"]["rules_version"] is None
    assert decision["details"]["allocation"][0]["location_id"] == locations["A"]


def test_the_active_version_decides_and_a_new_version_retires_the_old(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    put_stock(db, "SKU-1", locations["B"], 5)
    first = _activate(db, {"strategy": "nearest"})
    order = _place(db, [("SKU-1", 1)])
    [decision] = decisions_of_order(db, order["id"])
    assert decision["details"]["allocation"][0]["location_id"] == locations["B"]
    assert decision["details"]["rules_version"] == first["number"]
    assert decision["details"]["cost_cents"] > 0

    second = _activate(db, {"strategy": "priority"})
    with db.engine.connect() as connection:
        activations = connection.execute(
            select(domain_event_table.c.payload).where(
                domain_event_table.c.type == "sourcing_rules.activated"
            )
        ).all()
    assert [(e.payload["number"], e.payload["retired_number"]) for e in activations] == [
        (first["number"], None),
        (second["number"], first["number"]),
    ]
    statuses = {v["number"]: v["status"] for v in rule_versions.list_rule_versions(db, "webshop")}
    assert statuses == {first["number"]: "retired", second["number"]: "active"}
    later = _place(db, [("SKU-1", 1)])
    [decision] = decisions_of_order(db, later["id"])
    assert decision["details"]["allocation"][0]["location_id"] == locations["A"]


def test_a_ship_complete_channel_never_splits_an_order(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 1)
    put_stock(db, "SKU-2", locations["B"], 1)
    _activate(db, {"split": {"policy": "ship_complete"}})
    order = _place(db, [("SKU-1", 1), ("SKU-2", 1)])
    assert order["status"] == "backordered"
    assert order["fulfillment_orders"] == []
    [decision] = decisions_of_order(db, order["id"])
    assert decision["outcome"] == "waiting_for_stock"


def test_an_order_no_location_may_ship_lands_in_the_unfulfillable_queue(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    _activate(db, {"filters": [{"kind": "max_distance", "km": 100}]})  # Hamburg is too far
    order = _place(db, [("SKU-1", 1)])
    [queued] = unfulfillable_orders(db)
    assert queued["order_id"] == order["id"]
    dropped = queued["details"]["dropped"]
    assert [(d["location_id"], d["filter"]) for d in dropped] == [(locations["A"], "max_distance")]


def test_only_a_draft_changes_and_a_stale_version_is_refused(
    db: Database, locations: dict[str, int]
) -> None:
    draft = rule_versions.create_rule_draft(db, "webshop", parse_rules({}), actor="test")
    changed = rule_versions.update_rule_draft(
        db,
        "webshop",
        draft["number"],
        parse_rules({"strategy": "nearest"}),
        actor="test",
        expected_version=draft["version"],
    )
    assert changed["rules"]["strategy"] == "nearest"
    with pytest.raises(StaleVersionError):
        rule_versions.activate_rule_version(
            db, "webshop", draft["number"], actor="test", expected_version=draft["version"]
        )
    rule_versions.activate_rule_version(db, "webshop", draft["number"], actor="test")
    with pytest.raises(ConflictError):
        rule_versions.update_rule_draft(
            db, "webshop", draft["number"], parse_rules({}), actor="test"
        )


def test_the_api_drafts_changes_with_if_match_and_activates(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    url = "/api/v1/channels/webshop/sourcing-rules"
    body = {"filters": [{"kind": "max_distance", "km": 300}], "strategy": "nearest"}
    created = client.post(url, json=body, headers={"Idempotency-Key": "rules-1"})
    assert created.status_code == 201, created.text
    again = client.post(url, json=body, headers={"Idempotency-Key": "rules-1"})
    assert again.json()["id"] == created.json()["id"]
    number = created.json()["number"]
    one = client.get(f"{url}/{number}")
    etag = one.headers["ETag"]
    body["split"] = {"policy": "max_shipments", "max_shipments": 2}
    saved = client.put(f"{url}/{number}", json=body, headers={"If-Match": etag})
    assert saved.status_code == 200, saved.text
    stale = client.put(f"{url}/{number}", json=body, headers={"If-Match": etag})
    assert stale.status_code == 409
    assert stale.headers["content-type"].startswith("application/problem+json")
    activated = client.post(f"{url}/{number}/activate", headers={"If-Match": saved.headers["ETag"]})
    assert activated.status_code == 200, activated.text
    assert activated.json()["status"] == "active"
    listed = client.get(url).json()["items"]
    assert [v["status"] for v in listed] == ["active"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"strategy": "fastest"}, "strategy"),
        ({"filters": [{"kind": "max_distance", "km": 0}]}, "km"),
        ({"filters": [{"kind": "max_distance"}]}, "filters[0].km"),
        ({"split": {"policy": "max_shipments"}}, "split.max_shipments"),
        ({"filters": [{"kind": "teleport"}]}, "kind"),
    ],
)
def test_bad_rules_are_a_422_naming_the_field(
    client: TestClient, db: Database, locations: dict[str, int], body: dict[str, Any], field: str
) -> None:
    answer = client.post("/api/v1/channels/webshop/sourcing-rules", json=body)
    assert answer.status_code == 422, answer.text
    assert field in answer.text


def test_the_api_shows_an_orders_decision_and_the_queue(
    client: TestClient, db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    _activate(db, {"filters": [{"kind": "country", "countries": []}]})
    order = _place(db, [("SKU-1", 1)])
    decisions = client.get(f"/api/v1/orders/{order['id']}/sourcing-decisions")
    assert decisions.status_code == 200
    assert decisions.json()["items"][0]["outcome"] == "allocated"
    assert client.get("/api/v1/sourcing/unfulfillable").json()["items"] == []


def test_stock_that_arrives_later_goes_to_a_waiting_order_under_its_channels_rules(
    db: Database, locations: dict[str, int]
) -> None:
    _activate(db, {"filters": [{"kind": "max_distance", "km": 100}]})
    order = _place(db, [("SKU-1", 1)])
    assert order["status"] == "backordered"
    put_stock(db, "SKU-1", locations["A"], 0)  # positions exist, empty
    put_stock(db, "SKU-1", locations["B"], 0)
    set_stock(db, "SKU-1", "A", StockCount(5, "Inventur"), actor="test")
    assert get_order(db, order["id"])["status"] == "backordered"  # Hamburg is too far
    set_stock(db, "SKU-1", "B", StockCount(5, "Inventur"), actor="test")
    assert get_order(db, order["id"])["status"] == "allocated"
    latest, first = decisions_of_order(db, order["id"])
    assert first["outcome"] == "waiting_for_stock"
    assert latest["outcome"] == "allocated"
    assert latest["details"]["allocation"][0]["location_id"] == locations["B"]
