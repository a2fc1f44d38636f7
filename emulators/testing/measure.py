"""What a test pays per emulator fixture: reset to the fixtures + one request, in-process (target ≤ 1 ms).

from emulators.testing.measure import reset_and_request_median_ms
reset_and_request_median_ms("bouwsoft")          # or an EmulatorApp / EmulatorSpec / "tests.echo"
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from ..core.spec import EmulatorSpec
from .harness import Emulator, in_process


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


def reset_and_request_median_ms(
    app_or_api: Any,
    n: int = 500,
    *,
    method: str | None = None,
    path: str | None = None,
    headers: dict[str, str] | None = None,
) -> float:
    """Median milliseconds of `emulator.reset()` + one request through the in-process client, exactly as
    the `<api>_emulator` fixture does it. Default request: see `_default_request`."""
    if isinstance(app_or_api, str | EmulatorSpec):
        emu = in_process(app_or_api, fixtures=None)
    else:
        emu = in_process(app_or_api.spec, app=app_or_api)
    try:
        return _measure(emu, n, method, path, headers)
    finally:
        emu.close()


def _measure(emu: Emulator, n: int, method: str | None, path: str | None, headers: dict[str, str] | None) -> float:
    d_method, d_path, d_headers = _default_request(emu.app)
    method, path = method or d_method, path or d_path
    hdrs = d_headers if headers is None else headers
    client = emu.client
    for _ in range(min(50, n)):  # warm caches (router, validators, fixtures)
        emu.reset()
        client.request(method, path, headers=hdrs)
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        emu.reset()
        client.request(method, path, headers=hdrs)
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


if __name__ == "__main__":  # pragma: no cover - `python -m emulators.testing.measure [api ...]`
    import sys

    from .. import registry

    for api in sys.argv[1:] or ["tests.echo", *registry.available()]:
        print(f"{api}: reset + one request in-process, median {reset_and_request_median_ms(api):.3f} ms")
