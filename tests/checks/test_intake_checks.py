"""The checks inside order intake, on a real database (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ordnung.checks.model import HOLD, WARN, RuleSetting
from ordnung.checks.service import check_order_again, check_warnings_of_order
from ordnung.checks.settings import replace_channel_check_settings
from ordnung.core.db import Database
from ordnung.inventory.tables import stock_movement_table
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.hold_actions import CHANGED, DONE, QueueItem, release_many
from ordnung.orchestration.intake import IntakeRequest, PlacedOrder, place_order, place_orders
from ordnung.orchestration.order_actions import cancel_order
from ordnung.orders.repository import load_order
from tests.factories import order_payload, position, put_stock, standard_setup


@pytest.fixture
def warehouse(db: Database) -> int:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    put_stock(db, "SKU-2", ids["A"], 10)
    return ids["A"]


def _set(db: Database, **rules: RuleSetting) -> None:
    replace_channel_check_settings(db, "webshop", rules, actor="test")


def _place(db: Database, lines: list[tuple[str, int]] | None = None, **body: Any) -> dict[str, Any]:
    order = OrderIn.model_validate(order_payload(lines or [("SKU-1", 2)], **body)).to_model()
    return place_order(db, order, actor="test").order


def _reservations(db: Database) -> int:
    query = select(func.count()).where(stock_movement_table.c.kind == "reservation")
    with db.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def _address(**changes: str) -> dict[str, str]:
    address = {
        "first_name": "Erika",
        "last_name": "Mustermann",
        "street": "Heidestraße 17",
        "postal_code": "51147",
        "city": "Köln",
        "country": "DE",
    }
    return {**address, **changes}


def test_a_held_order_reserves_nothing_and_its_release_sources_it_once(
    db: Database, warehouse: int
) -> None:
    held = _place(db, billing_address=_address(postal_code="5114"))
    assert held["status"] == "on_hold"
    (hold,) = held["holds"]
    assert hold["reason"] == "address"
    assert hold["facts"]["findings"][0]["rule"] == "postal_code_format"
    assert position(db, "SKU-1", warehouse)["reserved"] == 0
    assert held["fulfillment_orders"] == []

    item = QueueItem(held["id"], (hold["id"],), held["version"])
    (outcome,) = release_many(db, [item], note="postal code checked", actor="staff:a@b.de")
    assert outcome.outcome == DONE and outcome.order_status == "allocated"
    assert position(db, "SKU-1", warehouse)["reserved"] == 2
    assert _reservations(db) == 1

    (again,) = release_many(db, [item], note="twice", actor="staff:a@b.de")
    assert again.outcome == CHANGED  # the version moved on; nothing is sourced a second time
    assert _reservations(db) == 1 and position(db, "SKU-1", warehouse)["reserved"] == 2


def test_an_order_that_passes_every_check_is_sourced_at_once(db: Database, warehouse: int) -> None:
    placed = _place(db)
    assert placed["status"] == "allocated" and placed["holds"] == []
    assert position(db, "SKU-1", warehouse)["reserved"] == 2


def test_the_duplicate_check_sees_earlier_orders_of_the_same_batch(
    db: Database, warehouse: int
) -> None:
    _set(db, duplicate_order=RuleSetting(HOLD, {"window_minutes": 30}))
    bodies = [
        order_payload([("SKU-1", 1)]),
        order_payload([("SKU-1", 1)]),  # the same order under another external id
        order_payload([("SKU-2", 1)]),  # other lines: not a duplicate
    ]
    requests = [IntakeRequest(OrderIn.model_validate(body).to_model(), "test") for body in bodies]
    results = place_orders(db, requests)
    assert all(isinstance(result, PlacedOrder) for result in results)
    statuses = [r.order["status"] for r in results if isinstance(r, PlacedOrder)]
    assert statuses == ["allocated", "on_hold", "allocated"]
    second = results[1]
    assert isinstance(second, PlacedOrder)
    assert second.order["holds"][0]["reason"] == "duplicate"
    assert position(db, "SKU-1", warehouse)["reserved"] == 1


def test_the_duplicate_check_sees_stored_orders_too(db: Database, warehouse: int) -> None:
    _set(db, duplicate_order=RuleSetting(HOLD, {"window_minutes": 30}))
    assert _place(db)["status"] == "allocated"
    assert _place(db)["holds"][0]["reason"] == "duplicate"
    _set(db, duplicate_order=RuleSetting("off"))
    assert _place(db)["status"] == "allocated"


def test_order_velocity_per_card_counts_stored_and_batch_orders(
    db: Database, warehouse: int
) -> None:
    fraud = {"threshold": 30, "velocity_limit": 2}
    _set(db, fraud_score=RuleSetting(HOLD, fraud), duplicate_order=RuleSetting("off"))
    payment = {"method": "card", "card_fingerprint": "fp_same"}
    emails = ["a@example.de", "b@example.de", "c@example.de"]
    placed = [
        _place(
            db,
            [("SKU-1", 1)],
            customer={"email": email},
            billing_address=_address(street=f"Weg {n}"),
            payment=payment,
        )
        for n, email in enumerate(emails)
    ]
    assert [p["status"] for p in placed] == ["allocated", "allocated", "on_hold"]
    findings = placed[2]["holds"][0]["facts"]["findings"][0]
    assert [s["rule"] for s in findings["values"]["signals"]] == ["velocity_card"]
    other_card = _place(
        db,
        [("SKU-1", 1)],
        customer={"email": "d@example.de"},
        billing_address=_address(street="Weg 9"),
        payment={"method": "card", "card_fingerprint": "fp_other"},
    )
    assert other_card["status"] == "allocated"


@pytest.mark.parametrize(("reason", "is_held"), [("fraud", True), ("customer asked", False)])
def test_an_earlier_cancellation_for_fraud_holds_the_customers_next_order(
    db: Database, warehouse: int, reason: str, is_held: bool
) -> None:
    _set(db, duplicate_order=RuleSetting("off"))
    first = _place(db)
    cancel_order(db, first["id"], reason=reason, actor="test")
    second = _place(db)
    assert (second["status"] == "on_hold") is is_held
    if is_held:
        signals = second["holds"][0]["facts"]["findings"][0]["values"]["signals"]
        assert {"rule": "fraud_history", "points": 60, "values": {"count": 1}} in signals


def test_a_rule_in_warn_mode_records_a_warning_and_holds_nothing(
    db: Database, warehouse: int
) -> None:
    _set(db, phone_format=RuleSetting(WARN))
    placed = _place(db, billing_address=_address(phone="12"))
    assert placed["status"] == "allocated"
    (warning,) = check_warnings_of_order(db, placed["id"])
    assert warning["rule"] == "phone_format" and warning["message_key"] == "check.phone"
    assert check_warnings_of_order(db, _place(db, [("SKU-2", 1)])["id"]) == []


def test_a_b2b_order_above_the_limit_waits_for_approval(db: Database, warehouse: int) -> None:
    _set(db, b2b_approval=RuleSetting(HOLD, {"limit": "30"}))
    customer = {"email": "einkauf@firma.de", "vat_id": "DE136695976"}
    big = _place(db, [("SKU-1", 2)], customer=customer)
    assert [h["reason"] for h in big["holds"]] == ["approval"]
    small = _place(db, [("SKU-2", 1)], customer=customer)
    assert small["status"] == "allocated"


def test_totals_mismatch_keeps_both_figures(db: Database, warehouse: int) -> None:
    placed = _place(db, totals={"total": "54.93"})
    (hold,) = placed["holds"]
    (finding,) = hold["facts"]["findings"]
    assert finding["key"] == "check.totals_mismatch.total"
    assert finding["values"]["channel"] == {"amount": "54.93", "currency": "EUR"}
    assert finding["values"]["computed"] == {"amount": "44.88", "currency": "EUR"}


def test_checks_run_again_for_a_stored_order_without_counting_it_twice(
    db: Database, warehouse: int
) -> None:
    placed = _place(db, billing_address=_address(postal_code="5114"))

    def again(uow: Any) -> list[str]:
        order = load_order(uow.connection, placed["id"])
        return [hold.reason for hold in check_order_again(uow, order).holds]

    assert db.write(again) == ["address"]
    clean = _place(db, [("SKU-2", 1)])

    def clean_again(uow: Any) -> list[str]:
        order = load_order(uow.connection, clean["id"])
        return [hold.reason for hold in check_order_again(uow, order).holds]

    assert db.write(clean_again) == []
