"""Sign-in security through HTTP: cookie flags, session lifetimes, sessions that end when the
password changes or the account is deactivated, and the sign-in throttle."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from ordnung.api import create_app
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.staff import hashing
from tests.web.accounts import PASSWORD, add_account, email_of
from tests.web.conftest import csrf_from, log_in

START = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
NEW_PASSWORD = "ein-ganz-neues-passwort"


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    fixed = clock.FixedClock(START)
    previous = clock.use_clock(fixed)
    yield fixed
    clock.use_clock(previous)


@pytest.fixture
def app(db: Database, settings: Settings) -> FastAPI:
    strict = settings.model_copy(update={"login_failures_per_account": 3})
    return create_app(strict, db)


@pytest.fixture
def browser_a(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def browser_b(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def _session_cookie(response_headers: list[str]) -> str:
    [cookie] = [value for value in response_headers if value.startswith("ordnung_session=")]
    return cookie.lower()


def _sign_in_response(client: TestClient, email: str, password: str = PASSWORD) -> Response:
    token = csrf_from(client.get("/login").text)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def _is_signed_in(client: TestClient) -> bool:
    return client.get("/account", follow_redirects=False).status_code == 200


def test_the_session_cookie_is_httponly_and_samesite_lax_and_plain_http_keeps_it_usable(
    browser_a: TestClient, db: Database
) -> None:
    add_account(db, "admin")
    response = _sign_in_response(browser_a, email_of("admin"))
    cookie = _session_cookie(response.headers.get_list("set-cookie"))
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie
    assert "max-age=50400" in cookie  # the absolute lifetime: 14 hours


def test_over_https_the_session_cookie_is_secure(app: FastAPI, db: Database) -> None:
    add_account(db, "admin")
    with TestClient(app, base_url="https://testserver") as client:
        response = _sign_in_response(client, email_of("admin"))
        cookie = _session_cookie(response.headers.get_list("set-cookie"))
    assert "secure" in cookie and "httponly" in cookie


def test_behind_a_tls_proxy_the_cookie_is_secure_even_over_plain_http(
    db: Database, settings: Settings
) -> None:
    add_account(db, "admin")
    proxied = create_app(settings.model_copy(update={"behind_tls_proxy": True}), db)
    with TestClient(proxied) as client:
        cookie = _session_cookie(client.get("/login").headers.get_list("set-cookie"))
    assert "secure" in cookie and "samesite=lax" in cookie


def test_a_session_ends_after_two_idle_hours_but_activity_keeps_it(
    browser_a: TestClient, db: Database, fixed_clock: clock.FixedClock
) -> None:
    add_account(db, "admin")
    log_in(browser_a, email_of("admin"), PASSWORD)
    fixed_clock.set(START + timedelta(hours=1, minutes=59))
    assert _is_signed_in(browser_a)
    fixed_clock.set(START + timedelta(hours=3, minutes=58))
    assert _is_signed_in(browser_a)  # less than two hours after the last request
    fixed_clock.set(START + timedelta(hours=5, minutes=58))
    response = browser_a.get("/orders", follow_redirects=True)
    assert response.url.path == "/login"
    assert "Ihre Sitzung ist beendet. Bitte melden Sie sich erneut an." in response.text
    assert not _is_signed_in(browser_a)


def test_a_session_ends_fourteen_hours_after_signing_in_whatever_happens(
    browser_a: TestClient, db: Database, fixed_clock: clock.FixedClock
) -> None:
    add_account(db, "admin")
    log_in(browser_a, email_of("admin"), PASSWORD)
    for hour in range(1, 14):
        fixed_clock.set(START + timedelta(hours=hour))
        assert _is_signed_in(browser_a), hour
    fixed_clock.set(START + timedelta(hours=14))
    assert not _is_signed_in(browser_a)


def test_changing_one_s_password_ends_the_other_sessions_but_not_this_one(
    browser_a: TestClient, browser_b: TestClient, db: Database
) -> None:
    add_account(db, "operations")
    log_in(browser_a, email_of("operations"), PASSWORD)
    log_in(browser_b, email_of("operations"), PASSWORD)
    page = browser_a.get("/account").text
    response = browser_a.post(
        "/account/password",
        data={
            "csrf_token": csrf_from(page),
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_repeated": NEW_PASSWORD,
        },
        follow_redirects=True,
    )
    assert "Ihr Passwort ist geändert" in response.text
    assert _is_signed_in(browser_a)
    assert not _is_signed_in(browser_b)
    assert _sign_in_response(browser_b, email_of("operations"), PASSWORD).status_code == 400
    log_in(browser_b, email_of("operations"), NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing(browser_a: TestClient, db: Database) -> None:
    add_account(db, "finance")
    log_in(browser_a, email_of("finance"), PASSWORD)
    page = browser_a.get("/account").text
    response = browser_a.post(
        "/account/password",
        data={
            "csrf_token": csrf_from(page),
            "current_password": "nicht-das-richtige",
            "password": NEW_PASSWORD,
            "password_repeated": NEW_PASSWORD,
        },
        follow_redirects=True,
    )
    assert "The current password is wrong." in response.text
    assert _is_signed_in(browser_a)


def test_an_admin_s_reset_or_a_deactivation_ends_the_user_s_session_at_once(
    browser_a: TestClient, browser_b: TestClient, db: Database
) -> None:
    add_account(db, "admin")
    worker = add_account(db, "customer_service")
    log_in(browser_a, email_of("admin"), PASSWORD)
    log_in(browser_b, email_of("customer_service"), PASSWORD)
    token = csrf_from(browser_a.get(f"/users/{worker}").text)
    browser_a.post(
        f"/users/{worker}/password",
        data={"csrf_token": token, "password_mode": "password", "password": NEW_PASSWORD},
    )
    assert not _is_signed_in(browser_b)
    log_in(browser_b, email_of("customer_service"), NEW_PASSWORD)
    assert _is_signed_in(browser_b)
    browser_a.post(f"/users/{worker}/deactivate", data={"csrf_token": token})
    assert not _is_signed_in(browser_b)
    refused = _sign_in_response(browser_b, email_of("customer_service"), NEW_PASSWORD)
    assert refused.status_code == 400
    assert "E-Mail oder Passwort ist falsch." in refused.text


def test_signing_out_everywhere_ends_every_session_of_the_account(
    browser_a: TestClient, browser_b: TestClient, db: Database
) -> None:
    add_account(db, "finance")
    log_in(browser_a, email_of("finance"), PASSWORD)
    log_in(browser_b, email_of("finance"), PASSWORD)
    token = csrf_from(browser_a.get("/account").text)
    browser_a.post("/account/sign-out-everywhere", data={"csrf_token": token})
    assert not _is_signed_in(browser_a)
    assert not _is_signed_in(browser_b)


def test_too_many_failures_answer_429_with_when_to_retry_and_refuse_the_right_password(
    browser_a: TestClient, db: Database, fixed_clock: clock.FixedClock
) -> None:
    add_account(db, "admin")
    for _ in range(3):
        assert _sign_in_response(browser_a, email_of("admin"), "falsch-falsch").status_code == 400
    response = _sign_in_response(browser_a, email_of("admin"), PASSWORD)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "60"
    # 09:01 UTC is 10:01 in Berlin: the message says exactly when.
    assert "Bitte versuchen Sie es ab 10:01:00 Uhr erneut." in response.text
    assert not _is_signed_in(browser_a)
    fixed_clock.set(START + timedelta(minutes=1))
    assert _sign_in_response(browser_a, email_of("admin"), PASSWORD).status_code == 303


def test_when_every_hash_slot_is_busy_sign_in_answers_429_at_once(
    browser_a: TestClient, db: Database
) -> None:
    add_account(db, "admin")
    slots = hashing.hash_slots()
    taken, release = threading.Barrier(slots.size + 1), threading.Event()

    def hold_a_slot() -> None:
        with slots.taken():
            taken.wait()
            release.wait(timeout=30)

    holders = [threading.Thread(target=hold_a_slot) for _ in range(slots.size)]
    for holder in holders:
        holder.start()
    taken.wait()
    try:
        response = _sign_in_response(browser_a, email_of("admin"), PASSWORD)
    finally:
        release.set()
        for holder in holders:
            holder.join()
    assert response.status_code == 429
    assert response.headers["retry-after"] == "5"
    assert re.search(r"Gerade melden sich sehr viele", response.text)
    assert _sign_in_response(browser_a, email_of("admin"), PASSWORD).status_code == 303
