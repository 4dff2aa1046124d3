"""Words of parcels returned to sender: the queue's tab, the parcel screen, the order page's
box and the timeline. message id → (German, English)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "event.shipment.returned_to_sender": (
        "Sendung an Absender zurück",
        "Shipment returned to sender",
    ),
    "event.returned_parcel.processed": (
        "Rücksendung bearbeitet",
        "Returned parcel processed",
    ),
    "cause.returned_to_sender": ("Rücksendung an Absender", "Returned to sender"),
    "status.waiting": ("wartet", "waiting"),
    "status.processed": ("bearbeitet", "processed"),
    "rts.tab_work": ("Aufträge", "Work"),
    "rts.tab": ("Rücksendungen an Absender", "Returned to sender"),
    "rts.title_of": ("Rücksendungen an Absender – {location}", "Returned to sender – {location}"),
    "rts.none": ("Keine Rücksendungen.", "No returned parcels."),
    "rts.all": ("Alle", "All"),
    "rts.status": ("Status", "Status"),
    "rts.reason": ("Grund", "Reason"),
    "rts.note": ("Notiz", "Note"),
    "rts.order": ("Bestellung", "Order"),
    "rts.tracking_number": ("Sendungsnummer", "Tracking number"),
    "rts.recorded": ("Erfasst", "Recorded"),
    "rts.processed": ("Bearbeitet", "Processed"),
    "rts.units": ("{units} Stück", "{units} units"),
    "rts.open": ("Bearbeiten", "Process"),
    "rts.show": ("Anzeigen", "Show"),
    "rts.parcel_title": ("Rücksendung #{id}", "Returned parcel #{id}"),
    "rts.back": ("Rücksendungen", "Returned parcels"),
    "rts.sku": ("Artikel", "SKU"),
    "rts.line_units": ("Zurück", "Came back"),
    "rts.restock": ("Wieder einlagern", "Restock"),
    "rts.write_off": ("Abschreiben", "Write off"),
    "rts.restocked": ("Eingelagert", "Restocked"),
    "rts.written_off": ("Abgeschrieben", "Written off"),
    "rts.write_off_cause": ("Grund der Abschreibung", "Write-off cause"),
    "rts.process_hint": (
        "Je Zeile: wieder eingelagert + abgeschrieben = zurückgekommene Stück.",
        "Per line: restocked + written off = units that came back.",
    ),
    "rts.process_submit": ("Rücksendung abschließen", "Finish returned parcel"),
    "rts.record_open": ("Zurück an Absender erfassen", "Record returned to sender"),
    "rts.record_submit": ("Rücksendung erfassen", "Record return"),
    "rts.order_box_title": ("An Absender zurück", "Returned to sender"),
    "rts.order_box_hint": (
        "Das Paket kam beim Standort zurück. Neu versenden oder erstatten (Erstattungen folgen"
        " mit den Zahlungen).",
        "The parcel came back to the location. Ship again or refund (refunds come with payments).",
    ),
    "rts.badge": ("An Absender zurück", "Returned to sender"),
    "rts.outcome_line": (
        "{restocked} eingelagert, {written_off} abgeschrieben",
        "{restocked} restocked, {written_off} written off",
    ),
    "rts.waiting_at_location": ("wartet beim Standort", "waiting at the location"),
    "rts.location": ("Standort", "Location"),
    "rts.not_found": ("Rücksendung {id} gibt es nicht.", "Returned parcel {id} does not exist."),
    "rts.flash_recorded": (
        "Sendung {id} als Rücksendung an Absender erfasst.",
        "Shipment {id} recorded as returned to sender.",
    ),
    "rts.flash_record_failed": (
        "Rücksendung nicht erfasst: {detail}",
        "Return not recorded: {detail}",
    ),
    "rts.flash_processed": (
        "Rücksendung #{id} bearbeitet: {restocked} eingelagert, {written_off} abgeschrieben.",
        "Returned parcel #{id} processed: {restocked} restocked, {written_off} written off.",
    ),
    "rts.flash_process_failed": (
        "Rücksendung nicht bearbeitet: {detail}",
        "Returned parcel not processed: {detail}",
    ),
    "rts.flash_bad_units": (
        "Bitte ganze Stückzahlen eingeben.",
        "Please enter whole numbers of units.",
    ),
    "rts_reason.refused": ("Annahme verweigert", "Refused"),
    "rts_reason.undeliverable": ("Unzustellbar", "Undeliverable"),
    "rts_reason.address_unknown": ("Empfänger unbekannt", "Address unknown"),
    "rts_reason.not_collected_from_pickup_point": (
        "In der Filiale nicht abgeholt",
        "Not collected from pickup point",
    ),
    "rts_reason.damaged": ("Beschädigt", "Damaged"),
    "rts_reason.other": ("Anderer Grund", "Other"),
}
