"""Tags and comments from the order page: CSRF-protected POSTs that land back on the order
with a message; a finance user (read only) sees them but gets no forms."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.orders.queries import get_order
from tests.web.conftest import csrf_from
from tests.web.seed import SeededOrders, seed_shop


@pytest.fixture
def orders(db: Database) -> SeededOrders:
    return seed_shop(db)


def _post(client: TestClient, order_id: int, path: str, **fields: str) -> str:
    page = client.get(f"/orders/{order_id}").text
    data = {"csrf_token": csrf_from(page), **fields}
    response = client.post(f"/orders/{order_id}{path}", data=data, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/orders/{order_id}"
    return client.get(response.headers["location"]).text


def _flash(html: str) -> str:
    match = re.search(r'<p class="alert flash (?:success|error)" role="\w+">([^<]*)</p>', html)
    assert match, "the page shows no flash message"
    return match.group(1)


def test_an_agent_tags_an_order_and_takes_the_tag_off(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    html = _post(signed_in, orders.allocated, "/tags", tag="Rückruf")
    assert _flash(html) == "Markierung rückruf gesetzt."
    assert 'href="/orders?tag=r%C3%BCckruf"' in html
    html = _post(signed_in, orders.allocated, "/tags/r%C3%BCckruf/remove")
    assert _flash(html) == "Markierung rückruf entfernt."
    assert "Keine Markierungen." in html


def test_a_bad_tag_is_refused_with_a_readable_message(
    signed_in: TestClient, orders: SeededOrders, db: Database
) -> None:
    html = _post(signed_in, orders.allocated, "/tags", tag="zwei Wörter")
    assert _flash(html) == (
        "Eine Markierung hat höchstens 40 Zeichen: Buchstaben, Ziffern, - und _."
    )
    assert not [e for e in get_order(db, orders.allocated)["timeline"] if "tag" in e["type"]]


def test_a_comment_appears_on_the_timeline_with_its_author(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    html = _post(signed_in, orders.allocated, "/comments", body="Bitte vor 10 Uhr liefern")
    assert _flash(html) == "Kommentar gespeichert."
    assert '<p class="comment">Bitte vor 10 Uhr liefern</p>' in html
    html = _post(signed_in, orders.allocated, "/comments", body="   ")
    assert _flash(html).startswith("Bitte einen Kommentar")


def test_the_tag_filter_of_the_list_keeps_the_other_filters(
    signed_in: TestClient, orders: SeededOrders
) -> None:
    _post(signed_in, orders.allocated, "/tags", tag="vip")
    html = signed_in.get("/orders?tag=vip").text
    assert html.count('<a class="strong" href="/orders/') == 1
    assert f'href="/orders/{orders.allocated}"' in html
    assert signed_in.get("/orders?tag=vip&status=on_hold").text.count('class="strong" href') == 0
