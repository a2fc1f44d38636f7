"""Socket-level limits: what uvicorn offers, and what it lacks, added here.

From uvicorn (set in emulators/server.py): `timeout_keep_alive` (idle keep-alive connections close),
`limit_concurrency` (past it uvicorn answers 503 itself), `h11_max_incomplete_event_size` (the h11 parser's
header cap; only when h11 serves), `ws="none"` (an `Upgrade: websocket` request is an ordinary HTTP request).

Added here (`GuardedHttpTools`, a subclass of uvicorn's httptools protocol, and `check_request_head`):
- a header read timeout: the request line and headers must arrive within `header_timeout` seconds of the
  connection (or of the previous response); else 408, connection closed;
- a body read timeout: a declared body must arrive within `body_timeout` seconds of its headers; else 408;
- a cap on connections still waiting for their headers (`max_pending`): past it the oldest such connection is
  closed if it has waited at least `pending_evict_seconds` (a burst of honest clients is served whole), and past
  half the process's descriptors the oldest however fresh, so half-open requests (slowloris) cannot exhaust the
  descriptors new clients need;
- header limits: at most `max_header_bytes` (32 KiB) of header fields and `max_headers` (100) fields, else 431;
  the request target at most `max_url_bytes` (1 MiB), else 414 (both also checked in-process);
- every refusal the server makes itself (parser errors, 408, 431) in the API's own error envelope;
- lingering close: after an early answer (413 and the like) the rest of the body is read and discarded, up to
  `drain_bytes`, before the connection is closed, so a client still sending (urllib) reads our answer.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from .errors import EmulatorError
from .sizes import SIZE_HELP, parse_size


class RequestTimeout(EmulatorError):
    status = 408
    default_message = "The request was not received in time"


class UriTooLong(EmulatorError):
    status = 414
    default_message = "The request URI is too long"


class HeadersTooLarge(EmulatorError):
    status = 431
    default_message = "Request header fields too large"


# byte counts: their variables take units (16MiB, 64KiB; core/sizes.py)
SIZE_FIELDS = frozenset(
    {"max_header_bytes", "max_url_bytes", "drain_bytes", "journal_body_budget", "journal_body_keep"}
)


@dataclass
class Limits:
    """Every limit and guard knob; env `EMULATORS_<NAME>` (upper case) overrides each default."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive_timeout: float = 5.0
    max_header_bytes: int = 32 * 1024
    max_url_bytes: int = 1024 * 1024  # the request target, counted apart from the headers (414 past it)
    max_headers: int = 100
    max_pending: int = 128
    pending_evict_seconds: float = 2.0  # past max_pending, a connection waiting this long for a head is closed
    limit_concurrency: int = 1000
    drain_bytes: int = 16 * 1024 * 1024
    journal_body_budget: int = 16 * 1024 * 1024
    journal_body_keep: int = 64 * 1024
    journal_total_budget: int = 256 * 1024 * 1024  # every journal in the process together (journal_budget.py)
    max_namespaces: int = 10_000
    namespace_policy: str = "evict"  # or "refuse" (503 past the cap)
    control_token: str | None = None
    control_hosts: str = ""  # extra Host names the control plane answers (comma-separated; e.g. compose services)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Limits:
        source = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = source.get(f"EMULATORS_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            kind: Any = type(f.default) if f.default is not None else str
            try:
                if f.name in SIZE_FIELDS:
                    values[f.name] = parse_size(raw)
                else:
                    values[f.name] = kind(raw) if kind is not bool else raw.lower() in ("1", "true", "yes")
            except ValueError as exc:
                what = SIZE_HELP if f.name in SIZE_FIELDS else f"a valid {kind.__name__}"
                raise ValueError(f"EMULATORS_{f.name.upper()}={raw!r} is not {what}") from exc
        if values.get("namespace_policy", "evict") not in ("evict", "refuse"):
            raise ValueError("EMULATORS_NAMESPACE_POLICY must be evict or refuse")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def too_many_headers(limits: Limits) -> HeadersTooLarge:
    return HeadersTooLarge(f"Too many request header fields: at most {limits.max_headers} are accepted")


def headers_too_big(limits: Limits) -> HeadersTooLarge:
    return HeadersTooLarge(f"Request header fields exceed {limits.max_header_bytes} bytes")


def uri_too_long(limits: Limits) -> UriTooLong:
    return UriTooLong(f"The request URI exceeds {limits.max_url_bytes} bytes")


def check_request_head(scope: dict[str, Any], limits: Limits) -> EmulatorError | None:
    """The head limits for a request no protocol of ours parsed (in process); GuardedHttpTools applies
    the same refusals while it reads a head from a socket."""
    headers = scope.get("headers") or ()
    if len(headers) > limits.max_headers:
        return too_many_headers(limits)
    if len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") > limits.max_url_bytes:
        return uri_too_long(limits)
    size = 0
    for k, v in headers:
        size += len(k) + len(v) + 4
    if size > limits.max_header_bytes:
        return headers_too_big(limits)
    return None


Render = Callable[[EmulatorError], tuple[int, list[tuple[bytes, bytes]], bytes]]


def pending_hard_cap(limits: Limits) -> int:
    """Connections waiting for a head past which the oldest is closed however fresh: half the descriptors this
    process may open (never under `max_pending`), so a flood of half-open requests cannot take them all."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):
        soft = -1
    if soft is None or soft < 0 or soft >= 1 << 30:
        soft = 1 << 20
    return max(limits.max_pending, soft // 2)
