"""UI words of the intake checks and the hold queue: key → (German, English)."""

WORDS: dict[str, tuple[str, str]] = {
    # hold reasons the checks add
    "hold.tax": ("Steuersatz", "Tax rate"),
    "hold.duplicate": ("Doppelte Bestellung?", "Possible duplicate"),
    "hold.approval": ("Freigabe nötig", "Approval needed"),
    "hold.contact": ("Kontaktdaten", "Contact details"),
    # the hold queue
    "nav.holds": ("Sperren", "Holds"),
    "hold_queue.title": ("Gesperrte Bestellungen", "Held orders"),
    "hold_queue.all_reasons": ("Alle Gründe", "All reasons"),
    "hold_queue.reason": ("Grund", "Reason"),
    "hold_queue.rules": ("Regel", "Rule"),
    "hold_queue.findings": ("Befund", "Finding"),
    "hold_queue.select": ("Auswählen", "Select"),
    "hold_queue.select_hold": (
        "Sperre {hold} von {order} auswählen",
        "Select hold {hold} of {order}",
    ),
    "hold_queue.note": ("Notiz (Pflicht)", "Note (required)"),
    "hold_queue.release": ("Ausgewählte freigeben", "Release selected"),
    "hold_queue.cancel": ("Ausgewählte stornieren", "Cancel selected"),
    "hold_queue.empty": ("Keine gesperrten Bestellungen.", "No held orders."),
    "hold_queue.next": ("Weitere", "More"),
    "hold_queue.first": ("Zum Anfang", "Back to the first page"),
    "hold_queue.nothing_selected": (
        "Bitte mindestens eine Sperre auswählen.",
        "Select at least one hold.",
    ),
    "hold_queue.note_required": ("Bitte eine Notiz angeben.", "Please enter a note."),
    "hold_queue.note_too_long": (
        "Die Notiz ist zu lang (höchstens {max} Zeichen).",
        "The note is too long (at most {max} characters).",
    ),
    "hold_queue.result_title": ("Ergebnis", "Result"),
    "hold_queue.result_released": (
        "Freigeben: was mit jeder Bestellung geschah",
        "Release: what happened to each order",
    ),
    "hold_queue.result_cancelled": (
        "Stornieren: was mit jeder Bestellung geschah",
        "Cancel: what happened to each order",
    ),
    "hold_queue.outcome.done": ("Erledigt", "Done"),
    "hold_queue.outcome.changed": ("Inzwischen geändert", "Changed meanwhile"),
    "hold_queue.outcome.failed": ("Fehlgeschlagen", "Failed"),
    "hold_queue.back": ("Zurück zu den Sperren", "Back to the holds"),
    "hold_queue.warnings": ("Hinweise der Prüfungen", "Check warnings"),
    # rule names
    "check.rule.address_complete": ("Adresse vollständig", "Address complete"),
    "check.rule.postal_code_format": ("Postleitzahl-Format", "Postal code format"),
    "check.rule.ship_to_country": ("Lieferland erlaubt", "Ship-to country allowed"),
    "check.rule.packstation": ("Packstation/Postfiliale", "Packstation/Postfiliale"),
    "check.rule.email_format": ("E-Mail-Adresse", "E-mail address"),
    "check.rule.phone_format": ("Telefonnummer", "Phone number"),
    "check.rule.vat_id_format": ("USt-IdNr.", "VAT id"),
    "check.rule.tax_class": ("Steuersatz je Steuerklasse", "Tax rate by tax class"),
    "check.rule.fraud_score": ("Betrugs-Score", "Fraud score"),
    "check.rule.duplicate_order": ("Doppelte Bestellung", "Duplicate order"),
    "check.rule.b2b_approval": ("B2B-Freigabe", "B2B approval"),
    "check.rule.totals_mismatch": ("Summenabgleich", "Totals check"),
    "check.rule.unknown_sku": ("Unbekannte SKU", "Unknown SKU"),
    # findings
    "check.address_missing": (
        "Lieferadresse unvollständig: {fields} fehlt",
        "Shipping address incomplete: {fields} missing",
    ),
    "check.field.last_name": ("Name", "name"),
    "check.field.street": ("Straße", "street"),
    "check.field.postal_code": ("Postleitzahl", "postal code"),
    "check.field.city": ("Ort", "city"),
    "check.postal_code": (
        "Postleitzahl „{postal_code}“ passt nicht zum Format von {country}",
        "Postal code “{postal_code}” does not match the format of {country}",
    ),
    "check.country_not_served": (
        "Der Kanal liefert nicht nach {country} (nur {allowed})",
        "The channel does not ship to {country} (only {allowed})",
    ),
    "check.post_number_missing": (
        "Packstation/Postfiliale ohne Postnummer (6–10 Ziffern)",
        "Packstation/Postfiliale without post number (6–10 digits)",
    ),
    "check.packstation_method": (
        "Versandart „{method}“ liefert nicht an Packstation/Postfiliale (möglich: {methods})",
        "Shipping method “{method}” does not deliver to a Packstation/Postfiliale"
        " (possible: {methods})",
    ),
    "check.email": (
        "E-Mail-Adresse „{email}“ ist ungültig",
        "E-mail address “{email}” is not valid",
    ),
    "check.phone": (
        "Telefonnummer „{phone}“ ist für {country} ungültig",
        "Phone number “{phone}” is not valid for {country}",
    ),
    "check.vat_id": (
        "USt-IdNr. „{vat_id}“ ist ungültig (Format oder Prüfziffer)",
        "VAT id “{vat_id}” is not valid (format or check digit)",
    ),
    "check.tax_rate": (
        "Position {line} ({sku}): Steuersatz {received}, erwartet {expected}"
        " ({tax_class}, {country})",
        "Line {line} ({sku}): tax rate {received}, expected {expected} ({tax_class}, {country})",
    ),
    "check.fraud_score": (
        "Betrugs-Score {score} (Schwelle {threshold}): {signals}",
        "Fraud score {score} (threshold {threshold}): {signals}",
    ),
    "check.duplicate": (
        "Gleicher Kunde, gleiche Adresse und Positionen wie {external_id}"
        " innerhalb von {minutes} Minuten",
        "Same customer, address and lines as {external_id} within {minutes} minutes",
    ),
    "check.approval": (
        "Bestellsumme {total} über dem Freigabelimit {limit}",
        "Order total {total} above the approval limit {limit}",
    ),
    "check.totals_mismatch.total": (
        "Summe laut Kanal {channel}, berechnet {computed}",
        "Total according to the channel {channel}, computed {computed}",
    ),
    "check.totals_mismatch.subtotal": (
        "Zwischensumme laut Kanal {channel}, berechnet {computed}",
        "Subtotal according to the channel {channel}, computed {computed}",
    ),
    "check.totals_mismatch.tax": (
        "Steuer laut Kanal {channel}, berechnet {computed}",
        "Tax according to the channel {channel}, computed {computed}",
    ),
    # fraud signals
    "check.signal.velocity_email": (
        "{count} Bestellungen derselben E-Mail (Grenze {limit})",
        "{count} orders from the same e-mail (limit {limit})",
    ),
    "check.signal.velocity_address": (
        "{count} Bestellungen an dieselbe Adresse (Grenze {limit})",
        "{count} orders to the same address (limit {limit})",
    ),
    "check.signal.velocity_card": (
        "{count} Bestellungen mit derselben Karte (Grenze {limit})",
        "{count} orders with the same card (limit {limit})",
    ),
    "check.signal.first_order_value": (
        "Erstbestellung über {limit}: {total}",
        "First order above {limit}: {total}",
    ),
    "check.signal.country_mismatch": (
        "Rechnungsland {billing} ≠ Lieferland {shipping}",
        "Billing country {billing} ≠ shipping country {shipping}",
    ),
    "check.signal.disposable_email": (
        "Wegwerf-E-Mail-Domain {domain}",
        "Disposable e-mail domain {domain}",
    ),
    "check.signal.fraud_history": (
        "{count} frühere Stornierung(en) wegen Betrugs oder Rückbuchung",
        "{count} earlier fraud cancellation(s) or chargeback(s)",
    ),
    "check.signal.failed_payments": (
        "{count} fehlgeschlagene Zahlungen (Grenze {limit})",
        "{count} failed payments (limit {limit})",
    ),
    # channel check settings
    "checks.title": ("Prüfungen bei Auftragseingang", "Intake checks"),
    "checks.link": ("Prüfungen", "Checks"),
    "checks.rule": ("Regel", "Rule"),
    "checks.mode": ("Modus", "Mode"),
    "checks.params": ("Parameter (JSON)", "Parameters (JSON)"),
    "checks.mode.off": ("Aus", "Off"),
    "checks.mode.warn": ("Hinweis", "Warn"),
    "checks.mode.hold": ("Sperren", "Hold"),
    "checks.save": ("Speichern", "Save"),
    "checks.saved": ("Prüfungen gespeichert.", "Checks saved."),
    "checks.stale": (
        "Nicht gespeichert: Jemand hat die Prüfungen dieses Kanals inzwischen geändert."
        " Unten stehen die aktuellen Einstellungen – bitte Ihre Änderung erneut eintragen.",
        "Not saved: someone changed this channel's checks meanwhile. The current settings"
        " are shown below – please make your change again.",
    ),
    "checks.invalid": ("Nicht gespeichert: {detail}", "Not saved: {detail}"),
    "checks.bad_json": (
        "Parameter von „{rule}“ sind kein gültiges JSON-Objekt.",
        "The parameters of “{rule}” are not a valid JSON object.",
    ),
}
