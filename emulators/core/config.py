"""Validated configuration (pydantic): fixture files, `PUT /__emulator/state` bodies, fault rules, clock
commands, and the errors a person can act on.

Each API describes its fixture file in `emulators/<api>/fixtures_model.py` (named by
`EmulatorSpec.fixtures_model`) with three models: `FIXTURES` (the whole file), `TENANT` (one tenant's
store) and `GLOBAL` (the tenant-less store). Errors read

    my.yaml:12: tenants.115.projets: unknown field; did you mean `projects`?

pydantic is imported only when something is validated: plain `emulators serve` of the shipped
fixtures (checked by the test suite) never pays for it.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, get_args, get_origin

from .suggest import hint

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from .spec import EmulatorSpec


class ConfigError(ValueError):
    """Invalid configuration. `problems` are one line each; `str()` is the first (and how many more)."""

    def __init__(self, problems: Sequence[str], fields: Sequence[tuple[str, str]] = ()) -> None:
        self.problems = list(problems) or ["invalid configuration"]
        self.fields = list(fields)  # (field path, message) per problem, for an API's `issues`
        more = len(self.problems) - 1
        super().__init__(self.problems[0] + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""))


# models ----------------------------------------------------------------------------------------------
def fault_rule_model() -> type[BaseModel]:
    from .config_models import FaultRuleIn

    return FaultRuleIn


def stub_rule_model() -> type[BaseModel]:
    from .config_models import StubRuleIn

    return StubRuleIn


def delay_model() -> type[BaseModel]:
    from .config_models import DelayIn

    return DelayIn


def clock_model() -> type[BaseModel]:
    from .config_models import ClockCommand

    return ClockCommand


def fixtures_module(spec: EmulatorSpec) -> Any | None:
    name = getattr(spec, "fixtures_model", None)
    return importlib.import_module(name) if name else None


@functools.lru_cache(maxsize=16)
def _state_model(module_name: str) -> type[BaseModel]:
    from pydantic import Field, create_model

    from .config_models import Key, Model

    mod = importlib.import_module(module_name)
    tenant = mod.TENANT
    model: type[BaseModel] = create_model(
        f"{mod.TENANT.__name__.removesuffix('Tenant')}State",
        __base__=Model,
        tenants=(dict[Key, tenant], ...),  # type: ignore[valid-type]
        global_=(mod.GLOBAL | None, Field(None, alias="global")),
        ids=(dict[str, int] | None, None),
    )
    return model


def state_model(spec: EmulatorSpec) -> type[BaseModel] | None:
    name = getattr(spec, "fixtures_model", None)
    return _state_model(name) if name else None


# validation ----------------------------------------------------------------------------------------------
def validate_fixtures(spec: EmulatorSpec, data: Any, source: str = "<fixtures>", text: str | None = None) -> None:
    """ConfigError when `data` (parsed from `source`, whose `text` gives YAML lines) is no valid fixture file."""
    if spec.fixtures_model:
        validate_fixtures_with(spec.fixtures_model, data, source, text)


def validate_fixtures_with(module: str, data: Any, source: str = "<fixtures>", text: str | None = None) -> None:
    _validate(importlib.import_module(module).FIXTURES, data, source, text)


def validate_state(spec: EmulatorSpec, data: Any) -> None:
    model = state_model(spec)
    if model is not None:
        _validate(model, data, "state", None)


def validate_fault(spec: EmulatorSpec, rule: Any, operations: Sequence[str], kind: str = "fault") -> dict[str, Any]:
    """The rule with defaults applied; ConfigError when it is malformed or names no operation.
    `kind="stub"` validates a stub (a fault's match plus `respond`)."""
    model = stub_rule_model() if kind == "stub" else fault_rule_model()
    data = _validate(model, rule, f"{kind} rule", None)
    op = data.get("operation")
    if op is not None and op not in operations:
        message = f"{spec.name} has no operation {op!r}{hint(op, operations)}"
        raise ConfigError([f"{kind} rule: operation: {message}"], [("operation", message)])
    if data.get("body_jsonpath") is not None:
        from .errors import BadRequest
        from .verify import compile_matcher

        try:
            compile_matcher(data["body_jsonpath"])
        except BadRequest as exc:
            raise ConfigError([f"{kind} rule: body_jsonpath: {exc}"], [("body_jsonpath", str(exc))]) from None
    return _no_nones(data)


def validate_delay(value: Any, source: str = "delay") -> dict[str, Any]:
    """A delay distribution ({fixed_ms} | {uniform_ms: [a, b]} | {lognormal: {median_ms, sigma}})."""
    return _no_nones(_validate(delay_model(), value, source, None))


def _no_nones(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if key in ("delay", "lognormal") and isinstance(value, dict):
            value = _no_nones(value)
        elif key == "respond" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if v is not None or k == "json"}
            if value.get("json") is None:
                value.pop("json", None)
        elif key == "uniform_ms":
            value = list(value)
        out[key] = value
    return out


def validate_clock(body: Any) -> dict[str, Any]:
    data = _validate(clock_model(), body, "clock", None)
    return {k: v for k, v in data.items() if v is not None}


def _validate(model: type[BaseModel], data: Any, source: str, text: str | None) -> dict[str, Any]:
    from pydantic import ValidationError

    try:
        return model.model_validate(data).model_dump(by_alias=True, exclude_unset=False)
    except ValidationError as exc:
        fields = describe(exc, model)
        root = _compose(text) if text is not None else None
        lines = []
        for loc, path, message in fields:
            key = message.startswith("unknown field")
            where = f"{source}:{_line(root, loc, key=key)}" if root is not None else source
            lines.append(f"{where}: {path}: {message}")
        raise ConfigError(list(dict.fromkeys(lines)), [(path, message) for _, path, message in fields]) from None


def describe(exc: ValidationError, model: type[BaseModel]) -> list[tuple[list[Any], str, str]]:
    """(loc, field path, message[; did you mean `x`?]) per problem."""
    out: list[tuple[list[Any], str, str]] = []
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if not (isinstance(p, str) and "[" in p and p.endswith("]"))]
        kind = err["type"]
        if kind == "extra_forbidden" and loc:
            allowed = _fields_at(model, loc[:-1])
            message = f"unknown field `{loc[-1]}`" + hint(str(loc[-1]), allowed)
        elif kind == "missing":
            message = "required field missing"
        else:
            message = err["msg"]
            if not isinstance(err.get("input"), dict | list):
                message += f" (got {_short(err.get('input'))})"
        out.append((loc, field_path(loc), message))
    return out


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def field_path(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _fields_at(model: Any, loc: Sequence[Any]) -> list[str]:
    """The field names (aliases) valid at `loc` of `model`."""
    node: Any = model
    for part in loc:
        node = _unwrap(node)
        if isinstance(node, type) and hasattr(node, "model_fields"):
            node = next(
                (f.annotation for n, f in node.model_fields.items() if (f.alias or n) == part or n == part), None
            )
        elif get_origin(node) in (dict, list, tuple):
            args = get_args(node)
            node = args[-1] if args else None
        else:
            return []
    node = _unwrap(node)
    if isinstance(node, type) and hasattr(node, "model_fields"):
        return [f.alias or n for n, f in node.model_fields.items()]
    return []


def _unwrap(node: Any) -> Any:
    """X | None -> X; Annotated[X, ...] -> X."""
    for _ in range(4):
        args = get_args(node)
        if get_origin(node) is not None and get_origin(node) not in (dict, list, tuple) and args:
            real = [a for a in args if a is not type(None)]
            node = real[0] if real else node
        else:
            break
    return node


# YAML line numbers ---------------------------------------------------------------------------------------
def _compose(text: str) -> Any:
    import yaml

    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None


def _line(root: Any, loc: Sequence[Any], key: bool = False) -> int:
    import yaml

    node, key_node = root, None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if str(k.value) == str(part):
                    key_node, node = k, v
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            key_node, node = None, node.value[part]
        else:
            break
    target = key_node if key and key_node is not None else node
    return int(target.start_mark.line) + 1 if target is not None else 1


# JSON Schemas --------------------------------------------------------------------------------------------
def json_schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True)
    schema["title"] = title
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
