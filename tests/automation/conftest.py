"""Fixtures for webhook tests: a real local HTTP receiver, a fixed clock, event factories and an
API client on an app that mounts only the webhooks router (independent of other capabilities)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ordnung.automation.api import router as webhooks_router
from ordnung.automation.service import NewSubscription, create_subscription
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.events import DomainEvent
from ordnung.core.http import JSONResponse, install_problem_handlers
from ordnung.core.settings import Settings


@dataclass(frozen=True, slots=True)
class SampleOrderEvent(DomainEvent):
    """Stands in for the order capability's events, so these tests need no other capability:
    one class for every public name (`type` is per event here, not per class) and any payload."""

    type: str  # type: ignore[misc]
    data: dict[str, Any]
    aggregate_type: ClassVar[str] = "order"

    def payload(self) -> dict[str, Any]:
        return dict(self.data)


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1, port chosen by the OS. `statuses` answers requests in
    turn (the last one repeats)."""

    url: str
    statuses: list[int] = field(default_factory=lambda: [204])
    requests: list[ReceivedRequest] = field(default_factory=list)
    delay_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, request: ReceivedRequest) -> int:
        with self.lock:
            self.requests.append(request)
            return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]


class _Server(ThreadingHTTPServer):
    # The default listen backlog of 5 refuses connections when four workers send at once on
    # a loaded machine; a refused delivery waits for its retry, and the test saw it missing.
    request_queue_size = 128


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            request = ReceivedRequest(
                self.path, {k.lower(): v for k, v in self.headers.items()}, body
            )
            status = state["receiver"].answer(request)
            time.sleep(state["receiver"].delay_seconds)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    state["receiver"] = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state["receiver"]
    server.shutdown()
    server.server_close()


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    fixed = clock.FixedClock(datetime(2030, 3, 4, 9, 0, tzinfo=UTC))
    previous = clock.use_clock(fixed)
    yield fixed
    clock.use_clock(previous)


@pytest.fixture
def record_event(db: Database) -> Callable[..., None]:
    """Stores a domain event as a business transaction would."""

    def record(event_type: str = "order.received", order_id: int = 7, **payload: Any) -> None:
        event = SampleOrderEvent(event_type, payload or {"number": "A1"})
        db.write(lambda uow: uow.record(event, aggregate_id=order_id, order_id=order_id))

    return record


@pytest.fixture
def subscribe(db: Database) -> Callable[..., dict[str, Any]]:
    """Creates a subscription the way the API does, private addresses allowed."""

    def make(url: str, event_types: list[str] | None = None) -> dict[str, Any]:
        return create_subscription(
            db, NewSubscription(url, event_types or ["*"]), allow_private=True
        )

    return make


def _webhooks_app(db: Database, settings: Settings) -> FastAPI:
    app = FastAPI(default_response_class=JSONResponse)
    app.state.db = db
    app.state.settings = settings
    install_problem_handlers(app)
    app.include_router(webhooks_router, prefix="/api/v1")
    return app


@pytest.fixture
def webhooks_client(db: Database, settings: Settings) -> Iterator[TestClient]:
    """Without credentials; tests set the Authorization header they need."""
    with TestClient(_webhooks_app(db, settings)) as client:
        yield client


@pytest.fixture
def strict_settings(database_url: str) -> Settings:
    """Production defaults: webhooks to private addresses are refused."""
    return Settings(database_url=database_url, webhook_allow_private=False)


@pytest.fixture
def strict_webhooks_client(db: Database, strict_settings: Settings) -> Iterator[TestClient]:
    with TestClient(_webhooks_app(db, strict_settings)) as client:
        yield client
