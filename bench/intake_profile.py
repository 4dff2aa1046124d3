"""Optional sampling profile of the server workers during the measured run (py-spy).

`py-spy record --format raw` writes collapsed stacks ("frame;frame;... count"); this module
starts one recorder per worker, stops them with SIGINT (py-spy then writes its file) and sums
the samples into self time per function, inclusive time per function and self time per layer.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

# The package of the innermost frame says which layer burns the CPU.
LAYERS = (
    ("ordnung", "ordnung (our code)"),
    ("sqlalchemy", "SQLAlchemy"),
    ("psycopg", "psycopg driver"),
    ("sqlite3", "sqlite3 driver"),
    ("pydantic", "pydantic"),
    ("fastapi", "FastAPI"),
    ("starlette", "Starlette"),
    ("anyio", "anyio (thread pool hand-off)"),
    ("uvicorn", "uvicorn / httptools"),
    ("email_validator", "email-validator"),
    ("orjson", "orjson"),
    ("asyncio", "asyncio"),
    ("threading", "threading"),
)


def py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def start(pids: list[int], directory: Path, label: str) -> list[subprocess.Popen[bytes]]:
    binary = py_spy()
    if binary is None:
        print("  (py-spy not found: pip install py-spy into the venv to profile)")
        return []
    directory.mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(
            [
                *(binary, "record", "--pid", str(pid), "--format", "raw", "--function"),
                *("--rate", "250", "--gil"),
                *("--output", str(directory / f"{label}-{pid}.txt")),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in pids
    ]


def stop(recorders: list[subprocess.Popen[bytes]]) -> None:
    for recorder in recorders:
        if recorder.poll() is None:
            recorder.send_signal(signal.SIGINT)
    for recorder in recorders:
        try:
            recorder.wait(timeout=30)
        except subprocess.TimeoutExpired:
            recorder.kill()
            recorder.wait(timeout=10)


def _layer(frame: str) -> str:
    for needle, name in LAYERS:
        if f"({needle}" in frame or f"/{needle}/" in frame or f"({needle}." in frame:
            return name
    return "other (stdlib, C extensions)"


def _stacks(directory: Path, label: str) -> Iterator[tuple[list[str], int]]:
    """(frames, samples) of every collapsed stack py-spy wrote for `label`."""
    for path in sorted(directory.glob(f"{label}-*.txt")):
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count_text = line.rpartition(" ")
            frames = [frame for frame in stack.split(";") if not frame.startswith("process ")]
            if stack and count_text.isdigit() and frames:
                yield frames, int(count_text)


def summarize(directory: Path, label: str, top: int = 15) -> None:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    layers: Counter[str] = Counter()
    total = 0
    for frames, count in _stacks(directory, label):
        total += count
        own[frames[-1]] += count
        layers[_layer(frames[-1])] += count
        for frame in set(frames):
            inclusive[frame] += count
    if not total:
        print(f"  no profile samples for {label}")
        return
    print(f"\n  profile {label}: {total} samples (on-CPU, all workers)")
    print("  self time by layer:")
    for name, count in layers.most_common():
        print(f"    {count / total:6.1%}  {name}")
    print("  self time by function:")
    for frame, count in own.most_common(top):
        print(f"    {count / total:6.1%}  {frame}")
    print("  inclusive time, ordnung / sqlalchemy / pydantic / fastapi frames:")
    shown = 0
    for frame, count in inclusive.most_common():
        if any(part in frame for part in ("ordnung", "sqlalchemy", "pydantic", "fastapi")):
            print(f"    {count / total:6.1%}  {frame}")
            shown += 1
            if shown == top * 2:
                break
