"""Validation: JSON Schema (2020-12, `pattern` through the `regex` package for \\p{L} classes),
string-to-type coercion for query/path/header/XML/form values, and "all errors, best first"."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from .errors import Issue
from .http import Headers
from .intparse import parse_int
from .wording import without_reprs

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError as SchemaError

_PATTERNS: dict[str, Any] = {}


def _compiled(pattern: str) -> Any:
    rx = _PATTERNS.get(pattern)
    if rx is None:
        import regex  # \p{L} classes; imported when the first pattern is compiled

        rx = _PATTERNS[pattern] = regex.compile(pattern)
    return rx


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[SchemaError]:
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: dict[str, Any], instance: Any, schema: dict[str, Any]
) -> Iterator[SchemaError]:
    if not isinstance(instance, dict):
        return
    for pattern, subschema in patterns.items():
        for k, v in instance.items():
            if _compiled(pattern).search(k):
                yield from validator.descend(v, subschema, path=k, schema_path=pattern)


@functools.cache
def _regex_validator_class() -> Any:
    """python-jsonschema, with `pattern` through the `regex` package; imported on first need (start-up)."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": _pattern, "patternProperties": _pattern_properties})


def _fast(schema: dict[str, Any]) -> Any:
    """A Rust-compiled validator for the fast "is it valid?" check, or None if it cannot compile it."""
    try:
        import jsonschema_rs

        return jsonschema_rs.validator_for(schema, validate_formats=False)
    except Exception:  # unsupported pattern or keyword: the Python validator alone decides
        return None


_PENDING: Any = object()  # a lazy SchemaValidator not compiled yet


class SchemaValidator:
    """A compiled schema. `issues()` returns every problem, the most relevant first.

    Valid instances (the hot path) are checked by jsonschema-rs; only an instance it rejects is walked
    by python-jsonschema to collect every error with its location. python-jsonschema has the last word.
    With `lazy=True` nothing is compiled until the first check (a contract's request validators: start-up
    does not pay for operations no request calls); the verdicts are the same either way.
    """

    __slots__ = ("_fast", "_slow", "schema")

    def __init__(self, schema: dict[str, Any], *, lazy: bool = False) -> None:
        self.schema = schema
        self._slow: Any = None
        self._fast: Any = _PENDING
        if not lazy:
            self._compile()

    def _compile(self) -> Any:
        self._fast = fast = _fast(self.schema)
        if fast is None and self._slow is None:
            self._slow = _regex_validator_class()(self.schema)
        return fast

    @property
    def _v(self) -> Any:
        if self._slow is None:
            self._slow = _regex_validator_class()(self.schema)
        return self._slow

    def _fast_says_valid(self, instance: Any) -> bool:
        fast = self._fast
        if fast is _PENDING:
            fast = self._compile()
        if fast is None:
            return False
        try:
            return bool(fast.is_valid(instance))
        except (ValueError, TypeError, OverflowError):  # e.g. ints beyond 64 bits: python decides
            return False

    def is_valid(self, instance: Any) -> bool:
        return self._fast_says_valid(instance) or bool(self._v.is_valid(instance))

    def errors(self, instance: Any) -> list[SchemaError]:
        if self._fast_says_valid(instance):
            return []
        from jsonschema.exceptions import relevance

        errs = list(self._v.iter_errors(instance))
        errs.sort(key=relevance, reverse=True)
        return errs

    def issues(self, instance: Any, location: str) -> list[Issue]:
        return [to_issue(e, location) for e in self.errors(instance)]


def compile_schema(schema: dict[str, Any], *, lazy: bool = False) -> SchemaValidator:
    return SchemaValidator(schema, lazy=lazy)


def to_issue(err: SchemaError, location: str) -> Issue:
    """Name the field the way users think of it: a parameter name, or a/b/0 inside a body."""
    path = [str(p) for p in err.absolute_path]
    keyword = str(err.validator)
    name = "/".join(path)
    if keyword == "required" and isinstance(err.message, str):
        missing = err.message.split("'")[1] if "'" in err.message else ""
        name = "/".join([*path, missing]) if missing else name
    if keyword == "additionalProperties" and "'" in err.message:
        extra = err.message.split("'")[1]
        name = "/".join([*path, extra])
    return Issue(
        location=location,
        name=name,
        message=without_reprs(err.message, err.instance),
        keyword=keyword,
        value=err.instance if keyword != "required" else None,
    )


# coercion -----------------------------------------------------------------------------
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type")
    if isinstance(t, list):
        return [str(x) for x in t]
    if isinstance(t, str):
        return [t]
    return []


def coerce_scalar(value: str, schema: dict[str, Any]) -> Any:
    """A string from a URL, header, form or XML text, turned into the schema's scalar type."""
    types = _types(schema)
    if not types:
        for key in ("anyOf", "oneOf"):
            for sub in schema.get(key, []):
                out = coerce_scalar(value, sub)
                if out is not value:
                    return out
        return value
    for t in types:
        if t == "integer":
            as_int = parse_int(value)  # the kernel's one strict pattern (intparse.py)
            if as_int is not None:
                return as_int
        elif t == "number":
            try:
                f = float(value.strip())
            except ValueError:
                continue
            if f == f and f not in (float("inf"), float("-inf")):
                return int(f) if f.is_integer() and "." not in value and "e" not in value.lower() else f
        elif t == "boolean":
            low = value.strip().lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
        elif t == "null" and value == "":
            return None
        elif t == "string":
            return value
    return value


def coerce(value: Any, schema: dict[str, Any]) -> Any:
    """Coerce a decoded XML/form structure (strings everywhere) to the schema's types."""
    if not isinstance(schema, dict) or not schema:
        return value
    types = _types(schema)
    if isinstance(value, str):
        if "array" in types and "string" not in types:
            return [coerce(value, schema.get("items") or {})]
        return coerce_scalar(value, schema)
    if isinstance(value, dict):
        if "array" in types:
            # <Items><X>..</X></Items>: a wrapper element holding repeated children
            inner = next(iter(value.values())) if len(value) == 1 else value
            items = inner if isinstance(inner, list) else [inner]
            return [coerce(v, schema.get("items") or {}) for v in items]
        props = schema.get("properties") or {}
        lower = {k.lower(): k for k in props}
        out = {}
        for k, v in value.items():
            key = k if k in props else lower.get(k.lower(), k)
            out[k] = coerce(v, props.get(key) or schema.get("additionalProperties") or {})
        return out
    if isinstance(value, list):
        if "array" in types:
            return [coerce(v, schema.get("items") or {}) for v in value]
        return value
    if value is None and "object" in types and "null" not in types:
        return {}
    return value


class DeclaredParam(Protocol):
    """A parameter as the contract declares it (contract.Param)."""

    name: str
    schema: dict[str, Any]
    explode: bool


def collect_params(
    location: str,
    params: Iterable[DeclaredParam],
    *,
    path_params: Mapping[str, Any],
    query_multi: Mapping[str, list[str]],
    headers: Headers,
    form: Mapping[str, Any] | None = None,
    lower_query: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The values the request gives `params` of one `location` (path, query, header), coerced from text
    to each one's schema. Query names also match in any case when `lower_query` (lower -> sent name) is
    given, and in a form body when `form` is (APIs with form_params); an array parameter takes every
    value (or the comma-separated parts of one, unexploded)."""
    values: dict[str, Any] = {}
    for p in params:
        raw: Any = None
        if location == "path":
            raw = path_params.get(p.name)
        elif location == "query":
            key = p.name if p.name in query_multi else (lower_query or {}).get(p.name.lower(), p.name)
            vals = query_multi.get(key)
            if vals is None and form is not None and p.name in form:
                form_val = form[p.name]
                vals = form_val if isinstance(form_val, list) else [form_val]
            if vals is not None:
                if p.schema.get("type") == "array":
                    items = vals if p.explode else [x for v in vals for x in v.split(",")]
                    raw = [coerce_scalar(v, p.schema.get("items") or {}) for v in items]
                else:
                    raw = vals[0]
        elif location == "header":
            raw = headers.get(p.name)
        if raw is None:
            continue
        values[p.name] = coerce_scalar(raw, p.schema) if isinstance(raw, str) else raw
    return values
