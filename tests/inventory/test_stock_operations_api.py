"""The stock-operation API: transfers (send, receive in parts, cancel, If-Match, retries with
an Idempotency-Key), write-offs and returns, stock imports as JSON and CSV (snapshot and
delta, refused lines, the reconciliation), and a backorder filled when a transfer arrives."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from tests.factories import order_payload
from tests.inventory.stock_operations_setup import (
    figures,
    ledger_equals_positions,
    ledger_rows,
    reserve,
    stocked,
)

API = "/api/v1"


@pytest.fixture
def shop(client: TestClient, db: Database) -> TestClient:
    stocked(db)
    return client


def _transfer(client: TestClient, quantity: int = 12, **headers: str) -> Any:
    body = {
        "from_location": "nord",
        "to_location": "sued",
        "lines": [{"sku": "MUG-1", "quantity": quantity}, {"sku": "TEE-1", "quantity": 3}],
        "cause": "store_replenishment",
        "note": "Wochenauffüllung",
    }
    return client.post(f"{API}/stock/transfers", json=body, headers=headers)


def test_a_transfer_is_sent_received_in_parts_and_listed(shop: TestClient, db: Database) -> None:
    sent = _transfer(shop)
    assert sent.status_code == 201, sent.text
    transfer = sent.json()
    assert (transfer["number"], transfer["status"], transfer["in_transit_units"]) == (
        "TR-000001",
        "in_transit",
        15,
    )
    path = f"{API}/stock/transfers/{transfer['id']}"

    part = shop.post(f"{path}/receive", json={"lines": [{"sku": "MUG-1", "quantity": 10}]})
    assert part.status_code == 200, part.text
    assert part.json()["in_transit_units"] == 5
    stale = shop.post(
        f"{path}/receive",
        json={"lines": [{"sku": "MUG-1", "quantity": 2}]},
        headers={"If-Match": '"1"'},
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    rest = shop.post(
        f"{path}/receive",
        json={"lines": [{"sku": "MUG-1", "quantity": 2}, {"sku": "TEE-1", "quantity": 3}]},
        headers={"If-Match": shop.get(path).headers["ETag"]},
    )
    assert rest.json()["status"] == "received"
    assert figures(db, "MUG-1", "sued") == (12, 0)
    listed = shop.get(f"{API}/stock/transfers", params={"status": "received"}).json()
    assert [item["number"] for item in listed["items"]] == ["TR-000001"]
    movements = shop.get(f"{API}/stock/MUG-1/sued/movements").json()["items"]
    assert [(m["kind"], m["cause"]) for m in movements] == [
        ("transfer_in", "store_replenishment")
    ] * 2
    assert ledger_equals_positions(db) == []


def test_a_transfer_of_reserved_units_is_refused_with_the_figures(
    shop: TestClient, db: Database
) -> None:
    reserve(db, "MUG-1", "nord", 35)
    refused = _transfer(shop, quantity=6)
    assert refused.status_code == 409
    problem = refused.json()
    assert (problem["on_hand"], problem["reserved"], problem["free"], problem["requested"]) == (
        40,
        35,
        5,
        6,
    )
    assert figures(db, "MUG-1", "nord") == (40, 35)


def test_a_retried_transfer_with_the_same_key_sends_the_units_once(
    shop: TestClient, db: Database
) -> None:
    first = _transfer(shop, **{"Idempotency-Key": "tr-1"})
    again = _transfer(shop, **{"Idempotency-Key": "tr-1"})
    assert again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["number"] == first.json()["number"]
    assert figures(db, "MUG-1", "nord") == (28, 0)


def test_bad_transfers_are_422_problems_naming_the_field(shop: TestClient) -> None:
    same = shop.post(
        f"{API}/stock/transfers",
        json={
            "from_location": "nord",
            "to_location": "nord",
            "lines": [{"sku": "MUG-1", "quantity": 1}],
        },
    )
    assert same.status_code == 422
    assert same.json()["errors"][0]["field"] == "to_location"
    unknown = shop.post(
        f"{API}/stock/transfers",
        json={
            "from_location": "nord",
            "to_location": "mars",
            "lines": [{"sku": "MUG-1", "quantity": 1}],
        },
    )
    assert unknown.status_code == 422
    assert shop.get(f"{API}/stock/transfers/999").status_code == 404


def test_a_backorder_is_filled_when_a_transfer_is_received(shop: TestClient, db: Database) -> None:
    waiting = shop.post(f"{API}/orders", json=order_payload([("CAP-1", 2)]))
    assert waiting.json()["status"] == "backordered"
    shop.post(f"{API}/stock/CAP-1/laden/return", json={"quantity": 5, "cause": "found"})
    # The store only picks up: the returned caps wait there; a transfer brings them to sued.
    sent = shop.post(
        f"{API}/stock/transfers",
        json={
            "from_location": "laden",
            "to_location": "sued",
            "lines": [{"sku": "CAP-1", "quantity": 3}],
        },
    )
    assert sent.status_code == 201, sent.text
    received = shop.post(
        f"{API}/stock/transfers/{sent.json()['id']}/receive",
        json={"lines": [{"sku": "CAP-1", "quantity": 3}]},
    )
    assert received.status_code == 200
    order = shop.get(f"{API}/orders/{waiting.json()['id']}").json()
    assert order["status"] == "allocated"
    assert [fo["location"]["code"] for fo in order["fulfillment_orders"]] == ["sued"]
    assert figures(db, "CAP-1", "sued") == (3, 2)
    assert ledger_equals_positions(db) == []


def test_write_off_and_return_over_the_api(shop: TestClient, db: Database) -> None:
    reserve(db, "TEE-1", "nord", 8)
    refused = shop.post(f"{API}/stock/TEE-1/nord/write-off", json={"quantity": 3, "cause": "lost"})
    assert refused.status_code == 409
    done = shop.post(
        f"{API}/stock/TEE-1/nord/write-off", json={"quantity": 2, "cause": "expired", "note": "MHD"}
    )
    assert done.status_code == 200
    assert (done.json()["on_hand"], done.json()["reserved"]) == (8, 8)
    bad = shop.post(f"{API}/stock/TEE-1/nord/write-off", json={"quantity": 1, "cause": "sync"})
    assert bad.status_code == 422
    back = shop.post(
        f"{API}/stock/TEE-1/nord/return", json={"quantity": 1, "cause": "customer_return"}
    )
    assert back.json()["on_hand"] == 9
    kinds = [(row["kind"], row["cause"]) for row in ledger_rows(db, "TEE-1", "nord")[-2:]]
    assert kinds == [("write_off", "expired"), ("return", "customer_return")]


def test_a_snapshot_import_counts_unnamed_positions_as_zero_and_refuses_what_it_must(
    shop: TestClient, db: Database
) -> None:
    reserve(db, "TEE-1", "nord", 6)
    shop.post(f"{API}/stock/CAP-1/sued/return", json={"quantity": 4, "cause": "found"})
    body = {
        "source": "WMS Nord",
        "mode": "snapshot",
        "rows": [
            {"sku": "MUG-1", "location": "nord", "quantity": 37},
            {"sku": "TEE-1", "location": "nord", "quantity": 5},  # 6 are reserved
            {"sku": "NOPE-9", "location": "nord", "quantity": 1},
            {"sku": "MUG-1", "location": "mars", "quantity": 1},
            {"sku": "CAP-1", "location": "nord", "quantity": 0},
        ],
    }
    answer = shop.post(f"{API}/stock/imports", json=body, headers={"Idempotency-Key": "imp-1"})
    assert answer.status_code == 201, answer.text
    report = answer.json()
    assert (report["status"], report["changed"], report["unchanged"], report["refused"]) == (
        "needs_attention",
        1,
        1,
        3,
    )
    assert sorted((line["sku"], line["outcome"]) for line in report["attention"]) == [
        ("MUG-1", "unknown_location"),
        ("NOPE-9", "unknown_sku"),
        ("TEE-1", "below_reserved"),
    ]
    below = next(line for line in report["attention"] if line["outcome"] == "below_reserved")
    assert (below["before"], below["after"], below["reserved"]) == (10, 5, 6)
    assert figures(db, "MUG-1", "nord") == (37, 0)
    assert figures(db, "TEE-1", "nord") == (10, 6)
    assert figures(db, "CAP-1", "sued") == (4, 0)  # sued was not named: untouched
    count = ledger_rows(db, "MUG-1", "nord")[-1]
    assert (count["kind"], count["on_hand_delta"], count["cause"]) == ("count", -3, "sync")
    assert count["reason"] == f"import {report['id']}"

    again = shop.post(f"{API}/stock/imports", json=body, headers={"Idempotency-Key": "imp-1"})
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["id"] == report["id"]
    assert figures(db, "MUG-1", "nord") == (37, 0)
    same = shop.get(f"{API}/stock/imports/{report['id']}").json()
    assert same == report
    assert ledger_equals_positions(db) == []


def test_a_snapshot_sets_positions_of_a_named_location_it_leaves_out_to_zero(
    shop: TestClient, db: Database
) -> None:
    csv = "\ufeffsku;location;quantity\nMUG-1;nord;40\n"
    answer = shop.post(
        f"{API}/stock/imports?mode=snapshot&source=POS",
        content=csv.encode("utf-8"),
        headers={"Content-Type": "text/csv"},
    )
    assert answer.status_code == 201, answer.text
    assert (answer.json()["changed"], answer.json()["unchanged"]) == (1, 1)
    assert figures(db, "TEE-1", "nord") == (0, 0)
    lines = shop.get(
        f"{API}/stock/imports/{answer.json()['id']}/lines", params={"outcome": "changed"}
    ).json()
    assert [(line["sku"], line["line_number"], line["difference"]) for line in lines["items"]] == [
        ("TEE-1", None, -10)
    ]


def test_a_delta_import_adds_and_refuses_below_zero_and_fills_backorders(
    shop: TestClient, db: Database
) -> None:
    waiting = shop.post(f"{API}/orders", json=order_payload([("CAP-1", 1)]))
    assert waiting.json()["status"] == "backordered"
    csv = "sku,location,quantity\nMUG-1,nord,-5\nMUG-1,nord,2\nTEE-1,nord,-11\nCAP-1,sued,4\n"
    answer = shop.post(
        f"{API}/stock/imports?mode=delta&source=Lieferant",
        content=csv,
        headers={"Content-Type": "text/csv; charset=utf-8"},
    )
    assert answer.status_code == 201, answer.text
    report = answer.json()
    assert (report["changed"], report["refused"]) == (3, 1)
    assert [
        (line["sku"], line["outcome"], line["line_number"]) for line in report["attention"]
    ] == [("TEE-1", "below_zero", 4)]
    assert figures(db, "MUG-1", "nord") == (37, 0)
    assert figures(db, "CAP-1", "sued") == (4, 1)
    assert shop.get(f"{API}/orders/{waiting.json()['id']}").json()["status"] == "allocated"
    assert ledger_equals_positions(db) == []


def test_bad_import_files_are_422_and_change_nothing(shop: TestClient, db: Database) -> None:
    no_header = shop.post(
        f"{API}/stock/imports?mode=delta&source=x",
        content="a;b;c\n1;2;3\n",
        headers={"Content-Type": "text/csv"},
    )
    assert no_header.status_code == 422
    bad_number = shop.post(
        f"{API}/stock/imports?mode=delta&source=x",
        content="sku;location;quantity\nMUG-1;nord;zwölf\n",
        headers={"Content-Type": "text/csv"},
    )
    assert bad_number.status_code == 422
    assert "line 2" in bad_number.json()["errors"][0]["message"]
    no_mode = shop.post(
        f"{API}/stock/imports?source=x",
        content="sku;location;quantity\n",
        headers={"Content-Type": "text/csv"},
    )
    assert no_mode.json()["errors"][0]["field"] == "mode"
    negative = shop.post(
        f"{API}/stock/imports",
        json={
            "source": "x",
            "mode": "snapshot",
            "rows": [{"sku": "MUG-1", "location": "nord", "quantity": -1}],
        },
    )
    assert negative.status_code == 422
    assert shop.get(f"{API}/stock/imports").json()["items"] == []
    assert figures(db, "MUG-1", "nord") == (40, 0)
