"""Posting the back office's administration forms as a browser would, for the page tests."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient
from httpx import Response

from tests.web.conftest import csrf_from

_FLASH = re.compile(r'<p class="alert flash (?:success|error)" role="\w+">([^<]*)</p>')
_FIELD_ERROR = re.compile(r'<span class="field-error" id="([a-z_]+)-error">([^<]*)</span>')
_VERSION = re.compile(r'name="version" value="(\d+)"')


def submit(
    client: TestClient, page: str, action: str, fields: dict[str, object] | None = None
) -> Response:
    """Opens `page`, then posts its form to `action` with the page's CSRF token and version
    (if it shows one) plus `fields`; the answer is not followed."""
    html = client.get(page).text
    data: dict[str, str] = {"csrf_token": csrf_from(html)}
    version = _VERSION.search(html)
    if version:
        data["version"] = version.group(1)
    data.update({name: str(value) for name, value in (fields or {}).items()})
    return client.post(action, data=data, follow_redirects=False)


def landed(client: TestClient, response: Response, expected: str) -> str:
    """The page a form's redirect leads to, after checking it leads to `expected`."""
    assert response.status_code == 303, response.text
    assert response.headers["location"] == expected
    answer = client.get(expected)
    assert answer.status_code == 200
    return answer.text


def flash(html: str) -> str:
    match = _FLASH.search(html)
    assert match, "the page shows no message"
    return unescape(match.group(1))


def field_errors(html: str) -> dict[str, str]:
    """Each refused field of a form shown again, with the message beside it."""
    return {name: unescape(text) for name, text in _FIELD_ERROR.findall(html)}
