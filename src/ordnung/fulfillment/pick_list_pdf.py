"""The pick list of a wave as an A4 PDF: rows in bin order with a Code 128 barcode per row
(the product's GTIN, else its SKU: what the scan field accepts) and the wave's number as a
barcode on top. German or English. Pure rendering: the caller reads the wave and sends the
bytes; nothing is written to disk.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Pickliste",
        "wave": "Pickwelle",
        "location": "Standort",
        "date": "Datum",
        "bin": "Lagerplatz",
        "sku": "SKU",
        "name": "Artikel",
        "quantity": "Menge",
        "orders": "Bestellungen",
        "barcode": "Barcode",
        "no_bin": "ohne Platz",
        "page": "Seite",
    },
    "en": {
        "title": "Pick list",
        "wave": "Pick wave",
        "location": "Location",
        "date": "Date",
        "bin": "Bin",
        "sku": "SKU",
        "name": "Product",
        "quantity": "Qty",
        "orders": "Orders",
        "barcode": "Barcode",
        "no_bin": "no bin",
        "page": "Page",
    },
}

# Column widths on A4 portrait with 15 mm margins (180 mm to share).
_WIDTHS = [22 * mm, 30 * mm, 42 * mm, 13 * mm, 28 * mm, 45 * mm]
_BARCODE_WIDTH = _WIDTHS[-1] - 5 * mm  # inside the cell's padding
_BAR_HEIGHT = 10 * mm
# One module 0.3 mm at most and 0.19 mm at least (GS1's smallest X-dimension): a long code
# that would need thinner bars gets a row of its own across the page.
_MAX_BAR_WIDTH = 0.3 * mm
_MIN_BAR_WIDTH = 0.19 * mm
_FULL_WIDTH = sum(_WIDTHS) - 5 * mm


@dataclass(frozen=True, slots=True)
class PickListRow:
    bin: str | None
    sku: str
    name: str
    quantity: int
    order_numbers: list[str]
    barcode: str


@dataclass(frozen=True, slots=True)
class PickListDocument:
    wave_number: str
    location_name: str
    created_on: date
    rows: list[PickListRow]


def barcode(value: str, *, max_width: float = _BARCODE_WIDTH) -> Flowable | None:
    """A Code 128 barcode of `value`, its modules narrowed until it fits `max_width`; None
    when that would make them thinner than a scanner reads."""
    code = Code128(value, barHeight=_BAR_HEIGHT, barWidth=_MAX_BAR_WIDTH, humanReadable=True)
    if code.width <= max_width:
        return code
    bar_width = _MAX_BAR_WIDTH * max_width / code.width
    if bar_width < _MIN_BAR_WIDTH:
        return None
    return Code128(value, barHeight=_BAR_HEIGHT, barWidth=bar_width, humanReadable=True)


def render_pick_list(document: PickListDocument, language: str) -> bytes:
    words = LABELS.get(language, LABELS["en"])
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{words['title']} {document.wave_number}",
        author="Ordnung",
    )
    styles = getSampleStyleSheet()
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=9, leading=11)
    story: list[Flowable] = [
        _header(document, words, styles),
        Spacer(1, 6 * mm),
        _rows(document, words, cell),
    ]

    def footer(canvas: Any, doc: Any) -> None:
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(
            A4[0] - 15 * mm,
            8 * mm,
            f"{document.wave_number} · {words['page']} {doc.page}",
        )

    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _header(document: PickListDocument, words: dict[str, str], styles: Any) -> Flowable:
    sheet = styles  # reportlab's StyleSheet1
    title = Paragraph(
        f"{escape(words['title'])} {escape(document.wave_number)}",
        sheet["Title"],
    )
    facts = Paragraph(
        f"{escape(words['location'])}: {escape(document.location_name)}<br/>"
        f"{escape(words['date'])}: {document.created_on.isoformat()}",
        sheet["BodyText"],
    )
    return header_with_barcode([title, facts], document.wave_number)


def header_with_barcode(left: list[Flowable], code: str) -> Flowable:
    """A document's head: title and facts on the left, `code` as a barcode top right (the
    pick list's wave number, the delivery note's package number)."""
    table = Table([[left, barcode(code, max_width=75 * mm) or ""]], colWidths=[105 * mm, 75 * mm])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT")])
    )
    return table


def _rows(document: PickListDocument, words: dict[str, str], cell: ParagraphStyle) -> Table:
    heading = [words[key] for key in ("bin", "sku", "name", "quantity", "orders", "barcode")]
    data: list[list[Any]] = [heading]
    own_rows: list[int] = []  # rows whose barcode is too long for its column
    for row in document.rows:
        code = barcode(row.barcode)
        data.append(
            [
                Paragraph(escape(row.bin or f"({words['no_bin']})"), cell),
                Paragraph(escape(row.sku), cell),
                Paragraph(escape(row.name), cell),
                str(row.quantity),
                Paragraph(escape(", ".join(row.order_numbers)), cell),
                code or "↓",
            ]
        )
        if code is None:
            own_rows.append(len(data))
            data.append([barcode(row.barcode, max_width=_FULL_WIDTH), "", "", "", "", ""])
    table = Table(data, colWidths=_WIDTHS, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (3, 0), (3, -1), "RIGHT"),
                ("TOPPADDING", (0, 1), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
            ]
            + [("SPAN", (0, index), (-1, index)) for index in own_rows]
            + [("ALIGN", (0, index), (-1, index), "CENTER") for index in own_rows]
            # A product's row and its barcode's row stay on one page.
            + [("NOSPLIT", (0, index - 1), (-1, index)) for index in own_rows]
        )
    )
    return table
