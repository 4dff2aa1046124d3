"""The driver path: rows written through it read back through SQLAlchemy exactly as written,
lists of any length work as query input, and database errors arrive as SQLAlchemy's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ordnung.core.db import Database
from ordnung.core.driver import driver_of
from ordnung.core.tables import domain_event_table, idempotency_key_table

AT = datetime(2026, 11, 30, 5, 0, 0, 7, tzinfo=UTC)


def _event(number: int) -> dict[str, object]:
    return {
        "type": "order.received",
        "aggregate_type": "order",
        "aggregate_id": number,
        "order_id": None,
        "actor": "test",
        "payload": {"number": f"ORD-{number:06d}", "ümlaut": "Köln", "list": [1, 2]},
        "occurred_at": AT,
    }


def test_inserted_rows_get_their_ids_in_order_and_read_back_through_sqlalchemy(
    db: Database,
) -> None:
    rows = [_event(number) for number in range(1, 40)]
    ids = db.write(lambda uow: driver_of(uow.connection).insert(domain_event_table, rows))

    with db.engine.connect() as connection:
        stored = connection.execute(
            select(domain_event_table).order_by(domain_event_table.c.id)
        ).all()
    assert ids == [row.id for row in stored]
    assert [row.aggregate_id for row in stored] == list(range(1, 40))
    assert stored[0].payload == rows[0]["payload"]
    assert stored[0].occurred_at == AT  # microseconds and UTC survive
    assert stored[0].order_id is None and stored[0].dispatched_at is None


@pytest.mark.parametrize("count", [0, 1, 70])
def test_a_row_source_of_any_length_finds_exactly_those_rows(db: Database, count: int) -> None:
    stored = [(f"scope-{i % 3}", f"key-{i}") for i in range(100)]
    wanted = [*stored[:count], ("scope-9", "not stored")]

    def work(uow: object) -> list[tuple[object, ...]]:
        driver = driver_of(uow.connection)  # type: ignore[attr-defined]
        driver.append(
            idempotency_key_table,
            [{"scope": a, "key": b, "fingerprint": "f", "created_at": AT} for a, b in stored],
        )
        source, parameters = driver.row_source(wanted, ("text", "text"))
        sql = f"SELECT scope, key FROM idempotency_key WHERE (scope, key) IN ({source})"
        return driver.fetch_all(sql, parameters)

    assert sorted(tuple(row) for row in db.write(work)) == sorted(stored[:count])


def test_a_unique_violation_arrives_as_sqlalchemys_integrity_error(db: Database) -> None:
    claim = {"scope": "s", "key": "k", "fingerprint": "f", "created_at": AT}

    def twice(uow: object) -> None:
        driver = driver_of(uow.connection)  # type: ignore[attr-defined]
        driver.append(idempotency_key_table, [claim])
        driver.append(idempotency_key_table, [claim])

    with pytest.raises(IntegrityError):
        db.write(twice)


def test_an_empty_row_source_finds_nothing_and_inserts_nothing(db: Database) -> None:
    def work(uow: object) -> tuple[list[tuple[object, ...]], int]:
        driver = driver_of(uow.connection)  # type: ignore[attr-defined]
        source, parameters = driver.row_source([], ("text", "text"))
        found = driver.fetch_all(
            f"SELECT scope FROM idempotency_key WHERE (scope, key) IN ({source})", parameters
        )
        inserted = driver.execute("INSERT INTO idempotency_key (scope, key) " + source, parameters)
        return found, inserted

    assert db.write(work) == ([], 0)
