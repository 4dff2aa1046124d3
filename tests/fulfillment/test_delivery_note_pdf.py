"""The delivery note of a package, read back as the recipient and the carrier would: it
opens, its words come out of pdftotext (poppler) in the order's language with the package's
lines only, and its Code 128 barcode decodes from the rendered page (pdftoppm + zbarimg),
not on the generator's word."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ordnung.catalog.tables import product_table
from ordnung.core.db import Database
from tests.factories import order_payload, put_stock, standard_setup

TOOLS = ("pdftoppm", "zbarimg", "pdftotext")
BOX = {"package_type": "parcel_s", "weight_grams": 800}
needs_tools = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="pdftoppm, pdftotext (poppler-utils) and zbarimg (zbar-tools) are needed",
)


def _package(client: TestClient, db: Database, language: str) -> dict[str, Any]:
    """An order of SKU-1 ×2 and SKU-2 ×1 in `language`; a package with the two SKU-1."""
    locations = standard_setup(db)
    with db.engine.begin() as connection:
        connection.execute(
            update(product_table).where(product_table.c.sku == "SKU-1").values(gtin="4006381333931")
        )
    for sku in ("SKU-1", "SKU-2"):
        put_stock(db, sku, locations["A"], 10)
    body = order_payload([("SKU-1", 2), ("SKU-2", 1)], language=language, gift_note="Alles Gute!")
    order = client.post("/api/v1/orders", json=body).json()
    fo_id = order["fulfillment_orders"][0]["id"]
    client.post(f"/api/v1/fulfillment-orders/{fo_id}/accept")
    lines = client.get(f"/api/v1/fulfillment-orders/{fo_id}").json()["lines"]
    sku_1 = next(line["id"] for line in lines if line["sku"] == "SKU-1")
    created = client.post(
        f"/api/v1/fulfillment-orders/{fo_id}/packages",
        json={"lines": [{"line_id": sku_1, "quantity": 2}], **BOX},
    )
    assert created.status_code == 201, created.text
    return {"id": created.json()["id"], "number": created.json()["number"], "order": order}


def _pdf(client: TestClient, package: dict[str, Any]) -> bytes:
    response = client.get(f"/api/v1/packages/{package['id']}/delivery-note.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return response.content


def _text(pdf: bytes, tmp_path: Path) -> str:
    (tmp_path / "note.pdf").write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "note.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(result.stdout.split())


def _decode(pdf: bytes, tmp_path: Path) -> list[str]:
    (tmp_path / "note.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", str(tmp_path / "note.pdf"), str(tmp_path / "page")],
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


@needs_tools
def test_a_german_order_gets_a_lieferschein_with_the_packages_lines_and_a_readable_barcode(
    client: TestClient, db: Database, tmp_path: Path
) -> None:
    package = _package(client, db, "de")
    pdf = _pdf(client, package)
    text = _text(pdf, tmp_path)
    assert "Lieferschein" in text and "Lieferanschrift" in text
    assert package["number"] in text and package["order"]["number"] in text
    assert "Lager A" in text and "Hafenstraße 1" in text  # the location sends it
    assert "Erika Mustermann" in text and "51147 Köln" in text
    assert "SKU-1 Artikel SKU-1 2 4006381333931" in text
    assert "SKU-2" not in text  # not in this package
    assert "Alles Gute!" in text
    assert _decode(pdf, tmp_path) == [package["number"]]


@needs_tools
def test_an_english_order_gets_an_english_delivery_note(
    client: TestClient, db: Database, tmp_path: Path
) -> None:
    package = _package(client, db, "en")
    text = _text(_pdf(client, package), tmp_path)
    assert "Delivery note" in text and "Ship to" in text and "Gift note" in text
    assert "Lieferschein" not in text
