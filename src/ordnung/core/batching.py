"""Group commit: one writer thread per process runs every request that arrived meanwhile in one
call — in practice one transaction and one commit for many orders.

Why: a commit costs a disk sync (SQLite `synchronous=FULL`, PostgreSQL `synchronous_commit`)
and, on SQLite, a turn at the single write lock; handing each request to a thread pool costs
more CPU than parsing it. Requests queue here from the event loop without a thread hop; the
writer takes all that are waiting (up to `max_batch`), hands them to `handle` in one call and
wakes their coroutines once per batch. Under light load a batch holds one request, so nobody
waits for company; under heavy load batches grow by themselves.

`handle` returns one result per job, in order; a job's result may be an exception, which is
raised in that job's caller only. If `handle` itself raises, every job of the batch gets it.

`hold`, if given, is entered before the batch is gathered and left after `handle` returns:
with the database's intake turn (`Database.intake_turn`) the writer waits for its turn first
and then takes everyone who queued meanwhile, instead of waiting with a batch that was
gathered before the wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from ordnung.core.db import WriteJob

J = TypeVar("J")
R = TypeVar("R")

Handler = Callable[[Sequence[J]], Sequence[R | BaseException]]
_Settled = tuple[asyncio.Future[R], R | BaseException]


@dataclass(slots=True)
class _Pending(Generic[J, R]):
    job: J
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[R]


class JobWriter(Protocol):
    """What a route hands its unit of work to: a writer that batches (group commit) or one
    that runs each job alone; the route awaits the job's result or error either way."""

    async def submit(self, job: WriteJob[R]) -> R: ...


class BatchWriter(Generic[J, R]):
    def __init__(
        self,
        handle: Handler[J, R],
        *,
        max_batch: int = 64,
        hold: Callable[[], AbstractContextManager[object]] = nullcontext,
        name: str = "writer",
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._handle = handle
        self._hold = hold
        self._max_batch = max_batch
        self._name = name
        self._queue: queue.SimpleQueue[_Pending[J, R] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._owner_pid = 0
        self._start_lock = threading.Lock()

    async def submit(self, job: J) -> R:
        """Runs `job` in the next batch and returns its result (or raises its error)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._ensure_thread()
        self._queue.put(_Pending(job, loop, future))
        return await future

    def close(self) -> None:
        """Lets the writer finish what is queued, then stops it."""
        thread = self._thread
        if thread is None or self._owner_pid != os.getpid():
            return
        self._queue.put(None)
        thread.join(timeout=30)
        self._thread = None

    def _ensure_thread(self) -> None:
        # Started on first use, in the process that serves (uvicorn may create the app in a
        # parent and serve from forked or spawned children).
        if self._thread is not None and self._owner_pid == os.getpid():
            return
        with self._start_lock:
            if self._thread is None or self._owner_pid != os.getpid():
                self._queue = queue.SimpleQueue()
                self._owner_pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            is_closing = False
            try:
                with self._hold():
                    is_closing = self._drain_into(batch)
                    outcomes = self._outcomes(batch)
            except BaseException as error:  # the hold itself failed: tell the callers
                outcomes = [error] * len(batch)
            self._settle(batch, outcomes)
            if is_closing:
                return

    def _drain_into(self, batch: list[_Pending[J, R]]) -> bool:
        while len(batch) < self._max_batch:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return False
            if item is None:
                return True
            batch.append(item)
        return False

    def _outcomes(self, batch: list[_Pending[J, R]]) -> Sequence[R | BaseException]:
        try:
            outcomes = self._handle([pending.job for pending in batch])
        except BaseException as error:  # every waiting caller must hear of it
            return [error] * len(batch)
        if len(outcomes) != len(batch):
            miscount = RuntimeError(f"{self._name}: {len(outcomes)} results for {len(batch)} jobs")
            return [miscount] * len(batch)
        return outcomes

    def _settle(self, batch: list[_Pending[J, R]], outcomes: Sequence[R | BaseException]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[_Settled[R]]] = defaultdict(list)
        for pending, outcome in zip(batch, outcomes, strict=True):
            by_loop[pending.loop].append((pending.future, outcome))
        for loop, settled in by_loop.items():
            # RuntimeError: that event loop has closed, so nobody is waiting any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle_futures, settled)


def _settle_futures(settled: list[_Settled[R]]) -> None:
    for future, outcome in settled:
        if future.cancelled():
            continue  # the client went away; the work is done and can be replayed
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
