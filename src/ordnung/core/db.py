"""Database engine, transactions and the unit of work.

Same code on SQLite (embedded default) and PostgreSQL. Two facts shape this module
(design.md §6): pysqlite's own transaction handling lets read-then-write races oversell, and
SQLite ignores row locks. So on SQLite the driver runs in autocommit mode and we issue
`BEGIN IMMEDIATE` ourselves for writes: the write lock is taken before the first read, which
serialises writers. Transient failures (`database is locked`, PostgreSQL serialization failures
and deadlocks) are retried by re-running the whole unit of work.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import orjson
from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, create_engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import NullPool

from ordnung.core import clock
from ordnung.core import idempotency as idempotency_keys
from ordnung.core.driver import driver_of
from ordnung.core.events import DomainEvent
from ordnung.core.idempotency import IdempotentRequest, ReplayedAnswer
from ordnung.core.settings import Settings
from ordnung.core.sqlite_writer_queue import SQLiteWriterQueue
from ordnung.core.tables import domain_event_table

if TYPE_CHECKING:
    from ordnung.core.postgres_intake_turn import PostgresIntakeTurn

T = TypeVar("T")


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


_MAX_ATTEMPTS = 12
# SQLite page cache per connection (KiB) and rows sampled per index by ANALYZE.
_SQLITE_CACHE_KIB = 4000
_ANALYSIS_ROWS = 1000
_SQLITE_TRANSIENT = ("database is locked", "database is busy", "database table is locked")
_PG_TRANSIENT_CODES = ("40001", "40P01")


def transient_kind(error: DBAPIError) -> str | None:
    """What kind of failure a fresh attempt of the same transaction can overcome: SQLite's
    `locked`, or PostgreSQL's SQLSTATE (`40001` serialization failure, `40P01` deadlock)."""
    text = str(error.orig).lower()
    if any(marker in text for marker in _SQLITE_TRANSIENT):
        return "locked"
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return code if code in _PG_TRANSIENT_CODES else None


def is_transient(error: DBAPIError) -> bool:
    return transient_kind(error) is not None


def _lost_unique_race(error: DBAPIError, attempt: int) -> bool:
    """A unique violation on the first attempt usually means a concurrent transaction
    inserted the same natural key (the same order, customer or idempotency key) and has
    committed since; a fresh attempt sees that row and takes the path for existing data.
    A genuine duplicate fails again on the second attempt and is raised."""
    if not isinstance(error, IntegrityError) or attempt > 0:
        return False
    text = str(error.orig).lower()
    code = getattr(error.orig, "sqlstate", None)
    return code == "23505" or "unique constraint failed" in text


@dataclass(slots=True)  # not frozen: built per order on the intake hot path
class RecordedEvent:
    """An event with what it is about and who caused it, waiting for the outbox."""

    event: DomainEvent
    aggregate_id: int
    order_id: int | None
    actor: str


@dataclass
class UnitOfWork:
    """One business transaction: a connection plus the domain events it raises.

    The events are written to `domain_event` (the outbox and the order timeline) just before the
    commit, in the same transaction as the state change they describe (invariant 6).
    """

    connection: Connection
    actor: str = "system"
    events: list[RecordedEvent] = field(default_factory=list)

    def record(
        self,
        domain_event: DomainEvent,
        *,
        aggregate_id: int,
        order_id: int | None = None,
        actor: str | None = None,
    ) -> None:
        """Queues an event for the outbox; `actor` overrides the unit of work's own, for
        work done on behalf of several callers at once (batched order intake)."""
        recorded = RecordedEvent(domain_event, aggregate_id, order_id, actor or self.actor)
        self.events.append(recorded)

    def flush_events(self, occurred_at: datetime) -> list[dict[str, Any]]:
        """Writes the recorded events; returns them as stored rows (with their ids)."""
        if not self.events:
            return []
        rows = [
            {
                "type": recorded.event.type,
                "aggregate_type": recorded.event.aggregate_type,
                "aggregate_id": recorded.aggregate_id,
                "order_id": recorded.order_id,
                "actor": recorded.actor,
                "payload": recorded.event.payload(),
                "occurred_at": occurred_at,
            }
            for recorded in self.events
        ]
        ids = insert_returning_ids(self.connection, domain_event_table, rows)
        self.events.clear()
        return [{**row, "id": event_id} for row, event_id in zip(rows, ids, strict=True)]


@dataclass(frozen=True, slots=True)
class WriteJob(Generic[T]):
    """One caller's business action for `Database.write_each`: `check` (if any) runs before
    the Idempotency-Key is claimed, as a route's own pre-check did before its transaction."""

    work: Callable[[UnitOfWork], T]
    actor: str
    idempotency: IdempotentRequest[T] | None = None
    check: Callable[[Connection], None] | None = None


class Database:
    """The application's handle on its database: engine plus transaction helpers."""

    def __init__(self, url: str, *, sqlite_synchronous: str = "FULL", pool_size: int = 16) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine = self._create_engine(url, sqlite_synchronous, pool_size)
        self._writers = SQLiteWriterQueue(_sqlite_path(url)) if self.is_sqlite else None
        # SQLite's write turn serves intake too; PostgreSQL has a turn for intake alone.
        self._intake_turn = self._writers or _postgres_intake_turn(url)
        # Transactions run again after a transient failure, by kind ("40P01" is a deadlock):
        # cheap to keep, and the lock-order tests read it.
        self.retries: Counter[str] = Counter()

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(
            settings.database_url,
            sqlite_synchronous=settings.sqlite_synchronous,
            pool_size=settings.request_threads,
        )

    def _create_engine(self, url: str, sqlite_synchronous: str, pool_size: int) -> Engine:
        if not self.is_sqlite:
            return create_engine(
                sqlalchemy_url(url),
                pool_size=pool_size,
                max_overflow=pool_size,
                pool_pre_ping=False,
                json_serializer=_json_dumps,
            )
        is_memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30, "isolation_level": None},
            json_serializer=_json_dumps,
            poolclass=NullPool if is_memory else None,
        )
        _configure_sqlite(engine, sqlite_synchronous)
        return engine

    @contextmanager
    def connect(self, *, write: bool) -> Iterator[Connection]:
        """A connection inside one transaction; `BEGIN IMMEDIATE` for SQLite writes."""
        if write and self._writers is not None:
            with self._writers.turn(), self._transaction(write=True) as connection:
                yield connection
        else:
            with self._transaction(write=write) as connection:
                yield connection

    def intake_turn(self) -> AbstractContextManager[None]:
        """The turn of the order intake writers, across processes. On SQLite it is the one
        write turn every writer takes (`write` takes it too; a thread may nest them); on
        PostgreSQL an advisory lock that only intake batches take (core/postgres_intake_turn)."""
        return self._intake_turn.turn()

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            if self.is_sqlite:
                connection.execution_options(ordnung_write=write)
            with connection.begin():
                yield connection

    def write(
        self,
        work: Callable[[UnitOfWork], T],
        *,
        actor: str = "system",
        idempotency: IdempotentRequest[T] | None = None,
    ) -> T:
        """Run `work` in one write transaction, retrying transient failures from the start.

        With `idempotency`, the request's key is claimed in the same transaction and its
        answer stored with it; a repeat of a finished request raises `ReplayedAnswer`."""
        for attempt in range(_MAX_ATTEMPTS):
            try:
                with self.connect(write=True) as connection:
                    uow = UnitOfWork(connection, actor=actor)
                    result = _run_claimed(uow, work, idempotency)
                    uow.flush_events(clock.now())
                    return result
            except DBAPIError as error:
                kind = transient_kind(error)
                if kind is None and not _lost_unique_race(error, attempt):
                    raise
                self.retries[kind or "unique"] += 1
                if attempt == _MAX_ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0.001, 0.01) * (attempt + 1))
        raise AssertionError("unreachable")

    def write_each(self, jobs: Sequence[WriteJob[Any]]) -> list[Any]:
        """Group commit of many callers' actions: one transaction, one commit; each job runs
        in its own SAVEPOINT, so a job that fails (404, 409, a replayed key) is undone alone
        and answered with its error while the others commit. Answers one result or exception
        per job, in order, only after the commit (an acknowledged action is durable).

        A database error in any job (a PostgreSQL deadlock between batches that lock rows of
        several orders, `database is locked`, a unique race) undoes the whole batch, and each
        job then runs alone through `write` — the path a single request takes, with its
        retries and lock order — so no caller sees a failure a lone request would not."""
        try:
            with self.connect(write=True) as connection:
                take_batch_turn(connection)
                batch = UnitOfWork(connection)
                outcomes = [_run_in_savepoint(batch, job) for job in jobs]
                batch.flush_events(clock.now())
            return outcomes
        except DBAPIError as error:
            self.retries[transient_kind(error) or "batch"] += 1
            return [self._write_alone(job) for job in jobs]

    def write_job(self, job: WriteJob[T]) -> T:
        """One job alone, in a transaction of its own: the path of a single request."""
        if job.check is not None:
            self.read(job.check)
        return self.write(job.work, actor=job.actor, idempotency=job.idempotency)

    def _write_alone(self, job: WriteJob[Any]) -> Any:
        try:
            return self.write_job(job)
        except Exception as error:  # this caller's answer (problem+json), not the batch's
            return error

    def writer_turn(self) -> AbstractContextManager[None]:
        """For a group-commit writer (`core/batching.py` `hold`): SQLite's one write turn, so a
        batch is gathered after the wait for it; nothing on PostgreSQL, where batches of
        different processes run side by side (row locks order them)."""
        return self._writers.turn() if self._writers is not None else nullcontext()

    def read(self, work: Callable[[Connection], T]) -> T:
        """Run `work` on one consistent snapshot (no writes)."""
        with self.connect(write=False) as connection:
            return work(connection)

    def refresh_statistics(self) -> None:
        """Gathers SQLite's table statistics (`sqlite_stat1`). Without them the planner cannot
        tell a selective index from a poor one: the order list filtered by channel and date
        sorted all of a channel's orders (p99 0.5 s at 100,000 orders, 3-4 ms once analysed).
        `analysis_limit` samples each index, so this takes milliseconds at any size; the
        worker runs it periodically. PostgreSQL's autovacuum keeps its own statistics."""
        if not self.is_sqlite:
            return
        with self.connect(write=True) as connection:
            connection.exec_driver_sql(f"PRAGMA analysis_limit={_ANALYSIS_ROWS}")
            connection.exec_driver_sql("ANALYZE")

    def dispose(self) -> None:
        self._intake_turn.close()
        self.engine.dispose()


def _run_claimed(
    uow: UnitOfWork, work: Callable[[UnitOfWork], T], idempotency: IdempotentRequest[T] | None
) -> T:
    if idempotency is None:
        return work(uow)
    now = clock.now()
    stored = idempotency_keys.claim(uow.connection, idempotency.claim, now)
    if stored is not None:
        raise ReplayedAnswer(stored)
    result = work(uow)
    idempotency_keys.store(uow.connection, idempotency.claim, idempotency.answer_for(result), now)
    return result


# Names the turn of group-commit batches among PostgreSQL's advisory locks ("ORDB").
BATCH_LOCK_KEY = 0x4F524442


def take_batch_turn(connection: Connection) -> None:
    """One group-commit batch at a time on PostgreSQL, across processes, until it commits.

    Why: a single action locks one order, its fulfilment order, then stock positions in id
    order; a batch of many cannot keep that order across its actions, and two batches that
    share positions deadlocked (measured with bench/fulfilment.py: PostgreSQL's 1 s deadlock
    timeout, then the batch again one by one — ship p99 3 s). Batches share positions nearly
    always, so they waited for each other anyway. Like intake's turn this makes a location's
    answers a single writer per database (a ceiling, design.md §6); locking each batch's
    orders, fulfilment orders and positions up front in id order would lift it. SQLite's
    write transaction is a turn already."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({BATCH_LOCK_KEY})")


def _run_in_savepoint(batch: UnitOfWork, job: WriteJob[Any]) -> Any:
    uow = UnitOfWork(batch.connection, actor=job.actor)
    try:
        with batch.connection.begin_nested():
            if job.check is not None:
                job.check(batch.connection)
            result = _run_claimed(uow, job.work, job.idempotency)
    except DBAPIError:
        raise  # the batch runs again job by job (`Database.write_each`)
    except Exception as error:  # the job's own answer; its savepoint is rolled back
        return error
    batch.events.extend(uow.events)
    return result


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    if synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
        raise ValueError(f"unknown SQLite synchronous mode {synchronous!r}")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # The write lock is taken at BEGIN, before the first read (see module docstring).
        is_write = connection.get_execution_options().get("ordnung_write", True)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if is_write else "BEGIN")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA temp_store=MEMORY")
        # Per connection, and a worker holds a pool of them: 32 MB each grew a worker to
        # 358 MB under read load. The OS caches the file for all connections anyway.
        cursor.execute(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
        cursor.close()


def insert_returning_ids(
    connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> list[int]:
    """Inserts `rows` (all with the same keys) and returns their ids in the order of `rows`,
    in one or two statements, through the driver (see core/driver.py)."""
    return driver_of(connection).insert(table, rows)


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Inserts `rows` in few round trips and writes each new row's id into it."""
    for row, row_id in zip(rows, insert_returning_ids(connection, table, rows), strict=True):
        row["id"] = row_id


def _sqlite_path(url: str) -> str | None:
    """The file of a SQLite URL, or None for an in-memory database."""
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return None if path in ("", ":memory:") else os.path.abspath(path)


def dialect_insert(connection: Connection) -> Callable[..., Any]:
    """The dialect's own `insert` (with `on_conflict_do_*`), PostgreSQL's or SQLite's.

    Both support `INSERT … ON CONFLICT`, which lets one statement create-or-find a row
    without a race between a read and an insert.
    """
    if connection.dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def _postgres_intake_turn(url: str) -> PostgresIntakeTurn:
    # Imported here: a SQLite deployment need not load psycopg and libpq (~8 MB per process).
    from ordnung.core.postgres_intake_turn import PostgresIntakeTurn

    return PostgresIntakeTurn(postgres_conninfo(url))


def postgres_conninfo(url: str) -> str:
    """A PostgreSQL URL as psycopg itself takes it (without SQLAlchemy's driver suffix)."""
    parsed = make_url(sqlalchemy_url(url)).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def sqlalchemy_url(url: str) -> str:
    """Normalise a user-given URL to the driver we ship (psycopg 3 for PostgreSQL)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url
