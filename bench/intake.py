"""Order intake throughput: POST /api/v1/orders against a real server, next to a raw-SQL floor.

    .venv/bin/python bench/intake.py [--orders 3000] [--concurrency 16]
        [--backend sqlite|postgresql|both] [--workers 2]
        [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]

For each backend: a fresh database (SQLite temp file / PostgreSQL `ordnung_bench`) is migrated
and seeded (channel, 3 warehouses, 50 products with stock, an admin API key); the real server
is started with uvicorn (W workers, uvloop, httptools); N orders of 3 lines are posted over C
keep-alive connections after a short warm-up. Then the same work is done as raw SQL through the
driver into a second fresh database, and Ordnung's throughput is printed as a fraction of it.
Everything runs on 127.0.0.1 and stops by itself (every wait has a time limit).
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

import intake_profile
from intake_client import LoadResult, build_request, run_load
from intake_raw import run_floor
from intake_setup import count_statements, encoded_payload, fresh_database, machine_facts, seed
from ordnung.core.db import Database
from ordnung.orders.tables import sales_order_table

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SERVER_START_SECONDS = 60.0
BAR = {"sqlite": 1000.0, "postgresql": 800.0}
BAR_P99_MS = 50.0


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def worker_pids(self) -> list[int]:
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid and b"resource_tracker" not in cmdline:
                children.append(int(entry.name))
        # With --workers 1 uvicorn serves from the process we started itself.
        return sorted(children) or [self.process.pid]


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@contextmanager
def running_server(url: str, workers: int, log_dir: str, app: str) -> Iterator[Server]:
    port = _free_port()
    log = Path(log_dir) / f"uvicorn-{port}.log"
    env = {**os.environ, "ORDNUNG_DATABASE_URL": url}
    command = [
        *(sys.executable, "-m", "uvicorn", app, "--factory"),
        *(() if app.startswith("ordnung.") else ("--app-dir", str(REPO / "bench"))),
        *("--workers", str(workers), "--loop", "uvloop", "--http", "httptools"),
        *("--no-access-log", "--host", "127.0.0.1", "--port", str(port)),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process, port, log)
    try:
        _wait_healthy(server)
        yield server
    finally:
        _stop(process)


def _wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    healthy = 0
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            url = f"http://127.0.0.1:{server.port}/health"
            with urllib.request.urlopen(url, timeout=2) as response:
                healthy += response.status == 200
        except OSError:
            pass
        # Every worker must have imported the app: ask a few times in a row.
        if healthy >= 4:
            return
        time.sleep(0.25)
    tail = server.log.read_text(errors="replace")[-3000:]
    raise SystemExit(f"server did not become healthy; its log ends with:\n{tail}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    # The server runs in its own session, so this reaches exactly the processes we started.
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _requests(count: int, run: str, api_key: str, first: int = 0) -> list[bytes]:
    headers = {"Authorization": f"Bearer {api_key}"}
    return [
        build_request("/api/v1/orders", encoded_payload(index, run), headers)
        for index in range(first, first + count)
    ]


def _order_counts(url: str) -> Counter[str]:
    db = Database(url)
    try:
        with db.engine.connect() as connection:
            rows = connection.execute(
                select(sales_order_table.c.status, func.count()).group_by(
                    sales_order_table.c.status
                )
            ).all()
    finally:
        db.dispose()
    return Counter({status: count for status, count in rows})


@dataclass
class BackendResult:
    backend: str
    http: LoadResult
    floor: LoadResult
    floor_single: LoadResult | None
    statements: int
    statement_kinds: Counter[str]
    peak_rss_mb: dict[int, float]
    statuses: Counter[str]
    cpu_ms_per_order: tuple[float, float]  # server workers, load generator


def bench_backend(backend: str, args: argparse.Namespace, log_dir: str) -> BackendResult:
    stamp = datetime.now(UTC).strftime("%H%M%S")
    with fresh_database(backend, args.pg_url, "ordnung_bench") as url:
        seeded = seed(url)
        statements, kinds = count_statements(url)
        # Warm-up customers are not the measured ones: the same customer, address and lines
        # again within minutes is a suspected duplicate, held for a person (the checks).
        warmup = _requests(args.warmup, f"W{stamp}", seeded.api_key, first=10_000_000)
        measured = _requests(args.orders, f"R{stamp}", seeded.api_key)
        with running_server(url, args.workers, log_dir, args.app) as server:
            run_load(server.port, warmup, args.concurrency)
            pids = server.worker_pids()
            recorders = intake_profile.start(pids, args.profile, backend) if args.profile else []
            server_before = _cpu_seconds(pids)
            client_before = resource.getrusage(resource.RUSAGE_SELF)
            http = run_load(server.port, measured, args.concurrency)
            server_cpu = _cpu_seconds(pids) - server_before
            client_cpu = _rusage_seconds(resource.getrusage(resource.RUSAGE_SELF), client_before)
            intake_profile.stop(recorders)
            peaks = {pid: _peak_rss_mb(pid) for pid in pids}
        statuses = _order_counts(url)
    print(f"  [{backend}] HTTP run done: {http.throughput:.0f} orders/s")
    floor, single = LoadResult(), None
    if args.no_floor:
        cpu = (server_cpu * 1000 / args.orders, client_cpu * 1000 / args.orders)
        return BackendResult(backend, http, floor, single, statements, kinds, peaks, statuses, cpu)
    with fresh_database(backend, args.pg_url, "ordnung_bench_raw") as raw_url:
        raw_seeded = seed(raw_url)
        floor = run_floor(raw_seeded, args.orders, args.concurrency, f"F{stamp}")
        if backend == "sqlite" and args.concurrency > 1:
            single = run_floor(raw_seeded, args.orders, 1, f"S{stamp}")
    cpu = (server_cpu * 1000 / args.orders, client_cpu * 1000 / args.orders)
    return BackendResult(backend, http, floor, single, statements, kinds, peaks, statuses, cpu)


def _rusage_seconds(after: resource.struct_rusage, before: resource.struct_rusage) -> float:
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _latency_line(result: LoadResult) -> str:
    return (
        f"p50 {result.percentile_ms(0.50):.1f}  p95 {result.percentile_ms(0.95):.1f}"
        f"  p99 {result.percentile_ms(0.99):.1f}"
        f"  max {max(result.latencies, default=0) * 1000:.1f} ms"
    )


def report(result: BackendResult, args: argparse.Namespace) -> None:
    http, floor = result.http, result.floor
    fraction = http.throughput / floor.throughput if floor.throughput else 0.0
    p99 = http.percentile_ms(0.99)
    print(f"\n== {result.backend}: N={args.orders} C={args.concurrency} workers={args.workers}")
    print(f"  app factory: {args.app}")
    print(f"  Ordnung HTTP  : {http.throughput:8.0f} orders/s   {_latency_line(http)}")
    print(f"                  errors (non-2xx) {http.errors}   statuses {dict(http.statuses)}")
    if http.first_error:
        print(f"                  first error: {http.first_error}")
    print(f"                  orders in database by status: {dict(result.statuses)}")
    print(f"  raw-SQL floor : {floor.throughput:8.0f} orders/s   {_latency_line(floor)}")
    print(f"                  ({args.concurrency} connections, errors {floor.errors})")
    if floor.first_error:
        print(f"                  first error: {floor.first_error}")
    if result.floor_single is not None:
        single = result.floor_single
        print(f"  raw-SQL, 1 conn: {single.throughput:7.0f} orders/s   {_latency_line(single)}")
    print(f"  Ordnung / floor: {fraction:.0%}")
    kinds = ", ".join(f"{kind} x{n}" for kind, n in sorted(result.statement_kinds.items()))
    print(
        "  statements per intake transaction (in-process; the same for 1 or N orders):",
        result.statements,
    )
    print(f"                  {kinds}")
    peaks = ", ".join(f"pid {pid}: {mb:.0f} MB" for pid, mb in result.peak_rss_mb.items())
    server_ms, client_ms = result.cpu_ms_per_order
    print(f"  CPU per order: server workers {server_ms:.2f} ms, load generator {client_ms:.2f} ms")
    print(f"  server peak RSS (VmHWM): {peaks}")
    bar = BAR[result.backend]
    verdict = [
        f"throughput {'meets' if http.throughput >= bar else 'misses'} {bar:.0f}/s",
        f"p99 {'meets' if p99 <= BAR_P99_MS else 'misses'} {BAR_P99_MS:.0f} ms",
        f"floor fraction {'meets' if fraction >= 0.5 else 'misses'} 50%",
    ]
    print(f"  bar: {'; '.join(verdict)}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--orders", type=int, default=3000, help="orders to post (N)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (C)")
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql", "both"), default="both", help="database"
    )
    parser.add_argument("--workers", type=int, default=2, help="uvicorn server processes (W)")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL admin URL")
    parser.add_argument("--warmup", type=int, default=200, help="orders posted before measuring")
    parser.add_argument(
        "--profile", type=Path, default=None, help="record the workers with py-spy into DIR"
    )
    parser.add_argument(
        "--app",
        default="ordnung.api:create_app",
        help="app factory to serve, module:factory (default: ordnung.api:create_app)",
    )
    parser.add_argument("--no-floor", action="store_true", help="skip the raw-SQL floor")
    args = parser.parse_args(argv)
    if args.orders < 1 or args.concurrency < 1 or args.workers < 1:
        parser.error("--orders, --concurrency and --workers must be positive")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    facts = machine_facts(args.pg_url if "postgresql" in backends else None)
    print(f"Ordnung intake benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    for name, value in facts.items():
        print(f"  {name:13}: {value}")
    synchronous = os.environ.get("ORDNUNG_SQLITE_SYNCHRONOUS", "FULL")
    print(f"  SQLite server setting: synchronous={synchronous}, WAL (ORDNUNG_SQLITE_SYNCHRONOUS)")
    with tempfile.TemporaryDirectory(prefix="ordnung-bench-logs-") as log_dir:
        results = [bench_backend(backend, args, log_dir) for backend in backends]
    for result in results:
        report(result, args)
        if args.profile:
            intake_profile.summarize(args.profile, result.backend)


if __name__ == "__main__":
    main()
