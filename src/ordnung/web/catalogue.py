"""The back office's words in German and English: message id → (German, English).

A plain table rather than gettext .po/.mo files: two languages and a few hundred short labels
need no compile step, and keeping both languages on one line means neither can be forgotten.
Placeholders use `str.format` names, e.g. `{count}`.
"""

from __future__ import annotations

from ordnung.web import (
    words_admin,
    words_changes,
    words_checks,
    words_connectors,
    words_exceptions,
    words_holds_policy,
    words_packing,
    words_pickup,
    words_promise,
    words_purchasing,
    words_queue,
    words_returned_parcels,
    words_search,
    words_sourcing,
    words_staff,
    words_stockops,
    words_waves,
)

MESSAGES: dict[str, tuple[str, str]] = {
    # Frame
    "app.name": ("Ordnung", "Ordnung"),
    "app.tagline": ("Auftragsverwaltung", "Order management"),
    "nav.orders": ("Bestellungen", "Orders"),
    "nav.stock": ("Bestand", "Stock"),
    "nav.dashboard": ("Übersicht", "Dashboard"),
    "nav.logout": ("Abmelden", "Sign out"),
    "nav.language_switch": ("English", "Deutsch"),
    "nav.signed_in_as": ("Angemeldet als {name}", "Signed in as {name}"),
    "nav.main": ("Hauptnavigation", "Main navigation"),
    # Login
    "login.title": ("Anmelden", "Sign in"),
    "login.email": ("E-Mail", "E-mail"),
    "login.password": ("Passwort", "Password"),
    "login.submit": ("Anmelden", "Sign in"),
    "login.failed": (
        "E-Mail oder Passwort ist falsch.",
        "The e-mail address or password is wrong.",
    ),
    "login.signed_out": ("Sie wurden abgemeldet.", "You have been signed out."),
    # Errors
    "error.csrf": (
        "Das Formular ist abgelaufen. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
        "The form has expired. Please reload the page and try again.",
    ),
    "error.not_found": ("Nicht gefunden", "Not found"),
    "error.order_not_found": (
        "Die Bestellung {id} gibt es nicht.",
        "Order {id} does not exist.",
    ),
    "error.back_to_orders": ("Zurück zu den Bestellungen", "Back to orders"),
    "error.invalid_date": (
        "Bitte ein gültiges Datum eingeben (JJJJ-MM-TT).",
        "Please enter a valid date (YYYY-MM-DD).",
    ),
    "error.invalid_cursor": (
        "Der Seitenverweis ist ungültig; es wird die erste Seite gezeigt.",
        "The page link is invalid; showing the first page.",
    ),
    # Order list
    "orders.title": ("Bestellungen", "Orders"),
    "orders.search": ("Suche", "Search"),
    "orders.search_placeholder": (
        "Nummer, externe ID, E-Mail oder Name",
        "Number, external id, e-mail or name",
    ),
    "orders.filter": ("Filtern", "Filter"),
    "orders.reset": ("Zurücksetzen", "Reset"),
    "orders.all_statuses": ("Alle Status", "All statuses"),
    "orders.all_channels": ("Alle Kanäle", "All channels"),
    "orders.created_from": ("Erstellt ab", "Created from"),
    "orders.created_to": ("Erstellt bis", "Created to"),
    "orders.next_page": ("Nächste Seite", "Next page"),
    "orders.first_page": ("Erste Seite", "First page"),
    "orders.none": ("Keine Bestellungen gefunden.", "No orders found."),
    "orders.count_on_page": (
        "{count} Bestellungen auf dieser Seite",
        "{count} orders on this page",
    ),
    # Order fields
    "order.number": ("Nummer", "Number"),
    "order.channel": ("Kanal", "Channel"),
    "order.external_id": ("Externe ID", "External id"),
    "order.status": ("Status", "Status"),
    "order.customer": ("Kunde", "Customer"),
    "order.email": ("E-Mail", "E-mail"),
    "order.total": ("Summe", "Total"),
    "order.lines": ("Positionen", "Lines"),
    "order.created_at": ("Erstellt", "Created"),
    "order.placed_at": ("Bestellt am", "Placed at"),
    "order.updated_at": ("Geändert", "Updated"),
    "order.version": ("Version", "Version"),
    "order.billing_address": ("Rechnungsadresse", "Billing address"),
    "order.shipping_address": ("Lieferadresse", "Shipping address"),
    "order.shipping_method": ("Versandart", "Shipping method"),
    "order.totals": ("Beträge", "Totals"),
    "order.subtotal": ("Zwischensumme", "Subtotal"),
    "order.shipping": ("Versand", "Shipping"),
    "order.tax": ("MwSt.", "VAT"),
    "order.back": ("Alle Bestellungen", "All orders"),
    "order.overview": ("Bestellung", "Order"),
    # Order lines
    "line.number": ("Pos.", "No."),
    "line.sku": ("SKU", "SKU"),
    "line.name": ("Artikel", "Item"),
    "line.unit_price": ("Einzelpreis", "Unit price"),
    "line.discount": ("Rabatt", "Discount"),
    "line.tax_rate": ("MwSt.-Satz", "VAT rate"),
    "line.line_total": ("Gesamt", "Line total"),
    "line.ordered": ("Bestellt", "Ordered"),
    "line.open": ("Offen", "Open"),
    "line.allocated": ("Zugeteilt", "Allocated"),
    "line.shipped": ("Versandt", "Shipped"),
    "line.cancelled": ("Storniert", "Cancelled"),
    "line.returned": ("Retourniert", "Returned"),
    # Holds
    "holds.title": ("Sperren", "Holds"),
    "holds.none": ("Keine Sperren.", "No holds."),
    "holds.reason": ("Grund", "Reason"),
    "holds.detail": ("Details", "Detail"),
    "holds.created_at": ("Gesetzt", "Placed"),
    "holds.released": ("Aufgehoben", "Released"),
    "holds.active": ("Aktiv", "Active"),
    "holds.release_note": ("Notiz", "Note"),
    "holds.action": ("Aktion", "Action"),
    "hold.address": ("Adresse", "Address"),
    "hold.payment": ("Zahlung", "Payment"),
    "hold.fraud": ("Betrugsverdacht", "Fraud"),
    "hold.credit": ("Kreditlimit", "Credit"),
    "hold.totals_mismatch": ("Summen stimmen nicht", "Totals mismatch"),
    "hold.unknown_sku": ("Unbekannte SKU", "Unknown SKU"),
    "hold.manual": ("Manuell", "Manual"),
    # Fulfilment
    "fulfillment.title": ("Fulfillment-Aufträge", "Fulfilment orders"),
    "fulfillment.none": ("Noch keine Fulfillment-Aufträge.", "No fulfilment orders yet."),
    "fulfillment.location": ("Lager", "Location"),
    "fulfillment.reject_reason": ("Ablehnungsgrund", "Reason for rejection"),
    "fulfillment.quantity": ("Menge", "Quantity"),
    "fulfillment.shipped_quantity": ("Versandt", "Shipped"),
    # Shipments
    "shipments.title": ("Sendungen", "Shipments"),
    "shipments.none": ("Noch keine Sendungen.", "No shipments yet."),
    "shipments.carrier": ("Versender", "Carrier"),
    "shipments.service": ("Service", "Service"),
    "shipments.tracking_number": ("Sendungsnummer", "Tracking number"),
    "shipments.shipped_at": ("Versandt am", "Shipped at"),
    "carrier.dhl": ("DHL", "DHL"),
    "carrier.dpd": ("DPD", "DPD"),
    "carrier.hermes": ("Hermes", "Hermes"),
    "carrier.gls": ("GLS", "GLS"),
    "carrier.ups": ("UPS", "UPS"),
    "carrier.fedex": ("FedEx", "FedEx"),
    "carrier.go": ("GO!", "GO!"),
    "carrier.deutsche_post": ("Deutsche Post", "Deutsche Post"),
    "carrier.other": ("Sonstige", "Other"),
    # Timeline
    "timeline.title": ("Verlauf", "Timeline"),
    "timeline.none": ("Noch keine Ereignisse.", "No events yet."),
    "timeline.event": ("Ereignis", "Event"),
    "timeline.actor": ("Ausgelöst von", "Actor"),
    "timeline.occurred_at": ("Zeitpunkt", "Time"),
    "actor.system": ("System", "System"),
    "actor.api_key": ("API-Schlüssel {name}", "API key {name}"),
    "actor.staff": ("{name}", "{name}"),
    "event.order.received": ("Bestellung eingegangen", "Order received"),
    "event.order.held": ("Bestellung gesperrt", "Order put on hold"),
    "event.order.hold_released": ("Sperre aufgehoben", "Hold released"),
    "event.order.validated": ("Bestellung geprüft", "Order validated"),
    "event.order.backordered": ("Im Rückstand", "Backordered"),
    "event.order.allocated": ("Bestand zugeteilt", "Stock allocated"),
    "event.order.partially_shipped": ("Teilweise versandt", "Partially shipped"),
    "event.order.shipped": ("Bestellung versandt", "Order shipped"),
    "event.order.cancelled": ("Bestellung storniert", "Order cancelled"),
    "event.fulfillment_order.released": (
        "Fulfillment-Auftrag freigegeben",
        "Fulfilment order released",
    ),
    "event.fulfillment_order.accepted": (
        "Fulfillment-Auftrag angenommen",
        "Fulfilment order accepted",
    ),
    "event.fulfillment_order.rejected": (
        "Fulfillment-Auftrag abgelehnt",
        "Fulfilment order rejected",
    ),
    "event.fulfillment_order.shipped": (
        "Fulfillment-Auftrag versandt",
        "Fulfilment order shipped",
    ),
    "event.fulfillment_order.cancelled": (
        "Fulfillment-Auftrag storniert",
        "Fulfilment order cancelled",
    ),
    "event.shipment.shipped": ("Sendung verschickt", "Shipment sent"),
    "event.stock.changed": ("Bestand geändert", "Stock changed"),
    # Order statuses
    "status.received": ("Eingegangen", "Received"),
    "status.validated": ("Geprüft", "Validated"),
    "status.on_hold": ("Gesperrt", "On hold"),
    "status.backordered": ("Im Rückstand", "Backordered"),
    "status.allocated": ("Zugeteilt", "Allocated"),
    "status.partially_shipped": ("Teilversandt", "Partially shipped"),
    "status.shipped": ("Versandt", "Shipped"),
    "status.delivered": ("Zugestellt", "Delivered"),
    "status.completed": ("Abgeschlossen", "Completed"),
    "status.cancelled": ("Storniert", "Cancelled"),
    # Fulfilment order and shipment statuses (shared words reuse the keys above)
    "status.released": ("Freigegeben", "Released"),
    "status.accepted": ("Angenommen", "Accepted"),
    "status.picking": ("In Kommissionierung", "Picking"),
    "status.packed": ("Verpackt", "Packed"),
    "status.ready_for_pickup": ("Abholbereit", "Ready for pickup"),
    "status.picked_up": ("Abgeholt", "Picked up"),
    "status.rejected": ("Abgelehnt", "Rejected"),
    "status.in_transit": ("Unterwegs", "In transit"),
    "status.out_for_delivery": ("In Zustellung", "Out for delivery"),
    "status.exception": ("Problem", "Exception"),
    "status.returned_to_sender": ("Zurück an Absender", "Returned to sender"),
    # Stock
    "stock.title": ("Bestandsübersicht", "Stock overview"),
    "stock.search_placeholder": ("SKU oder Artikelname", "SKU or product name"),
    "stock.all_locations": ("Alle Lager", "All locations"),
    "stock.location": ("Lager", "Location"),
    "stock.sku": ("SKU", "SKU"),
    "stock.name": ("Artikel", "Product"),
    "stock.on_hand": ("Bestand", "On hand"),
    "stock.reserved": ("Reserviert", "Reserved"),
    "stock.safety_stock": ("Sicherheitsbestand", "Safety stock"),
    "stock.available": ("Verfügbar", "Available"),
    "stock.total": ("Gesamt", "Total"),
    "stock.none": ("Keine Bestände gefunden.", "No stock found."),
    "stock.legend": (
        "Je Lager: verfügbar (Bestand / reserviert / Sicherheitsbestand)",
        "Per location: available (on hand / reserved / safety stock)",
    ),
    # Actions on the order page
    "actions.cancel_title": ("Bestellung stornieren", "Cancel order"),
    "actions.cancel_hint": (
        "Storniert alle noch nicht versandten Positionen und gibt den Bestand frei.",
        "Cancels every unit not yet shipped and gives its stock back.",
    ),
    "actions.cancel_reason": ("Anmerkung zum Storno", "Note on the cancellation"),
    "actions.cancel_submit": ("Stornieren", "Cancel order"),
    "actions.release_note": ("Notiz zur Freigabe", "Release note"),
    "actions.release_submit": ("Aufheben", "Release"),
    "actions.choose_carrier": ("Versender wählen", "Choose carrier"),
    "actions.tracking_number_hint": (
        "3 bis 80 Zeichen: Buchstaben, Ziffern und Bindestrich",
        "3 to 80 characters: letters, digits and hyphens",
    ),
    "actions.ship_submit": ("Versenden", "Ship"),
    "actions.accept_submit": ("Annehmen", "Accept"),
    "actions.reject_open": ("Ablehnen …", "Reject …"),
    "actions.reject_submit": ("Ablehnen", "Reject"),
    # Outcomes of those actions, shown once after the redirect
    "flash.order_cancelled": ("Die Bestellung wurde storniert.", "The order has been cancelled."),
    "flash.hold_released": ("Die Sperre wurde aufgehoben.", "The hold has been released."),
    "flash.fulfillment_accepted": (
        "Fulfillment-Auftrag #{id} wurde angenommen.",
        "Fulfilment order #{id} has been accepted.",
    ),
    "flash.fulfillment_shipped": (
        "Fulfillment-Auftrag #{id} wurde versandt (Sendungsnummer {tracking_number}).",
        "Fulfilment order #{id} has been shipped (tracking number {tracking_number}).",
    ),
    "flash.fulfillment_rejected": (
        "Fulfillment-Auftrag #{id} wurde abgelehnt.",
        "Fulfilment order #{id} has been rejected.",
    ),
    "flash.cancel_failed": (
        "Die Bestellung konnte nicht storniert werden: {detail}",
        "The order could not be cancelled: {detail}",
    ),
    "flash.release_failed": (
        "Die Sperre konnte nicht aufgehoben werden: {detail}",
        "The hold could not be released: {detail}",
    ),
    "flash.accept_failed": (
        "Der Fulfillment-Auftrag konnte nicht angenommen werden: {detail}",
        "The fulfilment order could not be accepted: {detail}",
    ),
    "flash.ship_failed": (
        "Der Fulfillment-Auftrag konnte nicht versandt werden: {detail}",
        "The fulfilment order could not be shipped: {detail}",
    ),
    "flash.reject_failed": (
        "Der Fulfillment-Auftrag konnte nicht abgelehnt werden: {detail}",
        "The fulfilment order could not be rejected: {detail}",
    ),
    "flash.stale_version": (
        "Die Bestellung wurde inzwischen geändert; nichts wurde gespeichert. Bitte prüfen Sie "
        "den aktuellen Stand und versuchen Sie es erneut. ({detail})",
        "The order was changed in the meantime; nothing was saved. Please check the current "
        "state and try again. ({detail})",
    ),
    "flash.reason_required": ("Bitte einen Grund angeben.", "Please give a reason."),
    "flash.note_required": ("Bitte eine Notiz angeben.", "Please write a note."),
    "flash.too_long": (
        "Der Text ist zu lang (höchstens {max} Zeichen).",
        "The text is too long (at most {max} characters).",
    ),
    "flash.unknown_carrier": ("Bitte einen Versender wählen.", "Please choose a carrier."),
    "flash.bad_tracking_number": (
        "Die Sendungsnummer muss 3 bis 80 Zeichen lang sein und darf nur Buchstaben, Ziffern "
        "und Bindestriche enthalten.",
        "The tracking number must be 3 to 80 characters long and contain only letters, digits "
        "and hyphens.",
    ),
    "flash.form_outdated": (
        "Das Formular ist unvollständig. Bitte laden Sie die Seite neu.",
        "The form is incomplete. Please reload the page.",
    ),
    # Dashboard
    "dashboard.title": ("Übersicht", "Dashboard"),
    "dashboard.orders_by_status": ("Bestellungen nach Status", "Orders by status"),
    "dashboard.total_orders": ("Bestellungen gesamt", "Orders in total"),
}


# Each capability keeps its words in a module of its own; a key may be defined only once.
for _words in (
    words_admin.WORDS,
    words_staff.WORDS,
    words_search.WORDS,
    words_checks.WORDS,
    words_changes.WORDS,
    words_exceptions.WORDS,
    words_purchasing.WORDS,
    words_promise.WORDS,
    words_queue.WORDS,
    words_stockops.WORDS,
    words_holds_policy.WORDS,
    words_sourcing.WORDS,
    words_waves.WORDS,
    words_connectors.WORDS,
    words_pickup.WORDS,
    words_packing.WORDS,
    words_returned_parcels.WORDS,
):
    _clashes = MESSAGES.keys() & _words.keys()
    if _clashes:
        raise RuntimeError(f"message ids defined twice: {sorted(_clashes)}")
    MESSAGES.update(_words)
