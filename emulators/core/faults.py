"""Fault and stub rules: match a request, then fail it (status, delay, disconnect) or answer it yourself
(a stub's `respond`), before or after the handler.

A fault and a stub match the same way (operation, method, path glob, query, times, probability); a stub
may also match on the request body (`body_jsonpath`, as `POST /__emulator/requests/find` reads it)."""

from __future__ import annotations

import fnmatch
import json
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .latency import Delay


@dataclass
class FaultRule:
    id: str
    when: str = "before"  # "before" | "after"
    operation: str | None = None
    method: str | None = None
    path: str | None = None  # glob on the path (namespace prefix removed)
    query: dict[str, str] | None = None  # every name present with a value matching the glob
    body_jsonpath: str | None = None  # stubs: a JSONPath expression the request's JSON body satisfies
    status: int | None = None
    delay_ms: int = 0
    delay: dict[str, Any] | None = None  # a distribution (core/latency.py)
    disconnect: bool = False
    times: int | None = None  # fire this many times, then stop matching
    probability: float | None = None  # fire with this chance (seeded)
    message: str | None = None
    respond: dict[str, Any] | None = None  # stubs: {status, headers, body | json}
    fired: int = 0
    sampler: Delay | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if v is not None and k != "sampler"}
        if self.respond is not None:
            for key in ("delay_ms", "disconnect"):
                if not out.get(key):
                    out.pop(key, None)
        return out


class FaultRules:
    """An ordered list of rules (faults, or with `prefix="s"` stubs), seeded so `probability` repeats."""

    def __init__(self, seed: int | str = 0, prefix: str = "f") -> None:
        self._seed = seed
        self._prefix = prefix
        self._rng = random.Random(seed)
        self._rules: list[FaultRule] = []
        self._next = 0

    def add(self, spec: dict[str, Any]) -> FaultRule:
        self._next += 1
        fields = {
            k: v
            for k, v in spec.items()
            if k in FaultRule.__dataclass_fields__ and k not in ("id", "fired", "sampler") and v is not None
        }
        rule = FaultRule(id=f"{self._prefix}{self._next}", **fields)
        if rule.delay:
            rule.sampler = Delay.from_spec(rule.delay, f"{self._seed}/{rule.id}")
        self._rules.append(rule)
        return rule

    def list(self) -> list[FaultRule]:
        return list(self._rules)

    def get(self, rule_id: str | None) -> FaultRule | None:
        return next((r for r in self._rules if r.id == rule_id), None) if rule_id else None

    def remove(self, rule_id: str) -> bool:
        before = len(self._rules)
        self._rules = [r for r in self._rules if r.id != rule_id]
        return len(self._rules) != before

    def clear(self) -> None:
        self._rules.clear()
        self._rng = random.Random(self._seed)

    def reset(self) -> None:
        """Cleared, with rule ids numbered from 1 again (POST /__emulator/reset)."""
        self.clear()
        self._next = 0

    def __bool__(self) -> bool:
        return bool(self._rules)

    def match(
        self,
        when: str,
        operation: str | None,
        method: str,
        path: str,
        query: Mapping[str, Sequence[str]] | None = None,
        body: Callable[[], Any] | None = None,
    ) -> FaultRule | None:
        """The first rule that matches and fires now (its counter is consumed). `body` reads the request's
        JSON body (None when it has none or is not JSON) for rules with `body_jsonpath`."""
        for rule in self._rules:
            if rule.when != when:
                continue
            if rule.times is not None and rule.fired >= rule.times:
                continue
            if rule.operation is not None and rule.operation != operation:
                continue
            if rule.method is not None and rule.method.upper() != method:
                continue
            if rule.path is not None and not fnmatch.fnmatchcase(path, rule.path):
                continue
            if rule.query and not _query_matches(rule.query, query or {}):
                continue
            if rule.body_jsonpath is not None and not _body_matches(rule.body_jsonpath, body):
                continue
            if rule.probability is not None and self._rng.random() >= rule.probability:
                continue
            rule.fired += 1
            return rule
        return None


def _query_matches(wanted: dict[str, str], query: Mapping[str, Sequence[str]]) -> bool:
    return all(
        any(fnmatch.fnmatchcase(v, str(pattern)) for v in query.get(name, ())) for name, pattern in wanted.items()
    )


def _body_matches(expr: str, body: Callable[[], Any] | None) -> bool:
    from .verify import compile_matcher

    return body is not None and compile_matcher(expr)(body())


def json_body(raw: bytes) -> Any:
    """The request body as JSON for `body_jsonpath`, or None."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
