"""Scenario files: YAML -> validated `Scenario`, with errors that name the line and the field.

The format's JSON Schema is fixtures/scenarios/scenario.schema.json (published with the package).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from ..core.paths import data_root

STEP_KINDS = (
    "request",
    "clock",
    "fault",
    "clear_faults",
    "stub",
    "clear_stubs",
    "clear_journal",
    "reset",
    "load_state",
)


def schema_path() -> Path:
    return data_root() / "fixtures" / "scenarios" / "scenario.schema.json"


@functools.lru_cache(maxsize=1)
def scenario_schema() -> dict[str, Any]:
    with open(schema_path(), encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(scenario_schema())
    return cls(scenario_schema())


class ScenarioError(ValueError):
    """The file is not a valid scenario. `problems` are "file:line: field: message" strings."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Scenario:
    name: str
    emulators: list[str]
    steps: list[dict[str, Any]]
    data: dict[str, Any]
    source: str = "<memory>"
    base_dir: Path = field(default_factory=Path.cwd)
    step_lines: list[int] = field(default_factory=list)

    @property
    def emulator(self) -> str:
        return self.emulators[0]

    def step_name(self, index: int) -> str:
        step = self.steps[index]
        if step.get("name"):
            return str(step["name"])
        if "request" in step:
            req = step["request"]
            return f"{req.get('method', '?')} {req.get('path', '?')}"
        kind = next((k for k in STEP_KINDS if k in step), "step")
        return kind.replace("_", " ")

    def fixtures_for(self, emulator: str) -> Path | None:
        fx = self.data.get("fixtures")
        if isinstance(fx, dict):
            fx = fx.get(emulator)
        elif fx is not None and emulator != self.emulator:
            fx = None
        return (self.base_dir / fx) if fx else None

    def resolve(self, relative: str) -> Path:
        """`relative` inside the scenario's folder; ValueError for an absolute path or one leading out of it
        (`../`, or a symbolic link pointing elsewhere): a replayed scenario reads only files beside it."""
        problem = outside_folder(relative, self.base_dir)
        if problem:
            raise ValueError(problem)
        return self.base_dir / relative


def outside_folder(relative: str, base_dir: Path) -> str | None:
    """Why `relative` is not a file inside `base_dir` (None when it is)."""
    shown = repr(relative[:200])
    if "\x00" in relative:
        return f"{shown} is not a file name"
    if Path(relative).is_absolute():
        return f"{shown} is an absolute path: give a path inside the scenario's folder"
    base = base_dir.resolve()
    try:
        (base / relative).resolve().relative_to(base)
    except (ValueError, OSError):
        return f"{shown} is outside the scenario's folder {base}"
    return None


# Modules (beyond the registered emulators) whose EmulatorSpec a scenario may name, e.g. a test suite's own
# emulator; only code can add one, so a scenario file never makes us import a module of its choosing.
TRUSTED_MODULES: set[str] = set()


def trust_emulator_module(module: str) -> None:
    """Let scenarios name `module` (or `module:ATTR`) as their emulator."""
    TRUSTED_MODULES.add(module)


def known_emulator(name: str) -> bool:
    from .. import registry

    return name in registry.APIS or name.partition(":")[0] in TRUSTED_MODULES


# loading ------------------------------------------------------------------------------------
def _field(path: list[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _node_at(node: yaml.Node | None, path: list[str | int]) -> tuple[yaml.Node | None, yaml.Node | None]:
    """(value node, key node) at `path`, as deep as the document goes."""
    key_node: yaml.Node | None = None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(part):
                    key_node, node = k, v
                    break
            else:
                return node, key_node
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            key_node, node = None, node.value[part]
        else:
            return node, key_node
    return node, key_node


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _describe(err: jsonschema.ValidationError) -> tuple[list[str | int], str]:
    """The field to blame and a message a person can act on."""
    path = list(err.absolute_path)
    inst = err.instance
    if err.validator == "additionalProperties" and isinstance(inst, dict):
        allowed = set((err.schema.get("properties") or {}) if isinstance(err.schema, dict) else {})
        extra = sorted(k for k in inst if k not in allowed)
        if extra:
            from ..core.suggest import hint as near

            hint = f"; allowed: {', '.join(sorted(allowed))}" if allowed else ""
            return [*path, extra[0]], f"unknown field {extra[0]!r}{hint}{near(extra[0], sorted(allowed))}"
    if err.validator == "oneOf" and len(path) == 2 and path[0] == "steps":
        kinds = [k for k in STEP_KINDS if isinstance(inst, dict) and k in inst]
        if len(kinds) > 1:
            return path, f"a step has exactly one of {', '.join(STEP_KINDS)}; this one has {', '.join(kinds)}"
        return path, f"a step needs one of {', '.join(STEP_KINDS)}"
    if err.validator == "dependentRequired":
        return path, f"{err.message} (expect/capture/expect_webhook belong to a request step)"
    if err.validator in ("oneOf", "anyOf") and err.context and all(e.validator == "required" for e in err.context):
        names = [str(e.validator_value[0]) for e in err.context if e.validator_value]
        return path, f"needs one of: {', '.join(dict.fromkeys(names))}"
    if err.validator == "not" and path and path[-1] == "request":
        return path, "a request has one body: json, xml, body, body_base64, or form (+ files)"
    if err.validator in ("oneOf", "anyOf") and err.context:
        best = jsonschema.exceptions.best_match(err.context)
        if best is not None and list(best.absolute_path) != path:
            return _describe(best)
        if best is not None:
            return path, best.message
    if err.validator == "not" and path == [] and isinstance(inst, dict):
        return ["emulators"], "give either `emulator` or `emulators`, not both"
    return path, err.message


def validate(data: Any, source: str = "<memory>", root: yaml.Node | None = None) -> list[str]:
    problems: list[tuple[int, str]] = []
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    for err in errors:
        path, message = _describe(err)
        node, key_node = _node_at(root, path)
        line = _line(key_node if key_node is not None and err.validator == "additionalProperties" else node)
        problems.append((line, f"{source}:{line}: {_field(path)}: {message}"))
    seen: set[str] = set()
    out = []
    for _, msg in sorted(problems):
        if msg not in seen:
            seen.add(msg)
            out.append(msg)
    return out


MAX_NODES = 1_000_000  # values a scenario may hold once YAML aliases are expanded (an alias bomb stops here)


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document holds with every alias expanded, counted without expanding (each node once,
    iteratively: no recursion limit); stops counting past MAX_NODES."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if done or not children:
            sizes[id(node)] = min(1 + sum(sizes.get(id(c), 0) for c in children), MAX_NODES + 1)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def parse(text: str, source: str = "<memory>", base_dir: Path | None = None) -> Scenario:
    loader = yaml.SafeLoader(text)
    try:
        try:
            root = loader.get_single_node()
            if root is not None and _expanded_size(root) > MAX_NODES:
                raise ScenarioError(
                    source, [f"{source}:1: (top level): more than {MAX_NODES} values once its aliases are expanded"]
                )
            data = loader.construct_document(root) if root is not None else None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 1
            raise ScenarioError(source, [f"{source}:{line}: not valid YAML: {exc.problem or exc}"]) from exc
        except RecursionError:
            raise ScenarioError(source, [f"{source}:1: (top level): nested too deep"]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ScenarioError(source, [f"{source}:1: (top level): a scenario is a mapping with name, emulator, steps"])
    problems = validate(data, source, root)
    if problems:
        raise ScenarioError(source, problems)
    steps_node, _ = _node_at(root, ["steps"])
    lines = [_line(n) for n in steps_node.value] if isinstance(steps_node, yaml.SequenceNode) else []
    emulators = list(data.get("emulators") or [data["emulator"]])
    problems = _unsafe_references(data, source, root, base_dir or Path.cwd())
    for i, step in enumerate(data["steps"]):
        if step.get("emulator") and step["emulator"] not in emulators:
            problems.append(
                f"{source}:{lines[i]}: steps[{i}].emulator: {step['emulator']!r} is not one of "
                f"the scenario's emulators ({', '.join(emulators)})"
            )
    if problems:
        raise ScenarioError(source, problems)
    return Scenario(
        name=data["name"],
        emulators=emulators,
        steps=data["steps"],
        data=data,
        source=source,
        base_dir=base_dir or Path.cwd(),
        step_lines=lines,
    )


def _unsafe_references(data: dict[str, Any], source: str, root: yaml.Node | None, base_dir: Path) -> list[str]:
    """File references leading out of the scenario's folder (emulator names are checked when it runs)."""
    problems: list[str] = []
    refs: list[tuple[list[str | int], Any]] = [(["state"], data.get("state"))]
    for i, step in enumerate(data.get("steps") or []):
        refs.append((["steps", i, "load_state"], step.get("load_state")))
        files = (step.get("request") or {}).get("files") or {}
        for name, f in files.items() if isinstance(files, dict) else ():
            if isinstance(f, dict):
                refs.append((["steps", i, "request", "files", name, "path"], f.get("path")))
    for path, value in refs:
        if isinstance(value, str):
            problem = outside_folder(value, base_dir)
            if problem:
                line = _line(_node_at(root, path)[0])
                problems.append(f"{source}:{line}: {_field(path)}: {problem}")
    return problems


def load(path: str | Path) -> Scenario:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(p), [f"{p}:1: cannot read: {exc}"]) from exc
    return parse(text, str(p), p.parent)


SUFFIXES = (".scenario.yaml", ".scenario.yml")
RULE = "a scenario file is named *.scenario.yaml"  # for pytest collection and `emulators replay DIR` alike


def is_scenario_file(path: Path) -> bool:
    return path.name.endswith(SUFFIXES)


def scenario_files(folder: Path) -> list[Path]:
    """Every *.scenario.yaml under `folder`, at any depth (other YAML, e.g. fixtures, is not a scenario)."""
    return sorted(p for suffix in SUFFIXES for p in folder.rglob("*" + suffix) if p.is_file())


def load_data_file(path: Path) -> Any:
    """A JSON or YAML document (state files)."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)
