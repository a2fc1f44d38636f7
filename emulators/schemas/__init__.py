"""JSON Schemas of the files a user writes, generated from the pydantic models and shipped in the wheel
(`emulators/schemas/*.schema.json`); `emulators schema <kind> [API]` prints one.

    fixtures API   a fixtures file (emulators/<api>/fixtures_model.py)
    state API      a PUT /__emulator/state body
    scenario       a scenario file (fixtures/scenarios/scenario.schema.json)
    fault          a POST /__emulator/faults rule
    stub           a POST /__emulator/stubs rule
    clock          a POST /__emulator/clock command

`python -m emulators.schemas` rewrites the files from the models (a test checks they are current).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core.config import ConfigError

HERE = Path(__file__).resolve().parent
SCHEMA_KINDS = ("fixtures", "state", "scenario", "fault", "stub", "clock")
PER_API = ("fixtures", "state")


def _check(kind: str, api: str | None) -> None:
    from .. import registry
    from ..core.suggest import unknown

    if kind not in SCHEMA_KINDS:
        raise ConfigError([unknown("schema kind", kind, SCHEMA_KINDS)])
    if kind in PER_API and api is None:
        raise ConfigError([f"schema {kind} needs an API: emulators schema {kind} API ({', '.join(registry.APIS)})"])
    if kind in PER_API and api not in registry.APIS:
        raise ConfigError([unknown("emulator", str(api), registry.APIS)])
    if kind not in PER_API and api is not None:
        raise ConfigError([f"schema {kind} is the same for every API: emulators schema {kind}"])


def file_name(kind: str, api: str | None = None) -> Path:
    return HERE / (f"{api}.{kind}.schema.json" if kind in PER_API else f"{kind}.schema.json")


def schema(kind: str, api: str | None = None) -> dict[str, Any]:
    """The shipped schema (ConfigError for an unknown kind or API)."""
    _check(kind, api)
    if kind == "scenario":
        from ..scenarios.scenario import scenario_schema

        return scenario_schema()
    with open(file_name(kind, api), encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def generate(kind: str, api: str | None = None) -> dict[str, Any]:
    """The schema built from the models now."""
    _check(kind, api)
    from .. import registry
    from ..core import config

    if kind == "fault":
        return config.json_schema(config.fault_rule_model(), "Emulator fault rule")
    if kind == "stub":
        return config.json_schema(config.stub_rule_model(), "Emulator stub rule")
    if kind == "clock":
        return config.json_schema(config.clock_model(), "Emulator clock command")
    if kind == "scenario":
        return schema("scenario")
    spec = registry.get(str(api))
    if kind == "fixtures":
        mod = config.fixtures_module(spec)
        assert mod is not None
        return config.json_schema(mod.FIXTURES, f"{api} fixtures file")
    model = config.state_model(spec)
    assert model is not None
    return config.json_schema(model, f"{api} emulator state (GET/PUT /__emulator/state)")


def targets() -> list[tuple[str, str | None]]:
    from .. import registry

    out: list[tuple[str, str | None]] = [("fault", None), ("stub", None), ("clock", None)]
    for api in registry.available():
        out += [("fixtures", api), ("state", api)]
    return out


def write_all() -> list[Path]:
    written = []
    for kind, api in targets():
        path = file_name(kind, api)
        path.write_text(json.dumps(generate(kind, api), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
