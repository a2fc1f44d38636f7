"""The one list of APIs. Each entry is the `EMULATOR` spec of an API package, loaded on demand."""

from __future__ import annotations

import importlib

from .core.spec import EmulatorSpec

# name -> (module, default port). Order is the order `emulators list` and `serve` use.
APIS: dict[str, tuple[str, int]] = {
    "bouwsoft": ("emulators.bouwsoft", 8701),
    "superoffice": ("emulators.superoffice", 8702),
    "aktion": ("emulators.aktion", 8703),
    "twelvebuild": ("emulators.twelvebuild", 8704),
}


def available() -> list[str]:
    """Registered APIs whose package is present."""
    out = []
    for name, (module, _) in APIS.items():
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                continue
            raise
        out.append(name)
    return out


def get(name: str) -> EmulatorSpec:
    if name not in APIS:
        raise KeyError(f"unknown emulator {name!r}; known: {', '.join(APIS)}")
    spec: EmulatorSpec = importlib.import_module(APIS[name][0]).EMULATOR
    return spec


class _Lazy(dict[str, EmulatorSpec]):
    """`EMULATORS["bouwsoft"]` imports the package on first use."""

    def __missing__(self, key: str) -> EmulatorSpec:
        spec = get(key)
        self[key] = spec
        return spec

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(available())

    def __len__(self) -> int:
        return len(available())

    def keys(self):  # type: ignore[no-untyped-def]
        return available()


EMULATORS: dict[str, EmulatorSpec] = _Lazy()
