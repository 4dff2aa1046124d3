"""The delivery note ("Lieferschein") of one package as an A4 PDF, in the order's language:
sender and ship-to, order and package number, date, the package's lines with SKU, name,
quantity and GTIN, the gift note, and the package number as a Code 128 barcode (scanned at
the packing bench and at the carrier's hand-over). Pure rendering, nothing written to disk.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ordnung.fulfillment.pick_list_pdf import header_with_barcode

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Lieferschein",
        "sender": "Absender",
        "ship_to": "Lieferanschrift",
        "order": "Bestellung",
        "package": "Paket",
        "date": "Datum",
        "sku": "SKU",
        "name": "Artikel",
        "quantity": "Menge",
        "gtin": "GTIN",
        "gift_note": "Grußbotschaft",
        "closing": "Vielen Dank für Ihre Bestellung.",
    },
    "en": {
        "title": "Delivery note",
        "sender": "Sender",
        "ship_to": "Ship to",
        "order": "Order",
        "package": "Package",
        "date": "Date",
        "sku": "SKU",
        "name": "Product",
        "quantity": "Qty",
        "gtin": "GTIN",
        "gift_note": "Gift note",
        "closing": "Thank you for your order.",
    },
}

_WIDTHS = [40 * mm, 85 * mm, 20 * mm, 35 * mm]


@dataclass(frozen=True, slots=True)
class DeliveryNoteLine:
    sku: str
    name: str
    quantity: int
    gtin: str | None


@dataclass(frozen=True, slots=True)
class DeliveryNoteDocument:
    order_id: int
    order_number: str
    package_number: str
    issued_on: date
    sender: list[str]  # the location's name and address, line by line
    ship_to: list[str]  # the recipient and address, line by line
    lines: list[DeliveryNoteLine]
    gift_note: str | None


def render_delivery_note(document: DeliveryNoteDocument, language: str) -> bytes:
    words = LABELS.get(language, LABELS["de"])
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{words['title']} {document.package_number}",
        author="Ordnung",
    )
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11)
    story: list[Flowable] = [
        _header(document, words, styles),
        Spacer(1, 6 * mm),
        _addresses(document, words, body),
        Spacer(1, 8 * mm),
        _lines(document, words, cell),
    ]
    if document.gift_note:
        story += [
            Spacer(1, 8 * mm),
            Paragraph(f"<b>{escape(words['gift_note'])}:</b> {escape(document.gift_note)}", body),
        ]
    story += [Spacer(1, 8 * mm), Paragraph(escape(words["closing"]), body)]
    pdf.build(story)
    return buffer.getvalue()


def _header(document: DeliveryNoteDocument, words: dict[str, str], styles: Any) -> Flowable:
    title = Paragraph(escape(words["title"]), styles["Title"])
    facts = Paragraph(
        f"{escape(words['order'])}: {escape(document.order_number)}<br/>"
        f"{escape(words['package'])}: {escape(document.package_number)}<br/>"
        f"{escape(words['date'])}: {document.issued_on.isoformat()}",
        styles["BodyText"],
    )
    return header_with_barcode([title, facts], document.package_number)


def _addresses(document: DeliveryNoteDocument, words: dict[str, str], body: Any) -> Flowable:
    def block(label: str, lines: list[str]) -> Paragraph:
        text = "<br/>".join(escape(line) for line in lines if line)
        return Paragraph(f"<b>{escape(label)}</b><br/>{text}", body)

    table = Table(
        [[block(words["sender"], document.sender), block(words["ship_to"], document.ship_to)]],
        colWidths=[90 * mm, 90 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _lines(document: DeliveryNoteDocument, words: dict[str, str], cell: ParagraphStyle) -> Table:
    data: list[list[Any]] = [[words[key] for key in ("sku", "name", "quantity", "gtin")]]
    for line in document.lines:
        data.append(
            [
                Paragraph(escape(line.sku), cell),
                Paragraph(escape(line.name), cell),
                str(line.quantity),
                Paragraph(escape(line.gtin or "–"), cell),
            ]
        )
    table = Table(data, colWidths=_WIDTHS, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 0), (2, -1), "RIGHT"),
            ]
        )
    )
    return table
