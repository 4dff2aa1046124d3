"""Words of search, tags and comments, German and English (merged into web/catalogue.py)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "event.order.tagged": ("Markierung gesetzt", "Tag added"),
    "event.order.untagged": ("Markierung entfernt", "Tag removed"),
    "event.order.commented": ("Kommentar", "Comment"),
    "search.placeholder": (
        "Nummer (auch Teil), Name, E-Mail, Telefon, SKU, Markierung, Sendungsnummer",
        "Number (or part), name, e-mail, phone, SKU, tag, tracking number",
    ),
    "search.tag_filter": ("Markierung", "Tag"),
    "notes.title": ("Markierungen und Kommentare", "Tags and comments"),
    "notes.tags": ("Markierungen", "Tags"),
    "notes.no_tags": ("Keine Markierungen.", "No tags."),
    "notes.tag_label": ("Neue Markierung", "New tag"),
    "notes.tag_hint": (
        "Buchstaben, Ziffern, - und _ (z. B. vip, geschenk)",
        "Letters, digits, - and _ (e.g. vip, gift-wrap)",
    ),
    "notes.tag_submit": ("Markieren", "Add tag"),
    "notes.tag_remove": ("Markierung {tag} entfernen", "Remove tag {tag}"),
    "notes.comment_label": ("Kommentar", "Comment"),
    "notes.comment_submit": ("Kommentar speichern", "Save comment"),
    "flash.tag_added": ("Markierung {tag} gesetzt.", "Tag {tag} added."),
    "flash.tag_removed": ("Markierung {tag} entfernt.", "Tag {tag} removed."),
    "flash.tag_invalid": (
        "Eine Markierung hat höchstens {max} Zeichen: Buchstaben, Ziffern, - und _.",
        "A tag has at most {max} characters: letters, digits, - and _.",
    ),
    "flash.comment_added": ("Kommentar gespeichert.", "Comment saved."),
    "flash.comment_invalid": (
        "Bitte einen Kommentar mit höchstens {max} Zeichen eingeben.",
        "Please enter a comment of at most {max} characters.",
    ),
    "flash.note_failed": ("Nicht gespeichert: {detail}", "Not saved: {detail}"),
}
