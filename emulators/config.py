"""`emulators serve` options: flags, else environment variables, else defaults, validated.

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
| --control-token | EMULATORS_CONTROL_TOKEN | - (no token) |
| --journal-body-budget | EMULATORS_JOURNAL_BODY_BUDGET (a size: 16MiB, 64KiB, 500KB, bytes) | 16MiB |
| --tls | EMULATORS_TLS (1/0) | off (https with the local CA's certificate) |
| --tls-cert FILE / --tls-key FILE | EMULATORS_TLS_CERT / EMULATORS_TLS_KEY | - (your own certificate; implies --tls) |
| --latency JSON | EMULATORS_LATENCY | - (a delay for every API request) |
| --watch | EMULATORS_WATCH (1/0) | off (reload a --fixtures file when it changes) |

Every mistake is a `ConfigError` whose text is one line naming the flag or variable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import registry
from .core.config import ConfigError
from .core.suggest import hint, unknown

LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
ACCESS_LOG = ("off", "text", "json")
ENV = {
    "host": "EMULATORS_HOST",
    "port": "EMULATORS_PORT",
    "base_port": "EMULATORS_BASE_PORT",
    "log_level": "EMULATORS_LOG_LEVEL",
    "journal_limit": "EMULATORS_JOURNAL_LIMIT",
    "access_log": "EMULATORS_ACCESS_LOG",
    "seed": "EMULATORS_SEED",
    "apis": "EMULATORS_APIS",
    "control_token": "EMULATORS_CONTROL_TOKEN",
    "journal_body_budget": "EMULATORS_JOURNAL_BODY_BUDGET",
    "tls": "EMULATORS_TLS",
    "tls_cert": "EMULATORS_TLS_CERT",
    "tls_key": "EMULATORS_TLS_KEY",
    "latency": "EMULATORS_LATENCY",
    "watch": "EMULATORS_WATCH",
}
FLAGS = {
    "host": "--host",
    "port": "--port",
    "base_port": "--base-port",
    "log_level": "--log-level",
    "journal_limit": "--journal-limit",
    "access_log": "--access-log",
    "seed": "--seed",
    "apis": "API",
    "control_token": "--control-token",
    "journal_body_budget": "--journal-body-budget",
    "tls": "--tls",
    "tls_cert": "--tls-cert",
    "tls_key": "--tls-key",
    "latency": "--latency",
    "watch": "--watch",
}


def env_help() -> str:
    """The epilog of `emulators serve --help`."""
    rows = [
        (ENV[k], FLAGS[k])
        for k in (
            "apis",
            "host",
            "port",
            "base_port",
            "log_level",
            "journal_limit",
            "access_log",
            "seed",
            "control_token",
            "journal_body_budget",
            "tls",
            "tls_cert",
            "tls_key",
            "latency",
            "watch",
        )
    ]
    lines = ["environment variables (a flag wins over its variable):"]
    lines += [f"  {var:<26} {flag}" for var, flag in rows]
    lines += [
        f"  {'EMULATORS_FIXTURES_<API>':<26} --fixtures API=PATH (e.g. EMULATORS_FIXTURES_BOUWSOFT)",
        f"  {'EMULATORS_FIXTURES':<26} --fixtures PATH (one API)",
        f"  {'EMULATORS_STRICT=1':<26} check every response against the contract",
    ]
    return "\n".join(lines)


@dataclass
class ServeOptions:
    """What `emulators serve` runs (validated by `serve_options`)."""

    apis: list[str]
    host: str = "127.0.0.1"
    port: int | None = None
    base_port: int | None = None
    fixtures: dict[str, str] = field(default_factory=dict)
    log_level: str = "warning"
    journal_limit: int = 10_000
    access_log: str = "off"
    seed: int | str = 0
    control_token: str | None = None  # the control plane's guard (core/guard.py)
    journal_body_budget: int | None = None  # None: core/sockets.Limits' default (16 MiB)
    tls: bool = False
    tls_cert: str | None = None
    tls_key: str | None = None
    latency: dict[str, Any] | None = None  # validated by build_app (core/config.validate_delay)
    watch: bool = False


def _int(text: Any, low: int, high: int, what: str) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise ValueError(what) from None
    if not low <= value <= high:
        raise ValueError(what)
    return value


def _size(text: Any) -> int:
    from .core.sizes import parse_size

    return parse_size(text)


def _nonempty(text: Any, what: str) -> str:
    if not str(text).strip():
        raise ValueError(what)
    return str(text).strip()


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be 1 or 0")


def _latency(value: Any) -> dict[str, Any]:
    """`{"lognormal": {"median_ms": 80, "sigma": 0.5}}` (JSON), checked by core/config.validate_delay."""
    import json

    try:
        data = json.loads(str(value))
    except ValueError:
        raise ValueError(
            'not JSON: give e.g. {"fixed_ms": 50}, {"uniform_ms": [20, 80]} or '
            '{"lognormal": {"median_ms": 80, "sigma": 0.5}}'
        ) from None
    from .core.config import validate_delay

    try:
        return validate_delay(data, "")
    except ConfigError as exc:
        raise ValueError(str(exc).removeprefix(": ")) from None


def _choice(text: Any, choices: tuple[str, ...]) -> str:
    value = str(text).strip().lower()
    if value not in choices:
        raise ValueError(f"must be one of {', '.join(choices)}" + hint(value, choices))
    return value


# field -> check(raw) -> value; each message completes "<flag or VAR=value>: ..."
CHECKS: dict[str, Callable[[Any], Any]] = {
    "host": lambda v: _nonempty(v, "an empty host"),
    "port": lambda v: _int(v, 0, 65535, "not a port number (0-65535)"),
    "base_port": lambda v: _int(v, 1, 65535, "not a port number (1-65535)"),
    "log_level": lambda v: _choice(v, LOG_LEVELS),
    "journal_limit": lambda v: _int(v, 1, 10_000_000, "not a whole number from 1 to 10000000"),
    "access_log": lambda v: _choice(v or "text", ACCESS_LOG),
    "seed": lambda v: _int(v, -(2**63), 2**63 - 1, "not a whole number (the seed of generated ids and tokens)"),
    "control_token": lambda v: _nonempty(v, "an empty token"),
    "journal_body_budget": lambda v: _size(v),
    "tls": _bool,
    "tls_cert": lambda v: _nonempty(v, "an empty path"),
    "tls_key": lambda v: _nonempty(v, "an empty path"),
    "latency": _latency,
    "watch": _bool,
}


def serve_options(args: Any, env: Mapping[str, str] | None = None) -> ServeOptions:
    """Flags (argparse namespace) over environment variables over defaults -> validated ServeOptions.
    Plain checks, not pydantic: `emulators serve` start-up does not pay for importing it (~0.13 s)."""
    env = os.environ if env is None else env
    raw: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for key, var in ENV.items():
        value = getattr(args, key, None)
        if key == "apis":
            value = list(getattr(args, "api", None) or []) or None
        if value is not None:
            raw[key] = value
            origin[key] = f"{FLAGS[key]} {value}" if key != "apis" else ""
        elif env.get(var, "").strip():
            text = env[var].strip()
            raw[key] = [a.strip() for a in text.split(",") if a.strip()] if key == "apis" else text
            origin[key] = f"{var}={text}"
    names = list(raw.get("apis") or registry.available())
    for name in names:
        if name not in registry.APIS:
            where = origin.get("apis") or ""
            raise ConfigError([(f"{where}: " if where else "") + unknown("emulator", name, registry.APIS)])
    raw["apis"] = names
    values: dict[str, Any] = {"apis": names, "fixtures": _fixtures(getattr(args, "fixtures", None) or [], names, env)}
    problems = []
    for name, check in CHECKS.items():
        if name in raw:
            try:
                values[name] = check(raw[name])
            except ValueError as exc:
                problems.append(f"{origin[name]}: {exc}")
    if values.get("tls_key") and not values.get("tls_cert"):
        problems.append(f"{origin['tls_key']}: needs --tls-cert (EMULATORS_TLS_CERT) too")
    if problems:
        raise ConfigError(problems)
    if values.get("tls_cert"):
        values["tls"] = True
    return ServeOptions(**values)


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
            raise ConfigError(
                [
                    f"{where}: a fixtures file without an API name needs exactly one API; "
                    f"serving {', '.join(names)}: use --fixtures API=PATH"
                ]
            )
        else:
            out[names[0]] = value
    return out


def ports(options: ServeOptions) -> list[tuple[str, int]]:
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
