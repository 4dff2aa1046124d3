"""The turn shared by the writer queues: one thread of this process at a time holds it, and
with it a lock that other processes respect; the holder may ask again without waiting for
itself (the intake writer holds the turn while it gathers a batch, then writes inside it)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager


class ReentrantTurn:
    def __init__(self, across_processes: Callable[[], AbstractContextManager[object]]) -> None:
        self._across_processes = across_processes
        self._thread_lock = threading.Lock()
        self._holder: int | None = None  # the thread that holds the turn

    @contextmanager
    def hold(self) -> Iterator[None]:
        if self._holder == threading.get_ident():
            yield
            return
        with self._thread_lock:
            self._holder = threading.get_ident()
            try:
                with self._across_processes():
                    yield
            finally:
                self._holder = None
