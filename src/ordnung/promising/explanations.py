"""Why a figure is what it is: machine-readable reason keys with their values, and their text
in German and English (the API answers in the request's language; the back office shows the
same sentences). Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

Value = str | int


@dataclass(frozen=True, slots=True)
class Reason:
    key: str
    params: dict[str, Value] = field(default_factory=dict)


# key → (German, English); placeholders in `str.format` names. Dates are ISO in `params`
# and written the reader's way by `explain`.
TEXTS: dict[str, tuple[str, str]] = {
    "network.counted": (
        "Jetzt verfügbar: {units} Stück an {locations} Standorten (Bestand − reserviert − "
        "Sicherheitsbestand, je Standort nie unter 0).",
        "Available now: {units} units at {locations} locations (on hand − reserved − safety "
        "stock, never below 0 per location).",
    ),
    "network.none": (
        "Kein Standort führt diesen Artikel.",
        "No location holds this SKU.",
    ),
    "channel.none": (
        "Ohne Kanal: alle Standorte, die versenden, zählen; Sicherheitsbestand bleibt zurück.",
        "No channel given: every location that ships counts; safety stock is held back.",
    ),
    "channel.all_locations": (
        "Kanal {channel} darf aus allen Standorten verkaufen, die versenden.",
        "Channel {channel} may sell from every location that ships.",
    ),
    "channel.scope": (
        "Kanal {channel} darf nur aus {locations} verkaufen.",
        "Channel {channel} may sell only from {locations}.",
    ),
    "channel.sellable": (
        "Für den Kanal verkaufbar: {units} Stück aus {locations} Standorten.",
        "Sellable on this channel: {units} units from {locations} locations.",
    ),
    "held.safety_stock": (
        "Zurückgehalten als Sicherheitsbestand: {units} Stück an {locations} Standorten.",
        "Held back as safety stock: {units} units at {locations} locations.",
    ),
    "held.safety_stock_released": (
        "Der Kanal verkauft auch den Sicherheitsbestand ({units} Stück).",
        "The channel also sells the safety stock ({units} units).",
    ),
    "held.store_buffer": (
        "Für Filialkunden zurückgehalten (Puffer {buffer} je Filiale): {units} Stück in "
        "{locations} Filialen.",
        "Held back for store customers (buffer {buffer} per store): {units} units in "
        "{locations} stores.",
    ),
    "excluded.not_in_scope": (
        "Nicht im Verkaufsbereich des Kanals: {locations}.",
        "Outside the channel's sell scope: {locations}.",
    ),
    "excluded.cannot_ship": (
        "Versendet nicht: {locations}.",
        "Does not ship: {locations}.",
    ),
    "incoming.expected": (
        "Im Zulauf: {quantity} Stück nach {location}, erwartet am {date} ({source}).",
        "Incoming: {quantity} units to {location}, expected on {date} ({source}).",
    ),
    "promise.from_stock": (
        "Versand aus {location} (frühester Liefertermin aller Standorte mit Bestand).",
        "Ships from {location} (earliest delivery of all locations with stock).",
    ),
    "promise.from_incoming": (
        "Kein verkaufbarer Bestand: Versand aus {location} nach Eingang am {date} ({source}).",
        "No sellable stock: ships from {location} after arrival on {date} ({source}).",
    ),
    "non_stock.always_sellable": (
        "Ohne Bestand geführt (Dienstleistung, digital oder Anfertigung): immer verkaufbar, "
        "es wird kein Bestand gezählt oder reserviert.",
        "Non-stock product (a service, digital or made to order): always sellable; no stock "
        "is counted or reserved.",
    ),
    "promise.non_stock": (
        "Geht mit der Sendung aus {location} (erster versendender Standort des Kanals).",
        "Goes with the parcel from {location} (the channel's first location that ships).",
    ),
    "promise.preorder": (
        "Vorbestellung: erscheint am {date}, Versand aus {location} frühestens dann.",
        "Pre-order: released on {date}; ships from {location} on that day at the earliest.",
    ),
    "promise.none": (
        "Kein Termin: weder verkaufbarer Bestand noch Zulauf.",
        "No date: neither sellable stock nor incoming supply.",
    ),
    "ship.on_release": (
        "Versand am Erscheinungstag {date} oder am ersten Arbeitstag danach.",
        "Ships on the release day {date} or the first working day after it.",
    ),
    "ship.before_cutoff": (
        "Jetzt {local_time} in {time_zone}, vor dem Annahmeschluss {cutoff}: heute zählt.",
        "Now {local_time} in {time_zone}, before the cut-off {cutoff}: today counts.",
    ),
    "ship.after_cutoff": (
        "Jetzt {local_time} in {time_zone}, nach dem Annahmeschluss {cutoff}: ab dem "
        "nächsten Arbeitstag.",
        "Now {local_time} in {time_zone}, after the cut-off {cutoff}: from the next working day.",
    ),
    "ship.not_working_day_today": (
        "Heute ({date}) ist kein Arbeitstag: ab dem nächsten Arbeitstag.",
        "Today ({date}) is no working day: from the next working day.",
    ),
    "ship.after_arrival": (
        "Ware gilt am Eingangstag als nach Annahmeschluss gebucht.",
        "Goods are taken as booked in after the cut-off on the day they arrive.",
    ),
    "ship.handling_days": (
        "Bearbeitungszeit: {days} Arbeitstage.",
        "Handling time: {days} working days.",
    ),
    "calendar.skipped_weekend": (
        "Übersprungen: {date} (kein Arbeitstag).",
        "Skipped: {date} (not a working day).",
    ),
    "calendar.skipped_holiday": (
        "Übersprungen: {date}, {name} (Feiertag in {state}).",
        "Skipped: {date}, {name} (public holiday in {state}).",
    ),
    "zone.regional": (
        "Gleiche Postleitregion {region}: Zone regional.",
        "Same postal-code region {region}: zone regional.",
    ),
    "zone.near": (
        "Etwa {km} km Luftlinie: Zone nah.",
        "About {km} km as the crow flies: zone near.",
    ),
    "zone.national": (
        "Etwa {km} km Luftlinie: Zone national.",
        "About {km} km as the crow flies: zone national.",
    ),
    "zone.unknown_destination": (
        "Postleitzahl {postal_code} ist keiner Region zuzuordnen: Zone national angenommen.",
        "Postal code {postal_code} matches no region: zone national assumed.",
    ),
    "zone.unknown_origin": (
        "Die Postleitzahl von {location} ist keiner Region zuzuordnen: Zone national angenommen.",
        "The postal code of {location} matches no region: zone national assumed.",
    ),
    "delivery.transit": (
        "Laufzeit {days} Arbeitstage (Zone {zone}).",
        "Transit {days} working days (zone {zone}).",
    ),
    "delivery.no_postal_code": (
        "Ohne Postleitzahl kein Liefertermin, nur der Versandtag.",
        "Without a postal code there is no delivery date, only the ship date.",
    ),
}
_STATE_ALL = ("bundesweit", "all of Germany")
_DATE_KEYS = ("date",)


def explain(reason: Reason, language: str) -> str:
    german, english = TEXTS[reason.key]
    is_german = language == "de"
    params = dict(reason.params)
    for name in _DATE_KEYS:
        if name in params:
            params[name] = _date_text(str(params[name]), is_german)
    if params.get("state") == "":
        params["state"] = _STATE_ALL[0 if is_german else 1]
    return (german if is_german else english).format(**params)


def _date_text(iso: str, is_german: bool) -> str:
    if not is_german:
        return iso
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def language_of(accept_language: str | None) -> str:
    """`de` when the reader's first language is German, else `en`."""
    first = (accept_language or "").split(",")[0].strip().lower()
    return "de" if first.startswith("de") else "en"
