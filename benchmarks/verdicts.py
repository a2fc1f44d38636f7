"""Issue 26's targets as verdict lines: the figure (median), its spread (min-max over the rounds or
runs), the target, and whether the median holds it."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    name: str
    values: tuple[float, ...]  # one per round or run; the median is judged
    op: str  # ">=" or "<="
    target: float
    unit: str = "x"
    digits: int = 2

    def __post_init__(self) -> None:
        if self.op not in (">=", "<="):
            raise ValueError(f"op must be >= or <=, not {self.op!r}")
        if not self.values:
            raise ValueError(f"{self.name}: no values")

    @property
    def median(self) -> float:
        return float(statistics.median(self.values))

    @property
    def held(self) -> bool:
        return self.median >= self.target if self.op == ">=" else self.median <= self.target

    def line(self) -> str:
        d, u = self.digits, self.unit
        spread = f" ({min(self.values):.{d}f}-{max(self.values):.{d}f})" if len(self.values) > 1 else ""
        mark = "held    " if self.held else "NOT HELD"
        return f"{mark}  {self.name}: {self.median:.{d}f}{u}{spread}; target {self.op} {self.target:g}{u}"


def ratios(top: Sequence[float], bottom: Sequence[float]) -> tuple[float, ...]:
    """Per-round ratios of two sides measured in the same rounds."""
    if len(top) != len(bottom):
        raise ValueError("the two sides have different round counts")
    return tuple(a / b for a, b in zip(top, bottom, strict=True))


def summary(verdicts: Sequence[Verdict], skipped: Sequence[str] = ()) -> list[str]:
    """The verdict block: one line per target, then what was not measured, then the count held."""
    lines = ["targets (issue 26): median over the rounds or runs (min-max); held when the median meets it"]
    lines += [v.line() for v in verdicts]
    lines += [f"not measured  {s}" for s in skipped]
    held = sum(v.held for v in verdicts)
    lines.append(f"{held} of {len(verdicts)} measured targets held")
    return lines
