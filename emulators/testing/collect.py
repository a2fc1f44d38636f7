"""pytest collects `*.scenario.yaml` files: one test item per step, run in order, in-process.

    tests/api/orders.scenario.yaml::01 log in          PASSED
    tests/api/orders.scenario.yaml::02 GET /items      FAILED   (the step's expectation diff)

The whole scenario runs once when its first step is reached; each item then reports its own step
(a step after a failed one is skipped, as in `emulators replay`). An invalid file is one collection
error listing `file:line: field: message` problems.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..scenarios.runner import Runner, ScenarioResult, StepResult
from ..scenarios.scenario import Scenario, ScenarioError, load

_VAR = re.compile(r"(?<!\$)\$\{([^}]+)\}")


def step_id(scenario: Scenario, index: int) -> str:
    """The step's name with `${var}` of the scenario's `vars` (and `${env:NAME}`) filled in; what is only
    known at run time (captures, credentials) stays as written."""
    known = {k: v for k, v in (scenario.data.get("vars") or {}).items() if isinstance(v, str | int | float)}

    def one(m: re.Match[str]) -> str:
        name = m.group(1).strip()
        if name.startswith("env:") and name[4:] in os.environ:
            return os.environ[name[4:]]
        value = known.get(name)
        return str(value) if value is not None and "${" not in str(value) else m.group(0)

    return _VAR.sub(one, scenario.step_name(index))


class ScenarioFailed(AssertionError):
    pass


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            scenario = load(self.path)
        except ScenarioError as exc:
            raise self.CollectError("invalid scenario:\n  " + "\n  ".join(exc.problems)) from None
        self.scenario: Scenario = scenario
        self.result: ScenarioResult | None = None
        self.lines: list[str] = []
        for i in range(len(scenario.steps)):
            yield ScenarioStep.from_parent(self, name=f"{i + 1:02d} {step_id(scenario, i)}", index=i)

    def run_once(self) -> ScenarioResult:
        if self.result is None:
            self.result = Runner(None, out=self.lines.append).run(self.scenario)
        return self.result


class ScenarioStep(pytest.Item):
    def __init__(self, *, index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.index = index

    @property
    def file(self) -> ScenarioFile:
        parent = self.parent
        assert isinstance(parent, ScenarioFile)
        return parent

    def step(self) -> StepResult | None:
        result = self.file.run_once()
        steps = [s for s in result.steps if s.index == self.index + 1]
        return steps[0] if steps else None

    def runtest(self) -> None:
        result = self.file.run_once()
        step = self.step()
        if step is None:  # the scenario could not start (unknown emulator, set-up failed) or was skipped
            if result.outcome == "skipped":
                pytest.skip(result.message)
            raise ScenarioFailed(result.message or "the scenario did not run")
        if step.outcome == "skipped":
            pytest.skip(step.message or "skipped")
        if step.outcome in ("failed", "error"):
            raise ScenarioFailed(step)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            arg = excinfo.value.args[0] if excinfo.value.args else ""
            if isinstance(arg, StepResult):
                parts = [f"{self.file.scenario.source}:{arg.line}: step {arg.index} {arg.name} {arg.outcome}"]
                if arg.summary:
                    parts.append(f"  {arg.summary}")
                parts += [f"  {line}" for line in arg.message.splitlines()]
                parts += [f"  {line}" for line in arg.details.splitlines()]
                return "\n".join(parts)
            return f"{self.file.scenario.source}: {arg}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        lines = self.file.scenario.step_lines
        line = lines[self.index] - 1 if self.index < len(lines) else None
        return self.path, line, f"scenario step {self.name}"
