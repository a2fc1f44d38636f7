"""Expectation helpers: ${var} substitution, JSON-subset matching with matchers, captures, diffs."""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from emulators.core.intparse import is_digits

_VAR = re.compile(r"\$\$\{|\$\{([^}]+)\}")
_PATH_PART = re.compile(r"\.?([^.\[\]]+)|\[(\-?\d+)\]")
MISSING = object()
_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


DATE_SHAPES: dict[str, re.Pattern[str]] = {
    "iso": re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"),
    "http": re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$"),
    "dotnet": re.compile(r"^/Date\(-?\d+([+-]\d{4})?\)/$"),
    "dmy": re.compile(r"^\d{2}[./-]\d{2}[./-]\d{4}( \d{2}:\d{2}(:\d{2})?)?$"),
}
EPOCH = re.compile(r"^\d{10}(\d{3})?$")  # seconds / milliseconds since 1970, under a clock-like key


class UnresolvedVariable(KeyError):
    pass


def date_shape(value: Any) -> str | None:
    """iso | http | dotnet | dmy (| epoch, for 10/13-digit numbers: only where the key says it is a time)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    for name, pattern in DATE_SHAPES.items():
        if pattern.match(value):
            return name
    return "epoch" if EPOCH.match(value) else None


def lookup(data: Any, path: str) -> Any:
    """`a.b[0].c` (also `a.b.0.c`) inside data; MISSING when absent. Full JSONPath (`$..id`,
    `$.items[*].id`, `$.items[?(@.name == "x")].id`) goes to jsonpath-ng: the first value found."""
    if any(tok in path for tok in ("..", "*", "[?")):
        from jsonpath_ng.ext import parse as jsonpath

        try:
            found = jsonpath(path if path.startswith("$") else "$." + path).find(data)
        except Exception:  # the parser raises bare Exceptions for bad syntax
            return MISSING
        return found[0].value if found else MISSING
    cur = data
    for m in _PATH_PART.finditer(path.lstrip("$")):
        key, idx = m.group(1), m.group(2)
        if idx is None and isinstance(cur, list) and key is not None and is_digits(key.removeprefix("-")):
            idx = key
        if idx is not None:
            if not isinstance(cur, list):
                return MISSING
            i = int(idx)
            if not -len(cur) <= i < len(cur):
                return MISSING
            cur = cur[i]
        else:
            if not isinstance(cur, dict) or key not in cur:
                return MISSING
            cur = cur[key]
    return cur


def substitute(value: Any, resolve: Callable[[str], Any]) -> Any:
    """Replace ${name} in every string of value. A string that is exactly "${name}" takes the value's
    type (so a captured number stays a number); `$${` is a literal `${`."""
    if isinstance(value, str):
        whole = _VAR.fullmatch(value)
        if whole and whole.group(1):
            return resolve(whole.group(1).strip())

        def one(m: re.Match[str]) -> str:
            if m.group(0) == "$${":
                return "${"
            got = resolve(m.group(1).strip())
            return got if isinstance(got, str) else json.dumps(got)

        return _VAR.sub(one, value)
    if isinstance(value, dict):
        return {substitute(k, resolve): substitute(v, resolve) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, resolve) for v in value]
    return value


def resolver(variables: Mapping[str, Any], lazy: Mapping[str, Callable[[], Any]] | None = None) -> Callable[[str], Any]:
    """Names: a variable (dotted paths reach inside it), `env:NAME`, or a lazy root such as `credentials`."""
    cache: dict[str, Any] = {}

    def resolve(name: str) -> Any:
        if name.startswith("env:"):
            env = os.environ.get(name[4:])
            if env is None:
                raise UnresolvedVariable(f"environment variable {name[4:]} is not set")
            return env
        root = re.split(r"[.\[]", name, maxsplit=1)[0]
        rest = name[len(root) :]
        if root in variables:
            base = variables[root]
        elif lazy and root in lazy:
            if root not in cache:
                cache[root] = lazy[root]()
            base = cache[root]
        else:
            raise UnresolvedVariable(f"${{{name}}} is not defined (not in vars and not captured yet)")
        got = lookup(base, rest) if rest else base
        if got is MISSING:
            raise UnresolvedVariable(f"${{{name}}}: {rest.lstrip('.')} is not in {root}")
        return got

    return resolve


def _is_matcher(v: Any) -> bool:
    return isinstance(v, dict) and len(v) == 1 and next(iter(v)).startswith("$")


def _show(v: Any) -> str:
    text = json.dumps(v, ensure_ascii=False, default=str) if v is not MISSING else "(missing)"
    return text if len(text) <= 120 else text[:117] + "..."


def match(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """Mismatches of `actual` against the subset `expected` (objects may omit keys; arrays match item by
    item and must have the same length; matchers: $regex $type $any $absent $len $contains $exact $date)."""
    if _is_matcher(expected):
        op, arg = next(iter(expected.items()))
        return _matcher(op, arg, actual, where)
    if actual is MISSING:
        return [f"{where}: expected {_show(expected)}, but it is missing"]
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {_show(actual)}"]
        out: list[str] = []
        for k, v in expected.items():
            out += match(v, actual.get(k, MISSING), f"{where}.{k}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected an array, got {_show(actual)}"]
        out = []
        if len(expected) != len(actual):
            out.append(f"{where}: expected {len(expected)} items, got {len(actual)}")
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            out += match(e, a, f"{where}[{i}]")
        return out
    if type(expected) is not type(actual) and not (_TYPES["number"](expected) and _TYPES["number"](actual)):
        return [f"{where}: expected {_show(expected)}, got {_show(actual)}"]
    return [] if expected == actual else [f"{where}: expected {_show(expected)}, got {_show(actual)}"]


def _matcher(op: str, arg: Any, actual: Any, where: str) -> list[str]:
    if isinstance(actual, dict) and op in actual:  # a literal "$type"-style key of the body (JSON.NET)
        return match(arg, actual[op], f"{where}.{op}")
    if op == "$absent":
        return [] if actual is MISSING else [f"{where}: expected to be absent, got {_show(actual)}"]
    if actual is MISSING:
        return [f"{where}: expected ({op} {_show(arg)}), but it is missing"]
    if op == "$any":
        return []
    if op == "$type":
        check = _TYPES.get(str(arg))
        return [] if check and check(actual) else [f"{where}: expected a {arg}, got {_show(actual)}"]
    if op == "$regex":
        ok = isinstance(actual, str | int | float) and re.search(str(arg), str(actual)) is not None
        return [] if ok else [f"{where}: expected to match /{arg}/, got {_show(actual)}"]
    if op == "$len":
        ok = isinstance(actual, list | dict | str) and len(actual) == arg
        return [] if ok else [f"{where}: expected length {arg}, got {_show(actual)}"]
    if op == "$contains":
        if isinstance(actual, str):
            ok = str(arg) in actual
        elif isinstance(actual, list):
            ok = any(not match(arg, item) for item in actual)
        elif isinstance(actual, dict):
            ok = not match(arg, actual)
        else:
            ok = False
        return [] if ok else [f"{where}: expected to contain {_show(arg)}, got {_show(actual)}"]
    if op == "$date":
        shape = date_shape(actual)
        if shape is not None and (arg is True or arg == shape):
            return []
        return [f"{where}: expected a date ({arg if arg is not True else 'any shape'}), got {_show(actual)}"]
    if op == "$exact":
        return [] if arg == actual else [f"{where}: expected exactly {_show(arg)}, got {_show(actual)}"]
    # not a matcher (e.g. a .NET "$id" key): compare literally
    return (
        match(arg, actual.get(op, MISSING), f"{where}.{op}")
        if isinstance(actual, dict)
        else [f"{where}: unknown matcher {op}"]
    )


def project(expected: Any, actual: Any) -> Any:
    """`actual` cut down to the shape of `expected`, so a diff shows only what the scenario asserts."""
    if isinstance(expected, dict) and not _is_matcher(expected) and isinstance(actual, dict):
        return {k: project(v, actual[k]) for k, v in expected.items() if k in actual}
    if isinstance(expected, list) and isinstance(actual, list):
        return [project(e, a) for e, a in zip(expected, actual, strict=False)] + actual[len(expected) :]
    return actual


def _strip_matchers(expected: Any, actual: Any) -> Any:
    """Matchers are shown by the value they matched (or by themselves when they did not)."""
    if _is_matcher(expected):
        return actual if not match(expected, actual) else expected
    if isinstance(expected, dict):
        a = actual if isinstance(actual, dict) else {}
        return {
            k: _strip_matchers(v, a.get(k, MISSING))
            for k, v in expected.items()
            if not (_is_matcher(v) and "$absent" in v and k not in a)
        }
    if isinstance(expected, list):
        a_list = actual if isinstance(actual, list) else []
        return [_strip_matchers(e, a_list[i] if i < len(a_list) else MISSING) for i, e in enumerate(expected)]
    return expected


def json_diff(expected: Any, actual: Any) -> str:
    """A unified diff (expected vs actual, both cut to the asserted shape)."""
    left = json.dumps(
        _strip_matchers(expected, actual), indent=2, ensure_ascii=False, sort_keys=True, default=str
    ).splitlines()
    right = json.dumps(
        project(expected, actual), indent=2, ensure_ascii=False, sort_keys=True, default=str
    ).splitlines()
    return "\n".join(difflib.unified_diff(left, right, "expected", "actual", lineterm="", n=2))
