"""`emulators serve` options: flags, else environment variables, else defaults, validated with pydantic.

| flag | environment variable | default |
|---|---|---|
| API ... | EMULATORS_APIS (comma-separated) | every registered API |
| --host | EMULATORS_HOST | 127.0.0.1 |
| --port | EMULATORS_PORT | the API's default port (one API) |
| --base-port | EMULATORS_BASE_PORT | - |
| --fixtures [API=]PATH | EMULATORS_FIXTURES_<API> (EMULATORS_FIXTURES_BOUWSOFT), EMULATORS_FIXTURES | shipped |
| --log-level | EMULATORS_LOG_LEVEL | warning |
| --journal-limit | EMULATORS_JOURNAL_LIMIT | 10000 |
| --access-log [text\\|json] | EMULATORS_ACCESS_LOG (off, text, json) | off |
| --seed | EMULATORS_SEED | 0 |

Every mistake is a `ConfigError` whose text is one line naming the flag or variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from . import registry
from .core.config import ConfigError
from .core.suggest import unknown

LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
ACCESS_LOG = ("off", "text", "json")
ENV = {
    "host": "EMULATORS_HOST", "port": "EMULATORS_PORT", "base_port": "EMULATORS_BASE_PORT",
    "log_level": "EMULATORS_LOG_LEVEL", "journal_limit": "EMULATORS_JOURNAL_LIMIT",
    "access_log": "EMULATORS_ACCESS_LOG", "seed": "EMULATORS_SEED", "apis": "EMULATORS_APIS",
}
FLAGS = {"host": "--host", "port": "--port", "base_port": "--base-port", "log_level": "--log-level",
         "journal_limit": "--journal-limit", "access_log": "--access-log", "seed": "--seed", "apis": "API"}


def env_help() -> str:
    """The epilog of `emulators serve --help`."""
    rows = [(ENV[k], FLAGS[k]) for k in ("apis", "host", "port", "base_port", "log_level", "journal_limit",
                                          "access_log", "seed")]
    lines = ["environment variables (a flag wins over its variable):"]
    lines += [f"  {var:<26} {flag}" for var, flag in rows]
    lines += [f"  {'EMULATORS_FIXTURES_<API>':<26} --fixtures API=PATH (e.g. EMULATORS_FIXTURES_BOUWSOFT)",
              f"  {'EMULATORS_FIXTURES':<26} --fixtures PATH (one API)",
              f"  {'EMULATORS_STRICT=1':<26} check every response against the contract"]
    return "\n".join(lines)


def _options_model() -> Any:
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field

    class ServeOptions(BaseModel):
        """What `emulators serve` runs."""

        model_config = ConfigDict(extra="forbid")

        apis: list[str]
        host: str = Field("127.0.0.1", min_length=1)
        port: int | None = Field(None, ge=0, le=65535)
        base_port: int | None = Field(None, ge=1, le=65535)
        fixtures: dict[str, str] = {}
        log_level: Literal[LOG_LEVELS] = "warning"  # type: ignore[valid-type]
        journal_limit: int = Field(10_000, ge=1, le=10_000_000)
        access_log: Literal[ACCESS_LOG] = "off"  # type: ignore[valid-type]
        seed: int | str = 0

    return ServeOptions


def _friendly(field: str, kind: str, msg: str, ctx: Mapping[str, Any] | None) -> str:
    if "port" in field and kind in ("greater_than_equal", "less_than_equal", "int_parsing"):
        return "not a port number (1-65535)" if field == "base_port" else "not a port number (0-65535)"
    if kind == "literal_error":
        return f"must be one of {(ctx or {}).get('expected', '')}"
    if kind == "int_parsing":
        return "not a whole number"
    return msg


def serve_options(args: Any, env: Mapping[str, str] | None = None) -> Any:
    """Flags (argparse namespace) over environment variables over defaults -> validated ServeOptions."""
    from pydantic import ValidationError

    env = os.environ if env is None else env
    raw: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for field, var in ENV.items():
        value = getattr(args, field, None)
        if field == "apis":
            value = list(getattr(args, "api", None) or []) or None
        if value is not None:
            raw[field] = value
            origin[field] = f"{FLAGS[field]} {value}" if field != "apis" else ""
        elif env.get(var, "").strip():
            text = env[var].strip()
            raw[field] = [a.strip() for a in text.split(",") if a.strip()] if field == "apis" else text
            origin[field] = f"{var}={text}"
    seed = raw.get("seed")
    if isinstance(seed, str) and seed.lstrip("-").isdigit():
        raw["seed"] = int(seed)
    if raw.get("access_log") == "":
        raw["access_log"] = "text"
    names = list(raw.get("apis") or registry.available())
    for name in names:
        if name not in registry.APIS:
            where = origin.get("apis") or ""
            raise ConfigError([(f"{where}: " if where else "") + unknown("emulator", name, registry.APIS)])
    raw["apis"] = names
    raw["fixtures"] = _fixtures(getattr(args, "fixtures", None) or [], names, env)
    try:
        return _options_model().model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            field = str(err["loc"][0])
            message = _friendly(field, err["type"], err["msg"], err.get("ctx"))
            problems.append(f"{origin.get(field, field)}: {message}")
        raise ConfigError(problems) from None


def _fixtures(values: list[str], names: list[str], env: Mapping[str, str]) -> dict[str, str]:
    """`--fixtures PATH` (one API) / `--fixtures API=PATH` (repeatable), then EMULATORS_FIXTURES[_<API>]."""
    out: dict[str, str] = {}
    for api in names:
        var = f"EMULATORS_FIXTURES_{api.upper()}"
        if env.get(var, "").strip():
            out[api] = env[var].strip()
    for var, value in env.items():
        if var.startswith("EMULATORS_FIXTURES_") and value.strip():
            api = var.removeprefix("EMULATORS_FIXTURES_").lower()
            if api not in registry.APIS:
                raise ConfigError([f"{var}: " + unknown("emulator", api, registry.APIS)])
    plain = env.get("EMULATORS_FIXTURES", "").strip()
    items = [(plain, "EMULATORS_FIXTURES")] if plain and not values else []
    items += [(v, f"--fixtures {v}") for v in values]
    for value, where in items:
        api, sep, path = value.partition("=")
        if sep and api in registry.APIS:
            if api not in names:
                raise ConfigError([f"{where}: {api} is not being served (serving {', '.join(names)})"])
            out[api] = path
        elif sep and "/" not in api and "\\" not in api and not os.path.exists(value):
            raise ConfigError([f"{where}: " + unknown("emulator", api, registry.APIS)])
        elif len(names) != 1:
            raise ConfigError([f"{where}: a fixtures file without an API name needs exactly one API; "
                               f"serving {', '.join(names)}: use --fixtures API=PATH"])
        else:
            out[names[0]] = value
    return out


def ports(options: Any) -> list[tuple[str, int]]:
    """(api, port) in the order served: --port (one API) / --port N.. / --base-port + registry index /
    the defaults."""
    out = []
    order = list(registry.APIS)
    for i, name in enumerate(options.apis):
        if options.port is not None and len(options.apis) == 1:
            port = options.port
        elif options.base_port is not None:
            port = options.base_port + order.index(name)
        elif options.port is not None:
            port = options.port + i if options.port else 0
        else:
            port = registry.APIS[name][1]
        if port > 65535:
            raise ConfigError([f"{name}: port {port} is past 65535 (lower --port / --base-port)"])
        out.append((name, port))
    return out
