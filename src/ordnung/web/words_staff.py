"""The back office's words in German and English for staff users, roles, sign-in,
the first start, one's own account, API keys and webhooks: message id →
(German, English). Merged into `ordnung.web.catalogue.MESSAGES`."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
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
}
