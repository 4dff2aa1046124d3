"""Catalogue use cases behind the back office: search, versioned edits, deactivation and the
CSV import (every row or none, unchanged rows not written)."""

from __future__ import annotations

import pytest

from ordnung.catalog.model import ProductDraft, ProductImportRow
from ordnung.catalog.service import (
    IMPORT_BATCH,
    ImportResult,
    create_product,
    deactivate_product,
    find_products,
    get_product,
    import_products,
    product_names,
    reactivate_product,
    update_product,
)
from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError, StaleVersionError, ValidationError
from ordnung.orders.queries import get_order
from tests.factories import add_channel, add_location, put_stock
from tests.web.seed import place


def _rows(count: int, name: str = "Artikel") -> list[ProductImportRow]:
    return [ProductImportRow(ProductDraft(f"SKU-{n:05d}", f"{name} {n}")) for n in range(count)]


def test_the_search_finds_a_product_by_part_of_its_sku_name_or_gtin(db: Database) -> None:
    create_product(db, ProductDraft("MUG-1", "Kaffeebecher", gtin="4006381333931"))
    create_product(db, ProductDraft("POT-1", "Teekanne"))
    assert [p.sku for p in find_products(db, q="mug").items] == ["MUG-1"]
    assert [p.sku for p in find_products(db, q="KANNE").items] == ["POT-1"]
    assert [p.sku for p in find_products(db, q="4006381 333").items] == ["MUG-1"]
    assert find_products(db, q="%").items == []


def test_pages_follow_the_sku_and_the_last_page_says_so(db: Database) -> None:
    for sku in ("C-1", "A-1", "B-1"):
        create_product(db, ProductDraft(sku, sku))
    first = find_products(db, limit=2)
    assert ([p.sku for p in first.items], first.next_after_sku) == (["A-1", "B-1"], "B-1")
    last = find_products(db, after_sku=first.next_after_sku, limit=2)
    assert ([p.sku for p in last.items], last.next_after_sku) == (["C-1"], None)


def test_a_deactivated_product_leaves_the_default_list_and_comes_back_when_reactivated(
    db: Database,
) -> None:
    create_product(db, ProductDraft("OLD-1", "Auslaufmodell"))
    deactivated = deactivate_product(db, "OLD-1", expected_version=1)
    assert (deactivated.is_active, deactivated.version) == (False, 2)
    assert find_products(db).items == []
    assert [p.sku for p in find_products(db, is_active=False).items] == ["OLD-1"]
    assert [p.sku for p in find_products(db, is_active=None).items] == ["OLD-1"]
    assert reactivate_product(db, "OLD-1").is_active


def test_an_inactive_product_is_not_named_to_order_intake_so_its_order_is_held(
    db: Database,
) -> None:
    add_channel(db, "webshop")
    put_stock(db, "OLD-1", add_location(db, "ber", 1), 10)
    create_product(db, ProductDraft("OLD-1", "Auslaufmodell"))
    create_product(db, ProductDraft("NEW-1", "Neuheit"))
    deactivate_product(db, "OLD-1")
    names = db.read(lambda connection: product_names(connection, {"OLD-1", "NEW-1"}))
    assert names == {"NEW-1": "Neuheit"}

    order = get_order(db, place(db, "EXT-OLD", ("a@example.de", "A", "B"), [("OLD-1", 1)]))
    assert order["status"] == "on_hold"
    assert [hold["reason"] for hold in order["holds"]] == ["unknown_sku"]


def test_an_edit_from_a_stale_page_is_refused_and_changes_nothing(db: Database) -> None:
    create_product(db, ProductDraft("MUG-1", "Becher"))
    update_product(db, "MUG-1", {"name": "Becher groß"}, expected_version=1)
    with pytest.raises(StaleVersionError):
        update_product(db, "MUG-1", {"name": "Becher klein"}, expected_version=1)
    with pytest.raises(StaleVersionError):
        deactivate_product(db, "MUG-1", expected_version=1)
    product = get_product(db, "MUG-1")
    assert (product.name, product.version, product.is_active) == ("Becher groß", 2, True)
    with pytest.raises(NotFoundError):
        update_product(db, "NOPE", {"name": "x"}, expected_version=1)


def test_an_import_creates_and_changes_products_and_reports_what_it_did(db: Database) -> None:
    create_product(db, ProductDraft("SKU-00000", "Alt"))
    create_product(db, ProductDraft("SKU-00001", "Artikel 1"))
    result = import_products(db, _rows(3))
    assert result == ImportResult(created=1, updated=1, unchanged=1)
    assert get_product(db, "SKU-00000").name == "Artikel 0"
    assert get_product(db, "SKU-00000").version == 2
    assert get_product(db, "SKU-00001").version == 1


def test_importing_the_same_rows_twice_changes_nothing_the_second_time(db: Database) -> None:
    rows = [*_rows(2), ProductImportRow(ProductDraft("OFF-1", "Aus"), is_active=False)]
    import_products(db, rows)
    before = [get_product(db, row.draft.sku) for row in rows]
    assert import_products(db, rows) == ImportResult(created=0, updated=0, unchanged=3)
    assert [get_product(db, row.draft.sku) for row in rows] == before
    assert before[2].is_active is False


def test_a_row_without_an_active_value_keeps_the_product_s_state(db: Database) -> None:
    create_product(db, ProductDraft("OLD-1", "Auslaufmodell"))
    deactivate_product(db, "OLD-1")
    result = import_products(db, [ProductImportRow(ProductDraft("OLD-1", "Auslaufmodell"))])
    assert result.unchanged == 1
    assert get_product(db, "OLD-1").is_active is False


def test_an_import_with_one_bad_row_writes_none_of_the_rows(db: Database) -> None:
    rows = [*_rows(3), ProductImportRow(ProductDraft("BAD", "", gtin="123"))]
    with pytest.raises(ValidationError):
        import_products(db, rows)
    with pytest.raises(ValidationError):
        import_products(db, [*_rows(2), _rows(1, "Doppelt")[0]])
    assert find_products(db, is_active=None).items == []


def test_a_few_thousand_rows_import_in_one_go_and_report_progress_per_batch(
    db: Database,
) -> None:
    done: list[int] = []
    result = import_products(db, _rows(3 * IMPORT_BATCH + 7), on_progress=done.append)
    assert result.created == 3 * IMPORT_BATCH + 7
    assert done == [IMPORT_BATCH, 2 * IMPORT_BATCH, 3 * IMPORT_BATCH, 3 * IMPORT_BATCH + 7]
    assert get_product(db, f"SKU-{3 * IMPORT_BATCH + 6:05d}").name.endswith(
        str(3 * IMPORT_BATCH + 6)
    )


def test_an_import_sets_the_stock_policy_it_names_and_keeps_it_when_the_cell_is_empty(
    db: Database,
) -> None:
    wrap = ProductDraft("WRAP-1", "Geschenkverpackung")
    assert import_products(db, [ProductImportRow(wrap, stock_policy="non_stock")]).created == 1
    assert get_product(db, "WRAP-1").stock_policy == "non_stock"
    same = import_products(db, [ProductImportRow(wrap)])  # empty cell: unchanged
    assert same == ImportResult(created=0, updated=0, unchanged=1)
    assert get_product(db, "WRAP-1").stock_policy == "non_stock"
    assert import_products(db, [ProductImportRow(wrap, stock_policy="stocked")]).updated == 1
    assert get_product(db, "WRAP-1").stock_policy == "stocked"
