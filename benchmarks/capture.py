"""The emulator's own answers, captured in the run that compares against them: the Starlette baseline
stores them as its items and WireMock serves them as static stubs, so every server sends the same bytes."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from benchmarks.targets import Req


@dataclass(frozen=True)
class Captured:
    request: Req
    status: int
    content_type: str  # "" when the emulator sent none
    body: bytes


def capture(api_url: str, reqs: list[Req]) -> list[Captured]:
    """Send each request once to the running emulator and keep what it answered (each write changes its
    record, as in the load that follows)."""
    out = []
    with httpx.Client() as c:
        for r in reqs:
            answer = c.request(r.method, api_url + r.path, headers=r.headers, content=r.body or None)
            answer.raise_for_status()
            out.append(Captured(r, answer.status_code, answer.headers.get("content-type", ""), answer.content))
    return out
