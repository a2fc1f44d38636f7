"""A small, fast HTTP/1.1 keep-alive load generator on raw asyncio streams (loopback only, bounded)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, int(len(xs) * p / 100))] if xs else 0.0


async def _worker(
    host: str, port: int, payload: bytes, count: int, lat: list[float], errors: list[int], depth: int
) -> None:
    """Send `depth` requests back to back (HTTP/1.1 pipelining), then read `depth` responses."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for _ in range(count // depth):
            t0 = time.perf_counter()
            writer.write(payload * depth)
            for _ in range(depth):
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                status = int(head[9:12])
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                if length:
                    await reader.readexactly(length)
                if status >= 400:
                    errors[0] += 1
            lat.append((time.perf_counter() - t0) * 1000)
    finally:
        writer.close()


def request_bytes(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method in ("PUT", "POST"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def run_load(host: str, port: int, payload: bytes, total: int, connections: int, depth: int = 1) -> LoadResult:
    """`total` requests over `connections` keep-alive connections; latencies are per round trip of
    `depth` pipelined requests (per request when depth is 1)."""
    lat: list[float] = []
    errors = [0]
    per = (total // connections // depth) * depth
    t0 = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(_worker(host, port, payload, per, lat, errors, depth) for _ in range(connections))),
        timeout=120,
    )
    return LoadResult(per * connections, errors[0], time.perf_counter() - t0, lat)
