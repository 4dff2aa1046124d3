"""Words of the availability page, the promise settings, the sell scope and the requested and
promised dates of an order's lines (German, English).
The reasons themselves come from `ordnung.promising.explanations`, so the API and the back
office say the same thing."""

from __future__ import annotations

from ordnung.promising.explanations import TEXTS

_STATES = {
    "BB": "Brandenburg",
    "BE": "Berlin",
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "HB": "Bremen",
    "HE": "Hessen",
    "HH": "Hamburg",
    "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen",
    "RP": "Rheinland-Pfalz",
    "SH": "Schleswig-Holstein",
    "SL": "Saarland",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "TH": "Thüringen",
}
_WEEKDAYS = {
    1: ("Montag", "Monday"),
    2: ("Dienstag", "Tuesday"),
    3: ("Mittwoch", "Wednesday"),
    4: ("Donnerstag", "Thursday"),
    5: ("Freitag", "Friday"),
    6: ("Samstag", "Saturday"),
    7: ("Sonntag", "Sunday"),
}

WORDS: dict[str, tuple[str, str]] = {
    "nav.availability": ("Verfügbarkeit", "Availability"),
    "event.availability.changed": ("Verfügbarkeit geändert", "Availability changed"),
    "promise.title": ("Verfügbarkeit und Liefertermin", "Availability and delivery promise"),
    "promise.skus": ("SKUs (durch Komma getrennt)", "SKUs (comma-separated)"),
    "promise.channel": ("Kanal", "Channel"),
    "promise.no_channel": ("Kein Kanal", "No channel"),
    "promise.postal_code": ("PLZ des Kunden", "Customer's postal code"),
    "promise.ask": ("Prüfen", "Check"),
    "promise.problem.skus": (
        "Bitte 1 bis 100 SKUs angeben, durch Komma getrennt.",
        "Please enter 1 to 100 SKUs, comma-separated.",
    ),
    "promise.problem.postal_code": (
        "Eine deutsche Postleitzahl hat fünf Ziffern, z. B. 50667.",
        "A German postal code has five digits, e.g. 50667.",
    ),
    "promise.problem.channel": ("Diesen Kanal gibt es nicht.", "There is no such channel."),
    "promise.sku": ("SKU", "SKU"),
    "promise.available": ("Verfügbar", "Available"),
    "promise.sellable": ("Verkaufbar", "Sellable"),
    "promise.always_sellable": ("immer (ohne Bestand)", "always (non-stock)"),
    "promise.incoming": ("Zulauf", "Incoming"),
    "promise.ship_on": ("Versand am", "Ships on"),
    "promise.delivery_on": ("Zustellung am", "Delivered on"),
    "promise.from": ("Aus", "From"),
    "promise.why": ("Warum: {sku}", "Why: {sku}"),
    "promise.per_location": ("Je Standort ({count})", "Per location ({count})"),
    "promise.location": ("Standort", "Location"),
    "promise.reasons": ("Gründe", "Reasons"),
    "promise.location_reason.counted": ("zählt", "counts"),
    "promise.location_reason.not_in_scope": ("nicht im Verkaufsbereich", "outside sell scope"),
    "promise.location_reason.cannot_ship": ("versendet nicht", "does not ship"),
    "promise.location_reason.safety_stock_held": (
        "Sicherheitsbestand zurückgehalten",
        "safety stock held back",
    ),
    "promise.location_reason.safety_stock_sold": (
        "Sicherheitsbestand wird verkauft",
        "safety stock sold",
    ),
    "promise.location_reason.store_buffer_held": (
        "Filialpuffer zurückgehalten",
        "store buffer held back",
    ),
    "promise.location_title": ("Lieferversprechen", "Delivery promise"),
    "promise.location_intro": (
        "Feiertage des Bundeslands, Zeitzone, Annahmeschluss, Bearbeitungstage und "
        "Arbeitstage dieses Standorts bestimmen den frühesten Versandtag.",
        "This location's federal state holidays, time zone, cut-off, handling days and "
        "working days decide its earliest ship date.",
    ),
    "promise.federal_state": ("Bundesland (Feiertage)", "Federal state (holidays)"),
    "promise.nationwide": ("Nur bundesweite Feiertage", "Nationwide holidays only"),
    "promise.time_zone": ("Zeitzone", "Time zone"),
    "promise.cutoff": ("Annahmeschluss", "Cut-off time"),
    "promise.handling_days": ("Bearbeitungstage", "Handling days"),
    "promise.working_weekdays": ("Arbeitstage", "Working days"),
    "promise.save": ("Speichern", "Save"),
    "promise.saved": ("Gespeichert.", "Saved."),
    "promise.stale": (
        "Jemand anderes hat die Einstellungen inzwischen geändert. Bitte neu laden.",
        "Someone else changed the settings meanwhile. Please reload.",
    ),
    "promise.invalid": (
        "Nicht gespeichert: das Feld {field} ist ungültig.",
        "Not saved: the field {field} is invalid.",
    ),
    "promise.scope_title": ("Verkaufsbereich", "Sell scope"),
    "promise.scope_intro": (
        "Aus welchen Standorten dieser Kanal verkaufen darf (keiner gewählt: alle, die "
        "versenden), wie viel jede Filiale für Online-Kanäle zurückhält, und ob der "
        "Sicherheitsbestand zurückbleibt.",
        "Which locations this channel may sell from (none chosen: all that ship), how much "
        "each store holds back from online channels, and whether safety stock stays back.",
    ),
    "promise.scope_locations": ("Standorte", "Locations"),
    "promise.store_buffer": (
        "Filialpuffer (Stück je Filiale, nur Online-Kanäle)",
        "Store buffer (units per store, online channels only)",
    ),
    "promise.safety_held": ("Sicherheitsbestand zurückhalten", "Hold back safety stock"),
    "promise.settings_link": ("Lieferversprechen", "Delivery promise"),
    # An order's lines: what the channel asked for and what was promised (docs/promise.md).
    "line.requested_delivery_on": ("Wunschtermin", "Requested delivery"),
    "line.promised_ship_on": ("Versand zugesagt", "Promised ship date"),
    "line.promised_delivery_on": ("Zustellung zugesagt", "Promised delivery"),
    "line.promise_after_request": ("später als gewünscht", "later than requested"),
    "promise.scope_link": ("Verkaufsbereich", "Sell scope"),
    **{f"promise.state.{code}": (name, name) for code, name in _STATES.items()},
    **{f"promise.weekday.{day}": names for day, names in _WEEKDAYS.items()},
    **{f"promise.reason.{key}": texts for key, texts in TEXTS.items()},
}
