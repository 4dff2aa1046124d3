"""The pickup code as a QR code, drawn as SVG on the server (segno; no script, no CDN)."""

from __future__ import annotations

import io

import segno


def pickup_qr(code: str) -> segno.QRCode:
    """The code's QR (error correction M: survives a creased slip); the counter's scanner
    reads the bare code."""
    return segno.make_qr(code, error="m")


def pickup_qr_svg(code: str) -> str:
    """An SVG of the code's QR, scaled for printing on the customer's slip."""
    buffer = io.BytesIO()
    pickup_qr(code).save(buffer, kind="svg", scale=4, border=2, xmldecl=False, title=code)
    return buffer.getvalue().decode("utf-8")
