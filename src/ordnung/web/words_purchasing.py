"""The back office's words for supply (suppliers, purchase orders, receiving,
replenishment), German and English; merged into `catalogue.MESSAGES`."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # Timeline / webhooks
    "event.purchase_order.created": (
        "Bestellung beim Lieferanten angelegt",
        "Purchase order drafted",
    ),
    "event.purchase_order.sent": ("Bestellung an Lieferanten gesendet", "Purchase order sent"),
    "event.purchase_order.confirmed": ("Lieferant hat bestätigt", "Supplier confirmed"),
    "event.purchase_order.partially_received": ("Teillieferung eingegangen", "Partly received"),
    "event.purchase_order.received": ("Vollständig eingegangen", "Fully received"),
    "event.purchase_order.cancelled": ("Bestellung storniert", "Purchase order cancelled"),
}
