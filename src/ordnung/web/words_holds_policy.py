"""UI words of checkout holds and product stock policy: key → (German, English)."""

WORDS: dict[str, tuple[str, str]] = {
    # ledger kinds
    "movement.checkout_hold": ("Warenkorb-Reservierung", "Checkout hold"),
    "movement.checkout_release": ("Warenkorb-Reservierung beendet", "Checkout hold ended"),
    # holds and product stock policy
    "hold.stock_policy": ("Bestandsregel des Artikels", "Product stock policy"),
    # pages
    "checkout_holds.title": ("Warenkorb-Reservierungen", "Checkout holds"),
    "checkout_holds.hint": (
        "Bestand, den Warenkörbe gerade zurückhalten; läuft von selbst ab oder wird zur "
        "Reservierung der Bestellung.",
        "Stock that carts hold back right now; it runs out by itself or becomes the order's "
        "reservation.",
    ),
    "checkout_holds.expires": ("läuft ab", "expires"),
    "checkout_holds.none": ("Keine aktiven Warenkorb-Reservierungen.", "No active checkout holds."),
    "stock_policy.title": ("Bestandsregel", "Stock policy"),
    "stock_policy.hint": (
        "Vorbestellungen warten bis zum Erscheinungstag; ohne Rückstand wird eine Bestellung "
        "angehalten, wenn nicht alle Stück verfügbar sind. Artikel ohne Bestand "
        "(Dienstleistung, digital, Anfertigung) werden nie reserviert und warten nie: sie gehen "
        "mit dem Paket der übrigen Ware; Bestandsbuchungen für sie werden abgelehnt.",
        "Pre-orders wait until the release day; without backorders an order is held when not "
        "every unit is available. Non-stock products (services, digital, made to order) are "
        "never reserved and never wait: they go with the parcel of the other goods; stock "
        "bookings for them are refused.",
    ),
    "stock_policy.policy": ("Regel", "Policy"),
    "stock_policy.stocked": ("Lagerware", "Stocked"),
    "stock_policy.preorder": ("Vorbestellung", "Pre-order"),
    "stock_policy.non_stock": (
        "Ohne Bestand (Dienstleistung, digital, Anfertigung)",
        "Non-stock (service, digital, made to order)",
    ),
    "stock_policy.allow_backorder": ("Rückstand erlaubt", "Backorders allowed"),
    "stock_policy.release_on": ("Erscheinungstag", "Release day"),
    "stock_policy.preorder_cap": ("Höchstmenge Vorbestellung", "Pre-order cap"),
    "stock_policy.saved": ("Bestandsregel gespeichert.", "Stock policy saved."),
    "stock_policy.stale": (
        "Der Artikel wurde inzwischen geändert; bitte erneut prüfen.",
        "The product was changed meanwhile; please check again.",
    ),
    "stock_policy.edit": ("Bestandsregel bearbeiten", "Edit stock policy"),
    # events on timelines and webhook lists
    "event.checkout_hold.placed": ("Warenkorb-Reservierung angelegt", "Checkout hold placed"),
    "event.checkout_hold.converted": (
        "Warenkorb-Reservierung in Bestellung übernommen",
        "Checkout hold taken over by the order",
    ),
    "event.checkout_hold.expired": ("Warenkorb-Reservierung abgelaufen", "Checkout hold expired"),
    "event.checkout_hold.released": (
        "Warenkorb-Reservierung freigegeben",
        "Checkout hold released",
    ),
}
