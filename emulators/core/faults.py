"""Fault rules: match a request, then fail it (status, delay, disconnect) before or after the handler."""

from __future__ import annotations

import fnmatch
import random
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class FaultRule:
    id: str
    when: str = "before"  # "before" | "after"
    operation: str | None = None
    method: str | None = None
    path: str | None = None  # glob on the path (namespace prefix removed)
    status: int | None = None
    delay_ms: int = 0
    disconnect: bool = False
    times: int | None = None  # fire this many times, then stop matching
    probability: float | None = None  # fire with this chance (seeded)
    message: str | None = None
    fired: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


class FaultRules:
    def __init__(self, seed: int | str = 0) -> None:
        self._seed = seed
        self._rng = random.Random(seed)
        self._rules: list[FaultRule] = []
        self._next = 0

    def add(self, spec: dict[str, Any]) -> FaultRule:
        self._next += 1
        fields = {k: v for k, v in spec.items() if k in FaultRule.__dataclass_fields__ and k not in ("id", "fired")}
        rule = FaultRule(id=f"f{self._next}", **fields)
        self._rules.append(rule)
        return rule

    def list(self) -> list[FaultRule]:
        return list(self._rules)

    def remove(self, rule_id: str) -> bool:
        before = len(self._rules)
        self._rules = [r for r in self._rules if r.id != rule_id]
        return len(self._rules) != before

    def clear(self) -> None:
        self._rules.clear()
        self._rng = random.Random(self._seed)

    def reset(self) -> None:
        """Cleared, with rule ids numbered from f1 again (POST /__emulator/reset)."""
        self.clear()
        self._next = 0

    def __bool__(self) -> bool:
        return bool(self._rules)

    def match(self, when: str, operation: str | None, method: str, path: str) -> FaultRule | None:
        """The first rule that matches and fires now (its counter is consumed)."""
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
            if rule.probability is not None and self._rng.random() >= rule.probability:
                continue
            rule.fired += 1
            return rule
        return None
