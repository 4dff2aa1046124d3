"""API test fixtures: a client with an admin key on the seeded contract shop."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ordnung.api import create_app
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from tests.api.seed import seed_contract_shop


@pytest.fixture
def shop(app_client: TestClient, db: Database) -> TestClient:
    """The seeded shop (tests/api/seed.py), called with its admin API key."""
    app_client.headers["Authorization"] = f"Bearer {seed_contract_shop(db)}"
    return app_client


@pytest.fixture
def live_app(db: Database, settings: Settings) -> FastAPI:
    return create_app(settings, db)


@pytest.fixture
def live_server(live_app: FastAPI) -> Iterator[str]:
    """`live_app` served by uvicorn (httptools, as in production) on a free local port."""
    yield from serve(live_app)


def serve(app: FastAPI) -> Iterator[str]:
    """Serves `app` with uvicorn in a thread until the generator is closed; yields host:port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", http="httptools")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start within 15 s"
        time.sleep(0.02)
    yield f"127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()
