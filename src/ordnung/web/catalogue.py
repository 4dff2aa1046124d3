"""The back office's words in German and English: message id → (German, English).

A plain table rather than gettext .po/.mo files: two languages and a few hundred short labels
need no compile step, and keeping both languages on one line means neither can be forgotten.
Placeholders use `str.format` names, e.g. `{count}`.
"""

from __future__ import annotations

from ordnung.web import words_changes, words_checks, words_exceptions, words_search

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
    # Navigation of the staff, key and webhook screens
    "nav.fulfillment": ("Fulfillment", "Fulfilment"),
    "nav.users": ("Benutzer", "Users"),
    "nav.api_keys": ("API-Schlüssel", "API keys"),
    "nav.webhooks": ("Webhooks", "Webhooks"),
    # Sign-in security
    "login.throttled": (
        "Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es ab {time} Uhr erneut.",
        "Too many failed sign-ins. Please try again after {time}.",
    ),
    "login.busy": (
        "Gerade melden sich sehr viele gleichzeitig an. Bitte versuchen Sie es in einigen "
        "Sekunden erneut.",
        "Too many sign-ins at this moment. Please try again in a few seconds.",
    ),
    "login.session_ended": (
        "Ihre Sitzung ist beendet. Bitte melden Sie sich erneut an.",
        "Your session has ended. Please sign in again.",
    ),
    "error.back_home": ("Zur Startseite", "Back to the start page"),
    "error.forbidden": (
        "Dafür hat Ihre Rolle keine Berechtigung.",
        "Your role does not allow this.",
    ),
    "error.password_link_invalid": (
        "Dieser Link zum Festlegen des Passworts ist unbekannt, schon benutzt oder abgelaufen.",
        "This link to set a password is unknown, used already or expired.",
    ),
    "error.setup_done": (
        "Ordnung ist bereits eingerichtet. Bitte melden Sie sich an.",
        "Ordnung is set up already. Please sign in.",
    ),
    "error.fulfillment_order_not_found": (
        "Den Fulfillment-Auftrag {id} gibt es nicht.",
        "Fulfilment order {id} does not exist.",
    ),
    "error.user_not_found": ("Den Benutzer {id} gibt es nicht.", "User {id} does not exist."),
    "error.webhook_not_found": (
        "Das Webhook-Abonnement {id} gibt es nicht.",
        "Webhook subscription {id} does not exist.",
    ),
    # First start
    "setup.title": ("Ordnung einrichten", "Set up Ordnung"),
    "setup.intro": (
        "Die Datenbank ist leer. Legen Sie den ersten Administrator, den ersten Verkaufskanal "
        "und das erste Lager an; alles Weitere folgt im Backoffice.",
        "The database is empty. Create the first admin, the first sales channel and the first "
        "location; everything else follows in the back office.",
    ),
    "setup.admin": ("Administrator", "Admin"),
    "setup.channel": ("Erster Verkaufskanal", "First sales channel"),
    "setup.channel_hint": (
        "Woher Bestellungen kommen, z. B. Ihr Online-Shop.",
        "Where orders come from, e.g. your web shop.",
    ),
    "setup.location": ("Erstes Lager", "First location"),
    "setup.location_hint": (
        "Von wo aus versendet wird: ein Lager, eine Filiale, ein Dienstleister.",
        "Where orders ship from: a warehouse, a store, a 3PL.",
    ),
    "setup.code": ("Kürzel", "Code"),
    "setup.code_rule": (
        "Kleinbuchstaben, Ziffern und Bindestriche, höchstens 40 Zeichen",
        "Lower-case letters, digits and hyphens, at most 40 characters",
    ),
    "setup.type": ("Art", "Type"),
    "channel_type.webshop": ("Onlineshop", "Web shop"),
    # Administration: navigation and shared form words
    "nav.catalogue": ("Katalog", "Catalogue"),
    "nav.channels": ("Kanäle", "Channels"),
    "nav.locations": ("Standorte", "Locations"),
    "form.save": ("Speichern", "Save"),
    "form.cancel": ("Abbrechen", "Cancel"),
    "form.has_problems": (
        "Bitte prüfen Sie die markierten Felder; nichts wurde gespeichert.",
        "Please check the marked fields; nothing has been saved.",
    ),
    "form.code_fixed": (
        "Der Code bleibt nach dem Anlegen unverändert.",
        "The code cannot be changed once created.",
    ),
    "error.product_not_found": (
        "Den Artikel {value} gibt es nicht.",
        "Product {value} does not exist.",
    ),
    "error.channel_not_found": (
        "Den Verkaufskanal {value} gibt es nicht.",
        "Sales channel {value} does not exist.",
    ),
    "error.location_not_found": (
        "Den Standort {value} gibt es nicht.",
        "Location {value} does not exist.",
    ),
    "flash.changed_meanwhile": (
        "Der Eintrag wurde inzwischen geändert; nichts wurde gespeichert. Bitte prüfen Sie den "
        "aktuellen Stand und versuchen Sie es erneut.",
        "The entry was changed in the meantime; nothing was saved. Please check the current "
        "state and try again.",
    ),
    "flash.not_saved": (
        "Nichts wurde gespeichert: {detail}",
        "Nothing was saved: {detail}",
    ),
    # Catalogue: product list
    "products.title": ("Katalog", "Catalogue"),
    "products.back": ("Zum Katalog", "Back to the catalogue"),
    "products.new": ("Neuer Artikel", "New product"),
    "products.import": ("CSV importieren", "Import CSV"),
    "products.export_excel": ("CSV für Excel (;)", "CSV for Excel (;)"),
    "products.export_plain": ("CSV mit Komma (,)", "CSV with commas (,)"),
    "products.search_placeholder": ("SKU, Name oder GTIN", "SKU, name or GTIN"),
    "products.status": ("Status", "Status"),
    "products.status_active": ("Aktive", "Active"),
    "products.status_inactive": ("Inaktive", "Inactive"),
    "products.status_all": ("Alle", "All"),
    "products.none": ("Keine Artikel gefunden.", "No products found."),
    "products.count_on_page": (
        "Artikel auf dieser Seite: {count}",
        "Products on this page: {count}",
    ),
    # Catalogue: one product
    "product.sku": ("SKU", "SKU"),
    "product.name": ("Name", "Name"),
    "product.gtin": ("GTIN (EAN)", "GTIN (EAN)"),
    "product.weight": ("Gewicht", "Weight"),
    "product.weight_grams": ("Gewicht in Gramm", "Weight in grams"),
    "product.grams": ("{weight} g", "{weight} g"),
    "product.tax_rate": ("MwSt.-Satz", "VAT rate"),
    "product.active": ("Aktiv", "Active"),
    "product.inactive": ("Inaktiv", "Inactive"),
    "product.new_title": ("Neuer Artikel", "New product"),
    "product.details": ("Stammdaten", "Details"),
    "product.create": ("Artikel anlegen", "Create product"),
    "product.sku_hint": (
        "Bis 64 Zeichen: Buchstaben, Ziffern, Punkt, Unterstrich, Bindestrich. Nach dem Anlegen "
        "nicht mehr änderbar.",
        "Up to 64 characters: letters, digits, dot, underscore, hyphen. Cannot be changed once "
        "created.",
    ),
    "product.gtin_hint": (
        "8, 12, 13 oder 14 Ziffern mit Prüfziffer; leer lassen, wenn es keine gibt.",
        "8, 12, 13 or 14 digits with check digit; leave empty if there is none.",
    ),
    "product.status": ("Verkauf", "Sales status"),
    "product.deactivate": ("Deaktivieren", "Deactivate"),
    "product.reactivate": ("Wieder aktivieren", "Reactivate"),
    "product.deactivate_hint": (
        "Ein deaktivierter Artikel wird nicht mehr verkauft: neue Bestellungen mit ihm werden "
        "gesperrt (unbekannte SKU). Bestehende Bestellungen, Bestand und Buchungen bleiben.",
        "A deactivated product is no longer sold: new orders for it are held (unknown SKU). "
        "Existing orders, stock and its ledger stay as they are.",
    ),
    "product.inactive_hint": (
        "Dieser Artikel wird nicht verkauft und erscheint nicht in der Standardliste. Neue "
        "Bestellungen mit ihm werden gesperrt.",
        "This product is not sold and is left out of the default list. New orders for it are held.",
    ),
    "product.stock": ("Bestand", "Stock"),
    "product.no_stock": ("Noch an keinem Standort eingelagert.", "Not stocked anywhere yet."),
    "product.available_of_on_hand": (
        "{available} verfügbar / {on_hand} am Lager",
        "{available} available / {on_hand} on hand",
    ),
    "tax_class.standard": ("Regelsatz", "standard rate"),
    "tax_class.reduced": ("ermäßigt", "reduced rate"),
    "tax_class.zero": ("steuerfrei", "zero rate"),
    "product.error.sku": (
        "Die SKU fehlt oder enthält andere Zeichen als Buchstaben, Ziffern, Punkt, Unterstrich "
        "und Bindestrich (höchstens 64, beginnend mit Buchstabe oder Ziffer).",
        "The SKU is missing or has characters other than letters, digits, dot, underscore and "
        "hyphen (at most 64, starting with a letter or digit).",
    ),
    "product.error.sku_taken": (
        "Diese SKU ist schon vergeben.",
        "This SKU is already taken.",
    ),
    "product.error.name": (
        "Bitte einen Namen angeben (höchstens 300 Zeichen).",
        "Please give a name (at most 300 characters).",
    ),
    "product.error.gtin": (
        "Keine gültige GTIN: 8, 12, 13 oder 14 Ziffern mit richtiger Prüfziffer.",
        "Not a valid GTIN: 8, 12, 13 or 14 digits with a correct check digit.",
    ),
    "product.error.weight_grams": (
        "Das Gewicht muss eine ganze Zahl von 0 bis 1.000.000 Gramm sein.",
        "The weight must be a whole number from 0 to 1,000,000 grams.",
    ),
    "product.error.tax_class": ("Bitte einen MwSt.-Satz wählen.", "Please choose a VAT rate."),
    "flash.product_created": ("Artikel {sku} wurde angelegt.", "Product {sku} has been created."),
    "flash.product_saved": ("Artikel {sku} wurde gespeichert.", "Product {sku} has been saved."),
    "flash.product_deactivated": (
        "Artikel {sku} wurde deaktiviert und wird nicht mehr verkauft.",
        "Product {sku} has been deactivated and is no longer sold.",
    ),
    "flash.product_reactivated": (
        "Artikel {sku} wird wieder verkauft.",
        "Product {sku} is sold again.",
    ),
    "flash.product_changed_meanwhile": (
        "Artikel {sku} wurde inzwischen geändert; nichts wurde gespeichert. Bitte prüfen Sie den "
        "aktuellen Stand und versuchen Sie es erneut.",
        "Product {sku} was changed in the meantime; nothing was saved. Please check the current "
        "state and try again.",
    ),
    "flash.product_gone": ("Den Artikel {sku} gibt es nicht.", "Product {sku} does not exist."),
    "flash.product_not_saved": (
        "Der Artikel wurde nicht gespeichert: {detail}",
        "The product was not saved: {detail}",
    ),
    # Catalogue: CSV import and export
    "import.title": ("Katalog importieren", "Import catalogue"),
    "import.upload": ("Datei hochladen", "Upload a file"),
    "import.file": ("CSV-Datei", "CSV file"),
    "import.submit": ("Prüfen und importieren", "Check and import"),
    "import.limits": (
        "Höchstens {max_rows} Zeilen und {max_kilobytes} KB.",
        "At most {max_rows} rows and {max_kilobytes} KB.",
    ),
    "import.all_or_nothing": (
        "Jede Zeile wird zuerst geprüft. Hat auch nur eine Zeile einen Fehler, wird nichts "
        "importiert; sonst werden alle Zeilen auf einmal übernommen. Zeilen, die dem "
        "gespeicherten Artikel entsprechen, ändern nichts — dieselbe Datei zweimal zu laden "
        "schadet nicht.",
        "Every row is checked first. If even one row has a problem, nothing is imported; "
        "otherwise all rows are taken over at once. Rows equal to the stored product change "
        "nothing — loading the same file twice does no harm.",
    ),
    "import.format": ("Dateiformat", "File format"),
    "import.format_intro": (
        "Eine Kopfzeile mit den Spaltennamen, dann ein Artikel je Zeile. Trennzeichen Semikolon "
        "oder Komma; UTF-8 (mit oder ohne BOM) oder Windows-1252. Der Export hat dasselbe Format.",
        "A header row with the column names, then one product per row. Separated by semicolons "
        "or commas; UTF-8 (with or without BOM) or Windows-1252. The export has the same format.",
    ),
    "import.format_notes": (
        "Excel zeigt lange GTINs gern als Zahl (4,00638E+12) und speichert sie so; solche Zeilen "
        "werden abgelehnt. Öffnen Sie die Datei über „Daten › Aus Text/CSV“ und wählen Sie für "
        "die GTIN-Spalte „Text“.",
        "Excel likes to show long GTINs as numbers (4.00638E+12) and saves them that way; such "
        "rows are refused. Open the file with “Data › From Text/CSV” and choose “Text” for the "
        "GTIN column.",
    ),
    "import.optional": ("(optional)", "(optional)"),
    "import.column.sku": (
        "Artikelnummer; ein bestehender Artikel wird aktualisiert, sonst neu angelegt.",
        "Product number; an existing product is updated, otherwise created.",
    ),
    "import.column.name": ("Name des Artikels.", "Product name."),
    "import.column.gtin": (
        "GTIN/EAN mit Prüfziffer; leer: keine.",
        "GTIN/EAN with check digit; empty: none.",
    ),
    "import.column.weight_grams": (
        "Gewicht in ganzen Gramm; leer: unbekannt.",
        "Weight in whole grams; empty: unknown.",
    ),
    "import.column.vat_percent": (
        "MwSt.-Satz in Prozent: 19, 7 oder 0.",
        "VAT rate in percent: 19, 7 or 0.",
    ),
    "import.column.active": (
        "1 = wird verkauft, 0 = deaktiviert; leer: unverändert (neue Artikel sind aktiv).",
        "1 = sold, 0 = deactivated; empty: unchanged (new products are active).",
    ),
    "import.error.no_file": ("Bitte eine CSV-Datei wählen.", "Please choose a CSV file."),
    "import.error.no_rows": (
        "Die Datei enthält keine Artikelzeilen; nichts wurde importiert.",
        "The file holds no product rows; nothing was imported.",
    ),
    "import.file.empty_file": (
        "Die Datei ist leer oder hat keine Kopfzeile.",
        "The file is empty or has no header row.",
    ),
    "import.file.missing_columns": (
        "In der Kopfzeile fehlen Spalten: {columns}.",
        "The header row lacks columns: {columns}.",
    ),
    "import.file.unknown_columns": (
        "Unbekannte Spalten in der Kopfzeile: {columns}.",
        "Unknown columns in the header row: {columns}.",
    ),
    "import.file.duplicate_columns": (
        "Spalten stehen doppelt in der Kopfzeile: {columns}.",
        "Columns appear twice in the header row: {columns}.",
    ),
    "import.file.not_csv": (
        "Die Datei ist keine CSV-Textdatei (sie enthält Binärdaten oder überlange Felder).",
        "The file is not a CSV text file (it holds binary data or overlong fields).",
    ),
    "import.file.too_many_rows": (
        "Die Datei hat mehr als {max_rows} Zeilen; bitte teilen Sie sie auf.",
        "The file has more than {max_rows} rows; please split it.",
    ),
    "import.nothing_imported": ("Nichts wurde importiert.", "Nothing was imported."),
    "import.rows_refused": (
        "{file} – Zeilen mit Fehlern: {bad} von {total}.",
        "{file} – rows with problems: {bad} of {total}.",
    ),
    "import.more_problems": (
        "Weitere Fehler, hier nicht gezeigt: {count}.",
        "More problems, not shown here: {count}.",
    ),
    "import.row": ("Zeile", "Row"),
    "import.column": ("Spalte", "Column"),
    "import.value": ("Wert", "Value"),
    "import.problem": ("Fehler", "Problem"),
    "import.error.sku": (
        "SKU fehlt oder ist ungültig (Buchstaben, Ziffern, . _ -, höchstens 64 Zeichen).",
        "SKU missing or invalid (letters, digits, . _ -, at most 64 characters).",
    ),
    "import.error.name": (
        "Name fehlt oder ist länger als 300 Zeichen.",
        "Name missing or longer than 300 characters.",
    ),
    "import.error.gtin": (
        "Keine gültige GTIN (8, 12, 13 oder 14 Ziffern mit Prüfziffer).",
        "Not a valid GTIN (8, 12, 13 or 14 digits with check digit).",
    ),
    "import.error.weight_grams": (
        "Gewicht muss eine ganze Zahl von 0 bis 1.000.000 sein.",
        "Weight must be a whole number from 0 to 1,000,000.",
    ),
    "import.error.vat_percent": (
        "MwSt.-Satz muss 19, 7 oder 0 sein.",
        "VAT rate must be 19, 7 or 0.",
    ),
    "import.error.active": (
        "Aktiv muss 1 oder 0 (ja/nein) sein.",
        "Active must be 1 or 0 (yes/no).",
    ),
    "import.error.duplicate_sku": (
        "Diese SKU steht schon in einer früheren Zeile.",
        "This SKU already appears in an earlier row.",
    ),
    "import.error.extra_cells": (
        "Die Zeile hat mehr Werte als die Kopfzeile Spalten.",
        "The row has more values than the header has columns.",
    ),
    "import.rows_done": (
        "Geschriebene Zeilen: {done} von {total} …",
        "Rows written: {done} of {total} …",
    ),
    "import.done": (
        "Fertig. Übernommene Zeilen: {total} — neu: {created}, geändert: {updated}, "
        "unverändert: {unchanged}.",
        "Done. Rows taken over: {total} — new: {created}, changed: {updated}, "
        "unchanged: {unchanged}.",
    ),
    "import.failed": (
        "Der Import ist fehlgeschlagen: {detail}",
        "The import failed: {detail}",
    ),
    "import.failed_unexpectedly": (
        "Der Import ist unerwartet fehlgeschlagen.",
        "The import failed unexpectedly.",
    ),
    "import.another": ("Weitere Datei importieren", "Import another file"),
    # Stock: booking and the ledger
    "stock.back": ("Zur Bestandsübersicht", "Back to stock"),
    "stock.receive_title": ("Wareneingang buchen", "Book goods receipt"),
    "stock.receive_hint": (
        "Neue Ware an einem Standort einbuchen; wartende Bestellungen bekommen sie sofort.",
        "Book new goods in at a location; orders waiting for them get them at once.",
    ),
    "stock.receive_submit": ("Wareneingang buchen", "Book receipt"),
    "stock.at_location": ("Standort", "Location"),
    "stock.open_position": (
        "Bestand und Buchungen bei {location}",
        "Stock and ledger at {location}",
    ),
    "stock.position": ("Bestandsposition", "Stock position"),
    "stock.figures": ("Bestand", "Figures"),
    "stock.never_stocked": (
        "Hier noch nie eingelagert; die erste Buchung legt die Position an.",
        "Never stocked here; the first booking creates the position.",
    ),
    "stock.receipt": ("Wareneingang", "Goods receipt"),
    "stock.adjustment": ("Korrektur", "Adjustment"),
    "stock.count": ("Inventur", "Stock count"),
    "stock.quantity": ("Menge", "Quantity"),
    "stock.delta": ("Änderung (+/−)", "Change (+/−)"),
    "stock.counted": ("Gezählter Bestand", "Counted on hand"),
    "stock.optional": ("optional", "optional"),
    "stock.reason": ("Grund", "Reason"),
    "stock.receipt_reason_placeholder": ("z. B. Lieferschein 4711", "e.g. delivery note 4711"),
    "stock.adjustment_reason_placeholder": (
        "z. B. Bruch beim Einlagern",
        "e.g. broken while shelving",
    ),
    "stock.count_reason_placeholder": ("z. B. Inventur Regal B3", "e.g. count of shelf B3"),
    "stock.adjust_submit": ("Korrektur buchen", "Book adjustment"),
    "stock.count_submit": ("Zählung buchen", "Book count"),
    "stock.error.sku_required": ("Bitte eine SKU angeben.", "Please give a SKU."),
    "stock.error.unknown_sku": (
        "Diese SKU gibt es im Katalog nicht; bitte legen Sie den Artikel zuerst an.",
        "This SKU is not in the catalogue; please create the product first.",
    ),
    "stock.error.unknown_location": ("Bitte einen Standort wählen.", "Please choose a location."),
    "stock.error.quantity_positive": (
        "Die Menge muss eine ganze Zahl von 1 bis 1.000.000 sein.",
        "The quantity must be a whole number from 1 to 1,000,000.",
    ),
    "stock.error.delta": (
        "Die Änderung muss eine ganze Zahl ungleich null sein, höchstens 1.000.000 in jede "
        "Richtung, z. B. 5 oder −3.",
        "The change must be a whole number other than zero, at most 1,000,000 either way, "
        "e.g. 5 or −3.",
    ),
    "stock.error.not_negative": (
        "Bitte eine ganze Zahl von 0 bis 1.000.000 angeben.",
        "Please give a whole number from 0 to 1,000,000.",
    ),
    "stock.error.reason_too_long": (
        "Der Grund ist zu lang (höchstens 500 Zeichen).",
        "The reason is too long (at most 500 characters).",
    ),
    "flash.stock_received": (
        "{quantity} × {sku} bei {location} eingebucht. Bestand jetzt {on_hand}, verfügbar "
        "{available}.",
        "{quantity} × {sku} received at {location}. On hand now {on_hand}, available {available}.",
    ),
    "flash.stock_adjusted": (
        "Bestand von {sku} bei {location} um {quantity} korrigiert. Bestand jetzt {on_hand}, "
        "verfügbar {available}.",
        "Stock of {sku} at {location} adjusted by {quantity}. On hand now {on_hand}, available "
        "{available}.",
    ),
    "flash.stock_counted": (
        "Zählung von {sku} bei {location} gebucht ({quantity}). Bestand jetzt {on_hand}, "
        "verfügbar {available}.",
        "Count of {sku} at {location} booked ({quantity}). On hand now {on_hand}, available "
        "{available}.",
    ),
    "flash.stock_below_reserved": (
        "Nicht gebucht: {reserved} Stück sind für Bestellungen reserviert, {on_hand} am Lager; "
        "der Bestand darf nicht unter die Reservierungen fallen.",
        "Not booked: {reserved} units are reserved for orders, {on_hand} on hand; stock may "
        "not fall below what is reserved.",
    ),
    "flash.stock_not_booked": ("Nicht gebucht: {detail}", "Not booked: {detail}"),
    "ledger.title": ("Buchungen", "Ledger"),
    "ledger.none": ("Noch keine Buchungen.", "No movements yet."),
    "ledger.time": ("Zeitpunkt", "Time"),
    "ledger.kind": ("Art", "Kind"),
    "ledger.on_hand_delta": ("Bestand ±", "On hand ±"),
    "ledger.reserved_delta": ("Reserviert ±", "Reserved ±"),
    "ledger.on_hand_after": ("Bestand danach", "On hand after"),
    "ledger.reason": ("Grund", "Reason"),
    "ledger.actor": ("Von", "By"),
    "ledger.order": ("Bestellung #{id}", "Order #{id}"),
    "ledger.newest": ("Neueste", "Newest"),
    "ledger.older": ("Ältere", "Older"),
    "movement.receipt": ("Wareneingang", "Receipt"),
    "movement.adjustment": ("Korrektur", "Adjustment"),
    "movement.reservation": ("Reservierung", "Reservation"),
    "movement.release": ("Freigabe", "Release"),
    "movement.shipment": ("Versand", "Shipment"),
    "movement.return": ("Retoure", "Return"),
    "movement.transfer": ("Umlagerung", "Transfer"),
    # Sales channels
    "channels.title": ("Verkaufskanäle", "Sales channels"),
    "channels.back": ("Zu den Verkaufskanälen", "Back to sales channels"),
    "channels.new": ("Neuer Kanal", "New channel"),
    "channels.none": ("Noch keine Verkaufskanäle.", "No sales channels yet."),
    "channel.new_title": ("Neuer Verkaufskanal", "New sales channel"),
    "channel.code": ("Code", "Code"),
    "channel.name": ("Name", "Name"),
    "channel.type": ("Art", "Type"),
    "channel.currency": ("Währung", "Currency"),
    "channel.create": ("Kanal anlegen", "Create channel"),
    "channel.code_hint": (
        "Kleinbuchstaben, Ziffern und Bindestriche, bis 40 Zeichen; nach dem Anlegen nicht mehr "
        "änderbar.",
        "Lower-case letters, digits and hyphens, up to 40 characters; cannot be changed once "
        "created.",
    ),
    "channel.currency_hint": (
        "ISO-4217-Code, z. B. EUR. Gilt für neue Bestellungen; bestehende behalten ihre Währung.",
        "ISO 4217 code, e.g. EUR. Applies to new orders; placed orders keep their currency.",
    ),
    "channel.error.code": (
        "Der Code darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten (1 bis 40 "
        "Zeichen, nicht am Anfang oder Ende ein Bindestrich).",
        "The code may hold only lower-case letters, digits and hyphens (1 to 40 characters, no "
        "hyphen first or last).",
    ),
    "channel.error.code_taken": ("Dieser Code ist schon vergeben.", "This code is already taken."),
    "channel.error.name": (
        "Bitte einen Namen angeben (höchstens 200 Zeichen).",
        "Please give a name (at most 200 characters).",
    ),
    "channel.error.type": ("Bitte eine Art wählen.", "Please choose a type."),
    "channel.error.currency": (
        "Keine bekannte Währung; bitte einen ISO-4217-Code wie EUR angeben.",
        "Not a known currency; please give an ISO 4217 code such as EUR.",
    ),
    "channel_type.marketplace": ("Marktplatz", "Marketplace"),
    "channel_type.store": ("Ladengeschäft", "Store"),
    "channel_type.phone": ("Telefon", "Phone"),
    "channel_type.b2b": ("B2B", "B2B"),
    "setup.currency": ("Währung", "Currency"),
    "setup.street": ("Straße und Hausnummer", "Street"),
    "setup.postal_code": ("PLZ", "Postal code"),
    "setup.city": ("Ort", "City"),
    "setup.country": ("Land", "Country"),
    "setup.country_rule": ("Zwei Buchstaben, z. B. DE", "Two letters, e.g. DE"),
    "setup.submit": ("Einrichten", "Set up"),
    "setup.failed": (
        "Ordnung konnte nicht eingerichtet werden: {detail}",
        "Ordnung could not be set up: {detail}",
    ),
    "setup.done": (
        "Ordnung ist eingerichtet. Willkommen!",
        "Ordnung is set up. Welcome!",
    ),
    "setup.done_elsewhere": (
        "Ordnung wurde soeben von jemand anderem eingerichtet. Bitte melden Sie sich an.",
        "Someone else has just set up Ordnung. Please sign in.",
    ),
    # Passwords
    "password.rule": ("Mindestens 10 Zeichen", "At least 10 characters"),
    "password.repeat": ("Passwort wiederholen", "Repeat the password"),
    "password.mismatch": (
        "Die beiden Passwörter stimmen nicht überein.",
        "The two passwords do not match.",
    ),
    "password.refused": (
        "Das Passwort wurde nicht gespeichert: {detail}",
        "The password was not saved: {detail}",
    ),
    "password.set": (
        "Ihr Passwort ist gespeichert. Bitte melden Sie sich an.",
        "Your password has been saved. Please sign in.",
    ),
    "password.title": ("Passwort festlegen", "Choose a password"),
    "password.for": ("Für {name} ({email})", "For {name} ({email})"),
    "password.submit": ("Passwort speichern", "Save password"),
    "language.de": ("Deutsch", "German"),
    "language.en": ("Englisch", "English"),
    # Users
    "users.title": ("Benutzer", "Users"),
    "users.new": ("Neuer Benutzer", "New user"),
    "users.name": ("Name", "Name"),
    "users.role": ("Rolle", "Role"),
    "users.status": ("Status", "Status"),
    "users.active": ("Aktiv", "Active"),
    "users.deactivated": ("Deaktiviert", "Deactivated"),
    "users.no_password_yet": ("Noch kein Passwort", "No password yet"),
    "users.language": ("Sprache", "Language"),
    "users.choose_role": ("Rolle wählen", "Choose a role"),
    "users.location": ("Lager", "Location"),
    "users.no_location": ("Kein Lager (alle)", "No location (all)"),
    "users.location_hint": (
        "Nur für die Rolle Lager: Der Benutzer sieht dann nur die Aufträge dieses Lagers.",
        "Only for the warehouse role: the user then sees only this location's work.",
    ),
    "users.mode_link": (
        "Einmal-Link erzeugen, mit dem der Benutzer sein Passwort selbst festlegt",
        "Make a one-time link with which the user chooses their password",
    ),
    "users.mode_password": ("Passwort selbst vergeben", "Set a password now"),
    "users.initial_password": ("Erstes Passwort", "Initial password"),
    "users.create": ("Benutzer anlegen", "Create user"),
    "users.create_failed": (
        "Der Benutzer wurde nicht angelegt: {detail}",
        "The user was not created: {detail}",
    ),
    "users.created": ("{name} wurde angelegt.", "{name} has been created."),
    "users.link_title": ("Einmal-Link zum Passwort", "One-time link to the password"),
    "users.link_hint": (
        "Geben Sie diesen Link dem Benutzer. Er wird nur jetzt angezeigt, gilt drei Tage und "
        "nur einmal.",
        "Give this link to the user. It is shown only now, works for three days and only once.",
    ),
    "users.account": ("Zugang", "Account"),
    "users.password_is_set": ("Gesetzt", "Set"),
    "users.link_open": ("Einmal-Link offen", "One-time link open"),
    "users.edit": ("Ändern", "Edit"),
    "users.save": ("Speichern", "Save"),
    "users.reset_password": ("Passwort zurücksetzen", "Reset password"),
    "users.reset_hint": (
        "Das bisherige Passwort gilt danach nicht mehr, und alle Sitzungen des Benutzers enden.",
        "The old password stops working, and every session of the user ends.",
    ),
    "users.new_password": ("Neues Passwort", "New password"),
    "users.reset_submit": ("Zurücksetzen", "Reset"),
    "users.access": ("Zugriff", "Access"),
    "users.deactivate_hint": (
        "Ein deaktivierter Benutzer kann sich nicht mehr anmelden; offene Sitzungen enden sofort.",
        "A deactivated user can no longer sign in; open sessions end at once.",
    ),
    "users.deactivate": ("Deaktivieren", "Deactivate"),
    "users.reactivate": ("Wieder aktivieren", "Reactivate"),
    "users.done_changed": ("Die Änderungen sind gespeichert.", "The changes have been saved."),
    "users.done_deactivated": ("Der Benutzer ist deaktiviert.", "The user is deactivated."),
    "users.done_reactivated": ("Der Benutzer ist wieder aktiv.", "The user is active again."),
    "users.done_password_set": (
        "Das neue Passwort ist gesetzt; alle Sitzungen des Benutzers sind beendet.",
        "The new password is set; every session of the user has ended.",
    ),
    "users.done_link_made": (
        "Das alte Passwort gilt nicht mehr. Geben Sie dem Benutzer den Einmal-Link unten.",
        "The old password no longer works. Give the user the one-time link below.",
    ),
    "users.change_failed": (
        "Das hat nicht geklappt: {detail}",
        "That did not work: {detail}",
    ),
    # Roles and permissions
    "roles.title": ("Rollen", "Roles"),
    "roles.intro": (
        "Jeder Benutzer hat eine Rolle; die Rolle bestimmt, was er sehen und tun darf.",
        "Every user has one role; the role decides what they may see and do.",
    ),
    "roles.location_bound": (
        "An ein Lager gebunden: sieht nur die Aufträge dieses Lagers.",
        "Bound to one location: sees only that location's work.",
    ),
    "role.admin": ("Administrator", "Admin"),
    "role.operations": ("Operations", "Operations"),
    "role.customer_service": ("Kundenservice", "Customer service"),
    "role.warehouse": ("Lager", "Warehouse"),
    "role.finance": ("Buchhaltung", "Finance"),
    "role_hint.admin": (
        "Darf alles, auch Benutzer, API-Schlüssel und Webhooks verwalten.",
        "May do everything, including users, API keys and webhooks.",
    ),
    "role_hint.operations": (
        "Bestellungen, Fulfillment, Bestand, Kanäle, Lager und Katalog.",
        "Orders, fulfilment, stock, channels, locations and the catalogue.",
    ),
    "role_hint.customer_service": (
        "Liest Bestellungen, storniert sie und hebt Sperren auf.",
        "Reads orders, cancels them and releases holds.",
    ),
    "role_hint.warehouse": (
        "Nimmt die Fulfillment-Aufträge seines Lagers an, versendet oder lehnt sie ab.",
        "Accepts, ships or rejects their location's fulfilment orders.",
    ),
    "role_hint.finance": ("Liest Bestellungen.", "Reads orders."),
    "permission.orders:read": ("Bestellungen ansehen", "See orders"),
    "permission.orders:write": (
        "Bestellungen stornieren, Sperren aufheben",
        "Cancel orders, release holds",
    ),
    "permission.fulfillment:read": ("Fulfillment-Aufträge ansehen", "See fulfilment orders"),
    "permission.fulfillment:write": (
        "Fulfillment-Aufträge annehmen, versenden, ablehnen",
        "Accept, ship, reject fulfilment orders",
    ),
    "permission.stock:read": ("Bestand ansehen", "See stock"),
    "permission.stock:write": ("Bestand buchen", "Book stock"),
    "permission.catalog:read": ("Katalog ansehen", "See the catalogue"),
    "permission.catalog:write": ("Katalog pflegen", "Edit the catalogue"),
    "permission.channels:read": ("Verkaufskanäle ansehen", "See sales channels"),
    "permission.channels:write": ("Verkaufskanäle pflegen", "Edit sales channels"),
    "permission.locations:read": ("Lager ansehen", "See locations"),
    "permission.locations:write": ("Lager pflegen", "Edit locations"),
    "permission.users:manage": ("Benutzer und Rollen verwalten", "Manage users and roles"),
    "permission.api_keys:manage": ("API-Schlüssel verwalten", "Manage API keys"),
    "permission.webhooks:manage": ("Webhooks verwalten", "Manage webhooks"),
    # The fulfilment work list
    "work.title": ("Fulfillment-Aufträge", "Fulfilment orders"),
    "work.fulfillment_order": ("Fulfillment-Auftrag", "Fulfilment order"),
    "work.none": ("Keine Fulfillment-Aufträge gefunden.", "No fulfilment orders found."),
    "work.actions": ("Bearbeiten", "Work on it"),
    # One's own account
    "account.title": ("Mein Zugang", "My account"),
    "account.failed": ("Das hat nicht geklappt: {detail}", "That did not work: {detail}"),
    "account.language_saved": ("Die Sprache ist gespeichert.", "The language has been saved."),
    "account.password_changed": (
        "Ihr Passwort ist geändert; Ihre anderen Sitzungen sind beendet.",
        "Your password has been changed; your other sessions have ended.",
    ),
    "account.change_password": ("Passwort ändern", "Change password"),
    "account.change_password_hint": (
        "Danach enden alle anderen Sitzungen dieses Zugangs.",
        "Afterwards every other session of this account ends.",
    ),
    "account.current_password": ("Aktuelles Passwort", "Current password"),
    "account.sessions": ("Sitzungen", "Sessions"),
    "account.sessions_hint": (
        "Meldet diesen Zugang auf allen Geräten ab, auch hier.",
        "Signs this account out on every device, this one included.",
    ),
    "account.sign_out_everywhere": ("Überall abmelden", "Sign out everywhere"),
    # API keys
    "api_keys.title": ("API-Schlüssel", "API keys"),
    "api_keys.token_title": ("Neuer Schlüssel", "New key"),
    "api_keys.token_hint": (
        "Kopieren Sie den Schlüssel jetzt. Er wird nur dieses eine Mal angezeigt.",
        "Copy the key now. It is shown only this once.",
    ),
    "api_keys.name": ("Name", "Name"),
    "api_keys.scopes": ("Berechtigungen", "Scopes"),
    "api_keys.bound_to": ("Nur Lager {location}", "Only location {location}"),
    "api_keys.created_at": ("Erstellt {time}", "Created {time}"),
    "api_keys.revoked_state": ("Widerrufen", "Revoked"),
    "api_keys.revoke": ("Widerrufen", "Revoke"),
    "api_keys.revoke_named": ("{name} widerrufen", "Revoke {name}"),
    "api_keys.none": ("Noch keine API-Schlüssel.", "No API keys yet."),
    "api_keys.new": ("Neuer API-Schlüssel", "New API key"),
    "api_keys.no_location": ("Alle Lager", "All locations"),
    "api_keys.location_hint": (
        "Ein an ein Lager gebundener Schlüssel (3PL, Filiale) darf nur {scopes} tragen.",
        "A key bound to a location (3PL, store) may only carry {scopes}.",
    ),
    "api_keys.create": ("Schlüssel erzeugen", "Create key"),
    "api_keys.create_failed": (
        "Der Schlüssel wurde nicht erzeugt: {detail}",
        "The key was not created: {detail}",
    ),
    "api_keys.created": ("Der Schlüssel {name} ist erzeugt.", "The key {name} has been created."),
    "api_keys.revoke_failed": (
        "Der Schlüssel wurde nicht widerrufen: {detail}",
        "The key was not revoked: {detail}",
    ),
    "api_keys.revoked": (
        "Der Schlüssel ist widerrufen; er gilt spätestens in wenigen Sekunden nicht mehr.",
        "The key has been revoked; it stops working within seconds.",
    ),
    # Webhooks
    "webhooks.title": ("Webhooks", "Webhooks"),
    "webhooks.url": ("URL", "URL"),
    "webhooks.events": ("Ereignisse", "Events"),
    "webhooks.all_events": ("Alle Ereignisse", "All events"),
    "webhooks.none": ("Noch keine Webhook-Abonnements.", "No webhook subscriptions yet."),
    "webhooks.new": ("Neues Abonnement", "New subscription"),
    "webhooks.description": ("Beschreibung", "Description"),
    "webhooks.create": ("Abonnieren", "Subscribe"),
    "webhooks.create_failed": (
        "Das Abonnement wurde nicht angelegt: {detail}",
        "The subscription was not created: {detail}",
    ),
    "webhooks.created": ("Das Abonnement ist angelegt.", "The subscription has been created."),
    "webhooks.subscription": ("Abonnement {id}", "Subscription {id}"),
    "webhooks.secret_title": ("Signaturschlüssel", "Signing secret"),
    "webhooks.secret_hint": (
        "Damit prüft der Empfänger die Signatur jeder Zustellung. Er wird nur dieses eine Mal "
        "angezeigt.",
        "The receiver checks each delivery's signature with it. It is shown only this once.",
    ),
    "webhooks.deactivate": ("Deaktivieren", "Deactivate"),
    "webhooks.deliveries": ("Zustellungen", "Deliveries"),
    "webhooks.event": ("Ereignis", "Event"),
    "webhooks.last_answer": ("Letzte Antwort", "Last answer"),
    "webhooks.attempts": ("Versuche: {count}", "Attempts: {count}"),
    "webhooks.replay": ("Erneut senden", "Send again"),
    "webhooks.delivered_at": ("Zugestellt {time}", "Delivered {time}"),
    "webhooks.next_attempt": ("Nächster Versuch {time}", "Next attempt {time}"),
    "webhooks.no_deliveries": ("Noch keine Zustellungen.", "No deliveries yet."),
    "webhooks.change_failed": ("Das hat nicht geklappt: {detail}", "That did not work: {detail}"),
    "webhooks.deactivated": (
        "Das Abonnement ist deaktiviert; wartende Zustellungen sind verworfen.",
        "The subscription is deactivated; waiting deliveries were dropped.",
    ),
    "webhooks.replayed": (
        "Zustellung #{id} wird erneut gesendet.",
        "Delivery #{id} will be sent again.",
    ),
    "delivery.pending": ("Ausstehend", "Pending"),
    "delivery.delivered": ("Zugestellt", "Delivered"),
    "delivery.dead": ("Aufgegeben", "Dead"),
    "flash.channel_created": ("Kanal {code} wurde angelegt.", "Channel {code} has been created."),
    "flash.channel_saved": ("Kanal {code} wurde gespeichert.", "Channel {code} has been saved."),
    # Locations
    "locations.title": ("Standorte", "Locations"),
    "locations.back": ("Zu den Standorten", "Back to locations"),
    "locations.new": ("Neuer Standort", "New location"),
    "locations.none": ("Noch keine Standorte.", "No locations yet."),
    "locations.order_hint": (
        "In der Reihenfolge, in der die Beschaffung sie fragt: kleinere Priorität zuerst.",
        "In the order sourcing asks them: lower priority first.",
    ),
    "location.new_title": ("Neuer Standort", "New location"),
    "location.details": ("Stammdaten", "Details"),
    "location.code": ("Code", "Code"),
    "location.name": ("Name", "Name"),
    "location.type": ("Art", "Type"),
    "location.capabilities": ("Fähigkeiten", "Capabilities"),
    "location.priority": ("Priorität", "Priority"),
    "location.priority_hint": (
        "0 bis 1.000.000; kleinere Zahlen werden bei der Beschaffung zuerst gefragt.",
        "0 to 1,000,000; lower numbers are asked first by sourcing.",
    ),
    "location.address": ("Adresse", "Address"),
    "location.street": ("Straße und Hausnummer", "Street and number"),
    "location.postal_code": ("PLZ", "Postcode"),
    "location.city": ("Ort", "City"),
    "location.country": ("Land", "Country"),
    "location.create": ("Standort anlegen", "Create location"),
    "location.error.code": (
        "Der Code darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten (1 bis 40 "
        "Zeichen, nicht am Anfang oder Ende ein Bindestrich).",
        "The code may hold only lower-case letters, digits and hyphens (1 to 40 characters, no "
        "hyphen first or last).",
    ),
    "location.error.code_taken": ("Dieser Code ist schon vergeben.", "This code is already taken."),
    "location.error.name": (
        "Bitte einen Namen angeben (höchstens 200 Zeichen).",
        "Please give a name (at most 200 characters).",
    ),
    "location.error.type": ("Bitte eine Art wählen.", "Please choose a type."),
    "location.error.capabilities": (
        "Bitte nur angebotene Fähigkeiten wählen.",
        "Please choose only the capabilities offered.",
    ),
    "location.error.priority": (
        "Die Priorität muss eine ganze Zahl von 0 bis 1.000.000 sein.",
        "The priority must be a whole number from 0 to 1,000,000.",
    ),
    "location.error.street": (
        "Bitte Straße und Hausnummer angeben (höchstens 200 Zeichen).",
        "Please give street and number (at most 200 characters).",
    ),
    "location.error.postal_code": (
        "Bitte die PLZ angeben (höchstens 20 Zeichen).",
        "Please give the postcode (at most 20 characters).",
    ),
    "location.error.city": (
        "Bitte den Ort angeben (höchstens 120 Zeichen).",
        "Please give the city (at most 120 characters).",
    ),
    "location.error.country": (
        "Bitte ein Land wählen (ISO-3166-Code).",
        "Please choose a country (ISO 3166 code).",
    ),
    "location_type.warehouse": ("Lager", "Warehouse"),
    "location_type.store": ("Filiale", "Store"),
    "location_type.supplier": ("Lieferant (Streckengeschäft)", "Supplier (drop-ship)"),
    "location_type.3pl": ("Logistikdienstleister (3PL)", "Logistics provider (3PL)"),
    "capability.ship": ("Versand", "Ships parcels"),
    "capability.pickup": ("Abholung", "Pickup"),
    "capability.ship_from_store": ("Versand aus der Filiale", "Ship from store"),
    "capability.dropship": ("Streckengeschäft", "Drop-ship"),
    "flash.location_created": (
        "Standort {code} wurde angelegt.",
        "Location {code} has been created.",
    ),
    "flash.location_saved": (
        "Standort {code} wurde gespeichert.",
        "Location {code} has been saved.",
    ),
}
MESSAGES.update(words_search.WORDS)
MESSAGES.update(words_checks.WORDS)
MESSAGES.update(words_changes.WORDS)
MESSAGES.update(words_exceptions.WORDS)
