"""Every fixtures/scenarios/*.scenario.yaml replays green in-process (scenarios of APIs not yet available skip)."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulators.scenarios.runner import Runner

SCENARIOS = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios"
FILES = sorted(p for p in SCENARIOS.glob("*.scenario.yaml") if p.is_file())


@pytest.mark.parametrize(
    "path",
    FILES or [pytest.param(None, marks=pytest.mark.skip(reason="no scenarios yet"))],
    ids=[p.name for p in FILES] or ["none"],
)
def test_scenario_replays(path: Path) -> None:
    lines: list[str] = []
    result = Runner(out=lines.append).run_file(path)
    if result.outcome == "skipped":
        pytest.skip(result.message)
    assert result.outcome == "passed", "\n".join(lines)
