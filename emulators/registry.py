"""The one list of APIs: name -> (package, default port). Each package's `EMULATOR` spec loads on demand.

`EMULATORS` is a read-only `Mapping[str, EmulatorSpec]` over this list: its keys are exactly `APIS`,
`EMULATORS[name]` imports the package on first use, and `in` / `len` / iteration never import anything.
A registered package that does not import is an error (`RegistryError`), never a silent omission: the
shared tests, `emulators list` and `serve` all start from this list.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from .core.spec import EmulatorSpec

# name -> (module, default port). Order is the order `emulators list` and `serve` use. The ports live here only.
APIS: dict[str, tuple[str, int]] = {
    "bouwsoft": ("emulators.bouwsoft", 8701),
    "superoffice": ("emulators.superoffice", 8702),
    "aktion": ("emulators.aktion", 8703),
    "twelvebuild": ("emulators.twelvebuild", 8704),
}


class RegistryError(ImportError):
    """A registered API whose package does not import or holds no `EMULATOR` spec."""


def port(name: str) -> int:
    """The default port of a registered API."""
    if name not in APIS:
        raise KeyError(f"unknown emulator {name!r}; known: {', '.join(APIS)}")
    return APIS[name][1]


def get(name: str) -> EmulatorSpec:
    if name not in APIS:
        raise KeyError(f"unknown emulator {name!r}; known: {', '.join(APIS)}")
    module = APIS[name][0]
    try:
        mod = importlib.import_module(module)
    except Exception as exc:
        raise RegistryError(
            f"emulator {name!r} is registered but its package {module} does not import: {type(exc).__name__}: {exc}"
        ) from exc
    spec = getattr(mod, "EMULATOR", None)
    if not isinstance(spec, EmulatorSpec):
        raise RegistryError(f"emulator {name!r} is registered but {module} holds no EMULATOR = EmulatorSpec(...)")
    return spec


def available() -> list[str]:
    """Every registered API, after checking that each one loads (RegistryError names the first that does not)."""
    for name in APIS:
        get(name)
    return list(APIS)


class _Emulators(Mapping[str, EmulatorSpec]):
    """`EMULATORS["bouwsoft"]` imports the package on first use; keys, `in` and `len` read `APIS` only."""

    def __getitem__(self, key: str) -> EmulatorSpec:
        if key not in APIS:
            raise KeyError(key)
        return get(key)

    def __iter__(self) -> Iterator[str]:
        return iter(list(APIS))

    def __len__(self) -> int:
        return len(APIS)

    def __contains__(self, key: object) -> bool:
        return key in APIS

    def __repr__(self) -> str:
        return f"EMULATORS({', '.join(APIS)})"


EMULATORS: Mapping[str, EmulatorSpec] = _Emulators()


class EmulatorUnavailable(LookupError):
    """The API's package is not installed / not written yet (fixtures skip on this)."""


class UnknownEmulator(EmulatorUnavailable):
    """Neither a registered API nor a module with an EMULATOR spec (a typo: an error, never a skip)."""


def resolve_spec(api: str | EmulatorSpec) -> EmulatorSpec:
    """A registry name ("bouwsoft"), a module holding `EMULATOR` ("tests.echo"), or "module:ATTR"."""
    if isinstance(api, EmulatorSpec):
        return api
    if api in APIS:
        module = APIS[api][0]
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                raise EmulatorUnavailable(f"emulator {api!r} is not available (no package {module})") from exc
            raise
        found = getattr(mod, "EMULATOR", None)
        if not isinstance(found, EmulatorSpec):  # a package still being written
            raise EmulatorUnavailable(f"emulator {api!r} is not available ({module} has no EMULATOR yet)")
        return found
    module_name, _, attr = api.partition(":")
    try:
        mod = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            from .core.suggest import hint

            raise UnknownEmulator(
                f"unknown emulator {api!r}{hint(api, APIS)} (known: {', '.join(APIS)}, or a module with EMULATOR)"
            ) from exc
        raise
    spec = getattr(mod, attr or "EMULATOR", None)
    if not isinstance(spec, EmulatorSpec):
        raise UnknownEmulator(f"{api!r}: module {module_name} has no EmulatorSpec {attr or 'EMULATOR'}")
    return spec
