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
    "substitutes.title": ("Ersatzartikel", "Substitutes"),
    "substitutes.hint": (
        "Artikel, die für diesen einspringen dürfen, wenn er nicht lieferbar ist.",
        "Products that may stand in for this one when it cannot be delivered.",
    ),
    "substitutes.edit": ("Ersatzartikel bearbeiten", "Edit substitutes"),
    "substitutes.none": ("Keine Ersatzartikel hinterlegt.", "No substitutes set."),
    "substitutes.field": (
        "Artikelnummern, durch Kommas getrennt (erste Wahl zuerst)",
        "SKUs separated by commas (first choice first)",
    ),
    "substitutes.save": ("Ersatzartikel speichern", "Save substitutes"),
    "substitutes.saved": ("{count} Ersatzartikel gespeichert.", "{count} substitutes saved."),
    "substitutes.stale": (
        "Nicht gespeichert: Jemand hat die Ersatzartikel inzwischen geändert. Unten steht die"
        " aktuelle Liste – bitte Ihre Änderung erneut eintragen.",
        "Not saved: someone changed the substitutes meanwhile. The current list is shown"
        " below – please make your change again.",
    ),
    "changes.substitute_title": ("Durch Ersatzartikel ersetzen", "Switch to a substitute"),
    "changes.substitute_hint": (
        "Leer: der erste hinterlegte Ersatzartikel mit Bestand.",
        "Empty: the first configured substitute in stock.",
    ),
    "changes.substitute_sku": ("Ersatzartikel (SKU)", "Substitute (SKU)"),
    "changes.substitute_submit": ("Ersatzartikel nehmen", "Use substitute"),
    "changes.flash.substituted": (
        "Position {line} ist jetzt ein Ersatzartikel.",
        "Line {line} is now a substitute.",
    ),
    "changes.title": ("Bestellung ändern", "Change the order"),
    "changes.hint": (
        "Jede Änderung braucht einen Grund; sie steht mit Ihnen als Urheber im Verlauf.",
        "Every change needs a reason; it goes on the timeline with your name.",
    ),
    "changes.change": ("Ändern", "Change"),
    "changes.change_line": ("Position {line} ändern", "Change line {line}"),
    "changes.line_label": ("Pos. {line}", "Line {line}"),
    "changes.line_title": ("Position {line} ändern", "Change line {line}"),
    "changes.add_line": ("Position hinzufügen", "Add a line"),
    "changes.add_line_submit": ("Position hinzufügen", "Add line"),
    "changes.change_shipping": ("Lieferung ändern", "Change shipping"),
    "changes.shipping_hint": (
        "Nur solange nichts versandt ist. Standorte mit offenen Fulfillment-Aufträgen "
        "erhalten die Änderung als Ereignis.",
        "Only while nothing has shipped. Locations with open fulfilment orders receive the "
        "change as an event.",
    ),
    "changes.shipping_submit": ("Lieferung speichern", "Save shipping"),
    "changes.still_to_ship": ("Noch zu versenden", "Still to ship"),
    "changes.cancel_units_title": ("Menge stornieren", "Cancel units"),
    "changes.cancel_units_submit": ("Stornieren", "Cancel units"),
    "changes.units": ("Menge", "Units"),
    "changes.reason": ("Grund", "Reason"),
    "changes.replace_title": ("Artikel ersetzen", "Replace the SKU"),
    "changes.new_sku": ("Neue Artikelnummer (SKU)", "New SKU"),
    "changes.new_unit_price": (
        "Neuer Stückpreis (leer: bleibt)",
        "New unit price (empty: unchanged)",
    ),
    "changes.replace_submit": ("Ersetzen", "Replace"),
    "changes.price_title": ("Preis korrigieren", "Correct the price"),
    "changes.price_submit": ("Preis korrigieren", "Correct price"),
    "changes.cancel_reason_code": ("Stornogrund", "Cancel reason"),
    "changes.address.first_name": ("Vorname", "First name"),
    "changes.address.last_name": ("Nachname", "Last name"),
    "changes.address.company": ("Firma", "Company"),
    "changes.address.street": ("Straße und Hausnummer", "Street"),
    "changes.address.street2": ("Adresszusatz", "Address line 2"),
    "changes.address.postal_code": ("PLZ", "Postcode"),
    "changes.address.city": ("Ort", "City"),
    "changes.address.country": ("Land (ISO-Code, z. B. DE)", "Country (ISO code, e.g. DE)"),
    "changes.address.phone": ("Telefon", "Phone"),
    "changes.flash.units_cancelled": (
        "{units} Stück von Position {line} storniert.",
        "{units} units of line {line} cancelled.",
    ),
    "changes.flash.units_requested": (
        "{units} Stück von Position {line} storniert; {requested} Stück werden schon"
        " kommissioniert – der Standort wurde um Stornierung gebeten.",
        "{units} units of line {line} cancelled; {requested} units are being picked – the"
        " location has been asked to cancel them.",
    ),
    "changes.requested_units": (
        "{requested} Stück beim Standort angefragt",
        "{requested} units asked of the location",
    ),
    "changes.flash.sku_replaced": (
        "Position {line} ist jetzt {sku}.",
        "Line {line} is now {sku}.",
    ),
    "changes.flash.price_corrected": (
        "Preis von Position {line} korrigiert.",
        "Price of line {line} corrected.",
    ),
    "changes.flash.line_added": ("Position {sku} hinzugefügt.", "Line {sku} added."),
    "changes.flash.shipping_changed": ("Lieferung geändert.", "Shipping changed."),
    "changes.flash.changed_meanwhile": (
        "Die Bestellung wurde inzwischen geändert. Bitte die aktuelle Fassung ansehen und die "
        "Änderung erneut eingeben.",
        "The order was changed meanwhile. Please look at the current version and enter your "
        "change again.",
    ),
    "changes.flash.refused": (
        "Die Änderung ist nicht möglich: {detail}",
        "The change is not possible: {detail}",
    ),
    "changes.flash.field_required": (
        "Bitte das Feld „{field}“ ausfüllen.",
        "Please fill in the field “{field}”.",
    ),
    "changes.flash.field_invalid": (
        "Das Feld „{field}“ ist ungültig.",
        "The field “{field}” is not valid.",
    ),
}
