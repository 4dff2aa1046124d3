"""The pick list PDF, read back as a warehouse would: it opens, its rows are in bin order
with the right quantities and order numbers, it is German or English, it runs onto more pages
when long, and its barcodes decode from the rendered page (poppler's pdftoppm and zbar's
zbarimg, not the generator's word)."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import update

from ordnung.catalog.tables import product_table
from ordnung.core.db import Database
from ordnung.fulfillment.pick_list_pdf import PickListDocument, PickListRow, render_pick_list
from tests.factories import add_product, order_payload, put_stock, standard_setup

TOOLS = ("pdftoppm", "zbarimg")


def _text(pdf: bytes) -> list[str]:
    """Each page's text, whitespace (and wrapped cells) as single spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def wave(client: TestClient, db: Database) -> dict[str, Any]:
    locations = standard_setup(db)
    with db.engine.begin() as connection:
        connection.execute(
            update(product_table).where(product_table.c.sku == "SKU-2").values(gtin="4006381333931")
        )
    for sku in ("SKU-1", "SKU-2", "SKU-3"):
        put_stock(db, sku, locations["A"], 10)
    client.put(
        "/api/v1/locations/A/bins",
        json={"bins": [{"sku": "SKU-1", "bin": "C-07"}, {"sku": "SKU-2", "bin": "B-01"}]},
    )
    orders = [
        client.post("/api/v1/orders", json=order_payload(lines)).json()
        for lines in ([("SKU-1", 2), ("SKU-2", 1)], [("SKU-3", 1), ("SKU-1", 1)])
    ]
    ids = [order["fulfillment_orders"][0]["id"] for order in orders]
    created = client.post("/api/v1/locations/A/pick-waves", json={"fulfillment_order_ids": ids})
    assert created.status_code == 201, created.text
    return {"id": created.json()["id"], "number": created.json()["number"], "orders": orders}


def _pdf(client: TestClient, wave: dict[str, Any], language: str) -> bytes:
    url = f"/api/v1/locations/A/pick-waves/{wave['id']}/pick-list.pdf?language={language}"
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return response.content


def test_the_pick_list_has_its_rows_in_bin_order_with_quantities_and_order_numbers(
    client: TestClient, wave: dict[str, Any]
) -> None:
    [page] = _text(_pdf(client, wave, "de"))
    assert "Pickliste" in page and wave["number"] in page and "Lager A" in page
    numbers = [order["number"] for order in wave["orders"]]
    # B-01 (SKU-2) before C-07 (SKU-1); SKU-3 has no bin and comes last.
    assert page.index("B-01") < page.index("C-07") < page.index("ohne Platz")
    assert page.index("SKU-2") < page.index("SKU-1") < page.index("SKU-3")
    # Each row: bin, SKU, name, quantity, the order numbers (SKU-1 is for both orders).
    assert f"B-01 SKU-2 Artikel SKU-2 1 {numbers[0]}" in page
    assert f"C-07 SKU-1 Artikel SKU-1 3 {numbers[0]}, {numbers[1]}" in page
    assert f"(ohne Platz) SKU-3 Artikel SKU-3 1 {numbers[1]}" in page
    english = _text(_pdf(client, wave, "en"))[0]
    assert "Pick list" in english and "no bin" in english


def test_a_long_pick_list_runs_onto_more_pages_with_its_header_repeated() -> None:
    rows = [
        PickListRow(f"R-{n:03d}", f"SKU-{n:03d}", f"Artikel {n}", n, ["ORD-1"], f"SKU-{n:03d}")
        for n in range(1, 61)
    ]
    pages = _text(
        render_pick_list(PickListDocument("PW-000009", "Lager", date(2026, 12, 1), rows), "en")
    )
    assert len(pages) > 1
    assert all("Bin" in page for page in pages)
    assert "SKU-060" in pages[-1] and "SKU-060" not in pages[0]


def _decode(pdf: bytes, tmp_path: Path) -> list[str]:
    (tmp_path / "list.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", str(tmp_path / "list.pdf"), str(tmp_path / "page")],
        check=True,
    )
    found: list[str] = []
    for image in sorted(tmp_path.glob("page*.png")):
        result = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Scode128.enable", str(image)],
            capture_output=True,
            text=True,
            check=False,
        )
        found += result.stdout.split()
    return found


@pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="pdftoppm (poppler-utils) and zbarimg (zbar-tools) are needed: run `make chromium`",
)
def test_the_barcodes_on_the_rendered_page_decode_to_the_wave_and_each_rows_product(
    client: TestClient, wave: dict[str, Any], tmp_path: Path
) -> None:
    decoded = _decode(_pdf(client, wave, "de"), tmp_path)
    # The wave's number; SKU-2 by its GTIN; the others by their SKU.
    assert sorted(decoded) == sorted([wave["number"], "4006381333931", "SKU-1", "SKU-3"])


@pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="pdftoppm (poppler-utils) and zbarimg (zbar-tools) are needed: run `make chromium`",
)
def test_a_long_sku_still_fits_its_column_and_decodes(tmp_path: Path) -> None:
    sku = "LONG-SKU-" + "X" * 40
    rows = [PickListRow("A-1", sku, "Langer Artikel", 1, ["ORD-1"], sku)]
    pdf = render_pick_list(PickListDocument("PW-000010", "Lager", date(2026, 12, 1), rows), "de")
    assert sorted(_decode(pdf, tmp_path)) == sorted(["PW-000010", sku])


def test_a_wave_of_another_location_has_no_pick_list(
    client: TestClient, db: Database, wave: dict[str, Any]
) -> None:
    add_product(db, "SKU-X")
    assert (
        client.get(f"/api/v1/locations/B/pick-waves/{wave['id']}/pick-list.pdf").status_code == 404
    )
