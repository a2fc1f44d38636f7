"""Faults on outbound deliveries: delay an attempt, drop it (never sent; the sender believes it went),
or send it twice. Matched by event (glob) and subscription; `times` limits how often a rule fires."""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import asdict, dataclass
from typing import Any

ACTIONS = ("delay", "drop", "duplicate")


@dataclass
class DeliveryFault:
    id: str
    action: str
    event: str | None = None  # glob on the event name ("project.*")
    subscription: str | None = None
    seconds: float = 0.0  # delay: real seconds before the attempt is sent
    times: int | None = None
    fired: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


class DeliveryFaults:
    def __init__(self) -> None:
        self._rules: list[DeliveryFault] = []
        self._next = 0
        self._lock = threading.Lock()

    def add(self, spec: dict[str, Any]) -> DeliveryFault:
        """`spec` was validated by the control contract (action one of ACTIONS)."""
        with self._lock:
            self._next += 1
            rule = DeliveryFault(
                id=f"w{self._next}",
                action=str(spec["action"]),
                event=spec.get("event"),
                subscription=None if spec.get("subscription") is None else str(spec["subscription"]),
                seconds=float(spec.get("seconds") or 0.0),
                times=spec.get("times"),
            )
            self._rules.append(rule)
        return rule

    def list(self) -> list[DeliveryFault]:
        return list(self._rules)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._next = 0

    def match(self, event: str, subscription: str) -> DeliveryFault | None:
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules:
                if rule.times is not None and rule.fired >= rule.times:
                    continue
                if rule.event is not None and not fnmatch.fnmatchcase(event, rule.event):
                    continue
                if rule.subscription is not None and rule.subscription != subscription:
                    continue
                rule.fired += 1
                return rule
        return None
