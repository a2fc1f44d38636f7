"""Latency distributions: `{fixed_ms}`, `{uniform_ms: [a, b]}`, `{lognormal: {median_ms, sigma}}`.

Per fault or stub rule (`delay`), or for every API request of a server (`--latency` / EMULATORS_LATENCY).
Samples come from a seeded generator (`--seed`), so a run repeats; the wait is an `asyncio.sleep`, so a
delayed request never holds up another."""

from __future__ import annotations

import math
import random
from typing import Any

MAX_MS = 600_000.0


class Delay:
    """A sampler of delays in milliseconds (already validated: `core.config.validate_delay`)."""

    def __init__(self, kind: str, a: float, b: float, seed: int | str = 0) -> None:
        self.kind = kind
        self.a = a  # fixed: ms; uniform: low; lognormal: median_ms
        self.b = b  # uniform: high; lognormal: sigma
        self._rng = random.Random(f"latency/{seed}")

    @classmethod
    def from_spec(cls, spec: dict[str, Any], seed: int | str = 0) -> Delay:
        if "fixed_ms" in spec:
            return cls("fixed", float(spec["fixed_ms"]), 0.0, seed)
        if "uniform_ms" in spec:
            low, high = spec["uniform_ms"]
            return cls("uniform", float(low), float(high), seed)
        dist = spec["lognormal"]
        return cls("lognormal", float(dist["median_ms"]), float(dist["sigma"]), seed)

    def sample(self) -> float:
        if self.kind == "fixed":
            return self.a
        if self.kind == "uniform":
            return self._rng.uniform(self.a, self.b)
        # log-normal: ln(X) ~ N(ln(median), sigma); its median is `median_ms`
        return min(self._rng.lognormvariate(math.log(self.a), self.b), MAX_MS) if self.a > 0 else 0.0

    def quantile(self, q: float) -> float:
        """The asked distribution's q-quantile (what `make bench` and the tests compare against)."""
        if self.kind == "fixed":
            return self.a
        if self.kind == "uniform":
            return self.a + (self.b - self.a) * q
        from statistics import NormalDist

        return self.a * math.exp(self.b * NormalDist().inv_cdf(q))

    def describe(self) -> str:
        if self.kind == "fixed":
            return f"fixed {self.a:g} ms"
        if self.kind == "uniform":
            return f"uniform {self.a:g}-{self.b:g} ms"
        return f"log-normal median {self.a:g} ms, sigma {self.b:g}"
