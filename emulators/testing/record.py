"""`emulators record --from URL --out FILE`: a running emulator's journal -> a replayable scenario.

Each journaled request becomes a request step whose expectations are the response seen (status, JSON
body, contract). Values a later request reuses (tokens, ids) become captures + ${vars}; ISO time
stamps are loosened to a pattern (the clock differs between runs) unless `exact=True`; credentials the
journal redacted become ${secret_...} variables to fill in; fault rules still present are re-added.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import httpx
import yaml

from ..core.journal import REDACTED
from .scenario import parse

SKIP_HEADERS = {"host", "content-length", "connection", "accept-encoding", "user-agent", "transfer-encoding"}
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
ISO_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"
MIN_CAPTURE_LEN = 6  # shorter strings (e.g. "1", "ok") are too likely to reappear by chance


def fetch(url: str, *, operation: str | None = None, limit: int | None = None,
          client: httpx.Client | None = None) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """(emulator name, journal entries, fault rules) of the emulator at `url` (namespace URLs work)."""
    own = client is None
    c = client or httpx.Client(timeout=30)
    try:
        base = url.rstrip("/") + "/__emulator"
        health = c.get(base + "/health")
        if health.status_code != 200:
            raise ValueError(f"{url} is not an emulator (GET /__emulator/health -> {health.status_code})")
        params: dict[str, Any] = {}
        if operation:
            params["operation"] = operation
        if limit:
            params["limit"] = limit
        journal = c.get(base + "/requests", params=params)
        journal.raise_for_status()
        faults = c.get(base + "/faults")
        rules = faults.json().get("faults", []) if faults.status_code == 200 else []
        return str(health.json().get("emulator")), journal.json()["requests"], rules
    finally:
        if own:
            c.close()


def _walk_strings(value: Any, path: str = "$") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [x for k, v in value.items() if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(k))
                for x in _walk_strings(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [x for i, v in enumerate(value) for x in _walk_strings(v, f"{path}[{i}]")]
    return []


def _replace(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, dict):
        return {k: _replace(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, old, new) for v in value]
    return value


def _loosen(value: Any, exact: bool) -> Any:
    if value == REDACTED:  # the journal blanked a credential: any value will do
        return {"$any": True}
    if isinstance(value, dict):
        return {k: _loosen(v, exact) for k, v in value.items()}
    if isinstance(value, list):
        return [_loosen(v, exact) for v in value]
    if exact:
        return value
    if isinstance(value, str) and ISO_TIME.match(value):
        return {"$regex": ISO_PATTERN}
    return value


def _secret(name: str, secrets: dict[str, str]) -> str:
    var = "secret_" + re.sub(r"\W", "_", name.lower())
    secrets[var] = REDACTED
    return "${" + var + "}"


def _unredact_json(value: Any, secrets: dict[str, str], key: str = "value") -> Any:
    if value == REDACTED:
        return _secret(key, secrets)
    if isinstance(value, dict):
        return {k: _unredact_json(v, secrets, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_unredact_json(v, secrets, key) for v in value]
    return value


def _unredact_text(text: str, secrets: dict[str, str]) -> str:
    text = re.sub(r"(?<![\w$])([\w.-]+)=\*\*\*", lambda m: f"{m.group(1)}={_secret(m.group(1), secrets)}", text)
    return re.sub(r"<([\w:.-]+)>\*\*\*</\1>", lambda m: f"<{m.group(1)}>{_secret(m.group(1), secrets)}</{m.group(1)}>",
                  text)


def _request(entry: dict[str, Any], secrets: dict[str, str]) -> dict[str, Any]:
    req: dict[str, Any] = {"method": entry["method"], "path": entry["path"]}
    if entry.get("query"):
        query = {}
        for k, v in entry["query"].items():
            query[k] = _secret(k, secrets) if v == REDACTED else v
        req["query"] = query
    headers: dict[str, str] = {}
    content_type = ""
    for k, v in (entry["request"].get("headers") or {}).items():
        if k.lower() in SKIP_HEADERS:
            continue
        if k.lower() == "content-type":
            content_type = v
        headers[k] = _secret(k, secrets) if v == REDACTED else v
    if headers:
        req["headers"] = headers
    body = entry["request"].get("body")
    if body is not None:
        if isinstance(body, dict) and set(body) == {"base64"} and "json" not in content_type:
            req["body_base64"] = body["base64"]
        elif isinstance(body, dict | list) or "json" in content_type:
            req["json"] = _unredact_json(body, secrets)
        else:
            req["body"] = _unredact_text(str(body), secrets)
    return req


def build(emulator: str, entries: list[dict[str, Any]], rules: list[dict[str, Any]] | None = None, *,
          name: str | None = None, source: str = "", exact: bool = False) -> dict[str, Any]:
    """The scenario (as a dict) for journal `entries` of `emulator`."""
    secrets: dict[str, str] = {}
    rules_by_id = {r["id"]: r for r in rules or []}
    requests = [_request(e, secrets) for e in entries]
    steps: list[dict[str, Any]] = []
    captures: dict[int, dict[str, str]] = {}
    matchers: dict[int, list[str]] = {}  # JSON paths of captured values, expected by type only
    n_vars = 0
    for i, entry in enumerate(entries):
        body = entry["response"].get("body")
        for path, value in _walk_strings(body):
            if len(value) < MIN_CAPTURE_LEN or value == REDACTED:
                continue
            later = [j for j in range(i + 1, len(requests)) if value in json.dumps(requests[j], ensure_ascii=False)]
            if not later:
                continue
            n_vars += 1
            var = f"v{n_vars}"
            captures.setdefault(i, {})[var] = path
            matchers.setdefault(i, []).append(path)
            for j in later:
                requests[j] = _replace(requests[j], value, "${" + var + "}")
    seen_faults: set[str] = set()
    for i, entry in enumerate(entries):
        fault = entry.get("fault")
        if fault and fault not in seen_faults and fault in rules_by_id:
            seen_faults.add(fault)
            rule = {k: v for k, v in rules_by_id[fault].items() if k not in ("id", "fired")}
            steps.append({"name": f"fault {fault} was active", "fault": rule})
        op = entry.get("operation") or "unrouted"
        step: dict[str, Any] = {"name": f"{op} #{entry['seq']}" + (f" (fault {fault})" if fault else ""),
                                "request": requests[i]}
        expect: dict[str, Any] = {"status": entry["status"]}
        body = entry["response"].get("body")
        ct = str((entry["response"].get("headers") or {}).get("content-type", ""))
        if isinstance(body, dict | list) and not (isinstance(body, dict) and set(body) == {"base64"}):
            expected = _loosen(body, exact)
            for path in matchers.get(i, []):
                expected = _set_path(expected, path, {"$type": "string"})
            expect["json"] = expected
        elif isinstance(body, str) and body and len(body) <= 2000 and not ISO_TIME.search(body):
            expect["body"] = body
        if ct:
            expect["headers"] = {"content-type": {"$regex": "^" + re.escape(ct.split(";")[0].strip())}}
        if not fault and entry.get("operation"):
            expect["contract"] = True
        step["expect"] = expect
        if i in captures:
            step["capture"] = captures[i]
        steps.append(step)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    scenario: dict[str, Any] = {
        "name": name or f"{emulator} session recorded {stamp}",
        "description": f"Recorded by `emulators record` from {source or 'a running emulator'} at {stamp}.",
        "emulator": emulator,
    }
    if secrets:
        scenario["vars"] = secrets
    scenario["steps"] = steps or [{"reset": True}]
    return scenario


def _set_path(doc: Any, path: str, value: Any) -> Any:
    parts = re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]", path[1:])
    if not parts:
        return value
    cur = doc
    for key, idx in parts[:-1]:
        cur = cur[int(idx)] if idx else cur[key]
    key, idx = parts[-1]
    if idx:
        cur[int(idx)] = value
    else:
        cur[key] = value
    return doc


def to_yaml(scenario: dict[str, Any]) -> str:
    head = ["# Recorded by `emulators record`; replay with `emulators replay FILE`."]
    if scenario.get("vars"):
        head.append("# The journal redacts credentials: set the secret_* vars (e.g. to ${credentials.token}).")
    text = yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True, width=110)
    out = "\n".join(head) + "\n" + text
    parse(out, "<recorded>")  # what we write must be a valid scenario
    return out


def record(url: str, *, name: str | None = None, operation: str | None = None, limit: int | None = None,
           exact: bool = False, client: httpx.Client | None = None) -> str:
    emulator, entries, rules = fetch(url, operation=operation, limit=limit, client=client)
    return to_yaml(build(emulator, entries, rules, name=name, source=url, exact=exact))
