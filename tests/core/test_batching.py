"""The group-commit writer: jobs that wait while a batch runs go into the next one, and each
caller gets its own result or error."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest

from ordnung.core.batching import BatchWriter


class RecordingHandler:
    """Doubles each job; fails jobs below zero; the first batch can be held open."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.first_batch_started = threading.Event()
        self.release_first_batch = threading.Event()
        self.release_first_batch.set()

    def __call__(self, jobs: Sequence[int]) -> list[int | BaseException]:
        self.batches.append(list(jobs))
        if len(self.batches) == 1:
            self.first_batch_started.set()
            self.release_first_batch.wait(timeout=10)
        return [ValueError(f"bad job {job}") if job < 0 else job * 2 for job in jobs]


async def _wait_for(event: threading.Event) -> None:
    assert await asyncio.to_thread(event.wait, 10)


def test_jobs_that_arrive_while_a_batch_runs_share_the_next_batch() -> None:
    handler = RecordingHandler()
    handler.release_first_batch.clear()
    writer: BatchWriter[int, int] = BatchWriter(handler, max_batch=10)

    async def scenario() -> list[int]:
        first = asyncio.ensure_future(writer.submit(1))
        await _wait_for(handler.first_batch_started)
        later = [asyncio.ensure_future(writer.submit(job)) for job in (2, 3, 4, 5)]
        await asyncio.sleep(0.05)  # all four are queued behind the running batch
        handler.release_first_batch.set()
        return list(await asyncio.gather(first, *later))

    assert asyncio.run(scenario()) == [2, 4, 6, 8, 10]
    assert handler.batches == [[1], [2, 3, 4, 5]]
    writer.close()


def test_a_batch_never_exceeds_its_maximum() -> None:
    handler = RecordingHandler()
    handler.release_first_batch.clear()
    writer: BatchWriter[int, int] = BatchWriter(handler, max_batch=3)

    async def scenario() -> None:
        first = asyncio.ensure_future(writer.submit(0))
        await _wait_for(handler.first_batch_started)
        later = [asyncio.ensure_future(writer.submit(job)) for job in range(1, 8)]
        await asyncio.sleep(0.05)
        handler.release_first_batch.set()
        await asyncio.gather(first, *later)

    asyncio.run(scenario())
    assert handler.batches == [[0], [1, 2, 3], [4, 5, 6], [7]]
    writer.close()


def test_a_failed_job_raises_in_its_own_caller_only() -> None:
    handler = RecordingHandler()
    handler.release_first_batch.clear()
    writer: BatchWriter[int, int] = BatchWriter(handler)

    async def scenario() -> list[int | BaseException]:
        first = asyncio.ensure_future(writer.submit(1))
        await _wait_for(handler.first_batch_started)
        later = [asyncio.ensure_future(writer.submit(job)) for job in (2, -3, 4)]
        await asyncio.sleep(0.05)
        handler.release_first_batch.set()
        return list(await asyncio.gather(first, *later, return_exceptions=True))

    results = asyncio.run(scenario())
    assert handler.batches[1] == [2, -3, 4]  # the bad job was in the same batch
    assert results[:2] == [2, 4] and results[3] == 8
    assert isinstance(results[2], ValueError) and str(results[2]) == "bad job -3"
    writer.close()


def test_when_the_handler_fails_every_caller_of_the_batch_hears_of_it() -> None:
    def broken(jobs: Sequence[int]) -> list[int | BaseException]:
        raise RuntimeError("database is gone")

    writer: BatchWriter[int, int] = BatchWriter(broken)

    async def scenario() -> list[int | BaseException]:
        return list(
            await asyncio.gather(*(writer.submit(job) for job in range(3)), return_exceptions=True)
        )

    results = asyncio.run(scenario())
    assert all(isinstance(r, RuntimeError) and str(r) == "database is gone" for r in results)
    writer.close()


def test_a_handler_that_answers_too_few_jobs_is_an_error_not_a_hang() -> None:
    writer: BatchWriter[int, int] = BatchWriter(lambda jobs: [])

    with pytest.raises(RuntimeError, match="0 results for 1 jobs"):
        asyncio.run(writer.submit(1))
    writer.close()


def test_closing_lets_the_writer_finish_and_a_new_job_starts_it_again() -> None:
    handler = RecordingHandler()
    writer: BatchWriter[int, int] = BatchWriter(handler)
    assert asyncio.run(writer.submit(21)) == 42
    writer.close()
    assert asyncio.run(writer.submit(5)) == 10
    writer.close()
    assert handler.batches == [[21], [5]]


def test_a_batch_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        BatchWriter(RecordingHandler(), max_batch=0)


def test_a_hold_that_cannot_be_taken_fails_the_batch_instead_of_hanging() -> None:
    @contextmanager
    def unavailable() -> Iterator[None]:
        raise OSError("no lock for you")
        yield

    writer: BatchWriter[int, int] = BatchWriter(RecordingHandler(), hold=unavailable)
    with pytest.raises(OSError, match="no lock for you"):
        asyncio.run(writer.submit(1))
    writer.close()


def test_the_batch_is_gathered_after_the_hold_is_taken() -> None:
    handler = RecordingHandler()
    hold_wanted = threading.Event()
    hold_free = threading.Event()

    @contextmanager
    def slow_lock() -> Iterator[None]:
        hold_wanted.set()
        hold_free.wait(timeout=10)
        yield

    writer: BatchWriter[int, int] = BatchWriter(handler, hold=slow_lock)

    async def scenario() -> list[int]:
        first = asyncio.ensure_future(writer.submit(1))
        await _wait_for(hold_wanted)  # the writer waits for its turn with one job in hand
        later = [asyncio.ensure_future(writer.submit(job)) for job in (2, 3)]
        await asyncio.sleep(0.05)
        hold_free.set()
        return list(await asyncio.gather(first, *later))

    assert asyncio.run(scenario()) == [2, 4, 6]
    assert handler.batches == [[1, 2, 3]]  # the ones that came during the wait joined in
    writer.close()
