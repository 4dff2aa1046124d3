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
  PostgreSQL both have `ON CONFLICT`, `RETURNING` and row-value `IN (VALUES …)`); where the
  two differ, both versions stand side by side at the call site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import JSON, Table
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

    def fetch_all(self, sql: str, parameters: Sequence[Any] = ()) -> list[Row]:
        with self._errors_as_sqlalchemy(sql, parameters):
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
        columns = tuple(rows[0])
        sql, converters = _insert_statement(table, columns, self.is_postgresql)
        values = [_converted(row, columns, converters) for row in rows]
        with self._errors_as_sqlalchemy(sql, values):
            if self.is_postgresql:
                self._cursor.executemany(sql + " RETURNING id", values, returning=True)
                ids = []
                while True:
                    ids.append(int(self._cursor.fetchone()[0]))
                    if not self._cursor.nextset():
                        return ids
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
        columns = tuple(rows[0])
        sql, converters = _insert_statement(table, columns, self.is_postgresql)
        values = [_converted(row, columns, converters) for row in rows]
        with self._errors_as_sqlalchemy(sql, values):
            self._cursor.executemany(sql, values)

    def json_result(self, value: Any) -> Any:
        """A JSON column as read: psycopg parses it already, sqlite3 gives the text."""
        return value if self.is_postgresql or not isinstance(value, str) else orjson.loads(value)

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


def placeholders(count: int) -> str:
    """`?, ?, ?` for an `IN (…)` list of `count` values."""
    return ", ".join("?" * count)


def values_rows(row_count: int, column_count: int) -> str:
    """`VALUES (?, ?), (?, ?)` for `row_count` rows of `column_count` values."""
    row = "(" + placeholders(column_count) + ")"
    return "VALUES " + ", ".join([row] * row_count)


@lru_cache(maxsize=512)
def _with_pyformat(sql: str) -> str:
    # psycopg's placeholder is %s; our SQL holds no literal % or ?.
    return sql.replace("?", "%s")


@lru_cache(maxsize=128)
def _insert_statement(
    table: Table, columns: tuple[str, ...], is_postgresql: bool
) -> tuple[str, tuple[_Converter, ...]]:
    marks = ", ".join(["%s" if is_postgresql else "?"] * len(columns))
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
    return sql, tuple(_converter(table, name, is_postgresql) for name in columns)


def _converter(table: Table, name: str, is_postgresql: bool) -> _Converter:
    column_type = table.c[name].type
    if isinstance(column_type, UTCDateTime):
        return _checked_utc if is_postgresql else _sqlite_timestamp
    if isinstance(column_type, JSON):
        return _json_text
    return None


def _converted(
    row: Mapping[str, Any], columns: tuple[str, ...], converters: tuple[_Converter, ...]
) -> list[Any]:
    values = [row[name] for name in columns]
    for index, convert in enumerate(converters):
        if convert is not None and values[index] is not None:
            values[index] = convert(values[index])
    return values


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
