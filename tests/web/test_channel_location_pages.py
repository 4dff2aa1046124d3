"""Sales channels and locations in the back office: list, create, edit — codes fixed once
created, refused input translated beside its field, stale pages refused."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from ordnung.channels.model import ChannelDraft
from ordnung.channels.service import get_channel, list_channels, update_channel
from ordnung.core.db import Database
from ordnung.inventory.locations import get_location, list_locations
from tests.factories import add_channel, add_location
from tests.web.admin_forms import field_errors, flash, landed, submit
from tests.web.conftest import csrf_from

LOCATION_FIELDS = {
    "code": "lager-west",
    "name": "Lager West Köln",
    "type": "warehouse",
    "capabilities": ["ship", "pickup"],
    "priority": "30",
    "street": "Industriestraße 5",
    "postal_code": "50829",
    "city": "Köln",
    "country": "de",
}


def _post_location(client: TestClient, page: str, action: str, **changes: object) -> Response:
    """Posts the location form of `page` filled with LOCATION_FIELDS and `changes`."""
    html = client.get(page).text
    fields = {**LOCATION_FIELDS, **changes, "csrf_token": csrf_from(html)}
    version = re.search(r'name="version" value="(\d+)"', html)
    if version:
        fields["version"] = version.group(1)
    return client.post(action, data=fields, follow_redirects=False)


def test_the_channel_list_shows_type_and_currency_in_words(
    signed_in: TestClient, db: Database
) -> None:
    add_channel(db, "webshop")
    add_channel(db, "zalando", currency="CHF")
    html = signed_in.get("/channels").text
    assert html.index("webshop") < html.index("zalando")
    assert "Onlineshop" in html and "CHF" in html


def test_staff_create_a_channel(signed_in: TestClient, db: Database) -> None:
    fields = {
        "code": "otto-de",
        "name": "OTTO Marktplatz",
        "type": "marketplace",
        "currency": "eur",
    }
    html = landed(
        signed_in, submit(signed_in, "/channels/new", "/channels/new", fields), "/channels"
    )
    assert flash(html) == "Kanal otto-de wurde angelegt."
    channel = get_channel(db, "otto-de")
    assert (channel.name, channel.type, channel.currency) == (
        "OTTO Marktplatz",
        "marketplace",
        "EUR",
    )


def test_a_bad_channel_is_shown_again_with_each_problem_and_nothing_is_created(
    signed_in: TestClient, db: Database
) -> None:
    fields = {"code": "Otto DE", "name": "", "type": "fax", "currency": "EURO"}
    response = submit(signed_in, "/channels/new", "/channels/new", fields)
    assert response.status_code == 422
    assert set(field_errors(response.text)) == {"code", "name", "type", "currency"}
    assert field_errors(response.text)["currency"] == (
        "Keine bekannte Währung; bitte einen ISO-4217-Code wie EUR angeben."
    )
    assert list_channels(db) == []


def test_a_taken_channel_code_is_refused(signed_in: TestClient, db: Database) -> None:
    add_channel(db, "webshop")
    fields = {"code": "webshop", "name": "Zweiter Shop", "type": "webshop", "currency": "EUR"}
    response = submit(signed_in, "/channels/new", "/channels/new", fields)
    assert field_errors(response.text) == {"code": "Dieser Code ist schon vergeben."}


def test_staff_edit_a_channel_but_its_code_stays(signed_in: TestClient, db: Database) -> None:
    add_channel(db, "webshop")
    page = "/channels/webshop/edit"
    fields = {"code": "hijack", "name": "Shop Schweiz", "type": "webshop", "currency": "CHF"}
    html = landed(signed_in, submit(signed_in, page, page, fields), "/channels")
    assert flash(html) == "Kanal webshop wurde gespeichert."
    channel = get_channel(db, "webshop")
    assert (channel.name, channel.currency, channel.version) == ("Shop Schweiz", "CHF", 2)
    assert [c["code"] for c in list_channels(db)] == ["webshop"]


def test_a_channel_edit_from_a_stale_page_is_refused(signed_in: TestClient, db: Database) -> None:
    add_channel(db, "webshop")
    page = "/channels/webshop/edit"
    stale = signed_in.get(page).text
    update_channel(db, "webshop", ChannelDraft("webshop", "Vom Kollegen", "webshop"))
    response = signed_in.post(
        page,
        data={
            "csrf_token": csrf_from(stale),
            "version": "1",
            "name": "Von mir",
            "type": "webshop",
            "currency": "EUR",
        },
        follow_redirects=False,
    )
    assert "inzwischen geändert" in flash(landed(signed_in, response, page))
    assert get_channel(db, "webshop").name == "Vom Kollegen"


def test_an_unknown_channel_is_a_translated_404(signed_in: TestClient) -> None:
    response = signed_in.get("/channels/nope/edit")
    assert response.status_code == 404
    assert "Den Verkaufskanal nope gibt es nicht." in response.text


def test_staff_create_a_location_with_capabilities_and_an_iso_country(
    signed_in: TestClient, db: Database
) -> None:
    response = _post_location(signed_in, "/locations/new", "/locations/new")
    html = landed(signed_in, response, "/locations")
    assert flash(html) == "Standort lager-west wurde angelegt."
    assert "Abholung" in html and "50829 Köln, Deutschland" in html
    location = get_location(db, "lager-west")
    assert location["capabilities"] == ["pickup", "ship"]
    assert location["address"]["country"] == "DE"
    assert location["priority"] == 30


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"country": "XX"}, "country", "Bitte ein Land wählen (ISO-3166-Code)."),
        (
            {"priority": "-1"},
            "priority",
            "Die Priorität muss eine ganze Zahl von 0 bis 1.000.000 sein.",
        ),
        (
            {"priority": "zehn"},
            "priority",
            "Die Priorität muss eine ganze Zahl von 0 bis 1.000.000 sein.",
        ),
        (
            {"capabilities": ["teleport"]},
            "capabilities",
            "Bitte nur angebotene Fähigkeiten wählen.",
        ),
        ({"name": " "}, "name", "Bitte einen Namen angeben (höchstens 200 Zeichen)."),
        ({"city": "x" * 121}, "city", "Bitte den Ort angeben (höchstens 120 Zeichen)."),
        (
            {"code": "-west"},
            "code",
            "Der Code darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten (1 bis 40 "
            "Zeichen, nicht am Anfang oder Ende ein Bindestrich).",
        ),
    ],
)
def test_a_bad_location_is_shown_again_with_the_problem_beside_its_field(
    signed_in: TestClient, db: Database, changes: dict[str, object], field: str, message: str
) -> None:
    response = _post_location(signed_in, "/locations/new", "/locations/new", **changes)
    assert response.status_code == 422
    assert field_errors(response.text) == {field: message}
    assert list_locations(db) == []


def test_staff_edit_a_location_but_its_code_stays(signed_in: TestClient, db: Database) -> None:
    add_location(db, "ber", 10)
    page = "/locations/ber/edit"
    response = _post_location(
        signed_in, page, page, code="hijack", name="Lager Berlin-Ost", capabilities=[], priority="5"
    )
    html = landed(signed_in, response, "/locations")
    assert flash(html) == "Standort ber wurde gespeichert."
    location = get_location(db, "ber")
    assert (
        location["name"],
        location["capabilities"],
        location["priority"],
        location["version"],
    ) == (
        "Lager Berlin-Ost",
        [],
        5,
        2,
    )
    assert [loc["code"] for loc in list_locations(db)] == ["ber"]


def test_the_location_form_offers_countries_by_name_in_the_reader_s_language(
    signed_in: TestClient,
) -> None:
    html = signed_in.get("/locations/new").text
    assert '<option value="DE" selected>Deutschland (DE)</option>' in html
    assert html.index("Österreich (AT)") < html.index("Polen (PL)")
    signed_in.get("/language/en")
    assert "Germany (DE)" in signed_in.get("/locations/new").text
