"""First start in the browser's terms: an empty installation leads to the setup page, which
makes the first admin, channel and location once and is gone afterwards."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from ordnung.channels.service import list_channels
from ordnung.core.db import Database
from ordnung.inventory.locations import list_locations
from ordnung.staff.queries import list_staff_accounts
from tests.web.accounts import PASSWORD, add_account
from tests.web.conftest import csrf_from

FIELDS = {
    "admin_name": "Ada Admin",
    "admin_email": "ada@example.de",
    "password": PASSWORD,
    "password_repeated": PASSWORD,
    "language": "en",
    "channel_code": "onlineshop",
    "channel_name": "Online-Shop",
    "channel_type": "webshop",
    "currency": "EUR",
    "location_code": "lager-nord",
    "location_name": "Lager Nord",
    "location_type": "warehouse",
    "street": "Hafenstraße 1",
    "postal_code": "20457",
    "city": "Hamburg",
    "country": "DE",
}


def _submit(web: TestClient, **changes: Any) -> Any:
    token = csrf_from(web.get("/setup").text)
    return web.post(
        "/setup", data={**FIELDS, **changes, "csrf_token": token}, follow_redirects=False
    )


def test_an_empty_installation_leads_from_start_and_login_to_the_setup_page(
    web: TestClient,
) -> None:
    for path in ("/", "/login"):
        response = web.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/setup")
    page = web.get("/setup")
    assert page.status_code == 200
    assert "Ordnung einrichten" in page.text
    assert 'name="location_code"' in page.text and 'name="channel_code"' in page.text


def test_the_setup_makes_the_admin_channel_and_location_and_signs_the_admin_in(
    web: TestClient, db: Database
) -> None:
    response = _submit(web)
    assert (response.status_code, response.headers["location"]) == (303, "/")
    home = web.get("/", follow_redirects=True)
    assert home.url.path == "/orders"
    assert "Ordnung is set up. Welcome!" in home.text  # in the admin's language
    [admin] = list_staff_accounts(db)
    assert (admin.email, admin.role, admin.language) == ("ada@example.de", "admin", "en")
    assert [channel["code"] for channel in list_channels(db)] == ["onlineshop"]
    assert [location["code"] for location in list_locations(db)] == ["lager-nord"]


def test_once_set_up_the_page_is_gone_and_cannot_be_run_again(
    web: TestClient, db: Database
) -> None:
    _submit(web)
    assert web.get("/setup").status_code == 404
    with TestClient(web.app) as someone_else:
        token = csrf_from(someone_else.get("/login").text)
        again = someone_else.post(
            "/setup",
            data={**FIELDS, "admin_email": "eve@example.de", "csrf_token": token},
            follow_redirects=False,
        )
    assert again.status_code == 404
    assert len(list_staff_accounts(db)) == 1


def test_an_installation_with_an_account_made_elsewhere_offers_no_setup(
    web: TestClient, db: Database
) -> None:
    add_account(db, "admin")  # e.g. by `ordnung user create`
    assert web.get("/setup").status_code == 404
    assert web.get("/", follow_redirects=False).headers["location"] == "/login"


def test_a_mistake_shows_the_form_again_with_what_was_typed_and_writes_nothing(
    web: TestClient, db: Database
) -> None:
    mismatch = _submit(web, password_repeated="etwas-anderes")
    assert mismatch.status_code == 400
    assert "Die beiden Passwörter stimmen nicht überein." in mismatch.text
    bad_country = _submit(web, country="XX")
    assert bad_country.status_code == 400
    assert "Ordnung konnte nicht eingerichtet werden" in bad_country.text
    assert 'value="Hafenstraße 1"' in bad_country.text
    short = _submit(web, password="kurz", password_repeated="kurz")
    assert "at least 10 characters" in short.text
    assert list_staff_accounts(db) == [] and list_channels(db) == []
    assert web.get("/setup").status_code == 200
