"""`emulators record --from URL --out FILE`: a running emulator's journal -> a portable, replayable scenario.

The emulator builds the scenario itself (`GET /__emulator/requests?format=scenario`): the journal holds
the unredacted values in memory, so tokens and ids a response minted and a later request sent back are
found by value and become captures *before* anything is redacted; credentials become
`${credentials.<name>}`; time stamps `{$date: ...}`. The rules are in `portable.py`. `build` turns
journal entries already exported (redacted JSON) into a scenario with the same rules, as far as
redacted values allow.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx

from ..core.journal import Entry
from .portable import Exchange, build_scenario, to_yaml

if TYPE_CHECKING:
    from ..core.control_context import ControlContext
    from ..core.world import World

__all__ = ["build", "fetch", "journal_scenario", "record", "to_yaml"]


def fetch(
    url: str, *, operation: str | None = None, limit: int | None = None, client: httpx.Client | None = None
) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """(emulator name, journal entries, fault rules) of the emulator at `url` (namespace URLs work)."""
    with _control(url, client) as (c, base, health):
        journal = c.get(base + "/requests", params=_filters(operation, limit))
        journal.raise_for_status()
        faults = c.get(base + "/faults")
        rules = faults.json().get("faults", []) if faults.status_code == 200 else []
        return str(health.json().get("emulator")), journal.json()["requests"], rules


@contextmanager
def _control(url: str, client: httpx.Client | None) -> Iterator[tuple[httpx.Client, str, httpx.Response]]:
    """(client, control-plane base URL, its health answer) of the emulator at `url`; ValueError when
    `url` is no emulator. A client made here is closed on leaving."""
    own = client is None
    c = client or httpx.Client(timeout=30)
    try:
        base = url.rstrip("/") + "/__emulator"
        health = c.get(base + "/health")
        if health.status_code != 200:
            raise ValueError(f"{url} is not an emulator (GET /__emulator/health -> {health.status_code})")
        yield c, base, health
    finally:
        if own:
            c.close()


def _filters(operation: str | None, limit: int | None) -> dict[str, Any]:
    """The journal's query parameters for an operation and a count (the newest N)."""
    params: dict[str, Any] = {}
    if operation:
        params["operation"] = operation
    if limit:
        params["limit"] = limit
    return params


def journal_scenario(
    ctx: ControlContext, world: World, entries: list[Entry], base_url: str = "", exact: bool = False
) -> dict[str, Any]:
    """The portable scenario of journal `entries` (served as `GET /__emulator/requests?format=scenario`)."""
    creds = ctx.recording_credentials
    if creds is None:
        maker = ctx.spec.credentials
        creds = maker(ctx.fixtures) if maker is not None else {}
    rules = [r.as_dict() for r in world.faults.list()]
    return build_scenario(
        ctx.spec.name,
        [Exchange.from_entry(e) for e in entries],
        credentials=creds,
        redaction=ctx.redaction,
        rules=rules,
        source=base_url or "a running emulator",
        exact=exact,
        base_urls=[base_url, *ctx.recording_base_urls],
    )


def _bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, dict) and set(body) == {"base64"}:
        return base64.b64decode(body["base64"])
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _pairs(query: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for k, v in (query or {}).items():
        for item in v if isinstance(v, list) else [v]:
            out.append((k, str(item).lower() if isinstance(item, bool) else str(item)))
    return out


def exchange_of(entry: dict[str, Any]) -> Exchange:
    """An exported (redacted) journal entry as an Exchange."""
    req, resp = entry.get("request") or {}, entry.get("response") or {}
    return Exchange(
        entry["method"],
        entry["path"],
        _pairs(entry.get("query") or {}),
        list((req.get("headers") or {}).items()),
        _bytes(req.get("body")),
        int(entry.get("status") or 0),
        list((resp.get("headers") or {}).items()),
        _bytes(resp.get("body")),
        entry.get("operation"),
        entry.get("fault"),
    )


def build(
    emulator: str,
    entries: list[dict[str, Any]],
    rules: list[dict[str, Any]] | None = None,
    *,
    name: str | None = None,
    source: str = "",
    exact: bool = False,
    credentials: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The scenario (as a dict) for exported journal `entries` of `emulator`."""
    from .portable import redaction_of

    return build_scenario(
        emulator,
        [exchange_of(e) for e in entries],
        credentials=credentials,
        redaction=redaction_of(emulator),
        rules=rules,
        name=name,
        source=source,
        exact=exact,
    )


def record(
    url: str,
    *,
    name: str | None = None,
    operation: str | None = None,
    limit: int | None = None,
    exact: bool = False,
    emulator: str | None = None,
    client: httpx.Client | None = None,
) -> tuple[str, int]:
    """(scenario YAML, number of requests) recorded from the emulator at `url`."""
    with _control(url, client) as (c, base, _health):
        params: dict[str, Any] = {"format": "scenario", **_filters(operation, limit)}
        if exact:
            params["exact"] = "true"
        got = c.get(base + "/requests", params=params)
        if got.status_code == 200:
            scenario = got.json()
        else:  # an older emulator (no format=scenario): from the exported (redacted) journal
            name_, entries, rules = fetch(url, operation=operation, limit=limit, client=c)
            scenario = build(emulator or name_, entries, rules, source=url, exact=exact)
    if name:
        scenario["name"] = name
    if emulator:
        scenario["emulator"] = emulator
    scenario["description"] = scenario.get("description", "").replace("a running emulator", url)
    n = sum(1 for s in scenario["steps"] if "request" in s)
    return to_yaml(scenario), n
