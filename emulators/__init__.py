"""Stateful, in-memory emulators of four vendor REST APIs.

Each emulator is an ASGI app; a plain httpx.Client drives it in process (no socket) through
SyncASGITransport (httpx's own ASGITransport is for AsyncClient only). More in docs/in-process.md.

>>> import httpx, emulators
>>> from emulators.testing.transport import SyncASGITransport
>>> app = emulators.build_app("bouwsoft")
>>> client = httpx.Client(transport=SyncASGITransport(app), base_url="http://bouwsoft")
>>> client.get("/__emulator/health").json()
{'status': 'ok', 'emulator': 'bouwsoft'}
>>> creds = client.get("/__emulator/credentials").json()
>>> auth = {"Clientnr": str(creds["clientnr"]), "RefreshToken": creds["refresh_token"]}
>>> client.get("/api/v1/Authorize/AccessToken", headers=auth).status_code
200
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.version import __version__ as __version__

if TYPE_CHECKING:
    from .core.app import EmulatorApp
    from .core.control_context import ControlContext
    from .core.journal import Entry
    from .core.spec import EmulatorSpec
    from .core.world import World

__all__ = ["EmulatorApp", "EmulatorSpec", "build_app"]


def __getattr__(name: str) -> Any:
    """`emulators.EmulatorApp` / `EmulatorSpec` import the kernel on first use: `import emulators.cli` (and
    every command but serve) stays cheap."""
    if name == "EmulatorApp":
        from .core.app import EmulatorApp

        return EmulatorApp
    if name == "EmulatorSpec":
        from .core.spec import EmulatorSpec

        return EmulatorSpec
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build_app(
    api: str | EmulatorSpec,
    *,
    fixtures: str | Path | dict[str, Any] | None = None,
    strict: bool | None = None,
    journal_size: int = 10_000,
    seed: int | str = 0,
    limits: Any = None,
    latency: dict[str, Any] | None = None,
) -> EmulatorApp:
    """The ASGI app of one emulator. `strict` (default: env EMULATORS_STRICT=1) validates every
    response against the contract and turns a mismatch into a 500. `latency` delays every API request
    ({fixed_ms} | {uniform_ms: [a, b]} | {lognormal: {median_ms, sigma}}, seeded by `seed`)."""
    from . import registry, ui
    from .core.app import EmulatorApp
    from .core.control import ControlExtensions

    spec = registry.get(api) if isinstance(api, str) else api
    if strict is None:
        strict = os.environ.get("EMULATORS_STRICT", "") not in ("", "0", "false")
    if latency is not None:
        from .core.config import validate_delay

        latency = validate_delay(latency, "latency")
    # the composition root: the kernel's control plane gets the dashboard and the scenario export from here
    extensions = ControlExtensions(handlers=(ui.handlers,), scenario=_journal_scenario, exports=_UiExports(spec.name))
    return EmulatorApp(
        spec,
        fixtures=fixtures,
        strict=strict,
        journal_size=journal_size,
        seed=seed,
        limits=limits,  # core.sockets.Limits (default: from EMULATORS_* env)
        extensions=extensions,
        latency=latency,
    )


def _journal_scenario(
    ctx: ControlContext, world: World, entries: list[Entry], base_url: str, exact: bool
) -> dict[str, Any]:
    """`GET /__emulator/requests?format=scenario`; the recorder is imported on the first such request."""
    from .recording.record import journal_scenario

    return journal_scenario(ctx, world, entries, base_url, exact)


class _UiExports(Mapping[str, Any]):
    """The dashboard's built exports by path, loaded on first use: `serve` start-up imports no dashboard module."""

    def __init__(self, api: str) -> None:
        self.api = api
        self._built: Mapping[str, Any] | None = None

    def _map(self) -> Mapping[str, Any]:
        if self._built is None:
            from .ui import exports

            self._built = exports.built(self.api)
        return self._built

    def __getitem__(self, key: str) -> Any:
        return self._map()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._map())

    def __len__(self) -> int:
        return len(self._map())
