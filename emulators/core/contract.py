"""Contract loading: OpenAPI 3.1 YAML -> operations indexed by operationId and by method + path.

Schemas are resolved once, at start-up (local `$ref`s inlined, each ref's schema shared by every place
that names it); an operation's validators compile on its first request (response validators on their
first check, or all at start-up in strict mode).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .datafile import load_yaml
from .validation import SchemaValidator, compile_schema

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


class LazyValidators(Mapping[tuple[str, str], SchemaValidator]):
    """(status, media type) -> validator, compiled on first use (strict mode compiles all at start-up):
    response schemas are only needed when responses are checked, so plain serving never pays for them."""

    def __init__(self) -> None:
        self._schemas: dict[tuple[str, str], dict[str, Any]] = {}
        self._compiled: dict[tuple[str, str], SchemaValidator] = {}

    def add(self, key: tuple[str, str], schema: dict[str, Any]) -> None:
        self._schemas[key] = schema

    def __getitem__(self, key: tuple[str, str]) -> SchemaValidator:
        validator = self._compiled.get(key)
        if validator is None:
            validator = self._compiled[key] = compile_schema(self._schemas[key])
        return validator

    def __contains__(self, key: object) -> bool:
        return key in self._schemas

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._schemas)

    def __len__(self) -> int:
        return len(self._schemas)

    def compile_all(self) -> None:
        for key in self._schemas:
            self[key]


@dataclass
class Param:
    name: str
    location: str  # path | query | header | cookie
    required: bool
    schema: dict[str, Any]
    explode: bool = True


@dataclass
class Operation:
    operation_id: str
    method: str  # upper case
    path: str  # the contract's path template
    params: list[Param]
    body_required: bool
    body_media: dict[str, dict[str, Any]]  # media type -> schema
    responses: dict[str, dict[str, dict[str, Any] | None]]  # status -> media -> schema
    secured: bool
    raw: dict[str, Any]
    param_validators: dict[str, SchemaValidator] = field(default_factory=dict)  # location -> validator
    body_validators: dict[str, SchemaValidator] = field(default_factory=dict)
    response_validators: LazyValidators = field(default_factory=LazyValidators)
    _by_location: dict[str, list[Param]] = field(default_factory=dict, repr=False)

    def params_in(self, location: str) -> list[Param]:
        cached = self._by_location.get(location)
        if cached is None:
            cached = self._by_location[location] = [p for p in self.params if p.location == location]
        return cached


def _resolve(node: Any, root: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """`node` with every local `$ref` inlined. Each ref is resolved once and the result shared by every
    place that names it, and a part without refs is kept as it is (read-only: a resolved schema is never
    mutated), so a contract whose schemas reuse components costs each component once in memory and in
    time. A ref below which a recursive ref was cut (to `{}`) depends on where it is reached from, so it
    is not shared."""
    memo: dict[str, Any] = {}
    cuts = [0]

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                if ref in seen:
                    cuts[0] += 1
                    return {}  # recursive schema: accept anything below this point
                resolved = memo.get(ref, memo)
                if resolved is memo:
                    target: Any = root
                    for part in ref[2:].split("/"):
                        target = target[part.replace("~1", "/").replace("~0", "~")]
                    before = cuts[0]
                    resolved = walk(target, (*seen, ref))
                    if cuts[0] == before:
                        memo[ref] = resolved
                if len(node) > 1 and isinstance(resolved, dict):
                    return {**resolved, **{k: walk(v, seen) for k, v in node.items() if k != "$ref"}}
                return resolved
            changed: dict[str, Any] | None = None
            for k, v in node.items():
                if isinstance(v, (dict, list)):
                    w = walk(v, seen)
                    if w is not v:
                        if changed is None:
                            changed = dict(node)
                        changed[k] = w
            return node if changed is None else changed
        if isinstance(node, list):
            items: list[Any] | None = None
            for i, v in enumerate(node):
                if isinstance(v, (dict, list)):
                    w = walk(v, seen)
                    if w is not v:
                        if items is None:
                            items = list(node)
                        items[i] = w
            return node if items is None else items
        return node

    return walk(node, seen)


class Contract:
    """A loaded contract. `operations` by operationId, in document order."""

    def __init__(
        self, document: dict[str, Any] | None, source: str = "<memory>", resolved: dict[str, Any] | None = None
    ) -> None:
        self._document = document
        self.source = source
        self.operations: dict[str, Operation] = {}
        if resolved is None:
            assert document is not None
            resolved = _resolve(document, document)
        global_security = resolved.get("security")
        for path, item in (resolved.get("paths") or {}).items():
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                op = item.get(method)
                if op is None:
                    continue
                operation = self._operation(path, method, op, shared, global_security)
                if operation.operation_id in self.operations:
                    raise ValueError(f"{source}: duplicate operationId {operation.operation_id}")
                self.operations[operation.operation_id] = operation

    @staticmethod
    def _operation(
        path: str, method: str, op: dict[str, Any], shared: list[dict[str, Any]], global_security: Any
    ) -> Operation:
        by_key: dict[tuple[str, str], dict[str, Any]] = {}
        for p in [*shared, *op.get("parameters", [])]:
            by_key[(p["name"], p["in"])] = p
        params = [
            Param(
                p["name"],
                p["in"],
                bool(p.get("required", p["in"] == "path")),
                p.get("schema") or {},
                bool(p.get("explode", True)),
            )
            for p in by_key.values()
        ]
        body = op.get("requestBody") or {}
        body_media = {mt: (c or {}).get("schema") or {} for mt, c in (body.get("content") or {}).items()}
        responses: dict[str, dict[str, dict[str, Any] | None]] = {}
        resp: Any
        for status, resp in (op.get("responses") or {}).items():
            content = (resp or {}).get("content") or {}
            responses[str(status)] = {mt: (c or {}).get("schema") for mt, c in content.items()}
        security = op.get("security", global_security)
        secured = bool(security) and any(bool(req) for req in security)
        operation = Operation(
            operation_id=op.get("operationId") or f"{method}_{path}",
            method=method.upper(),
            path=path,
            params=params,
            body_required=bool(body.get("required", False)),
            body_media=body_media,
            responses=responses,
            secured=secured,
            raw=op,
        )
        for location in ("path", "query", "header"):
            ps = operation.params_in(location)
            if ps:
                schema: dict[str, Any] = {
                    "type": "object",
                    "properties": {p.name: p.schema for p in ps},
                    "required": [p.name for p in ps if p.required],
                }
                operation.param_validators[location] = compile_schema(schema, lazy=True)
        for mt, schema in body_media.items():
            if schema:
                operation.body_validators[mt] = compile_schema(schema, lazy=True)
        for status, media in responses.items():
            for mt, resp_schema in media.items():
                if resp_schema is not None:
                    operation.response_validators.add((status, mt), resp_schema)
        return operation

    @property
    def document(self) -> dict[str, Any]:
        """The contract as written (loaded on first use: serving requests needs only the resolved form)."""
        if self._document is None:
            self._document = load_yaml(self.source)
        return self._document

    @classmethod
    def load(cls, path: Path) -> Contract:
        return _load_cached(str(path))

    def as_json(self) -> str:
        return json.dumps(self.document, indent=2, default=str)


@functools.lru_cache(maxsize=32)
def _load_cached(path: str) -> Contract:
    doc = load_yaml(path)  # the document as written (cached as JSON), resolved here: shared refs stay shared
    return Contract(None, source=path, resolved=_resolve(doc, doc))
