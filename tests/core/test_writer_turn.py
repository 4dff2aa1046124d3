"""The intake turn: one intake batch at a time across processes (SQLite's single write turn;
an advisory lock on PostgreSQL), held by the intake writer while it gathers a batch and taken
again by the transactions it runs, without waiting for itself."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from ordnung.core.db import Database


@pytest.fixture
def other_process(database_url: str) -> Iterator[Database]:
    """A second handle on the same database, with its own locks, as another process has."""
    other = Database(database_url)
    yield other
    other.dispose()


def test_a_thread_holding_the_turn_can_still_write(db: Database) -> None:
    with db.intake_turn():
        assert db.write(lambda uow: uow.connection.execute(text("SELECT 1")).scalar()) == 1


def test_another_process_waits_until_the_turn_is_given_back(
    db: Database, other_process: Database
) -> None:
    order: list[str] = []
    holding = threading.Event()

    def other_writer() -> None:
        holding.wait(timeout=10)
        with other_process.intake_turn():
            order.append("other took the turn")

    thread = threading.Thread(target=other_writer)
    thread.start()
    with db.intake_turn():
        holding.set()
        thread.join(timeout=0.5)  # it cannot get in while the turn is held
        order.append("holder done")
    thread.join(timeout=10)
    assert order == ["holder done", "other took the turn"]


def test_on_sqlite_every_writer_waits_for_the_turn(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("on PostgreSQL only intake batches take the turn; other writes run beside")
    order: list[str] = []
    holding = threading.Event()

    def other_writer() -> None:
        holding.wait(timeout=10)
        db.write(lambda uow: order.append("other wrote"))

    thread = threading.Thread(target=other_writer)
    thread.start()
    with db.intake_turn():
        holding.set()
        thread.join(timeout=0.3)
        order.append("holder done")
    thread.join(timeout=10)
    assert order == ["holder done", "other wrote"]


def test_a_turn_whose_session_the_server_dropped_is_taken_on_a_new_one(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("the SQLite turn needs no database session")
    with db.intake_turn():
        pass
    terminated = db.write(
        lambda uow: uow.connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE pid <> pg_backend_pid() AND datname = current_database()"
                " AND query LIKE 'SELECT pg_advisory_unlock%'"
            )
        ).all()
    )
    assert [row[0] for row in terminated] == [True]  # the turn's idle session is gone
    with db.intake_turn():
        assert db.write(lambda uow: uow.connection.execute(text("SELECT 1")).scalar()) == 1
