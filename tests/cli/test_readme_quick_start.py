"""The README's API quick start works when pasted into a shell: its shell block, as it stands
in the README, runs against a real server on a demo shop and ships one order and cancels
another."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from ordnung.core.db import Database
from ordnung.core.migrate import upgrade_database
from ordnung.demo.seed import seed_demo
from ordnung.orders.queries import find_order_id_by_number, get_order
from ordnung.staff.service import create_api_key

README = Path(__file__).resolve().parents[2] / "README.md"


def _quick_start_script() -> str:
    text = README.read_text()
    section = text[text.index("## API quick start") :]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match is not None, "the README's API quick start has no shell block"
    # The reader fills in their own key; the test's environment carries it.
    return re.sub(r"^export (ORDNUNG|TOKEN)=.*$", "", match.group(1), flags=re.MULTILINE)


def _at(port: int) -> list[str]:
    return ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, Database]]:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade_database(url)
    database = Database(url)
    seed_demo(database, now=datetime.now(UTC), customer_count=12, order_count=12)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "ordnung.api:create_app", "--factory", *_at(port)],
        env={**os.environ, "ORDNUNG_DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base, database
    finally:
        process.terminate()
        process.wait(timeout=20)
        database.dispose()


def test_the_quick_start_runs_as_pasted_and_ships_one_order_and_cancels_another(
    demo_server: tuple[str, Database],
) -> None:
    base, database = demo_server
    _key_id, token = create_api_key(database, "readme", ["admin"])
    script = (
        "set -euo pipefail\n"
        + _quick_start_script()
        + '\nprintf "\\nIDS %s %s\\n" "$ORDER_ID" "$SECOND_ID"\n'
    )

    done = subprocess.run(
        ["bash", "-c", script],
        env={**os.environ, "ORDNUNG": base, "TOKEN": token},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    ids = re.search(r"^IDS (\d+) (\d+)$", done.stdout, re.MULTILINE)
    assert ids is not None, done.stdout[-2000:]
    order_id, second_id = int(ids.group(1)), int(ids.group(2))
    assert get_order(database, order_id)["status"] == "shipped"
    assert get_order(database, second_id)["status"] == "cancelled"
    assert find_order_id_by_number(database, get_order(database, order_id)["number"]) == order_id
