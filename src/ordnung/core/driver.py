"""Hot statements sent straight through the database driver (sqlite3 / psycopg).

Why: on the reference machine (2 cores, see README, Benchmarks) SQLAlchemy Core spends about
0.12 ms of CPU on every statement it runs — compiling from its cache, processing parameters,
building a result — while the driver itself needs about 0.01 ms. Order intake runs some twenty
statements per batch and on SQLite holds the single write lock meanwhile, so these statements
go through the driver's cursor instead: on the same connection, in the same transaction.

What keeps them honest:
- INSERTs are generated from the SQLAlchemy `Table`s, so column names cannot drift, and values
  are converted exactly as SQLAlchemy stores them (UTC datetimes as text on SQLite, JSON as
  text), so every other part of the app reads these rows through SQLAlchemy unchanged;
- SQL is written once with `?` placeholders and works on both databases (SQLite ≥ 3.35 and
  PostgreSQL both have `ON CONFLICT`, `RETURNING` and row-value `IN (…)`). A list of values or
  rows comes from `row_source`: `VALUES (?, ?), …` on SQLite, `SELECT * FROM unnest(?, ?)` with
  one array per column on PostgreSQL — psycopg parses and caches a statement's text only while
  it has at most 50 parameters, and parsing a long one cost more than running it (measured);
  where the two databases still differ, both versions stand side by side at the call site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import JSON, Date, Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from ordnung.core.schema_base import UTCDateTime

Row = tuple[Any, ...]
_Converter = Callable[[Any], Any] | None


def driver_of(connection: Connection) -> Driver:
    """The driver-level cursor of a connection, made once per database connection."""
    driver = connection.info.get("ordnung_driver")
    if driver is None:
        driver = connection.info["ordnung_driver"] = Driver(connection)
    return driver


class Driver:
    """The driver-level cursor of a database connection."""

    def __init__(self, connection: Connection) -> None:
        self.is_postgresql = connection.dialect.name == "postgresql"
        self._dbapi_error = connection.dialect.loaded_dbapi.Error
        self._cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]

    def fetch_all(
        self, sql: str, parameters: Sequence[Any] = (), *, plan_each_time: bool = False
    ) -> list[Row]:
        """`plan_each_time`: for a read whose best plan changes as its table grows (psycopg
        prepares a statement after its fifth run, and PostgreSQL may then keep a generic plan
        made when the table was small until the next ANALYZE). No effect on SQLite."""
        with self._errors_as_sqlalchemy(sql, parameters):
            if self.is_postgresql and plan_each_time:
                self._cursor.execute(self._native(sql), parameters, prepare=False)
            else:
                self._cursor.execute(self._native(sql), parameters)
            return list(self._cursor.fetchall())

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> int:
        """Runs one statement; returns the number of rows it changed."""
        with self._errors_as_sqlalchemy(sql, parameters):
            self._cursor.execute(self._native(sql), parameters)
            return int(self._cursor.rowcount)

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """Runs one statement per parameter row; returns the rows changed in all."""
        if not rows:
            return 0
        with self._errors_as_sqlalchemy(sql, rows):
            self._cursor.executemany(self._native(sql), rows)
            return int(self._cursor.rowcount)

    def insert(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Inserts `rows` (all with the same keys) and returns their new ids, in row order."""
        if not rows:
            return []
        columns, values = _columns_and_values(table, rows, self.is_postgresql)
        if self.is_postgresql:
            return self._insert_multirow(table, columns, values, returning_ids=True)
        sql = _insert_sql(table, columns)
        with self._errors_as_sqlalchemy(sql, values):
            # SQLite gives each new row max(rowid) + 1, and BEGIN IMMEDIATE keeps every other
            # writer out, so the ids are the run that ends at last_insert_rowid().
            self._cursor.executemany(sql, values)
            self._cursor.execute("SELECT last_insert_rowid()")
            last = int(self._cursor.fetchone()[0])
            return list(range(last - len(rows) + 1, last + 1))

    def append(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """Inserts `rows` (all with the same keys) when nobody needs their ids."""
        if not rows:
            return
        columns, values = _columns_and_values(table, rows, self.is_postgresql)
        if self.is_postgresql:
            self._insert_multirow(table, columns, values, returning_ids=False)
            return
        sql = _insert_sql(table, columns)
        with self._errors_as_sqlalchemy(sql, values):
            self._cursor.executemany(sql, values)

    def _insert_multirow(
        self,
        table: Table,
        columns: tuple[str, ...],
        values: list[list[Any]],
        *,
        returning_ids: bool,
    ) -> list[int]:
        # PostgreSQL: one INSERT … SELECT FROM unnest(arrays) for all rows. The id sequence is
        # drawn row by row in array order and only ever rises, so the returned ids, sorted,
        # are the rows' ids in order.
        source, parameters = self.row_source(values, _postgres_types(table, columns))
        sql = f"INSERT INTO {table.name} ({', '.join(columns)}) {source}"
        sql += " RETURNING id" if returning_ids else ""
        with self._errors_as_sqlalchemy(sql, parameters):
            self._cursor.execute(self._native(sql), parameters)
            if not returning_ids:
                return []
            return sorted(int(row[0]) for row in self._cursor.fetchall())

    def with_rows(
        self,
        name: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        postgres_types: Sequence[str],
    ) -> tuple[str, list[Any]]:
        """`WITH name(columns) AS (rows)`, to join a table with: SQLite answers a row-value
        `(a, b) IN (VALUES …)` with a scan of the whole table, a join with an index search
        per row (EXPLAIN QUERY PLAN; tests/orders/test_batched_intake.py guards it)."""
        source, parameters = self.row_source(rows, postgres_types)
        return f"WITH {name}({', '.join(columns)}) AS ({source})", parameters

    def row_source(
        self, rows: Sequence[Sequence[Any]], postgres_types: Sequence[str]
    ) -> tuple[str, list[Any]]:
        """A table of literal rows for `INSERT INTO t (…) {source}` or `column IN ({source})`,
        with its parameters: `VALUES (?, ?), …` on SQLite, one typed array per column through
        `unnest` on PostgreSQL (a short statement text whatever the number of rows)."""
        if self.is_postgresql:
            columns = [list(column) for column in zip(*rows, strict=True)] if rows else []
            # %b: arrays in psycopg's binary format, five times cheaper to dump than as text.
            arrays = ", ".join(f"%b::{name}[]" for name in postgres_types)
            return f"SELECT * FROM unnest({arrays})", columns or [[] for _ in postgres_types]
        if not rows:  # SQLite has no empty VALUES list
            return "SELECT " + ", ".join(["NULL"] * len(postgres_types)) + " WHERE 0", []
        row = "(" + ", ".join("?" * len(postgres_types)) + ")"
        return "VALUES " + ", ".join([row] * len(rows)), [value for r in rows for value in r]

    def value_in(
        self, column: str, values: Sequence[Any], postgres_type: str
    ) -> tuple[str, list[Any]]:
        """`column IN (values)` with its parameters. On PostgreSQL `column = ANY(array)`: the
        planner sizes it from the array itself and searches the index once per value, where
        `IN (SELECT unnest(…))` is guessed at and, on a table whose statistics lag (a busy
        day's new orders), read with a sequential scan (measured: 1.4 ms instead of 0.2)."""
        if self.is_postgresql:
            return f"{column} = ANY(%b::{postgres_type}[])", [list(values)]
        source, parameters = self.row_source([(v,) for v in values], (postgres_type,))
        return f"{column} IN ({source})", parameters

    def json_result(self, value: Any) -> Any:
        """A JSON column as read: psycopg parses it already, sqlite3 gives the text."""
        return value if self.is_postgresql or not isinstance(value, str) else orjson.loads(value)

    def timestamp_result(self, value: Any) -> datetime:
        """A UTC timestamp as read: psycopg gives an aware datetime, sqlite3 the text that
        SQLAlchemy's `UTCDateTime` wrote (naive UTC)."""
        if isinstance(value, datetime):
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return datetime.fromisoformat(value).replace(tzinfo=UTC)

    def timestamp(self, value: datetime) -> Any:
        """A UTC timestamp as SQLAlchemy's `UTCDateTime` stores it."""
        return value if self.is_postgresql else _sqlite_timestamp(value)

    @contextmanager
    def _errors_as_sqlalchemy(self, sql: str, parameters: Any) -> Iterator[None]:
        # The rest of the app (retries of lost races and deadlocks in `Database.write`, the
        # problem responses) knows database errors as SQLAlchemy's exception classes.
        try:
            yield
        except self._dbapi_error as error:
            raise DBAPIError.instance(sql, parameters, error, self._dbapi_error) from error

    def _native(self, sql: str) -> str:
        return _with_pyformat(sql) if self.is_postgresql else sql


@lru_cache(maxsize=512)
def _with_pyformat(sql: str) -> str:
    # psycopg's placeholder is %s (or %b for binary); our SQL holds no other % and no literal ?.
    return sql.replace("?", "%s")


def _columns_and_values(
    table: Table, rows: Sequence[Mapping[str, Any]], is_postgresql: bool
) -> tuple[tuple[str, ...], list[list[Any]]]:
    columns = tuple(rows[0])
    converters = _converters(table, columns, is_postgresql)
    return columns, [_converted(row, columns, converters) for row in rows]


@lru_cache(maxsize=128)
def _postgres_types(table: Table, columns: tuple[str, ...]) -> tuple[str, ...]:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    return tuple(table.c[name].type.compile(dialect=dialect) for name in columns)


@lru_cache(maxsize=256)
def _insert_sql(table: Table, columns: tuple[str, ...]) -> str:
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"


@lru_cache(maxsize=128)
def _converters(
    table: Table, columns: tuple[str, ...], is_postgresql: bool
) -> tuple[_Converter, ...]:
    return tuple(_converter(table, name, is_postgresql) for name in columns)


def _converter(table: Table, name: str, is_postgresql: bool) -> _Converter:
    column_type = table.c[name].type
    if isinstance(column_type, UTCDateTime):
        return _checked_utc if is_postgresql else _sqlite_timestamp
    if isinstance(column_type, JSON):
        return _json_text
    if isinstance(column_type, Date) and not is_postgresql:
        return _sqlite_date
    return None


def _converted(
    row: Mapping[str, Any], columns: tuple[str, ...], converters: tuple[_Converter, ...]
) -> list[Any]:
    values = [row[name] for name in columns]
    for index, convert in enumerate(converters):
        if convert is not None and values[index] is not None:
            values[index] = convert(values[index])
    return values


def _sqlite_date(value: date) -> str:
    # The text SQLAlchemy's SQLite DATE writes and parses back (no reliance on sqlite3's
    # deprecated default adapter).
    return value.isoformat()


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def _checked_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetimes are not stored; use ordnung.core.clock")
    return value


@lru_cache(maxsize=1024)
def _sqlite_timestamp(value: datetime) -> str:
    # The text SQLAlchemy's SQLite DATETIME writes (and parses back): naive UTC, microseconds.
    # Cached: the rows of one transaction mostly carry the same `now`.
    if value.tzinfo is None:
        raise ValueError("naive datetimes are not stored; use ordnung.core.clock")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
