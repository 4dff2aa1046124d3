"""The database's write turn: held by the intake writer while it gathers a batch, and taken
again by the transactions it runs, without waiting for itself."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from ordnung.core.db import Database


def test_a_thread_holding_the_turn_can_still_write(db: Database) -> None:
    with db.writer_turn():
        assert db.write(lambda uow: uow.connection.execute(text("SELECT 1")).scalar()) == 1


def test_another_thread_waits_until_the_turn_is_given_back(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("PostgreSQL has no single write turn: writers run side by side")
    order: list[str] = []
    holding = threading.Event()

    def other_writer() -> None:
        holding.wait(timeout=10)
        db.write(lambda uow: order.append("other wrote"))

    thread = threading.Thread(target=other_writer)
    thread.start()
    with db.writer_turn():
        holding.set()
        thread.join(timeout=0.3)  # it cannot get in while the turn is held
        order.append("holder done")
    thread.join(timeout=10)
    assert order == ["holder done", "other wrote"]
