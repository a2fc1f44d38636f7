"""Stateful, in-memory emulators of four vendor REST APIs.

app = emulators.build_app("bouwsoft")          # an ASGI app
client = httpx.Client(transport=httpx.ASGITransport(app), base_url="http://bouwsoft")
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core.app import EmulatorApp
    from .core.spec import EmulatorSpec

__all__ = ["EmulatorApp", "EmulatorSpec", "build_app"]
__version__ = "0.1.0"


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
) -> EmulatorApp:
    """The ASGI app of one emulator. `strict` (default: env EMULATORS_STRICT=1) validates every
    response against the contract and turns a mismatch into a 500."""
    from . import registry
    from .core.app import EmulatorApp

    spec = registry.get(api) if isinstance(api, str) else api
    if strict is None:
        strict = os.environ.get("EMULATORS_STRICT", "") not in ("", "0", "false")
    return EmulatorApp(
        spec, fixtures=fixtures, strict=strict, journal_size=journal_size, seed=seed, limits=limits
    )  # limits: core.sockets.Limits (default: from EMULATORS_* env)
