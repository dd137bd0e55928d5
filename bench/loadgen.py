"""A small closed-loop HTTP/1.1 load generator (``wrk`` is not installed here): N keep-alive connections,
each sending the next request as soon as the previous answer is read, for a fixed time. It reports
requests per second and latency percentiles, so an anchor and ours are measured the same way in one run."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: Sequence[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(99)


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def _connection(
    host: str, port: int, requests: Sequence[bytes], deadline: float, offset: int,
    latencies: list[float], errors: list[int],
) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    done = 0
    try:
        index = offset
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            writer.write(requests[index % len(requests)])
            status = await _read_response(reader)
            latencies.append((time.perf_counter() - began) * 1000)
            if status >= 400:
                errors.append(status)
            done += 1
            index += 1
    finally:
        writer.close()
    return done


def build_request(method: str, path: str, host: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in headers.items())]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def run_load(
    host: str, port: int, requests: Sequence[bytes], *, connections: int = 8, seconds: float = 5.0,
    warmup: float = 1.0,
) -> LoadResult:
    """Warm up (connections, caches), then measure for ``seconds`` with ``connections`` in flight."""
    if warmup:
        await asyncio.gather(*(
            _connection(host, port, requests, time.perf_counter() + warmup, i, [], [])
            for i in range(connections)
        ))
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    counts = await asyncio.gather(*(
        _connection(host, port, requests, started + seconds, i, latencies, errors) for i in range(connections)
    ))
    return LoadResult(sum(counts), len(errors), time.perf_counter() - started, latencies)
