"""The stock overview: the SKU × location query and the page that shows it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.inventory.overview import StockFigures, StockFilter, stock_overview
from tests.factories import add_location, add_product, put_stock


@pytest.fixture
def locations(db: Database) -> dict[str, int]:
    ids = {"ber": add_location(db, "ber", 1), "ham": add_location(db, "ham", 2)}
    for sku, name in (("MUG-1", "Kaffeebecher"), ("POT-1", "Teekanne"), ("BOWL_1", "Schale")):
        add_product(db, sku, name)
    put_stock(db, "MUG-1", ids["ber"], 20, safety=2)
    put_stock(db, "MUG-1", ids["ham"], 5)
    put_stock(db, "POT-1", ids["ham"], 3, safety=5)
    put_stock(db, "BOWL_1", ids["ber"], 1234)
    return ids


def test_each_sku_shows_its_figures_per_location_and_in_total(
    db: Database, locations: dict[str, int]
) -> None:
    overview = stock_overview(db, StockFilter())
    assert [row.sku for row in overview.rows] == ["BOWL_1", "MUG-1", "POT-1"]
    mug = overview.rows[1]
    assert mug.name == "Kaffeebecher"
    assert mug.cells[locations["ber"]] == StockFigures(on_hand=20, reserved=0, safety_stock=2)
    assert mug.cells[locations["ber"]].available == 18
    assert mug.total.on_hand == 25 and mug.total.available == 23
    assert [column.code for column in overview.columns] == ["ber", "ham"]


def test_available_is_never_negative_when_safety_stock_exceeds_on_hand(
    db: Database, locations: dict[str, int]
) -> None:
    pot = stock_overview(db, StockFilter(q="pot")).rows[0]
    assert pot.cells[locations["ham"]].available == 0


def test_the_total_adds_what_each_location_has_available(
    db: Database, locations: dict[str, int]
) -> None:
    # Hamburg's shortfall against its safety stock must not eat Berlin's availability.
    put_stock(db, "POT-1", locations["ber"], 10)
    pot = stock_overview(db, StockFilter(q="pot")).rows[0]
    assert pot.total.on_hand == 13 and pot.total.safety_stock == 5
    assert pot.total.available == 10


def test_the_text_filter_matches_sku_or_name_and_treats_wildcards_literally(
    db: Database, locations: dict[str, int]
) -> None:
    assert [r.sku for r in stock_overview(db, StockFilter(q="teekan")).rows] == ["POT-1"]
    assert [r.sku for r in stock_overview(db, StockFilter(q="mug-")).rows] == ["MUG-1"]
    assert [r.sku for r in stock_overview(db, StockFilter(q="_")).rows] == ["BOWL_1"]
    assert stock_overview(db, StockFilter(q="%")).rows == []


def test_the_location_filter_keeps_only_that_location(
    db: Database, locations: dict[str, int]
) -> None:
    overview = stock_overview(db, StockFilter(location_id=locations["ham"]))
    assert [row.sku for row in overview.rows] == ["MUG-1", "POT-1"]
    assert [column.code for column in overview.columns] == ["ham"]
    assert set(overview.rows[0].cells) == {locations["ham"]}
    assert len(overview.locations) == 2  # the drop-down still offers every location


def test_pages_follow_each_other_by_sku_without_gaps_or_repeats(
    db: Database, locations: dict[str, int]
) -> None:
    first = stock_overview(db, StockFilter(), limit=2)
    assert [row.sku for row in first.rows] == ["BOWL_1", "MUG-1"]
    assert first.next_after == "MUG-1"
    second = stock_overview(db, StockFilter(), after=first.next_after, limit=2)
    assert [row.sku for row in second.rows] == ["POT-1"]
    assert second.next_after is None


def test_the_stock_page_shows_the_matrix_with_german_numbers(
    signed_in: TestClient, locations: dict[str, int]
) -> None:
    html = signed_in.get("/stock").text
    assert "Bestandsübersicht" in html
    assert "1.234" in html  # thousands separator in German
    assert re.search(r'<th class="num" title="Lager ber">ber</th>', html)
    filtered = signed_in.get("/stock", params={"q": "Teekanne", "location": "x"}).text
    assert "POT-1" in filtered and "MUG-1" not in filtered
