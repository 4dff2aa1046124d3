"""/docs and /redoc work offline: in Debian's Chromium, with every request to another host
blocked and recorded, both pages render the API's operations from what the app serves."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from ordnung.api import create_app
from ordnung.core.settings import Settings
from tests.api.conftest import serve
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser
SCREENSHOT_DIRECTORY = Path(os.environ.get("ORDNUNG_SCREENSHOT_DIR", "/tmp"))


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; run `apt-get install chromium` (as root).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def docs_server(tmp_path: Path) -> Iterator[str]:
    """The app on a database of its own: the docs pages need no data, nor each backend."""
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'docs.db'}"))
    yield from serve(app)


RENDER_MS = 60_000


@pytest.fixture
def offline_page(browser: Browser, docs_server: str) -> Iterator[tuple[Page, list[str]]]:
    """A tab that may reach the app only; what it asked of other hosts is listed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    elsewhere: list[str] = []

    def only_the_app(route: Route) -> None:
        if urlsplit(route.request.url).netloc == docs_server:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_app)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab, elsewhere
    context.close()


def test_swagger_ui_renders_every_operation_without_any_other_host(
    offline_page: tuple[Page, list[str]], docs_server: str
) -> None:
    page, elsewhere = offline_page
    page.goto(f"http://{docs_server}/docs")
    # Rendering a document of 50+ operations takes seconds on a busy machine.
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=RENDER_MS)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/orders/{order_ref}" in paths
    assert len(paths) >= 30
    expect(page.get_by_text("Take an order in from a sales channel")).to_be_visible()
    # The bearer scheme is offered for the key.
    expect(page.locator(".btn.authorize")).to_be_visible()
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-api-docs.png"))
    assert elsewhere == []


def test_redoc_renders_the_operations_without_any_other_host(
    offline_page: tuple[Page, list[str]], docs_server: str
) -> None:
    page, elsewhere = offline_page
    page.goto(f"http://{docs_server}/redoc")
    heading = page.get_by_role("heading", name="Take an order in from a sales channel")
    expect(heading).to_be_visible(timeout=RENDER_MS)
    expect(page.get_by_role("menuitem", name="webhooks")).to_be_visible()
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "ordnung-api-redoc.png"))
    assert elsewhere == []
