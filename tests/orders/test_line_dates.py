"""Requested and promised dates per order line: what the channel asked for is kept as sent
(a date in the past is refused, one earlier than Ordnung can deliver is kept and flagged),
and what sourcing promised follows the line's units — at intake, when a location rejects,
when stock arrives for a backorder — by the promising service's calendar (docs/promise.md).

The clock stands on Christmas Eve 2026, a Thursday, at 15:00 in Berlin: after the cut-off,
with Christmas (Friday, a public holiday) and a weekend before the next working day."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.inventory.service import StockCount
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.fulfillment_actions import reject_fulfillment_order
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.stock_actions import set_stock
from ordnung.orders.queries import get_order
from ordnung.promising.availability import Question, check_availability
from ordnung.promising.incoming import register_incoming_source, unregister_incoming_source
from ordnung.promising.model import Incoming, PromiseSettings
from ordnung.promising.service import replace_location_promise_settings
from tests.factories import add_location, order_payload, put_stock, standard_setup

CHRISTMAS_EVE = datetime(2026, 12, 24, 14, 0, tzinfo=UTC)  # 15:00 in Berlin
# Warehouses A and B are in Hamburg (20457), the customer in Köln (51147): 2 transit days.
FROM_STOCK = {"promised_ship_on": "2026-12-28", "promised_delivery_on": "2026-12-30"}


@pytest.fixture(autouse=True)
def christmas_eve() -> Iterator[None]:
    previous = clock.use_clock(clock.FixedClock(CHRISTMAS_EVE))
    yield
    clock.use_clock(previous)


@pytest.fixture
def shop(db: Database) -> dict[str, int]:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    return ids


def _place(db: Database, body: dict[str, Any]) -> dict[str, Any]:
    order = place_order(db, OrderIn.model_validate(body).to_model(), actor="test").order
    return dict(order)


def _dates(line: dict[str, Any]) -> dict[str, Any]:
    return {key: line[key] for key in ("promised_ship_on", "promised_delivery_on")}


@pytest.mark.usefixtures("shop")
def test_the_promise_skips_christmas_and_the_weekend_as_the_availability_answer_does(
    db: Database,
) -> None:
    order = _place(db, order_payload([("SKU-1", 2)]))

    line = order["lines"][0]
    assert _dates(line) == FROM_STOCK
    assert line["requested_delivery_on"] is None
    assert line["is_promised_after_requested"] is False
    answer = check_availability(db, Question(["SKU-1"], "webshop", "51147"))
    promise = answer.items[0].promise
    assert promise.timing is not None
    assert promise.timing.ship_on.isoformat() == line["promised_ship_on"]
    assert str(promise.timing.delivery_on) == line["promised_delivery_on"]
    assert _dates(get_order(db, order["id"])["lines"][0]) == FROM_STOCK  # stored, not shaped


@pytest.mark.usefixtures("shop")
def test_a_later_requested_date_moves_the_promise_and_an_order_date_fills_lines_without_one(
    db: Database,
) -> None:
    body = order_payload([("SKU-1", 1), ("SKU-1", 1)], requested_delivery_on="2027-01-15")
    body["lines"][1]["requested_delivery_on"] = "2027-01-20"

    lines = get_order(db, _place(db, body)["id"])["lines"]

    assert [line["requested_delivery_on"] for line in lines] == ["2027-01-15", "2027-01-20"]
    # Delivered on the asked day (a Friday / a Wednesday): shipped two working days before.
    assert _dates(lines[0]) == {
        "promised_ship_on": "2027-01-13",
        "promised_delivery_on": "2027-01-15",
    }
    assert _dates(lines[1]) == {
        "promised_ship_on": "2027-01-18",
        "promised_delivery_on": "2027-01-20",
    }
    assert not any(line["is_promised_after_requested"] for line in lines)


@pytest.mark.usefixtures("shop")
def test_a_request_earlier_than_ordnung_can_deliver_is_kept_and_flagged_not_refused(
    db: Database,
) -> None:
    body = order_payload([("SKU-1", 1)])
    body["lines"][0]["requested_delivery_on"] = "2026-12-28"

    line = get_order(db, _place(db, body)["id"])["lines"][0]

    assert line["requested_delivery_on"] == "2026-12-28"
    assert _dates(line) == FROM_STOCK
    assert line["is_promised_after_requested"] is True


@pytest.mark.usefixtures("shop")
def test_today_is_a_valid_requested_date(db: Database) -> None:
    order = _place(db, order_payload([("SKU-1", 1)], requested_delivery_on="2026-12-24"))
    assert order["lines"][0]["requested_delivery_on"] == "2026-12-24"


class _Expected:
    """Supply on its way, as a purchase order would announce it."""

    def __init__(self, location_id: int) -> None:
        self.location_id = location_id

    def incoming(self, connection: Connection, skus: Collection[str]) -> list[Incoming]:
        supply = Incoming("SKU-2", self.location_id, 5, date(2027, 1, 5), "purchase_order PO-1")
        return [supply] if "SKU-2" in skus else []


def test_a_backordered_line_is_promised_from_supply_on_its_way_or_not_at_all(
    db: Database, shop: dict[str, int]
) -> None:
    source = _Expected(shop["B"])
    register_incoming_source(source)
    try:
        order = _place(db, order_payload([("SKU-1", 1), ("SKU-2", 1), ("SKU-3", 1)]))
    finally:
        unregister_incoming_source(source)

    lines = get_order(db, order["id"])["lines"]
    assert [line["open"] for line in lines] == [0, 1, 1]
    assert _dates(lines[0]) == FROM_STOCK
    # Arrives Tuesday 5 January, booked in after the cut-off: ships Wednesday, arrives Friday.
    assert _dates(lines[1]) == {
        "promised_ship_on": "2027-01-06",
        "promised_delivery_on": "2027-01-08",
    }
    assert _dates(lines[2]) == {"promised_ship_on": None, "promised_delivery_on": None}


def test_stock_for_a_backorder_brings_its_promise(db: Database, shop: dict[str, int]) -> None:
    order = _place(db, order_payload([("SKU-2", 1)]))
    assert _dates(get_order(db, order["id"])["lines"][0])["promised_ship_on"] is None

    set_stock(db, "SKU-2", "B", StockCount(3, "Wareneingang"), actor="test")

    line = get_order(db, order["id"])["lines"][0]
    assert line["allocated"] == 1
    assert _dates(line) == FROM_STOCK


def test_a_rejection_sources_the_line_again_and_its_promise_follows(
    db: Database, shop: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", shop["B"], 10)
    replace_location_promise_settings(db, "B", PromiseSettings(handling_days=2), actor="test")
    order = _place(db, order_payload([("SKU-1", 1)]))
    assert _dates(order["lines"][0]) == FROM_STOCK  # from A, the first choice
    (fulfillment_order,) = order["fulfillment_orders"]

    reject_fulfillment_order(db, fulfillment_order["id"], reason="beschädigt", actor="test")

    line = get_order(db, order["id"])["lines"][0]
    assert line["allocated"] == 1
    # B needs two handling days (Monday 28 → Wednesday 30); New Year's Day and the weekend
    # lie between shipping and delivery.
    assert _dates(line) == {"promised_ship_on": "2026-12-30", "promised_delivery_on": "2027-01-04"}


# -- the API -----------------------------------------------------------------------------


@pytest.mark.usefixtures("shop")
def test_the_order_api_takes_and_shows_the_dates_per_line(client: TestClient) -> None:
    body = order_payload([("SKU-1", 1)], requested_delivery_on="2027-01-15")
    created = client.post("/api/v1/orders", json=body)
    assert created.status_code == 201, created.text

    shown = client.get(f"/api/v1/orders/{created.json()['id']}")

    assert shown.status_code == 200
    line = shown.json()["lines"][0]
    assert line["requested_delivery_on"] == "2027-01-15"
    assert line["promised_ship_on"] == "2027-01-13"
    assert line["promised_delivery_on"] == "2027-01-15"
    assert line["is_promised_after_requested"] is False
    assert created.json()["lines"][0] == line


def _problem_names(response: Any) -> list[str]:
    problem = response.json()
    return [problem.get("field") or ""] + [e.get("field", "") for e in problem.get("errors", [])]


@pytest.mark.usefixtures("shop")
@pytest.mark.parametrize(
    ("where", "value", "field"),
    [
        ("line", "2026-12-23", "lines.0.requested_delivery_on"),
        ("order", "2026-12-23", "requested_delivery_on"),
        ("line", "2027-02-30", "lines.0.requested_delivery_on"),
        ("order", "24.12.2026", "requested_delivery_on"),
        ("line", "2027-01-15T10:00:00Z", "lines.0.requested_delivery_on"),
        ("order", 1798761600, "requested_delivery_on"),
    ],
)
def test_a_requested_date_in_the_past_or_not_a_day_is_refused_naming_the_field(
    client: TestClient, where: str, value: Any, field: str
) -> None:
    body = order_payload([("SKU-1", 1)])
    (body["lines"][0] if where == "line" else body)["requested_delivery_on"] = value

    response = client.post("/api/v1/orders", json=body)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any(name.endswith(field) for name in _problem_names(response)), response.json()


def test_a_location_added_just_after_intake_read_the_locations_is_dated_too(
    db: Database, shop: dict[str, int]
) -> None:
    """Intake looks at the locations afresh at most once a second; a location added within
    that second (and its stock sold at once) must not break dating: it is read on demand."""
    _place(db, order_payload([("SKU-1", 1)]))  # the locations are read and kept
    new_location = add_location(db, "D", 0)
    put_stock(db, "SKU-2", new_location, 5)
    order = _place(db, order_payload([("SKU-2", 1)]))
    assert order["status"] == "allocated"
    assert _dates(order["lines"][0]) == FROM_STOCK
