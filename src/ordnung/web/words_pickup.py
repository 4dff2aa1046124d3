"""Words of click & collect: the store's pickup counter and the pickup panel on a fulfilment
order's page (German, English)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "nav.pickup": ("Abholung", "Pickup"),
    "pickup.title": ("Abholung im Laden", "Store pickup"),
    "pickup.intro": (
        "Click & Collect: Bestellungen bereitlegen und gegen den Abholcode übergeben.",
        "Click & collect: make orders ready and hand them over against their pickup code.",
    ),
    "pickup.to_prepare": ("Bereitzulegen", "To make ready"),
    "pickup.ready": ("Abholbereit an der Kasse", "Ready at the counter"),
    "pickup.none_to_prepare": ("Nichts bereitzulegen.", "Nothing to make ready."),
    "pickup.none_ready": ("Keine abholbereiten Bestellungen.", "No orders ready for pickup."),
    "pickup.order": ("Bestellung", "Order"),
    "pickup.store": ("Laden", "Store"),
    "pickup.since": ("Bereit seit", "Ready since"),
    "pickup.age_days": ("{days} Tage", "{days} days"),
    "pickup.expires": ("Abholen bis", "Collect by"),
    "pickup.mark_ready": ("Abholbereit melden", "Mark ready for pickup"),
    "pickup.code": ("Abholcode", "Pickup code"),
    "pickup.code_hint": (
        "Code eintippen oder scannen, z. B. KX7R-4MQA",
        "Type or scan the code, e.g. KX7R-4MQA",
    ),
    "pickup.hand_over": ("Übergeben", "Hand over"),
    "pickup.locked": ("Gesperrt bis {until}", "Locked until {until}"),
    "pickup.wrong_codes": ("{count} falsche Codes", "{count} wrong codes"),
    "pickup.panel": ("Click & Collect", "Click & collect"),
    "pickup.qr_alt": ("QR-Code des Abholcodes {code}", "QR code of pickup code {code}"),
    "pickup.slip_hint": (
        "Für den Abholschein des Kunden drucken.",
        "Print this for the customer's pickup slip.",
    ),
    "pickup.picked_up_at": ("Abgeholt am", "Picked up at"),
    "pickup.expired_at": ("Nicht abgeholt, storniert am", "Not collected, cancelled at"),
    "pickup.not_ready_yet": ("Noch nicht abholbereit.", "Not ready for pickup yet."),
    "flash.pickup_ready": (
        "#{id} ist abholbereit, Code {code}.",
        "#{id} is ready for pickup, code {code}.",
    ),
    "flash.pickup_handed_over": ("#{id} wurde übergeben.", "#{id} was handed over."),
    "flash.pickup_wrong_code": (
        "Das ist nicht der Abholcode dieser Bestellung; noch {left} Versuche, dann wird gesperrt.",
        "This is not the pickup code of this order; {left} more tries before it is locked.",
    ),
    "flash.pickup_bad_code": (
        "Ein Abholcode hat 8 Zeichen, z. B. KX7R-4MQA.",
        "A pickup code has 8 characters, e.g. KX7R-4MQA.",
    ),
    "flash.pickup_locked": (
        "Zu viele falsche Codes: Die Übergabe ist 15 Minuten gesperrt.",
        "Too many wrong codes: the hand-over is locked for 15 minutes.",
    ),
    "flash.pickup_failed": ("Nicht möglich: {detail}", "Not possible: {detail}"),
    "error.pickup_not_found": (
        "Keine Click-&-Collect-Bestellung #{id}.",
        "No click & collect order #{id}.",
    ),
    "event.fulfillment_order.ready_for_pickup": ("Abholbereit", "Ready for pickup"),
    "event.fulfillment_order.picked_up": ("Abgeholt", "Picked up"),
    "event.fulfillment_order.pickup_expired": (
        "Nicht abgeholt (Frist abgelaufen)",
        "Not collected (deadline passed)",
    ),
}
