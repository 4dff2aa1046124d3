"""The back office's words for fulfilment exceptions (start picking, short picks,
cancellation requests), German and English; merged into `catalogue.MESSAGES`."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # Timeline
    "event.fulfillment_order.picking_started": (
        "Kommissionierung begonnen",
        "Picking started",
    ),
    "event.fulfillment_order.cancellation_requested": (
        "Stornierung beim Standort angefragt",
        "Cancellation requested from the location",
    ),
    "event.fulfillment_order.cancellation_accepted": (
        "Standort hat die Stornierung angenommen",
        "Location accepted the cancellation",
    ),
    "event.fulfillment_order.cancellation_declined": (
        "Standort hat die Stornierung abgelehnt",
        "Location declined the cancellation",
    ),
    "event.fulfillment_order.short_picked": ("Fehlmenge gemeldet", "Short pick reported"),
    # The location's work screen
    "exceptions.start_picking": ("Kommissionierung beginnen", "Start picking"),
    "exceptions.short_pick_open": ("Fehlmenge melden …", "Report a short pick …"),
    "exceptions.short_pick_title": ("Fehlmenge melden", "Report a short pick"),
    "exceptions.short_pick_hint": (
        "Wie viele Stück fehlen je Position? Sie werden aus Ihrem Bestand ausgebucht und"
        " anderswo beschafft oder warten auf Ware.",
        "How many units are missing per line? They are taken off your stock and sourced"
        " elsewhere or wait for stock.",
    ),
    "exceptions.missing": ("Fehlt", "Missing"),
    "exceptions.missing_for": ("Fehlende Stück für {sku}", "Missing units of {sku}"),
    "exceptions.note": ("Notiz", "Note"),
    "exceptions.short_pick_submit": ("Fehlmenge melden", "Report short pick"),
    "exceptions.request_title": ("Stornierung angefragt", "Cancellation requested"),
    "exceptions.request_hint": (
        "Der Kundenservice hat die Bestellung storniert, während Sie sie bearbeiten. Ware"
        " zurücklegen und annehmen – oder ablehnen, wenn sie schon unterwegs ist.",
        "Customer service cancelled the order while you work on it. Put the goods back and"
        " accept — or decline if it is too late.",
    ),
    "exceptions.request_reason": ("Grund", "Reason"),
    "exceptions.requested_units": (
        "Nur diese Stück: {quantity} × {sku}",
        "Only these units: {quantity} × {sku}",
    ),
    "exceptions.accept_cancellation": ("Stornierung annehmen", "Accept cancellation"),
    "exceptions.decline_cancellation": ("Stornierung ablehnen", "Decline cancellation"),
    "exceptions.decline_note": ("Warum nicht? (Pflicht)", "Why not? (required)"),
    # The order page
    "exceptions.requests_title": ("Stornierungsanfragen", "Cancellation requests"),
    "exceptions.requested_badge": ("Stornierung angefragt", "Cancellation requested"),
    "exceptions.decision.open": ("offen", "open"),
    "exceptions.decision.accepted": ("angenommen", "accepted"),
    "exceptions.decision.declined": ("abgelehnt", "declined"),
    "exceptions.requested_at": ("Angefragt", "Requested"),
    "exceptions.decided_at": ("Entschieden", "Decided"),
    "exceptions.short_picks_title": ("Fehlmengen", "Short picks"),
    "exceptions.short_pick_badge": ("Fehlmenge gemeldet", "Short pick reported"),
    "exceptions.location": ("Standort", "Location"),
    "exceptions.outcome": ("Ergebnis", "Outcome"),
    "exceptions.outcome_line": (
        "{resourced} neu beschafft, {backordered} im Rückstand",
        "{resourced} sourced again, {backordered} backordered",
    ),
    "exceptions.acknowledge": ("Zur Kenntnis genommen", "Acknowledge"),
    "exceptions.acknowledged": ("Gesehen von {actor}", "Seen by {actor}"),
    # Outcomes, shown once after the redirect
    "flash.cancellation_requested": (
        "Storniert, soweit möglich; der Standort, der schon kommissioniert, wurde um"
        " Stornierung gebeten.",
        "Cancelled where possible; the location already picking has been asked to cancel.",
    ),
    "flash.picking_started": (
        "Kommissionierung für #{id} begonnen.",
        "Picking of #{id} has started.",
    ),
    "flash.picking_failed": (
        "Die Kommissionierung konnte nicht beginnen: {detail}",
        "Picking could not start: {detail}",
    ),
    "flash.short_pick_reported": (
        "Fehlmenge für #{id} gemeldet.",
        "The short pick of #{id} has been reported.",
    ),
    "flash.short_pick_failed": (
        "Die Fehlmenge konnte nicht gemeldet werden: {detail}",
        "The short pick could not be reported: {detail}",
    ),
    "flash.short_pick_nothing": (
        "Bitte bei mindestens einer Position die fehlenden Stück eintragen (ganze Zahl).",
        "Please enter the missing units (a whole number) for at least one line.",
    ),
    "flash.cancellation_accepted": (
        "Stornierung von #{id} angenommen.",
        "The cancellation of #{id} has been accepted.",
    ),
    "flash.cancellation_declined": (
        "Stornierung von #{id} abgelehnt.",
        "The cancellation of #{id} has been declined.",
    ),
    "flash.cancellation_failed": (
        "Die Stornierung konnte nicht entschieden werden: {detail}",
        "The cancellation could not be decided: {detail}",
    ),
    "flash.short_pick_acknowledged": (
        "Fehlmenge zur Kenntnis genommen.",
        "The short pick has been acknowledged.",
    ),
    "flash.acknowledge_failed": (
        "Das hat nicht geklappt: {detail}",
        "That did not work: {detail}",
    ),
}
