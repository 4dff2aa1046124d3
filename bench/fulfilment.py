"""The fulfilment cycle over HTTP against a real server, step by step, next to a raw-SQL floor.

    .venv/bin/python bench/fulfilment.py [--orders 2000] [--concurrency 16]
        [--backend sqlite|postgresql|both] [--workers 2]
        [--pg-url postgresql://postgres@127.0.0.1:5432/postgres] [--warmup 100]
        [--skip worklist,pick] [--no-floor] [--smoke]

For each backend, like bench/intake.py: a fresh database is migrated and seeded
(`intake_setup.seed`: channel, 3 warehouses, 50 products with stock, an admin API key) and the
real server is started with uvicorn (W workers, uvloop, httptools). After a warm-up of a few
whole cycles, C keep-alive connections drive, one phase after the other:

1. every step alone, N times each (throughput, p50/p99, server CPU per call): intake posts N
   orders (3 lines each, all sourced at warehouse A); worklist reads location A's released
   fulfilment orders N times; accept, pick and ship take the N fulfilment orders intake made,
   ship with carrier "dhl" and a tracking number of its own;
2. the whole cycle for N more orders: each client places an order, reads the work list, then
   accepts, picks and ships each of the order's fulfilment orders (the ids come from the
   intake answer); orders/s completed, and each step's latency within the mix.

The steps are a list (`STEPS`): one without a route yet (pack) is printed as not measured;
`--skip` leaves steps out of every phase (`--skip worklist,pick` is the cycle that issue 10
measured from outside: intake → accept → ship).
"pick" is `start-picking`, the only picking route today (the end of picking has none).
Progress and ETA are printed every 2 s. Afterwards the database is counted: every order and
fulfilment order must be shipped, and every stock position must equal the sum of its ledger
rows. Then the same phases run as raw SQL through the driver (`fulfilment_raw.py`) with C
threads into a second fresh database, and Ordnung's fraction of that floor is printed per
step and for the cycle, next to intake alone. Everything runs on 127.0.0.1, every wait has a
time limit, the databases are removed afterwards.

`--smoke` runs a few orders with 4 clients and exits non-zero on any error or failed check.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import text

import fulfilment_raw as raw
from intake import _cpu_seconds, _peak_rss_mb, _rusage_seconds, running_server
from intake_client import LoadResult, read_response
from intake_setup import encoded_payload, fresh_database, machine_facts, seed
from ordnung.core.db import Database

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCATION = "A"
GOAL_FLOOR_FRACTION = 0.60
GOAL_CYCLE_TO_INTAKE = 0.50
REQUEST_TIMEOUT = 30.0
PHASE_TIMEOUT = 900.0


@dataclass(frozen=True)
class Step:
    """One step of the cycle. `route` is None while the application has no route for it."""

    name: str
    route: str | None
    per_fulfilment_order: bool


STEPS = (
    Step("intake", "POST /api/v1/orders", False),
    Step("worklist", f"GET /api/v1/fulfillment-orders?location={LOCATION}&status=released", False),
    Step("accept", "POST /api/v1/fulfillment-orders/{id}/accept", True),
    Step("pick", "POST /api/v1/fulfillment-orders/{id}/start-picking", True),
    Step("pack", None, True),
    Step("ship", "POST /api/v1/fulfillment-orders/{id}/ship", True),
)
MEASURED = tuple(step for step in STEPS if step.route)
UNMEASURED = tuple(step for step in STEPS if not step.route)


# -- HTTP: one keep-alive connection per client, requests built as they are needed -----------


class Recorder:
    """Per-step latencies and statuses (asyncio: one thread, no lock needed)."""

    def __init__(self) -> None:
        self.results: dict[str, LoadResult] = {}

    def record(self, step: str, latency: float, status: int, body: bytes) -> None:
        result = self.results.setdefault(step, LoadResult())
        result.latencies.append(latency)
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if not 200 <= status < 300 and not result.first_error:
            result.first_error = f"{status}: {body[:300].decode(errors='replace')}"


@dataclass
class Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    headers: bytes
    recorder: Recorder

    async def call(self, step: str, method: str, path: str, body: bytes = b"") -> bytes:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
        started = time.perf_counter()
        self.writer.write(head.encode() + self.headers + body)
        status, answer = await asyncio.wait_for(read_response(self.reader), REQUEST_TIMEOUT)
        self.recorder.record(step, time.perf_counter() - started, status, answer)
        return answer if 200 <= status < 300 else b""


HttpJob = Callable[[Connection, Any], Awaitable[Any]]


def http_jobs(run: str) -> dict[str, HttpJob]:
    """Per step name: the request(s) for one item (an order index for intake and worklist,
    a fulfilment order id for the others). Intake returns the new fulfilment order ids."""

    async def intake(connection: Connection, index: int) -> list[int]:
        answer = await connection.call(
            "intake", "POST", "/api/v1/orders", encoded_payload(index, run)
        )
        return [fo["id"] for fo in orjson.loads(answer)["fulfillment_orders"]] if answer else []

    async def worklist(connection: Connection, _: Any) -> None:
        path = f"/api/v1/fulfillment-orders?location={LOCATION}&status=released&limit=20"
        await connection.call("worklist", "GET", path)

    def status_step(step: str, action: str) -> HttpJob:
        async def change(connection: Connection, fo_id: int) -> None:
            await connection.call(step, "POST", f"/api/v1/fulfillment-orders/{fo_id}/{action}")

        return change

    async def ship(connection: Connection, fo_id: int) -> None:
        body = {"carrier": "dhl", "tracking_number": raw.tracking_number(run, fo_id)}
        path = f"/api/v1/fulfillment-orders/{fo_id}/ship"
        await connection.call("ship", "POST", path, orjson.dumps(body))

    return {
        "intake": intake,
        "worklist": worklist,
        "accept": status_step("accept", "accept"),
        "pick": status_step("pick", "start-picking"),
        "ship": ship,
    }


def http_cycle(jobs: dict[str, HttpJob], steps: Sequence[Step]) -> HttpJob:
    """One order through `steps` (measured ones, intake first): the per-order steps, then
    per fulfilment order the rest, in the order of `STEPS`."""

    async def cycle(connection: Connection, index: int) -> list[int]:
        fo_ids: list[int] = await jobs["intake"](connection, index)
        for step in steps:
            if step.name != "intake" and not step.per_fulfilment_order:
                await jobs[step.name](connection, index)
        for fo_id in fo_ids:
            for step in steps:
                if step.per_fulfilment_order:
                    await jobs[step.name](connection, fo_id)
        return fo_ids

    return cycle


@dataclass
class Phase:
    """What one phase measured: per-step results, seconds, what each item returned."""

    name: str
    results: dict[str, LoadResult]
    elapsed: float
    outputs: dict[Any, Any] = field(default_factory=dict)
    items: int = 0
    server_cpu: float = 0.0
    client_cpu: float = 0.0

    @property
    def throughput(self) -> float:
        return self.items / self.elapsed if self.elapsed else 0.0

    @property
    def errors(self) -> int:
        return sum(result.errors for result in self.results.values())


class Progress:
    """Prints done/total, rate and ETA at most every 2 s."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total = label, total
        self.started = self.last = time.perf_counter()

    def __call__(self, done: int) -> None:
        now = time.perf_counter()
        if now - self.last < 2.0 or done >= self.total:
            return
        self.last = now
        rate = done / (now - self.started)
        eta = (self.total - done) / rate if rate else float("inf")
        share = done / self.total
        print(f"    {self.label}: {done}/{self.total} ({share:.0%}) {rate:.0f}/s, ETA {eta:.0f} s")


async def _http_phase(
    port: int, api_key: str, items: Sequence[Any], concurrency: int, job: HttpJob, label: str
) -> Phase:
    recorder, outputs, progress = Recorder(), {}, Progress(label, len(items))
    headers = f"Content-Type: application/json\r\nAuthorization: Bearer {api_key}\r\n\r\n"

    async def drive(share: Sequence[Any]) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        connection = Connection(reader, writer, headers.encode(), recorder)
        try:
            for item in share:
                outputs[item] = await job(connection, item)
                progress(len(outputs))
        finally:
            writer.close()
            await writer.wait_closed()

    started = time.perf_counter()
    shares = [items[i::concurrency] for i in range(concurrency)]
    await asyncio.wait_for(
        asyncio.gather(*(drive(share) for share in shares if share)), PHASE_TIMEOUT
    )
    elapsed = time.perf_counter() - started
    for result in recorder.results.values():
        result.elapsed = elapsed
    return Phase(label, recorder.results, elapsed, outputs, len(items))


def run_http_phase(
    server: Any, api_key: str, items: Sequence[Any], concurrency: int, label: str, job: HttpJob
) -> Phase:
    """One phase against the server, with the server workers' CPU and our own."""
    pids = server.worker_pids()
    server_before = _cpu_seconds(pids)
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    try:
        import uvloop

        runner: Callable[[Any], Phase] = uvloop.run
    except ImportError:
        runner = asyncio.run
    phase = runner(_http_phase(server.port, api_key, items, concurrency, job, label))
    phase.server_cpu = _cpu_seconds(pids) - server_before
    phase.client_cpu = _rusage_seconds(resource.getrusage(resource.RUSAGE_SELF), client_before)
    _done(phase)
    return phase


def _done(phase: Phase) -> None:
    errors = f", {phase.errors} errors" if phase.errors else ""
    print(
        f"    {phase.name}: {phase.items} in {phase.elapsed:.1f} s,"
        f" {phase.throughput:.0f}/s{errors}"
    )


# -- the phases, for either engine -----------------------------------------------------------


@dataclass
class Measured:
    """All phases of one engine (Ordnung over HTTP, or the raw floor)."""

    steps: dict[str, Phase] = field(default_factory=dict)
    cycle: Phase | None = None


def run_phases(
    run_phase: Callable[[str, Sequence[Any], Any], Phase], orders: int, steps: Sequence[Step]
) -> Measured:
    """Each step alone over N items (the fulfilment orders intake made), then the cycle."""
    measured = Measured()
    order_items = list(range(orders))
    intake = run_phase("intake", order_items, "intake")
    measured.steps["intake"] = intake
    fo_ids = sorted(fo for ids in intake.outputs.values() for fo in ids or [])
    for step in steps[1:]:
        items = fo_ids if step.per_fulfilment_order else order_items
        measured.steps[step.name] = run_phase(step.name, items, step.name)
    cycle_items = list(range(orders, 2 * orders))
    measured.cycle = run_phase("cycle", cycle_items, "cycle")
    return measured


@dataclass
class Checks:
    orders: dict[str, int]
    fulfilment_orders: dict[str, int]
    positions: int
    ledger_mismatches: int

    @property
    def is_ok(self) -> bool:
        return (
            set(self.orders) == {"shipped"}
            and set(self.fulfilment_orders) == {"shipped"}
            and self.ledger_mismatches == 0
        )


def count_checks(url: str) -> Checks:
    """Every order and fulfilment order shipped; every position equals its ledger."""
    db = Database(url)
    try:
        with db.engine.connect() as connection:
            orders = connection.execute(
                text("SELECT status, count(*) FROM sales_order GROUP BY status")
            ).all()
            fos = connection.execute(
                text("SELECT status, count(*) FROM fulfillment_order GROUP BY status")
            ).all()
            positions = connection.execute(text("SELECT count(*) FROM stock_position")).scalar()
            mismatches = connection.execute(
                text(
                    "SELECT count(*) FROM stock_position p LEFT JOIN (SELECT position_id,"
                    " sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved"
                    " FROM stock_movement GROUP BY position_id) m ON m.position_id = p.id"
                    " WHERE m.position_id IS NULL OR m.on_hand <> p.on_hand"
                    " OR m.reserved <> p.reserved"
                )
            ).scalar()
    finally:
        db.dispose()
    return Checks(dict(orders), dict(fos), int(positions or 0), int(mismatches or 0))


# -- one backend ------------------------------------------------------------------------------


@dataclass
class BackendResult:
    backend: str
    http: Measured
    floor: Measured | None
    checks: Checks
    floor_checks: Checks | None
    peak_rss_mb: dict[int, float]
    # SQLite only: the floor again with one connection. SQLite's busy handler sleeps instead
    # of waking when the writer lock frees, so C threads can do less than one (intake.py too).
    floor_single: Measured | None = None


def bench_http(backend: str, args: argparse.Namespace, log_dir: str) -> BackendResult:
    stamp = datetime.now(UTC).strftime("%H%M%S")
    with fresh_database(backend, args.pg_url, "ordnung_bench") as url:
        seeded = seed(url)
        with running_server(url, args.workers, log_dir, "ordnung.api:create_app") as server:
            jobs = http_jobs(f"R{stamp}")
            warm = http_jobs(f"W{stamp}")
            print(f"  [{backend}] Ordnung over HTTP, warm-up of {args.warmup} cycles")
            warmup = list(range(10_000_000, 10_000_000 + args.warmup))
            run_http_phase(
                server,
                seeded.api_key,
                warmup,
                args.concurrency,
                "warm-up",
                http_cycle(warm, args.steps),
            )

            def phase(step: str, items: Sequence[Any], label: str) -> Phase:
                job = http_cycle(jobs, args.steps) if step == "cycle" else jobs[step]
                return run_http_phase(server, seeded.api_key, items, args.concurrency, label, job)

            http = run_phases(phase, args.orders, args.steps)
            peaks = {pid: _peak_rss_mb(pid) for pid in server.worker_pids()}
        checks = count_checks(url)
    result = BackendResult(backend, http, None, checks, None, peaks)
    if not args.no_floor:
        result.floor, result.floor_checks = bench_floor(backend, args, stamp, args.concurrency)
        if backend == "sqlite" and args.concurrency > 1:
            result.floor_single, _ = bench_floor(backend, args, f"S{stamp}", 1)
    return result


def bench_floor(
    backend: str, args: argparse.Namespace, stamp: str, threads: int
) -> tuple[Measured, Checks]:
    print(f"  [{backend}] raw-SQL floor through the driver, {threads} thread(s)")
    with fresh_database(backend, args.pg_url, "ordnung_bench_raw") as url:
        seeded = seed(url)
        clients = [raw.open_client(seeded) for _ in range(threads)]
        try:
            warm = raw.step_jobs(seeded, f"W{stamp}")
            names = [step.name for step in args.steps]
            raw.run_threads(
                clients,
                list(range(10_000_000, 10_000_000 + args.warmup)),
                raw.cycle_job(warm, names),
            )
            jobs = raw.step_jobs(seeded, f"F{stamp}")

            def phase(step: str, items: Sequence[Any], label: str) -> Phase:
                job = raw.cycle_job(jobs, names) if step == "cycle" else jobs[step]
                before = time.process_time()
                results, elapsed, outputs = raw.run_threads(
                    clients, items, job, Progress(f"floor {label}", len(items))
                )
                result = Phase(label, results, elapsed, outputs, len(items))
                result.client_cpu = time.process_time() - before
                _done(result)
                return result

            floor = run_phases(phase, args.orders, args.steps)
        finally:
            for client in clients:
                client.connection.close()
        checks = count_checks(url)
    return floor, checks


# -- the report -------------------------------------------------------------------------------


def _ms(result: LoadResult | None, fraction: float) -> str:
    return f"{result.percentile_ms(fraction):7.1f}" if result else "      -"


def _fraction(part: float, whole: float) -> str:
    return f"{part / whole:5.0%}" if whole else "    -"


def _best_floor(result: BackendResult, step: str | None) -> tuple[Phase | None, str]:
    """The faster floor of C threads and (SQLite) one connection, and a mark for the latter."""
    candidates = [(result.floor, ""), (result.floor_single, "¹")]
    phases = [
        (measured.cycle if step is None else measured.steps.get(step), mark)
        for measured, mark in candidates
        if measured is not None
    ]
    found = [(phase, mark) for phase, mark in phases if phase is not None]
    return max(found, key=lambda pair: pair[0].throughput, default=(None, ""))


def report(result: BackendResult, args: argparse.Namespace) -> None:
    http = result.http
    print(f"\n== {result.backend}: N={args.orders} C={args.concurrency} workers={args.workers}")
    print("  each step alone (ops/s; latency in ms; server CPU per call in ms):")
    print(
        f"  {'step':9} {'Ordnung/s':>9} {'p50':>7} {'p99':>7} {'CPU ms':>7}"
        f" | {'floor/s':>8} {'p50':>7} {'p99':>7} | {'fraction':>8}"
    )
    for step in STEPS:
        if step.route is None:
            print(f"  {step.name:9} no route yet — not measured")
            continue
        if step not in args.steps:
            print(f"  {step.name:9} skipped (--skip)")
            continue
        own, (base, mark) = http.steps[step.name], _best_floor(result, step.name)
        mine = own.results.get(step.name)
        theirs = base.results.get(step.name) if base else None
        cpu = own.server_cpu * 1000 / own.items if own.items else 0.0
        floor_rate = base.throughput if base else 0.0
        print(
            f"  {step.name:9} {own.throughput:9.0f} {_ms(mine, 0.5)} {_ms(mine, 0.99)} {cpu:7.2f}"
            f" | {floor_rate:7.0f}{mark or ' '} {_ms(theirs, 0.5)} {_ms(theirs, 0.99)}"
            f" | {_fraction(own.throughput, floor_rate):>8}"
        )
    if result.floor_single is not None:
        print("  ¹ floor with one connection (faster on SQLite than C threads, see intake.py)")
    _report_cycle(result, args)


def _report_cycle(result: BackendResult, args: argparse.Namespace) -> None:
    http = result.http
    assert http.cycle is not None
    cycle, (floor_cycle, mark) = http.cycle, _best_floor(result, None)
    print("  within the cycle (all steps mixed; latency in ms):")
    for step in args.steps:
        mine = cycle.results.get(step.name)
        theirs = floor_cycle.results.get(step.name) if floor_cycle else None
        print(
            f"  {step.name:9} Ordnung p50 {_ms(mine, 0.5)} p99 {_ms(mine, 0.99)}"
            f" | floor p50 {_ms(theirs, 0.5)} p99 {_ms(theirs, 0.99)}"
        )
    intake = http.steps["intake"].throughput
    floor_rate = floor_cycle.throughput if floor_cycle else 0.0
    ratio = cycle.throughput / intake if intake else 0.0
    cpu = cycle.server_cpu * 1000 / cycle.items if cycle.items else 0.0
    print(
        f"  cycle    : {cycle.throughput:.0f} orders/s (floor {floor_rate:.0f}{mark},"
        f" fraction {_fraction(cycle.throughput, floor_rate).strip()}),"
        f" server CPU {cpu:.2f} ms per order"
    )
    print(
        f"  intake alone {intake:.0f} orders/s; cycle / intake {ratio:.0%}"
        f" (goal ≥ {GOAL_CYCLE_TO_INTAKE:.0%})"
    )
    missing = ", ".join(step.name for step in UNMEASURED)
    if missing:
        print(f"  {missing}: no route yet — not measured")
    _report_health(result)


def _report_health(result: BackendResult) -> None:
    http = result.http
    phases = [*http.steps.values(), *([http.cycle] if http.cycle else [])]
    errors = {phase.name: phase.errors for phase in phases if phase.errors}
    print(f"  errors (non-2xx) per phase: {errors or 'none'}")
    for phase in phases:
        for step, measured in phase.results.items():
            if measured.first_error:
                print(f"    first error ({phase.name}/{step}): {measured.first_error}")
    _print_checks("check", result.checks)
    if result.floor_checks:
        _print_checks("floor check", result.floor_checks)
    floor_errors = (
        {p.name: p.errors for p in result.floor.steps.values() if p.errors} if result.floor else {}
    )
    if floor_errors:
        print(f"  floor errors: {floor_errors}")
    peaks = ", ".join(f"pid {pid}: {mb:.0f} MB" for pid, mb in result.peak_rss_mb.items())
    print(f"  server peak RSS (VmHWM): {peaks}")


def _print_checks(label: str, checks: Checks) -> None:
    verdict = "ok" if checks.is_ok else "FAILED"
    print(
        f"  {label}: {verdict} — orders {checks.orders}, fulfilment orders"
        f" {checks.fulfilment_orders}, {checks.positions} positions,"
        f" {checks.ledger_mismatches} differ from their ledger"
    )


def _phases(measured: Measured | None) -> list[Phase]:
    if measured is None:
        return []
    return [*measured.steps.values(), *([measured.cycle] if measured.cycle else [])]


def is_healthy(result: BackendResult) -> bool:
    """No error in any phase, of Ordnung or the floor, and every check passed."""
    checks = [result.checks, *([result.floor_checks] if result.floor_checks else [])]
    phases = _phases(result.http) + _phases(result.floor) + _phases(result.floor_single)
    return all(check.is_ok for check in checks) and not any(phase.errors for phase in phases)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--orders", type=int, default=2000, help="orders per phase (N)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (C)")
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql", "both"), default="both", help="database"
    )
    parser.add_argument("--workers", type=int, default=2, help="uvicorn server processes (W)")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL admin URL")
    parser.add_argument("--warmup", type=int, default=100, help="whole cycles before measuring")
    parser.add_argument("--no-floor", action="store_true", help="skip the raw-SQL floor")
    parser.add_argument(
        "--skip",
        default="",
        help="steps left out, comma-separated (e.g. worklist,pick: the cycle of issue 10's"
        " outside measurement, intake → accept → ship)",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="40 orders, 4 clients; exit 1 on any error"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.orders, args.concurrency, args.warmup = 40, 4, 8
    if args.orders < 1 or args.concurrency < 1 or args.workers < 1 or args.warmup < 0:
        parser.error("--orders, --concurrency and --workers must be positive")
    skipped = {name.strip() for name in args.skip.split(",") if name.strip()}
    if skipped - {step.name for step in MEASURED[1:]}:
        parser.error(f"--skip takes only {', '.join(step.name for step in MEASURED[1:])}")
    args.steps = tuple(step for step in MEASURED if step.name not in skipped)
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    facts = machine_facts(args.pg_url if "postgresql" in backends else None)
    print(f"Ordnung fulfilment cycle benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    for name, value in facts.items():
        print(f"  {name:13}: {value}")
    synchronous = os.environ.get("ORDNUNG_SQLITE_SYNCHRONOUS", "FULL")
    print(f"  SQLite server setting: synchronous={synchronous}, WAL (ORDNUNG_SQLITE_SYNCHRONOUS)")
    print(f"  steps: {' → '.join(step.name for step in STEPS if step in args.steps)}")
    with tempfile.TemporaryDirectory(prefix="ordnung-bench-logs-") as log_dir:
        results = [bench_http(backend, args, log_dir) for backend in backends]
    for result in results:
        report(result, args)
    if args.smoke and not all(is_healthy(result) for result in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
