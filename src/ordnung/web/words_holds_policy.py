"""UI words of checkout holds and product stock policy: key → (German, English)."""

WORDS: dict[str, tuple[str, str]] = {
    # ledger kinds
    "movement.checkout_hold": ("Warenkorb-Reservierung", "Checkout hold"),
    "movement.checkout_release": ("Warenkorb-Reservierung beendet", "Checkout hold ended"),
    # holds and product stock policy
    "hold.stock_policy": ("Bestandsregel des Artikels", "Product stock policy"),
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
