"""Changes after intake on a real database (SQLite, and PostgreSQL when configured): each is
one transaction in which the order's lines, totals, stock, ledger and fulfilment orders move
together, and every invariant of design.md §5 still holds afterwards."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ordnung.catalog.substitutes import set_substitutes
from ordnung.core.db import Database
from ordnung.core.errors import ConflictError, StaleVersionError, ValidationError
from ordnung.fulfillment.service import accept_fulfillment_order
from ordnung.orchestration import order_changes
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.order_actions import cancel_order
from ordnung.orchestration.order_changes import Edit, LineRequest, PriceRequest, SkuRequest
from ordnung.orders.changes import CancelReason
from ordnung.orders.draft import Address
from ordnung.orders.queries import get_order
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world

EDIT = Edit(actor="staff:anna@example.de", reason="Kundin hat angerufen")


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    return standard_setup(db)


def place(db: Database, lines: list[tuple[str, int]]) -> dict[str, Any]:
    order = OrderIn.model_validate(order_payload(lines)).to_model()
    return place_order(db, order, actor="test").order


def assert_consistent(db: Database) -> None:
    assert read_world(db).violations == []


def last_event(order: dict[str, Any], event_type: str) -> dict[str, Any]:
    found = [event for event in order["timeline"] if event["type"] == event_type]
    assert found, f"no {event_type} on the timeline"
    return found[-1]


def test_cancelling_reserved_units_gives_them_back_and_lowers_the_totals(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    order = place(db, [("SKU-1", 3)])
    assert order["totals"]["total"] == "64.87"

    changed = order_changes.cancel_line_units(db, order["id"], 1, 2, EDIT)

    line = changed["lines"][0]
    assert (line["allocated"], line["cancelled"], line["open"]) == (1, 2, 0)
    assert changed["totals"]["total"] == "24.89"  # 19.99 + 4.90 shipping
    assert changed["fulfillment_orders"][0]["lines"][0]["quantity"] == 1
    assert position(db, "SKU-1", locations["A"])["reserved"] == 1
    event = last_event(changed, "order.line_cancelled")
    assert event["payload"] | {"before": 3, "after": 1, "units": 2} == event["payload"]
    assert event["actor"] == "staff:anna@example.de"
    assert changed["version"] == order["version"] + 1
    assert_consistent(db)


def test_cancelling_every_reserved_unit_cancels_the_fulfilment_order_and_serves_waiting_ones(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    first = place(db, [("SKU-1", 2)])
    waiting = place(db, [("SKU-1", 2)])
    assert waiting["status"] == "backordered"

    changed = order_changes.cancel_line_units(db, first["id"], 1, 2, EDIT)

    assert changed["status"] == "cancelled"
    assert [fo["status"] for fo in changed["fulfillment_orders"]] == ["cancelled"]
    assert get_order(db, waiting["id"])["status"] == "allocated"
    assert_consistent(db)


def test_units_accepted_but_not_yet_picked_are_taken_back_as_an_order_cancel_would(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    order = place(db, [("SKU-1", 2)])
    accept_fulfillment_order(db, order["fulfillment_orders"][0]["id"], actor="test")

    changed = order_changes.cancel_line_units(db, order["id"], 1, 1, EDIT)

    assert (changed["lines"][0]["allocated"], changed["lines"][0]["cancelled"]) == (1, 1)
    assert changed["fulfillment_orders"][0]["status"] == "accepted"
    assert changed["fulfillment_orders"][0]["lines"][0]["quantity"] == 1
    assert position(db, "SKU-1", locations["A"])["reserved"] == 1
    assert_consistent(db)


def test_a_sku_replacement_still_leaves_units_a_location_has_accepted_alone(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 5)
    order = place(db, [("SKU-1", 2)])
    accept_fulfillment_order(db, order["fulfillment_orders"][0]["id"], actor="test")

    with pytest.raises(ConflictError, match="accepted"):
        order_changes.replace_line_sku(db, order["id"], 1, SkuRequest("SKU-2"), EDIT)

    assert get_order(db, order["id"])["lines"][0]["allocated"] == 2
    assert position(db, "SKU-1", locations["A"])["reserved"] == 2
    assert_consistent(db)


def test_more_units_than_are_left_to_ship_cannot_be_cancelled(
    db: Database, locations: dict[str, int]
) -> None:
    order = place(db, [("SKU-1", 2)])
    with pytest.raises(ValidationError) as refused:
        order_changes.cancel_line_units(db, order["id"], 1, 3, EDIT)
    assert refused.value.extra["field"] == "units"


def test_an_added_line_is_sourced_at_once_and_counts_in_the_totals(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-2", locations["B"], 4)
    order = place(db, [("SKU-1", 1)])  # no SKU-1 anywhere: backordered

    request = LineRequest("SKU-2", 2, Decimal("10.00"))
    changed = order_changes.add_line(db, order["id"], request, EDIT)

    added = changed["lines"][1]
    assert (added["line_number"], added["sku"], added["allocated"]) == (2, "SKU-2", 2)
    assert added["tax_rate"] == "19"  # the product's tax class
    assert changed["totals"]["subtotal"] == "39.99"
    assert [fo["location"]["code"] for fo in changed["fulfillment_orders"]] == ["B"]
    assert position(db, "SKU-2", locations["B"])["reserved"] == 2
    assert last_event(changed, "order.line_added")["payload"]["quantity"] == 2
    assert_consistent(db)


def test_a_line_of_an_unknown_product_is_not_added(db: Database, locations: dict[str, int]) -> None:
    order = place(db, [("SKU-1", 1)])
    with pytest.raises(ValidationError) as refused:
        order_changes.add_line(db, order["id"], LineRequest("NOPE", 1, Decimal(1)), EDIT)
    assert refused.value.extra["field"] == "sku"
    assert len(get_order(db, order["id"])["lines"]) == 1


def test_replacing_the_unknown_sku_releases_the_hold_and_sources_the_order(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-2", locations["A"], 3)
    order = place(db, [("TYPO-1", 2)])
    assert order["status"] == "on_hold"

    changed = order_changes.replace_line_sku(db, order["id"], 1, SkuRequest("SKU-2"), EDIT)

    assert changed["status"] == "allocated"
    assert changed["lines"][0]["sku"] == "SKU-2"
    assert changed["lines"][0]["name"] == "Artikel SKU-2"
    hold = changed["holds"][0]
    assert hold["release_note"] == order_changes.RESOLVED_BY_REPLACEMENT
    event = last_event(changed, "order.line_sku_replaced")["payload"]
    assert (event["before"], event["after"], event["units"]) == ("TYPO-1", "SKU-2", 2)
    assert_consistent(db)


def test_replacing_one_of_two_unknown_skus_keeps_the_hold(
    db: Database, locations: dict[str, int]
) -> None:
    order = place(db, [("TYPO-1", 1), ("TYPO-2", 1)])
    changed = order_changes.replace_line_sku(db, order["id"], 1, SkuRequest("SKU-2"), EDIT)
    assert changed["status"] == "on_hold"
    assert changed["holds"][0]["released_at"] is None


def test_replacing_a_reserved_sku_gives_its_stock_back_and_reserves_the_new_one(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    put_stock(db, "SKU-3", locations["B"], 2)
    order = place(db, [("SKU-1", 2)])

    changed = order_changes.replace_line_sku(
        db, order["id"], 1, SkuRequest("SKU-3", Decimal("17.50")), EDIT
    )

    assert position(db, "SKU-1", locations["A"])["reserved"] == 0
    assert position(db, "SKU-3", locations["B"])["reserved"] == 2
    assert changed["lines"][0]["unit_price"] == "17.50"
    assert [fo["status"] for fo in changed["fulfillment_orders"]] == ["cancelled", "released"]
    assert_consistent(db)


def test_a_price_correction_changes_totals_and_tells_before_and_after(
    db: Database, locations: dict[str, int]
) -> None:
    order = place(db, [("SKU-1", 2)])
    price = PriceRequest(Decimal("15.00"), Decimal("1.00"))
    changed = order_changes.correct_line_price(db, order["id"], 1, price, EDIT)
    assert changed["lines"][0]["line_total"] == "29.00"
    assert changed["totals"]["total"] == "33.90"
    payload = last_event(changed, "order.line_price_corrected")["payload"]
    assert (payload["unit_price_before"], payload["unit_price_after"]) == (1999, 1500)
    assert payload["reason"] == EDIT.reason


def test_a_price_finer_than_the_currency_is_refused_naming_the_field(
    db: Database, locations: dict[str, int]
) -> None:
    order = place(db, [("SKU-1", 2)])
    with pytest.raises(ValidationError) as refused:
        price = PriceRequest(Decimal("1.001"))
        order_changes.correct_line_price(db, order["id"], 1, price, EDIT)
    assert refused.value.extra["field"] == "unit_price"


def test_a_new_shipping_address_is_recorded_with_the_open_fulfilment_orders(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-1", locations["A"], 2)
    order = place(db, [("SKU-1", 1)])
    accept_fulfillment_order(db, order["fulfillment_orders"][0]["id"], actor="test")
    address = Address("Erika", "Mustermann", "Domplatz 1", "50667", "Köln", "DE")

    changed = order_changes.change_shipping(db, order["id"], EDIT, address=address, method="dhl")

    assert changed["shipping_address"]["street"] == "Domplatz 1"
    assert changed["shipping_method"] == "dhl"
    payload = last_event(changed, "order.shipping_address_changed")["payload"]
    assert payload["before"]["street"] == "Heidestraße 17"
    assert payload["fulfillment_order_ids"] == [order["fulfillment_orders"][0]["id"]]
    assert last_event(changed, "order.shipping_method_changed")["payload"]["after"] == "dhl"


def test_a_stale_version_changes_nothing(db: Database, locations: dict[str, int]) -> None:
    order = place(db, [("SKU-1", 2)])
    order_changes.cancel_line_units(db, order["id"], 1, 1, EDIT)
    stale = Edit(EDIT.actor, EDIT.reason, expected_version=order["version"])

    with pytest.raises(StaleVersionError):
        order_changes.cancel_line_units(db, order["id"], 1, 1, stale)

    assert get_order(db, order["id"])["lines"][0]["cancelled"] == 1


def test_a_whole_order_cancel_keeps_its_reason_code_and_note(
    db: Database, locations: dict[str, int]
) -> None:
    order = place(db, [("SKU-1", 1)])
    cancel_order(db, order["id"], reason=CancelReason("duplicate", "doppelt"), actor="test")
    payload = last_event(get_order(db, order["id"]), "order.cancelled")["payload"]
    assert (payload["reason_code"], payload["note"]) == ("duplicate", "doppelt")


def test_an_unknown_cancel_reason_code_is_refused(db: Database, locations: dict[str, int]) -> None:
    order = place(db, [("SKU-1", 1)])
    with pytest.raises(ValidationError):
        cancel_order(db, order["id"], reason=CancelReason("bored"), actor="test")
    assert get_order(db, order["id"])["status"] != "cancelled"


def test_a_line_switches_to_the_first_configured_substitute_in_stock(
    db: Database, locations: dict[str, int]
) -> None:
    put_stock(db, "SKU-3", locations["B"], 2)
    set_substitutes(db, "SKU-1", ["SKU-2", "SKU-3"], actor="test")  # no SKU-2 anywhere
    order = place(db, [("SKU-1", 1)])

    changed = order_changes.substitute_line(db, order["id"], 1, EDIT)

    assert changed["lines"][0]["sku"] == "SKU-3"
    assert changed["status"] == "allocated"
    event = last_event(changed, "order.line_sku_replaced")["payload"]
    assert event["is_substitute"] is True
    assert_consistent(db)


def test_without_a_substitute_in_stock_the_line_stays(
    db: Database, locations: dict[str, int]
) -> None:
    set_substitutes(db, "SKU-1", ["SKU-2"], actor="test")
    order = place(db, [("SKU-1", 1)])
    with pytest.raises(ConflictError, match="in stock"):
        order_changes.substitute_line(db, order["id"], 1, EDIT)
    with pytest.raises(ValidationError):
        order_changes.substitute_line(db, order["id"], 1, EDIT, chosen="SKU-3")
    assert get_order(db, order["id"])["lines"][0]["sku"] == "SKU-1"


def test_a_changed_order_is_found_by_what_it_now_holds(
    db: Database, locations: dict[str, int]
) -> None:
    from ordnung.orders.queries import OrderFilter, list_orders

    put_stock(db, "SKU-1", locations["A"], 5)
    put_stock(db, "SKU-2", locations["A"], 5)
    order = place(db, [("SKU-1", 1)])

    def found(term: str) -> list[int]:
        return [row["id"] for row in list_orders(db, OrderFilter(q=term), None, 50)["items"]]

    assert order["id"] not in found("SKU-2")
    order_changes.replace_line_sku(db, order["id"], 1, SkuRequest("SKU-2"), EDIT)
    assert order["id"] in found("SKU-2")
