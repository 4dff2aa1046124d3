"""Two agents change the same order at the same moment, both from the version their page
showed: exactly one change is made, the other is refused (409) and nothing of it is written;
stock, ledger, buckets and totals stay consistent. The negative control takes the version
check away and shows both changes going through — the second agent overwriting what they
never saw, which is what this test exists to catch."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest

from ordnung.core.db import Database
from ordnung.core.errors import StaleVersionError
from ordnung.orchestration import order_changes
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.order_changes import Edit, LineRequest
from ordnung.orders.draft import Address
from ordnung.orders.model import Order
from ordnung.orders.queries import get_order
from tests.factories import order_payload, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world

ROUNDS = 8
Change = Callable[[int, int], Any]


def _address(street: str) -> Address:
    return Address("Erika", "Mustermann", street, "50667", "Köln", "DE")


def _move_to(street: str) -> Change:
    def change(order_id: int, version: int) -> Any:
        edit = Edit(f"staff:{street}", "Umzug", version)
        return order_changes.change_shipping(db_of[0], order_id, edit, address=_address(street))

    return change


def _cancel_one(order_id: int, version: int) -> Any:
    edit = Edit("staff:anna", "einer weniger", version)
    return order_changes.cancel_line_units(db_of[0], order_id, 1, 1, edit)


def _add_line(order_id: int, version: int) -> Any:
    edit = Edit("staff:ben", "dazu", version)
    return order_changes.add_line(db_of[0], order_id, LineRequest("SKU-2", 2, Decimal(5)), edit)


# The database for the change functions above (set per test).
db_of: list[Database] = []


def _race(db: Database, changes: tuple[Change, Change]) -> list[str]:
    """Places an order, then runs both changes at once from its first version; the outcome
    of each: "done" or "stale"."""
    order = place_order(
        db, OrderIn.model_validate(order_payload([("SKU-1", 3)])).to_model(), actor="test"
    ).order
    start = threading.Barrier(2, timeout=30)

    def run(change: Change) -> str:
        start.wait()
        try:
            change(order["id"], order["version"])
        except StaleVersionError:
            return "stale"
        return "done"

    with ThreadPoolExecutor(2) as pool:
        return sorted(pool.map(run, changes))


@pytest.fixture
def shop(db: Database) -> Database:
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 3 * ROUNDS)
    put_stock(db, "SKU-2", ids["B"], 2 * ROUNDS)
    db_of[:] = [db]
    return db


def _address_events(db: Database, order_id: int) -> list[dict[str, Any]]:
    timeline = get_order(db, order_id)["timeline"]
    return [e["payload"] for e in timeline if e["type"] == "order.shipping_address_changed"]


def test_of_two_address_changes_from_the_same_version_exactly_one_is_made(shop: Database) -> None:
    for _ in range(ROUNDS):
        assert _race(shop, (_move_to("Domplatz 1"), _move_to("Ring 9"))) == ["done", "stale"]
    for order_id in range(1, ROUNDS + 1):
        (event,) = _address_events(shop, order_id)
        assert event["before"]["street"] == "Heidestraße 17"
        assert get_order(shop, order_id)["shipping_address"] == event["after"]
    assert read_world(shop).violations == []


def test_of_a_line_cancel_and_an_added_line_from_the_same_version_exactly_one_is_made(
    shop: Database,
) -> None:
    for _ in range(ROUNDS):
        assert _race(shop, (_cancel_one, _add_line)) == ["done", "stale"]
    for order_id in range(1, ROUNDS + 1):
        order = get_order(shop, order_id)
        changed = [e for e in order["timeline"] if e["type"].startswith("order.line_")]
        assert len(changed) == 1
        assert order["version"] == 2  # placed at 1, then one change
    assert read_world(shop).violations == []


def test_negative_control_without_the_version_check_the_second_agent_overwrites_unseen(
    shop: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Order, "check_version", lambda _self, _expected: None)
    outcomes = [_race(shop, (_move_to("Domplatz 1"), _move_to("Ring 9"))) for _ in range(3)]
    assert outcomes == [["done", "done"]] * 3
    # The second change was made on top of the first, which its agent never saw.
    events = _address_events(shop, 1)
    assert len(events) == 2
    assert events[1]["before"] == events[0]["after"]
