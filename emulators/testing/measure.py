"""What a test pays per emulator fixture: reset to the fixtures + one request, in-process (target ≤ 0.5 ms).

from emulators.testing.measure import reset_and_request_median_ms
reset_and_request_median_ms("bouwsoft")                         # or an EmulatorApp / EmulatorSpec / "tests.echo"
reset_and_request_median_ms("bouwsoft", authenticated=True)     # the request a test sends first, answered 200
reset_and_request_median_ms("bouwsoft", clock=time.thread_time) # CPU time of this thread: barely moved by load
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from ..core.spec import EmulatorSpec
from .harness import Emulator, in_process

Request = tuple[str, str, dict[str, str], bytes | None]


def _default_request(app: Any) -> tuple[str, str, dict[str, str]]:
    """The echo API's authenticated list call; for any other API its first GET without path parameters
    (answered with data or, lacking credentials, with the vendor's 401 — both run the whole pipeline)."""
    if app.spec.name == "echo":
        return "GET", "/items", {"X-Api-Key": "fixed-token"}
    ops = list(app.contract.operations.values())
    for op in ops:
        if op.method == "GET" and "{" not in op.path and not any(p.required for p in op.params):
            prefix = app.spec.prefixes[0] if app.spec.prefixes and "{" not in app.spec.prefixes[0] else ""
            return "GET", prefix + op.path, {}
    return "GET", "/", {}


def authenticated_request(emu: Emulator) -> Request:
    """The first request a test of this API sends, with the fixtures' credentials, answered 200: a
    SuperOffice or Bouwsoft read of a fixture project; for Aktion and 12Build, whose tokens a reset
    clears, the call that gets one (POST login, GET tokens)."""
    creds = emu.credentials
    name = emu.name
    if name == "superoffice":
        basic = creds["basic"]
        from base64 import b64encode

        pair = b64encode(f"{basic['user']}:{basic['password']}".encode()).decode()
        return "GET", "/api/v1/Project/414", {"Authorization": f"Basic {pair}", "Accept": "application/json"}, None
    if name == "bouwsoft":
        headers = {"Clientnr": str(creds["clientnr"]), "AccessToken": str(creds["access_token"])}
        return "GET", "/api/v1/Projects/3320", headers, None
    if name == "aktion":
        body = json.dumps({"UserLogin": creds["UserLogin"], "ApiKey": creds["ApiKey"]}).encode()
        return "POST", "/api/login", {"Content-Type": "application/json"}, body
    if name == "twelvebuild":
        return "GET", "/tokens?" + urlencode({"login": creds["login"], "apiKey": creds["apiKey"]}), {}, None
    method, path, headers = _default_request(emu.app)
    return method, path, headers, None


def reset_and_request_median_ms(
    app_or_api: Any,
    n: int = 500,
    *,
    method: str | None = None,
    path: str | None = None,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    authenticated: bool = False,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Median milliseconds of `emulator.reset()` + one request through the in-process client, exactly as
    the `<api>_emulator` fixture does it. Default request: see `_default_request`, or with `authenticated`
    `authenticated_request`; `clock` measures (`time.thread_time`: this thread's CPU time)."""
    if isinstance(app_or_api, str | EmulatorSpec):
        emu = in_process(app_or_api, fixtures=None)
    else:
        emu = in_process(app_or_api.spec, app=app_or_api)
    try:
        if authenticated:
            d_method, d_path, d_headers, d_body = authenticated_request(emu)
        else:
            d_method, d_path, d_headers = _default_request(emu.app)
            d_body = None
        request = (
            method or d_method,
            path or d_path,
            d_headers if headers is None else headers,
            d_body if body is None else body,
        )
        return _measure(emu, n, request, clock)
    finally:
        emu.close()


def _measure(emu: Emulator, n: int, request: Request, clock: Callable[[], float]) -> float:
    method, path, hdrs, body = request
    client = emu.client
    for _ in range(min(50, n)):  # warm caches (router, validators, fixtures)
        emu.reset()
        client.request(method, path, headers=hdrs, content=body)
    samples = []
    for _ in range(n):
        t0 = clock()
        emu.reset()
        client.request(method, path, headers=hdrs, content=body)
        samples.append((clock() - t0) * 1000)
    return statistics.median(samples)


if __name__ == "__main__":  # pragma: no cover - `python -m emulators.testing.measure [api ...]`
    import sys

    from .. import registry

    for api in sys.argv[1:] or ["tests.echo", *registry.available()]:
        wall = reset_and_request_median_ms(api, authenticated=True)
        cpu = reset_and_request_median_ms(api, authenticated=True, clock=time.thread_time)
        print(f"{api}: reset + one authenticated request in-process, median {wall:.3f} ms ({cpu:.3f} ms CPU)")
