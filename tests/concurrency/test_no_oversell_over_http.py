"""Invariant 2 under real concurrency: 32 clients over HTTP race for the last 10 units.

A real server (two uvicorn worker processes, like `ordnung serve`) runs against the test
database, so the race crosses processes and connections exactly as in production.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from ordnung.core.db import Database
from ordnung.inventory.tables import stock_movement_table, stock_position_table
from ordnung.orders.tables import sales_order_table
from tests.factories import order_payload, position, put_stock, standard_setup


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(database_url: str, db: Database) -> Iterator[str]:
    port = _free_port()
    environment = {**os.environ, "ORDNUNG_DATABASE_URL": database_url}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "ordnung.api:create_app",
            "--factory",
            "--workers",
            "2",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_until_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode() if process.stderr else "exited")
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("server did not become healthy in 30 s")


def _race(clients: int, request: Callable[[httpx.Client, int], httpx.Response]) -> list[int]:
    """Starts `clients` threads that fire at the same moment; returns their status codes."""
    barrier = threading.Barrier(clients)
    statuses: list[int] = []
    lock = threading.Lock()

    def one(index: int) -> None:
        with httpx.Client(timeout=180) as client:
            barrier.wait()
            status = request(client, index).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _scalar(db: Database, query: Any) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(query).scalar_one() or 0)


def test_32_clients_ordering_the_last_10_units_reserve_exactly_10(
    server: str, db: Database, make_api_key: Callable[..., str]
) -> None:
    locations = standard_setup(db)
    put_stock(db, "SKU-1", locations["A"], 10)
    headers = {"Authorization": f"Bearer {make_api_key('orders:write')}"}

    def order_one_unit(client: httpx.Client, index: int) -> httpx.Response:
        body = order_payload([("SKU-1", 1)], external_id=f"race-{index}")
        return client.post(server + "/api/v1/orders", json=body, headers=headers)

    statuses = _race(32, order_one_unit)
    assert statuses.count(201) == 32  # every order is accepted; 22 of them wait for stock
    stock = position(db, "SKU-1", locations["A"])
    assert stock["reserved"] == 10
    assert stock["on_hand"] - stock["reserved"] - stock["safety_stock"] >= 0
    allocated = _scalar(db, select(func.count()).where(sales_order_table.c.status == "allocated"))
    backordered = _scalar(
        db, select(func.count()).where(sales_order_table.c.status == "backordered")
    )
    assert (allocated, backordered) == (10, 22)
    ledger_reserved = _scalar(db, select(func.sum(stock_movement_table.c.reserved_delta)))
    ledger_on_hand = _scalar(db, select(func.sum(stock_movement_table.c.on_hand_delta)))
    on_hand = _scalar(db, select(func.sum(stock_position_table.c.on_hand)))
    assert (ledger_reserved, ledger_on_hand) == (10, on_hand)


def test_the_same_order_posted_20_times_at_once_exists_once(
    server: str, db: Database, make_api_key: Callable[..., str]
) -> None:
    locations = standard_setup(db)
    put_stock(db, "SKU-1", locations["A"], 100)
    headers = {"Authorization": f"Bearer {make_api_key('orders:write')}"}
    body = order_payload([("SKU-1", 2)], external_id="same-order")

    def post(client: httpx.Client, _index: int) -> httpx.Response:
        return client.post(server + "/api/v1/orders", json=body, headers=headers)

    statuses = _race(20, post)
    assert sorted(set(statuses)) in ([200, 201], [201])
    assert statuses.count(201) == 1
    assert _scalar(db, select(func.count()).select_from(sales_order_table)) == 1
    assert position(db, "SKU-1", locations["A"])["reserved"] == 2


def test_the_same_idempotency_key_sent_20_times_at_once_creates_one_order(
    server: str, db: Database, make_api_key: Callable[..., str]
) -> None:
    locations = standard_setup(db)
    put_stock(db, "SKU-1", locations["A"], 100)
    headers = {
        "Authorization": f"Bearer {make_api_key('orders:write')}",
        "Idempotency-Key": "retry-storm",
    }
    body = order_payload([("SKU-1", 1)], external_id="keyed")

    def post(client: httpx.Client, _index: int) -> httpx.Response:
        return client.post(server + "/api/v1/orders", json=body, headers=headers)

    statuses = _race(20, post)
    assert statuses == [201] * 20  # replays repeat the first answer, status included
    assert _scalar(db, select(func.count()).select_from(sales_order_table)) == 1
