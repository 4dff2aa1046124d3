"""UI words of changes after intake (order changes, reason codes, their timeline entries):
key → (German, English). Merged into `catalogue.MESSAGES`."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "event.order.shipping_address_changed": ("Lieferadresse geändert", "Shipping address changed"),
    "event.order.shipping_method_changed": ("Versandart geändert", "Shipping method changed"),
    "event.order.line_cancelled": ("Positionsmenge storniert", "Line units cancelled"),
    "event.order.line_added": ("Position hinzugefügt", "Line added"),
    "event.order.line_sku_replaced": ("Artikel ersetzt", "SKU replaced"),
    "event.order.line_price_corrected": ("Preis korrigiert", "Price corrected"),
    "cancel_reason.customer_request": ("Kundenwunsch", "Customer request"),
    "cancel_reason.out_of_stock": ("Nicht lieferbar", "Out of stock"),
    "cancel_reason.fraud": ("Betrugsverdacht", "Suspected fraud"),
    "cancel_reason.duplicate": ("Doppelte Bestellung", "Duplicate order"),
    "cancel_reason.payment_failed": ("Zahlung fehlgeschlagen", "Payment failed"),
    "cancel_reason.address_invalid": ("Adresse ungültig", "Invalid address"),
    "cancel_reason.other": ("Sonstiges", "Other"),
}
