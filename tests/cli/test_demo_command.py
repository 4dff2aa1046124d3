"""`ordnung demo` starts for real: a subprocess on a free port with its own SQLite file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ordnung.demo.runner import DEMO_EMAIL, DEMO_PASSWORD

STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "ordnung demo exited early"
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"no /health answer within {STARTUP_SECONDS} s")


def printed_api_key(log: Path) -> str:
    line = next(line for line in log.read_text().splitlines() if "API key:" in line)
    return line.split()[2]


def test_ordnung_demo_serves_the_seeded_shop_with_its_printed_api_key(tmp_path: Path) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "ORDNUNG_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "demo.log"
    ordnung = Path(sys.executable).parent / "ordnung"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(ordnung), "demo", "--port", str(port), "--fresh"],
            env=env,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(base_url, process)
            headers = {"Authorization": f"Bearer {printed_api_key(log)}"}
            orders = httpx.get(f"{base_url}/api/v1/orders", headers=headers, timeout=10)
        finally:
            process.send_signal(signal.SIGINT)
            exit_code = process.wait(timeout=30)
    text = log.read_text()
    assert orders.status_code == 200, orders.text
    assert orders.json()["items"]
    assert f"{DEMO_EMAIL} / {DEMO_PASSWORD}" in text
    assert f"{base_url}/docs" in text
    assert exit_code == 0, text
