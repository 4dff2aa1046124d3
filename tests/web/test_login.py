"""Signing in and out, the language switch and CSRF protection, through HTTP."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_from, log_in
from tests.web.seed import STAFF_EMAIL


def test_pages_need_a_signed_in_staff_user_and_send_others_to_login(web: TestClient) -> None:
    for path in ("/orders", "/orders/1", "/stock", "/dashboard"):
        response = web.get(path + "?status=shipped", follow_redirects=False)
        assert response.status_code == 303
        expected = "/login?next=" + quote(path + "?status=shipped", safe="")
        assert response.headers["location"] == expected


def test_root_leads_to_the_login_and_after_signing_in_to_the_order_list(
    web: TestClient, staff_id: int
) -> None:
    response = web.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    log_in(web)
    assert web.get("/", follow_redirects=False).headers["location"] == "/orders"


def test_a_wrong_password_shows_a_message_and_keeps_the_user_out(
    web: TestClient, staff_id: int
) -> None:
    token = csrf_from(web.get("/login").text)
    response = web.post(
        "/login",
        data={"email": STAFF_EMAIL, "password": "falsches-passwort", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "E-Mail oder Passwort ist falsch." in response.text
    assert web.get("/orders", follow_redirects=False).status_code == 303


def test_an_unknown_email_gets_the_same_message_as_a_wrong_password(
    web: TestClient, staff_id: int
) -> None:
    token = csrf_from(web.get("/login").text)
    response = web.post(
        "/login",
        data={"email": "nobody@example.de", "password": "irrelevant-1", "csrf_token": token},
    )
    assert response.status_code == 400
    assert "E-Mail oder Passwort ist falsch." in response.text


def test_signing_in_returns_to_the_page_asked_for(web: TestClient, staff_id: int) -> None:
    login_page = web.get("/stock?q=SKU", follow_redirects=True)
    assert 'name="next" value="/stock?q=SKU"' in login_page.text
    response = web.post(
        "/login",
        data={
            "email": STAFF_EMAIL.upper(),  # e-mail addresses compare case-insensitively
            "password": "richtig-langes-passwort",
            "csrf_token": csrf_from(login_page.text),
            "next": "/stock?q=SKU",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/stock?q=SKU"
    assert "Anna Agent" in web.get("/stock").text


def test_login_never_redirects_to_another_site(web: TestClient, staff_id: int) -> None:
    token = csrf_from(web.get("/login").text)
    response = web.post(
        "/login",
        data={
            "email": STAFF_EMAIL,
            "password": "richtig-langes-passwort",
            "csrf_token": token,
            "next": "//evil.example/phish",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/orders"


def test_a_form_without_the_session_csrf_token_is_refused(web: TestClient, staff_id: int) -> None:
    web.get("/login")
    response = web.post(
        "/login",
        data={"email": STAFF_EMAIL, "password": "richtig-langes-passwort", "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "Das Formular ist abgelaufen" in response.text
    missing = web.post("/login", data={"email": STAFF_EMAIL}, follow_redirects=False)
    assert missing.status_code == 403
    assert web.get("/orders", follow_redirects=False).status_code == 303


def test_signing_out_needs_the_csrf_token_and_ends_the_session(signed_in: TestClient) -> None:
    assert signed_in.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert signed_in.get("/orders", follow_redirects=False).status_code == 200
    token = csrf_from(signed_in.get("/orders").text)
    response = signed_in.post("/logout", data={"csrf_token": token}, follow_redirects=True)
    assert "Sie wurden abgemeldet." in response.text
    assert signed_in.get("/orders", follow_redirects=False).status_code == 303


def test_the_language_link_switches_labels_between_german_and_english(
    signed_in: TestClient,
) -> None:
    german = signed_in.get("/orders")
    assert '<html lang="de">' in german.text
    assert "Bestellungen" in german.text
    assert 'href="/language/en?next=%2Forders"' in german.text
    response = signed_in.get("/language/en?next=/orders", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/orders"
    english = signed_in.get("/orders")
    assert '<html lang="en">' in english.text
    assert "All statuses" in english.text
    assert "Bestellungen" not in english.text
    signed_in.get("/language/de")
    assert "Alle Status" in signed_in.get("/orders").text


def test_the_language_chosen_on_the_login_page_survives_signing_in(
    web: TestClient, staff_id: int
) -> None:
    web.get("/language/en?next=/login")
    assert "Sign in" in web.get("/login").text
    log_in(web)
    assert "Signed in as Anna Agent" in web.get("/orders").text


def test_an_unknown_language_is_ignored(signed_in: TestClient) -> None:
    signed_in.get("/language/xx")
    assert '<html lang="de">' in signed_in.get("/orders").text


def test_pages_are_not_cached_and_cannot_be_framed(signed_in: TestClient) -> None:
    response = signed_in.get("/orders")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_the_stylesheet_is_served_by_the_app_itself(web: TestClient) -> None:
    response = web.get("/static/app.css")
    assert response.status_code == 200
    assert "text/css" in response.headers["content-type"]
    assert "http" not in response.text  # no CDN, no external fonts
