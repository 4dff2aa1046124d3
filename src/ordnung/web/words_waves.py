"""The back office's words for bins and pick waves, German and English; merged into
`catalogue.MESSAGES`."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "event.fulfillment_order.units_picked": ("Ware kommissioniert", "Units picked"),
    "nav.waves": ("Pickwellen", "Pick waves"),
    "waves.title": ("Pickwellen", "Pick waves"),
    "waves.location": ("Standort", "Location"),
    "waves.show": ("Anzeigen", "Show"),
    "waves.new": ("Neue Pickwelle", "New pick wave"),
    "waves.new_hint": (
        "Freigegebene oder angenommene Fulfillment-Aufträge auswählen; sie gehen in die"
        " Kommissionierung.",
        "Choose released or accepted fulfilment orders; they start picking.",
    ),
    "waves.candidates_none": (
        "Keine Fulfillment-Aufträge warten auf eine Pickwelle.",
        "No fulfilment orders wait for a pick wave.",
    ),
    "waves.choose": ("Auftrag {id} auswählen", "Choose fulfilment order {id}"),
    "waves.create": ("Pickwelle bilden", "Build pick wave"),
    "waves.list": ("Pickwellen dieses Standorts", "This location's pick waves"),
    "waves.none": ("Noch keine Pickwellen.", "No pick waves yet."),
    "waves.number": ("Welle", "Wave"),
    "waves.status": ("Status", "Status"),
    "waves.status.open": ("offen", "open"),
    "waves.status.done": ("fertig", "done"),
    "waves.created": ("Angelegt", "Created"),
    "waves.orders": ("Aufträge", "Orders"),
    "waves.bin": ("Lagerplatz", "Bin"),
    "waves.no_bin": ("ohne Platz", "no bin"),
    "waves.sku": ("SKU", "SKU"),
    "waves.quantity": ("Menge", "Qty"),
    "waves.picked": ("Gepickt", "Picked"),
    "waves.short": ("Fehlt", "Missing"),
    "waves.remaining": ("Offen", "To pick"),
    "waves.scan": ("Scannen", "Scan"),
    "waves.scan_label": ("Barcode oder SKU", "Barcode or SKU"),
    "waves.scan_submit": ("+1 buchen", "Count +1"),
    "waves.plus_one": ("+1", "+1"),
    "waves.plus_one_label": ("Ein Stück {sku} gepickt", "One unit of {sku} picked"),
    "waves.short_open": ("Fehlmenge …", "Short pick …"),
    "waves.missing": ("Fehlende Stück", "Missing units"),
    "waves.for_order": ("Für Auftrag", "For order"),
    "waves.note": ("Notiz", "Note"),
    "waves.short_submit": ("Fehlmenge melden", "Report short pick"),
    "waves.pdf": ("Pickliste (PDF)", "Pick list (PDF)"),
    "waves.done_hint": (
        "Alles gepickt oder als Fehlmenge gemeldet: die Aufträge sind bereit zum Packen.",
        "Everything picked or reported short: the orders are ready to pack.",
    ),
    "waves.back": ("Zurück zu den Pickwellen", "Back to pick waves"),
    "waves.bins": ("Lagerplätze", "Bins"),
    "waves.bins_hint": (
        "Eine Zeile je Artikel: SKU;Lagerplatz. Leerer Platz entfernt die Zuordnung.",
        "One line per product: SKU;bin. An empty bin removes the assignment.",
    ),
    "waves.bins_save": ("Lagerplätze speichern", "Save bins"),
    "waves.bins_none": ("Noch keine Lagerplätze.", "No bins yet."),
    "flash.wave_created": ("Pickwelle {number} gebildet.", "Pick wave {number} built."),
    "flash.wave_failed": (
        "Die Pickwelle wurde nicht gebildet: {detail}",
        "The pick wave was not built: {detail}",
    ),
    "flash.wave_choose": (
        "Bitte mindestens einen Auftrag auswählen.",
        "Please choose at least one fulfilment order.",
    ),
    "flash.picked": ("{sku}: 1 Stück gepickt.", "{sku}: 1 unit picked."),
    "flash.pick_failed": ("Nicht gebucht: {detail}", "Not counted: {detail}"),
    "flash.wave_short_picked": (
        "Fehlmenge von {missing} × {sku} gemeldet.",
        "Short pick of {missing} × {sku} reported.",
    ),
    "flash.wave_short_failed": (
        "Fehlmenge nicht gemeldet: {detail}",
        "Short pick not reported: {detail}",
    ),
    "flash.bad_number": (
        "Bitte eine ganze Zahl ab 1 eingeben.",
        "Please enter a whole number from 1.",
    ),
    "flash.bins_saved": ("{count} Lagerplätze gespeichert.", "{count} bins saved."),
    "flash.bins_failed": ("Lagerplätze nicht gespeichert: {detail}", "Bins not saved: {detail}"),
    "flash.bins_bad_line": (
        "Zeile {line} ist nicht im Format SKU;Lagerplatz.",
        "Line {line} is not in the form SKU;bin.",
    ),
    "error.wave_not_found": ("Die Pickwelle {id} gibt es nicht.", "Pick wave {id} does not exist."),
}
