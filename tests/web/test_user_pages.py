"""Staff administration pages: create with a password or a one-time link, roles, reset,
deactivation — and that only admins get there."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.staff.queries import get_staff_account, list_staff_accounts
from tests.factories import add_location
from tests.web.accounts import PASSWORD, add_account, email_of, sign_in_as
from tests.web.conftest import csrf_from, log_in

_LINK = re.compile(r'<code class="secret">(http://testserver/password/[^<]+)</code>')


@pytest.fixture
def admin(web: TestClient, db: Database) -> int:
    return sign_in_as(web, db, "admin")


def _create(web: TestClient, **fields: str) -> str:
    token = csrf_from(web.get("/users/new").text)
    response = web.post("/users", data={**fields, "csrf_token": token}, follow_redirects=True)
    return response.text


def test_an_admin_invites_a_warehouse_worker_who_sets_a_password_through_the_link(
    web: TestClient, db: Database, admin: int
) -> None:
    add_location(db, "lager-nord", 1)
    page = _create(
        web,
        email="lena@example.de",
        name="Lena Lager",
        language="de",
        role="warehouse",
        location="lager-nord",
        password_mode="link",
    )
    assert "Lena Lager wurde angelegt." in page
    link = _LINK.search(page)
    assert link, "the one-time link is shown after creating"
    [lena] = [a for a in list_staff_accounts(db) if a.email == "lena@example.de"]
    assert web.get(f"/users/{lena.id}").text.count("/password/") == 0  # shown once only

    with TestClient(web.app) as lena_browser:
        path = link.group(1).removeprefix("http://testserver")
        form = lena_browser.get(path)
        assert "Für Lena Lager (lena@example.de)" in form.text
        response = lena_browser.post(
            path,
            data={
                "csrf_token": csrf_from(form.text),
                "password": "lenas-eigenes-passwort",
                "password_repeated": "lenas-eigenes-passwort",
            },
            follow_redirects=True,
        )
        assert "Ihr Passwort ist gespeichert." in response.text
        assert lena_browser.get(path).status_code == 404  # used up
        log_in(lena_browser, "lena@example.de", "lenas-eigenes-passwort")
        assert lena_browser.get("/", follow_redirects=False).headers["location"] == "/fulfillment"


def test_an_admin_creates_an_account_with_an_initial_password(
    web: TestClient, db: Database, admin: int
) -> None:
    page = _create(
        web,
        email="tom@example.de",
        name="Tom Service",
        language="en",
        role="customer_service",
        location="",
        password_mode="password",
        password="toms-erstes-passwort",
    )
    assert "Tom Service wurde angelegt." in page
    assert _LINK.search(page) is None
    with TestClient(web.app) as tom_browser:
        log_in(tom_browser, "tom@example.de", "toms-erstes-passwort")
        assert tom_browser.get("/users").status_code == 403


def test_a_refused_account_shows_the_form_again_with_the_reason(
    web: TestClient, db: Database, admin: int
) -> None:
    page = _create(
        web,
        email="tom@example.de",
        name="Tom",
        language="de",
        role="warehouse",
        location="",
        password_mode="link",
    )
    assert "Der Benutzer wurde nicht angelegt: The role warehouse needs a location." in page
    assert 'value="tom@example.de"' in page
    taken = _create(
        web,
        email=email_of("admin").upper(),
        name="Doppelt",
        language="de",
        role="finance",
        password_mode="link",
    )
    assert "exists already" in taken
    assert len(list_staff_accounts(db)) == 1


def test_an_admin_changes_a_role_and_resets_a_password_by_link(
    web: TestClient, db: Database, admin: int
) -> None:
    worker = add_account(db, "finance")
    token = csrf_from(web.get(f"/users/{worker}").text)
    changed = web.post(
        f"/users/{worker}",
        data={"csrf_token": token, "name": "Fiona", "language": "en", "role": "operations"},
        follow_redirects=True,
    )
    assert "Die Änderungen sind gespeichert." in changed.text
    account = get_staff_account(db, worker)
    assert (account.name, account.role, account.language) == ("Fiona", "operations", "en")
    reset = web.post(
        f"/users/{worker}/password",
        data={"csrf_token": token, "password_mode": "link"},
        follow_redirects=True,
    )
    assert "Das alte Passwort gilt nicht mehr." in reset.text
    assert _LINK.search(reset.text)
    with TestClient(web.app) as other:
        token = csrf_from(other.get("/login").text)
        refused = other.post(
            "/login",
            data={"email": email_of("finance"), "password": PASSWORD, "csrf_token": token},
        )
        assert refused.status_code == 400


def test_the_admin_cannot_lock_themselves_out(web: TestClient, db: Database, admin: int) -> None:
    page = web.get(f"/users/{admin}").text
    assert f'action="/users/{admin}/deactivate"' not in page
    demoted = web.post(
        f"/users/{admin}",
        data={"csrf_token": csrf_from(page), "name": "Admin", "language": "de", "role": "finance"},
        follow_redirects=True,
    )
    assert "Ordnung needs at least one active admin" in demoted.text
    refused = web.post(
        f"/users/{admin}/deactivate", data={"csrf_token": csrf_from(page)}, follow_redirects=True
    )
    assert "You cannot deactivate your own account." in refused.text
    assert get_staff_account(db, admin).is_active


def test_the_roles_page_lists_every_role_with_its_permissions(web: TestClient, admin: int) -> None:
    page = web.get("/roles").text
    for role in ("Administrator", "Operations", "Kundenservice", "Lager", "Buchhaltung"):
        assert f"<h2>{role}</h2>" in page
    assert "fulfillment:write" in page and "users:manage" in page


def test_an_unknown_user_is_a_404(web: TestClient, admin: int) -> None:
    assert web.get("/users/99999").status_code == 404
