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
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class SQLiteWriterQueue:
    def __init__(self, database_path: str | None) -> None:
        self._thread_lock = threading.Lock()
        self._holder: int | None = None  # the thread that holds the turn
        # An in-memory database lives in one process; the thread lock is enough there.
        self._lock_path = None if database_path is None else database_path + ".writer-lock"
        self._file_descriptor: int | None = None
        self._owner_pid: int | None = None

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Holds the caller's turn to write until the block ends. A thread that already holds
        the turn may ask again (the intake writer holds it while it gathers a batch)."""
        if self._holder == threading.get_ident():
            yield
            return
        with self._thread_lock:
            self._holder = threading.get_ident()
            try:
                descriptor = self._descriptor()
                if descriptor is None:
                    yield
                    return
                fcntl.flock(descriptor, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(descriptor, fcntl.LOCK_UN)
            finally:
                self._holder = None

    def _descriptor(self) -> int | None:
        if self._lock_path is None:
            return None
        # A forked worker must not share the parent's open file: flock is per open file.
        if self._file_descriptor is None or self._owner_pid != os.getpid():
            self._file_descriptor = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._owner_pid = os.getpid()
        return self._file_descriptor
