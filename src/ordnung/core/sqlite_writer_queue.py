"""A fair queue for SQLite writers, across threads and worker processes.

SQLite admits one writer at a time. A writer that finds the lock taken waits in SQLite's busy
handler, which sleeps 1, 2, 5, 10 … 100 ms between tries; under load that turns into tail
latencies of a second while the lock is free most of the time. Queueing in front of
`BEGIN IMMEDIATE` instead — a thread lock inside the process, an `flock` on a file beside the
database across processes — wakes the next writer the moment the previous one commits.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from ordnung.core.reentrant_turn import ReentrantTurn


class SQLiteWriterQueue:
    def __init__(self, database_path: str | None) -> None:
        self._turn = ReentrantTurn(self._file_lock)
        # An in-memory database lives in one process; the thread lock is enough there.
        self._lock_path = None if database_path is None else database_path + ".writer-lock"
        self._file_descriptor: int | None = None
        self._owner_pid: int | None = None

    def turn(self) -> AbstractContextManager[None]:
        """Holds the caller's turn to write until the block ends (the holder may ask again)."""
        return self._turn.hold()

    def close(self) -> None:
        if self._file_descriptor is not None and self._owner_pid == os.getpid():
            os.close(self._file_descriptor)
        self._file_descriptor = None

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        descriptor = self._descriptor()
        if descriptor is None:
            yield
            return
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)

    def _descriptor(self) -> int | None:
        if self._lock_path is None:
            return None
        # A forked worker must not share the parent's open file: flock is per open file.
        if self._file_descriptor is None or self._owner_pid != os.getpid():
            self._file_descriptor = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._owner_pid = os.getpid()
        return self._file_descriptor
