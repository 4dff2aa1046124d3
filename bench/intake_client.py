"""A cheap HTTP/1.1 load generator on asyncio streams: C keep-alive connections, each sending
its share of the requests one after the other.

Written by hand because the usual clients cost more CPU than the server under test on a 2-core
machine (httpx spends ~1 ms of CPU per request); this one pre-encodes every request and parses
only the status line and Content-Length.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds, one per request
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0
    first_error: str = ""

    @property
    def errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if not 200 <= status < 300)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
        return ordered[index] * 1000


def build_request(path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        lowered = name.strip().lower()
        if lowered == b"content-length":
            length = int(value)
        elif lowered == b"transfer-encoding":
            raise RuntimeError("chunked responses are not supported by this load generator")
    body = await reader.readexactly(length) if length else b""
    return status, body


async def _connection(
    port: int,
    requests: Sequence[bytes],
    result: LoadResult,
    request_timeout: float,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for request in requests:
            started = time.perf_counter()
            writer.write(request)
            status, body = await asyncio.wait_for(read_response(reader), request_timeout)
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if not 200 <= status < 300 and not result.first_error:
                result.first_error = f"{status}: {body[:300].decode(errors='replace')}"
    finally:
        writer.close()
        await writer.wait_closed()


async def _run(
    port: int, requests: Sequence[bytes], concurrency: int, request_timeout: float
) -> LoadResult:
    result = LoadResult()
    shares = [requests[i::concurrency] for i in range(concurrency)]
    started = time.perf_counter()
    await asyncio.gather(
        *(_connection(port, share, result, request_timeout) for share in shares if share)
    )
    result.elapsed = time.perf_counter() - started
    return result


def run_load(
    port: int,
    requests: Sequence[bytes],
    concurrency: int,
    *,
    request_timeout: float = 30.0,
    total_timeout: float = 900.0,
) -> LoadResult:
    """Sends `requests` over `concurrency` connections; stops after `total_timeout` at most."""

    async def bounded() -> LoadResult:
        return await asyncio.wait_for(
            _run(port, requests, concurrency, request_timeout), total_timeout
        )

    try:
        import uvloop

        return uvloop.run(bounded())
    except ImportError:
        return asyncio.run(bounded())
