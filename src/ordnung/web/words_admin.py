"""The back office's words in German and English for administration — the catalogue and
its CSV import, stock bookings and the ledger, sales channels and locations: message id →
(German, English). Merged into `ordnung.web.catalogue.MESSAGES`."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
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
    "import.column.stock_policy": (
        "Bestandsregel: stocked (Lagerware), preorder (Vorbestellung) oder non_stock (ohne "
        "Bestand: Dienstleistung, digital, Anfertigung); leer: unverändert.",
        "Stock policy: stocked, preorder or non_stock (service, digital, made to order); "
        "empty: unchanged.",
    ),
    "import.error.stock_policy": (
        "Bestandsregel muss stocked, preorder oder non_stock sein.",
        "Stock policy must be stocked, preorder or non_stock.",
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
