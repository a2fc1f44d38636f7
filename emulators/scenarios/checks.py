"""A step's `expect` against an httpx.Response, contract checks, and `capture` extraction."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import httpx
import jsonschema

from ..core.contract import Contract
from ..core.errors import EmulatorError
from ..core.routing import Router
from ..core.spec import EmulatorSpec
from .matching import MISSING, json_diff, lookup, match


def response_json(response: httpx.Response) -> Any:
    """The body as JSON, or MISSING when it is not JSON."""
    if not response.content:
        return MISSING
    ct = response.headers.get("content-type", "").lower()
    text = response.content.lstrip(b"\xef\xbb\xbf").strip()
    if "json" in ct or (not ct and text[:1] in (b"{", b"[")) or text[:1] in (b"{", b"["):
        try:
            return json.loads(text)
        except ValueError:
            return MISSING
    return MISSING


def response_xml(response: httpx.Response) -> Any:
    """An XML body as {root: content} (elements -> dicts, repeated -> lists, text leaves), else MISSING."""
    from ..core.negotiation import decode_xml

    if not response.content.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        return MISSING
    try:
        root, content = decode_xml(response.content)
    except EmulatorError:
        return MISSING
    return {root: content}


def _snippet(response: httpx.Response, limit: int = 600) -> str:
    text = response.content.decode("utf-8", errors="replace")
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def check_response(
    expect: dict[str, Any],
    response: httpx.Response,
    duration_ms: float,
    spec: EmulatorSpec | None,
    method: str,
    path: str,
) -> tuple[list[str], str]:
    """(problems, details): one line per failed expectation, and a diff / body excerpt to show."""
    problems: list[str] = []
    details: list[str] = []
    status = response.status_code
    want = expect.get("status")
    if want is not None:
        allowed = want if isinstance(want, list) else [want]
        if status not in allowed:
            problems.append(f"status: expected {' or '.join(map(str, allowed))}, got {status}")
    for name, exp in (expect.get("headers") or {}).items():
        actual = response.headers.get(name)
        for p in match(exp, MISSING if actual is None else actual, f"header {name}"):
            problems.append(p)
    body = response_json(response)
    if "json" in expect:
        mismatches = match(expect["json"], body) if body is not MISSING else ["$: the body is not JSON"]
        if mismatches:
            problems += [f"json {m}" for m in mismatches[:20]]
            if len(mismatches) > 20:
                problems.append(f"json: ... and {len(mismatches) - 20} more")
            if body is MISSING:
                details.append("body is not JSON:\n" + _snippet(response))
            else:
                details.append(json_diff(expect["json"], body))
    if "xml" in expect:
        doc = response_xml(response)
        mismatches = match(expect["xml"], doc) if doc is not MISSING else ["$: the body is not XML"]
        if mismatches:
            problems += [f"xml {m}" for m in mismatches[:20]]
            details.append(
                json_diff(expect["xml"], doc) if doc is not MISSING else "body is not XML:\n" + _snippet(response)
            )
    if "json_schema" in expect:
        problems += _schema_problems(expect["json_schema"], body, "json_schema")
    if expect.get("contract"):
        problems += contract_problems(spec, method, path, response, body)
    text = response.content.decode("utf-8", errors="replace")
    if "body" in expect and text != expect["body"]:
        problems.append(f"body: expected {expect['body']!r}, got {text[:200]!r}")
    contains = expect.get("body_contains")
    for needle in [contains] if isinstance(contains, str) else (contains or []):
        if needle not in text:
            problems.append(f"body: does not contain {needle!r}")
    if "max_ms" in expect and duration_ms > float(expect["max_ms"]):
        problems.append(f"time: expected at most {expect['max_ms']} ms, took {duration_ms:.1f} ms")
    if problems and not details:
        details.append("response body:\n" + (_snippet(response) or "(empty)"))
    return problems, "\n".join(details)


def _schema_problems(schema: Any, body: Any, label: str) -> list[str]:
    if body is MISSING:
        return [f"{label}: the body is not JSON"]
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    errors = sorted(cls(schema).iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))
    return [
        f"{label}: ${''.join(f'[{p}]' if isinstance(p, int) else f'.{p}' for p in e.absolute_path)}: {e.message}"
        for e in errors[:10]
    ]


@functools.lru_cache(maxsize=16)
def _router(
    spec_key: int, contract_path: str, prefixes: tuple[str, ...], ci: bool, slash: bool
) -> tuple[Contract, Router]:
    contract = Contract.load(Path(contract_path))
    return contract, Router(list(contract.operations.values()), list(prefixes), ci, slash)


def contract_problems(
    spec: EmulatorSpec | None, method: str, path: str, response: httpx.Response, body: Any
) -> list[str]:
    """The status is documented for the operation, and a JSON body validates against its schema."""
    if spec is None:
        return ["contract: no emulator package for this API, so no contract to check against"]
    _, router = _router(
        id(spec), str(spec.contract), tuple(spec.prefixes), spec.case_insensitive_paths, spec.trailing_slash
    )
    route_path = path.split("?", 1)[0]
    try:
        op, _ = router.match(method.upper(), route_path)
    except EmulatorError:
        return [f"contract: {method} {route_path} is not an operation of the {spec.name} contract"]
    status = str(response.status_code)
    key = next((k for k in (status, f"{status[0]}XX", "default") if k in op.responses), None)
    if key is None:
        return [
            f"contract: {op.operation_id} does not document status {status} "
            f"(documented: {', '.join(sorted(op.responses))})"
        ]
    if body is MISSING:
        return []
    mt = response.headers.get("content-type", "").split(";")[0].strip().lower()
    validator = op.response_validators.get((key, mt)) or op.response_validators.get((key, "application/json"))
    if validator is None:
        return []
    return [
        f"contract: {op.operation_id} {status}: {i.name or '$'}: {i.message}"
        for i in validator.issues(body, "response")[:10]
    ]


def extract(how: Any, response: httpx.Response) -> Any:
    """A capture: "$.a.b[0]" (JSON), "xml:$.Root.Child" (XML), "header:Name", "status", "body", or
    {regex, from}."""
    if isinstance(how, dict):
        source = how.get("from", "body")
        text = response.headers.get(source[7:], "") if source.startswith("header:") else response.text
        m = re.search(how["regex"], text)
        if m is None:
            raise ValueError(f"capture: /{how['regex']}/ does not match the {source}")
        return m.group(1) if m.groups() else m.group(0)
    if how == "status":
        return response.status_code
    if how == "body":
        return response.text
    if how.startswith("header:"):
        value = response.headers.get(how[7:])
        if value is None:
            raise ValueError(f"capture: no header {how[7:]} in the response")
        return value
    if how.startswith("xml:"):
        how, body = how[4:], response_xml(response)
    else:
        body = response_json(response)
    got = lookup(body, how) if body is not MISSING else MISSING
    if got is MISSING:
        raise ValueError(f"capture: {how} is not in the response body")
    return got
