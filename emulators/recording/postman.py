"""`emulators export postman API [--out FILE]`: a Postman collection (format v2.1.0) from the contract.

One request per operation, grouped by the contract's first tag, with its documented sample request
(the contract's `example`/`examples`, else a value built from the schema), required query parameters
filled in and optional ones present but disabled. Auth comes from the contract's security schemes as
collection variables: `{{baseUrl}}` plus one variable per credential (pre-filled with the emulator's
`GET /__emulator/credentials` values), apiKey schemes as headers / query parameters, http bearer and
basic as Postman auth.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from ..core.app import load_fixtures
from ..core.contract import Contract, Operation
from ..core.spec import EmulatorSpec
from ..registry import APIS, resolve_spec

SCHEMA_URL = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
METHODS = ("GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def sample(schema: Any, depth: int = 0) -> Any:
    """A documented or plausible value for `schema`."""
    if not isinstance(schema, dict) or depth > 6:
        return None
    for key in ("example", "default", "const"):
        if key in schema:
            return schema[key]
    if schema.get("examples") and isinstance(schema["examples"], list):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("oneOf", "anyOf", "allOf"):
        if schema.get(key):
            return sample(schema[key][0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        required = schema.get("required") or list(props)[:5]
        return {k: sample(props.get(k, {}), depth + 1) for k in required if k in props}
    if kind == "array":
        item = sample(schema.get("items") or {}, depth + 1)
        return [item] if item is not None else []
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            return "2026-01-01T00:00:00Z"
        if fmt == "date":
            return "2026-01-01"
        return "string"
    return None


def _body_example(op: Operation) -> tuple[str, str] | None:
    body = op.raw.get("requestBody") or {}
    content = body.get("content") or {}
    if not content and not op.body_media:
        return None
    mt = next((m for m in content if "json" in m), next(iter(content), None)) or next(iter(op.body_media), None)
    if mt is None:
        return None
    media = content.get(mt) or {}
    if "example" in media:
        value = media["example"]
    elif media.get("examples"):
        first = next(iter(media["examples"].values()))
        value = first.get("value") if isinstance(first, dict) else first
    else:
        value = sample(media.get("schema") or op.body_media.get(mt) or {})
    if isinstance(value, str) and "json" not in mt:
        return mt, value
    return mt, json.dumps(value, indent=2, ensure_ascii=False)


class _Auth:
    def __init__(self, doc: dict[str, Any], credentials: dict[str, Any]) -> None:
        self.schemes: dict[str, Any] = ((doc.get("components") or {}).get("securitySchemes")) or {}
        self.default = doc.get("security")
        self.credentials = credentials
        self.variables: dict[str, Any] = {}

    def var(self, name: str) -> str:
        key = next((k for k in self.credentials if _norm(k) == _norm(name)), None)
        var = key or re.sub(r"\W", "_", name)
        if var not in self.variables:
            value = self.credentials.get(key) if key else ""
            self.variables[var] = "" if isinstance(value, dict) or value is None else value
        return "{{" + var + "}}"

    def apply(self, op: Operation, request: dict[str, Any]) -> None:
        security = op.raw.get("security", self.default)
        if not security:
            request["auth"] = {"type": "noauth"}
            return
        for scheme_name in security[0]:
            scheme = self.schemes.get(scheme_name) or {}
            if scheme.get("type") == "apiKey":
                where, name = scheme.get("in"), str(scheme.get("name") or scheme_name)
                if where == "header" and not any(h["key"].lower() == name.lower() for h in request["header"]):
                    request["header"].append({"key": name, "value": self.var(name), "type": "text"})
                elif where == "query":
                    query = request["url"].setdefault("query", [])
                    for q in query:
                        if q["key"] == name:
                            q["value"], q["disabled"] = self.var(name), False
                    if not any(q["key"] == name for q in query):
                        query.append({"key": name, "value": self.var(name)})
            elif scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
                request["auth"] = {
                    "type": "bearer",
                    "bearer": [{"key": "token", "value": self.var(scheme_name), "type": "string"}],
                }
            elif scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                basic = self.credentials.get(scheme_name) if isinstance(self.credentials.get(scheme_name), dict) else {}
                for part in ("user", "password"):
                    self.variables.setdefault(f"{scheme_name}_{part}", (basic or {}).get(part, ""))
                request["auth"] = {
                    "type": "basic",
                    "basic": [
                        {"key": "username", "value": "{{" + scheme_name + "_user}}", "type": "string"},
                        {"key": "password", "value": "{{" + scheme_name + "_password}}", "type": "string"},
                    ],
                }


def _item(op: Operation, auth: _Auth) -> dict[str, Any]:
    raw_path = op.path
    segments = [(":" + s[1:-1]) if s.startswith("{") and s.endswith("}") else s for s in raw_path.strip("/").split("/")]
    url: dict[str, Any] = {"host": ["{{baseUrl}}"], "path": [s for s in segments if s]}
    path_vars = [
        {
            "key": p.name,
            "value": str(sample(p.schema) if sample(p.schema) is not None else ""),
            "description": f"path parameter {p.name}",
        }
        for p in op.params_in("path")
    ]
    if path_vars:
        url["variable"] = path_vars
    query = []
    for p in op.params_in("query"):
        value = sample(p.schema)
        entry: dict[str, Any] = {
            "key": p.name,
            "value": "" if value is None else (str(value).lower() if isinstance(value, bool) else str(value)),
        }
        if not p.required:
            entry["disabled"] = True
        query.append(entry)
    if query:
        url["query"] = query
    headers = [
        {"key": p.name, "value": str(sample(p.schema) or ""), "type": "text"}
        for p in op.params_in("header")
        if p.required
    ]
    request: dict[str, Any] = {"method": op.method, "header": headers, "url": url}
    body = _body_example(op)
    if body is not None:
        mt, text = body
        request["header"].append({"key": "Content-Type", "value": mt, "type": "text"})
        request["body"] = {"mode": "raw", "raw": text}
        if "json" in mt:
            request["body"]["options"] = {"raw": {"language": "json"}}
        elif "xml" in mt:
            request["body"]["options"] = {"raw": {"language": "xml"}}
    auth.apply(op, request)
    query_text = "&".join(f"{q['key']}={q['value']}" for q in url.get("query", []) if not q.get("disabled"))
    url["raw"] = "{{baseUrl}}/" + "/".join(url["path"]) + (f"?{query_text}" if query_text else "")
    description = op.raw.get("summary") or op.raw.get("description") or op.operation_id
    return {"name": op.operation_id, "request": {**request, "description": str(description)}, "response": []}


def collection(api: str | EmulatorSpec, *, base_url: str | None = None) -> dict[str, Any]:
    """The Postman collection (a dict) of every operation in `api`'s contract."""
    spec = resolve_spec(api)
    contract = Contract.load(spec.contract)
    doc = contract.document
    creds = spec.credentials(load_fixtures(None, spec.fixtures)) if spec.credentials is not None else {}
    auth = _Auth(doc, {k: v for k, v in creds.items()})
    folders: dict[str, list[dict[str, Any]]] = {}
    for op in sorted(
        contract.operations.values(), key=lambda o: (o.path, METHODS.index(o.method) if o.method in METHODS else 9)
    ):
        tag = (op.raw.get("tags") or ["operations"])[0]
        folders.setdefault(str(tag), []).append(_item(op, auth))
    prefix = next((p for p in spec.prefixes if "{" not in p), "")
    info = doc.get("info") or {}
    port = APIS.get(spec.name, ("", 0))[1]
    variables = [{"key": "baseUrl", "value": base_url or f"http://127.0.0.1:{port}{prefix}", "type": "string"}]
    variables += [{"key": k, "value": "" if v is None else str(v), "type": "string"} for k, v in auth.variables.items()]
    return {
        "info": {
            "_postman_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"emulators/{spec.name}")),
            "name": f"{info.get('title') or spec.name} (emulators: {spec.name})",
            "description": f"Generated by `emulators export postman {spec.name}` from the emulator's contract. "
            "Point {{baseUrl}} at the emulator or the vendor; credentials are variables.",
            "schema": SCHEMA_URL,
        },
        "item": [{"name": tag, "item": items} for tag, items in folders.items()],
        "variable": variables,
    }
