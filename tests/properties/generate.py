"""Hypothesis strategies for requests built from a contract operation, and one-constraint-at-a-time breakage."""

from __future__ import annotations

import json
import math
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import strategies as st

from emulators.core.contract import Operation, Param
from emulators.core.validation import compile_schema

JSON_MEDIA = ("application/json", "text/json")


@dataclass
class Request:
    method: str
    path_params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    json_body: Any = None
    has_body: bool = False
    media_type: str | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    content: bytes | None = None

    def send(
        self, client: httpx.Client, op: Operation, prefix: str, auth: tuple[dict[str, str], dict[str, str]] = ({}, {})
    ) -> httpx.Response:
        path = op.path
        for name, value in self.path_params.items():
            path = path.replace("{" + name + "}", urllib.parse.quote(value, safe=""))
        headers = {**self.headers, **auth[0]}
        query = {**self.query, **auth[1]}
        kwargs: dict[str, Any] = {"params": query, "headers": headers}
        if self.files is not None:
            kwargs["files"] = self.files
        elif self.content is not None:
            kwargs["content"] = self.content
            headers["Content-Type"] = self.media_type or "application/octet-stream"
        elif self.has_body:
            kwargs["content"] = json.dumps(self.json_body).encode()
            headers["Content-Type"] = self.media_type or "application/json"
        return client.request(op.method, prefix + path, **kwargs)


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=24)


def from_schema(schema: Any) -> st.SearchStrategy[Any]:
    """A small JSON Schema -> strategy translation covering what the four contracts use. Callers filter the
    result through the real validator, so an approximation here can cost examples, never correctness.
    (hypothesis-jsonschema 0.23 breaks on objects under the installed hypothesis.)"""
    if not isinstance(schema, dict) or not schema:
        return st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), _TEXT)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            base = {k: v for k, v in schema.items() if k != key}
            return st.one_of([from_schema({**base, **sub}) for sub in schema[key]])
    if "allOf" in schema:
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for sub in schema["allOf"]:
            merged.update(sub)
        return from_schema(merged)
    types = schema.get("type")
    if isinstance(types, list):
        return st.one_of([from_schema({**schema, "type": t}) for t in types])
    if types == "null":
        return st.none()
    if types == "boolean":
        return st.booleans()
    if types in ("integer", "number"):
        lo = schema.get("minimum")
        hi = schema.get("maximum")
        if "exclusiveMinimum" in schema:
            lo = schema["exclusiveMinimum"] + 1
        if "exclusiveMaximum" in schema:
            hi = schema["exclusiveMaximum"] - 1
        ints = st.integers(int(lo) if lo is not None else -(2**31), int(hi) if hi is not None else 2**31 - 1)
        if types == "integer":
            return ints
        return st.one_of(ints, st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=32))
    if types == "string" or (types is None and ("pattern" in schema or "maxLength" in schema)):
        lo, hi = int(schema.get("minLength", 0)), schema.get("maxLength")
        fmt = schema.get("format")
        if fmt == "uuid":
            return st.uuids().map(str)
        if fmt == "date-time" and "pattern" not in schema:
            return st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S"))
        if "pattern" in schema:
            try:
                strategy: st.SearchStrategy[str] = st.from_regex(str(schema["pattern"]), fullmatch=False)
            except Exception:
                strategy = _TEXT
        else:
            strategy = st.text(
                st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                min_size=lo,
                max_size=min(int(hi), 40) if hi is not None else 24,
            )

        def fits(t: str) -> bool:
            return len(t) >= lo and (hi is None or len(t) <= int(hi))

        return strategy.filter(fits)
    if types == "array":
        return st.lists(
            from_schema(schema.get("items") or {}),
            min_size=int(schema.get("minItems", 0)),
            max_size=min(int(schema.get("maxItems", 3)), 3),
        )
    if types == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        return st.fixed_dictionaries(
            {k: from_schema(v) for k, v in props.items() if k in required},
            optional={k: from_schema(v) for k, v in props.items() if k not in required},
        )
    return from_schema({})


def scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _joined(v: Any) -> str:
    return ",".join(scalar_text(x) for x in v) if isinstance(v, list) else scalar_text(v)


def _scalar(v: Any) -> bool:
    return not isinstance(v, (dict, list))


def _no_controls(text: str) -> bool:
    return not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text)


def _path_safe(text: str) -> bool:
    return text.strip() != "" and "/" not in text and "\\" not in text and text not in (".", "..")


def _header_safe(text: str) -> bool:
    return all(0x20 <= ord(ch) < 0x7F for ch in text) and text == text.strip()


_STRATEGIES: dict[tuple[str, str, tuple[str, ...]], st.SearchStrategy[str]] = {}


def _valid_for(schema: dict[str, Any], ids: list[str], name: str) -> st.SearchStrategy[Any]:
    from emulators.core.validation import coerce_scalar

    check = compile_schema(schema)
    strategy = from_schema(schema).filter(check.is_valid)
    if ids and ("id" in name.lower() or name.lower() in {"code", "type"}):
        candidates = [v for v in (coerce_scalar(raw, schema) for raw in ids) if check.is_valid(v)]
        if candidates:
            strategy = st.one_of(st.sampled_from(candidates), strategy)
    return strategy


def _param_strategy(p: Param, ids: list[str], header: bool) -> st.SearchStrategy[str]:
    key = (json.dumps(p.schema, sort_keys=True, default=str), p.name + ":" + str(header), tuple(ids))
    cached = _STRATEGIES.get(key)
    if cached is not None:
        return cached
    schema = {k: v for k, v in p.schema.items() if k not in ("example", "examples")}
    values = _valid_for(schema, ids, p.name)
    if schema.get("type") == "array" or (isinstance(schema.get("type"), list) and "array" in schema["type"]):
        texts = values.map(_joined)
    else:
        texts = values.filter(_scalar).map(scalar_text)
    # a control character anywhere in a URL or header is the kernel's BadCharacters 400 before any other
    # check, so a *valid* request carries none; a path value must also stay one routable segment
    texts = texts.filter(_no_controls)
    if header:
        texts = texts.filter(_header_safe)
    if p.location == "path":
        texts = texts.filter(_path_safe)
    _STRATEGIES[key] = texts
    return texts


def body_media(op: Operation) -> str | None:
    for mt in (*JSON_MEDIA, "multipart/form-data", "*/*"):
        if mt in op.body_media:
            return mt
    for mt in op.body_media:
        if "json" in mt and "patch" not in mt:
            return mt
    return None


@st.composite
def valid_request(
    draw: st.DrawFn, op: Operation, ids: list[str], skip: frozenset[str] = frozenset(), force_body: bool = False
) -> Request:
    """A request every declared constraint of `op` accepts. `skip`: lower-case names never generated
    (credentials the recipe supplies)."""
    req = Request(op.method)
    for p in op.params:
        if p.name.lower() in skip or p.location == "cookie":
            continue
        if not p.required and not draw(st.booleans(), label=f"include {p.name}"):
            continue
        text = draw(_param_strategy(p, ids, p.location == "header"), label=p.name)
        {"path": req.path_params, "query": req.query, "header": req.headers}[p.location][p.name] = text
    mt = body_media(op)
    if mt is not None and (op.body_required or force_body or draw(st.booleans(), label="send body")):
        req.media_type = mt
        schema = op.body_media[mt] or {}
        if mt == "multipart/form-data":
            data = draw(st.binary(min_size=1, max_size=64))
            field_name = next(iter(schema.get("properties") or {"file": {}}), "file")
            name = draw(st.from_regex(r"\A[a-z]{1,8}\.txt\Z"), label="filename")
            req.files = {field_name: (name, data, "text/plain")}
        elif mt == "*/*":
            req.content = draw(st.binary(min_size=1, max_size=64))
            req.media_type = "application/octet-stream"
        else:
            req.json_body = draw(_body_strategy(op.operation_id, mt, schema), label="body")
            req.has_body = True
    return req


_BODIES: dict[tuple[str, str, str], st.SearchStrategy[Any]] = {}


def _body_strategy(op_id: str, mt: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    key = (op_id, mt, json.dumps(schema, sort_keys=True, default=str))
    if key not in _BODIES:
        _BODIES[key] = from_schema(_plain(schema)).filter(compile_schema(schema).is_valid)
    return _BODIES[key]


def _plain(schema: Any) -> Any:
    """The schema without OpenAPI annotations hypothesis-jsonschema does not know."""
    if isinstance(schema, dict):
        out = {}
        for k, v in schema.items():
            if k.startswith("x-") or k in ("example", "examples", "discriminator", "xml", "externalDocs"):
                continue
            if k == "format" and v not in ("date-time", "date", "email", "uuid", "ipv4", "ipv6"):
                continue
            if k == "properties" and isinstance(v, dict):
                out[k] = {pk: _plain(pv) for pk, pv in v.items()}
            else:
                out[k] = _plain(v) if isinstance(v, (dict, list)) else v
        return out
    if isinstance(schema, list):
        return [_plain(v) for v in schema]
    return schema


# one broken constraint -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakage:
    where: str  # path | query | header | body
    name: str
    kind: str  # required | maxLength | pattern | type | enum | minimum | maximum
    value: Any  # the broken value (None for a dropped required field)

    @property
    def id(self) -> str:
        return f"{self.where}:{self.name}:{self.kind}"


def _broken_values(schema: dict[str, Any], in_text: bool) -> list[tuple[str, Any]]:
    """(kind, value) pairs, each violating exactly one constraint of `schema` (in_text: a URL/header value)."""
    out: list[tuple[str, Any]] = []
    types = schema.get("type")
    types = types if isinstance(types, list) else [types] if types else []
    check = compile_schema(schema)
    if "enum" in schema:
        out.append(("enum", "zz-not-in-enum"))
    if types and "string" not in types and set(types) & {"integer", "number", "boolean"}:
        out.append(("type", "not-a-number" if "boolean" not in types else "not-a-bool"))
    elif types == ["string"] and not in_text:
        out.append(("type", 12345))
    if "maxLength" in schema:
        n = int(schema["maxLength"]) + 1
        seed = "A"
        if "pattern" in schema:
            for cand in ("A", "a", "1", "x"):
                if compile_schema({"pattern": schema["pattern"]}).is_valid(cand * n):
                    seed = cand
                    break
        out.append(("maxLength", seed * n))
    if "pattern" in schema and "enum" not in schema:
        for cand in ("~~~", "!", "zz ~", "-1x", "\u2603\u2603", "99999999999"):
            if not compile_schema({"pattern": schema["pattern"]}).is_valid(cand):
                out.append(("pattern", cand))
                break
    if "maximum" in schema and isinstance(schema["maximum"], (int, float)) and math.isfinite(schema["maximum"]):
        out.append(("maximum", int(schema["maximum"]) + 1))
    if "minimum" in schema and isinstance(schema["minimum"], (int, float)) and math.isfinite(schema["minimum"]):
        out.append(("minimum", int(schema["minimum"]) - 1))
    # keep only values the schema really rejects
    return [(k, v) for k, v in out if not check.is_valid(v if not in_text else _coerced(v, schema))]


def _coerced(v: Any, schema: dict[str, Any]) -> Any:
    from emulators.core.validation import coerce_scalar

    return coerce_scalar(scalar_text(v), schema) if not isinstance(v, str) else coerce_scalar(v, schema)


def breakages(op: Operation, skip: frozenset[str] = frozenset()) -> list[Breakage]:
    out: list[Breakage] = []
    for p in op.params:
        if p.name.lower() in skip or p.location == "cookie":
            continue
        if p.required and p.location != "path":
            out.append(Breakage(p.location, p.name, "required", None))
        for kind, value in _broken_values(p.schema, True):
            if p.location == "header" and not _header_safe(scalar_text(value)):
                continue
            if len(scalar_text(value)) > 16000:  # longer than an HTTP client sends in a URL or header
                continue
            out.append(Breakage(p.location, p.name, kind, scalar_text(value)))
    mt = body_media(op)
    if mt in JSON_MEDIA:
        schema = op.body_media[mt] or {}
        props = schema.get("properties") or {}
        for name in schema.get("required") or []:
            out.append(Breakage("body", name, "required", None))
        for name, sub in props.items():
            if sub.get("readOnly"):
                continue
            for kind, value in _broken_values(sub, False):
                out.append(Breakage("body", name, kind, value))
    return out


def apply(req: Request, b: Breakage) -> Request:
    """A copy of `req` with exactly the one constraint of `b` broken."""
    new = Request(
        req.method,
        dict(req.path_params),
        dict(req.query),
        dict(req.headers),
        json.loads(json.dumps(req.json_body)) if req.has_body else None,
        req.has_body,
        req.media_type,
        req.files,
        req.content,
    )
    if b.where == "body":
        if not isinstance(new.json_body, dict):
            new.json_body = {}
            new.has_body = True
        if b.kind == "required":
            new.json_body.pop(b.name, None)
        else:
            new.json_body[b.name] = b.value
        return new
    target = {"path": new.path_params, "query": new.query, "header": new.headers}[b.where]
    if b.kind == "required":
        target.pop(b.name, None)
    else:
        target[b.name] = b.value
    return new
