"""Hypothesis profiles and the per-API request counter.

Profiles (no [tool.hypothesis] table; chosen here):
  ci    -- the default, part of `make test`: a few examples per operation, the whole suite in minutes
  deep  -- `HYPOTHESIS_PROFILE=deep` (`make test-deep`): >= 50,000 generated requests in total
Every request a property test sends is counted per API; the counts are printed at the end of the run
(with xdist, the workers write them to EMULATORS_PROPERTY_COUNTS and the controller adds them up).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

_SUPPRESS = [
    HealthCheck.too_slow,
    HealthCheck.filter_too_much,
    HealthCheck.data_too_large,
    HealthCheck.function_scoped_fixture,
]
settings.register_profile(
    "ci",
    max_examples=6,
    deadline=None,
    derandomize=True,
    report_multiple_bugs=False,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=_SUPPRESS,
    print_blob=True,
)
# derandomized like ci: every deep run (here and in CI) explores the same inputs, so its verdict is reproducible
settings.register_profile(
    "deep", max_examples=100, deadline=None, derandomize=True, suppress_health_check=_SUPPRESS, print_blob=True
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
# Applied per test (`settings(PROFILE_SETTINGS, ...)`), never loaded globally: other suites in the same
# worker process keep their own hypothesis settings.
PROFILE_SETTINGS = settings.get_profile(PROFILE)

# examples per test, by kind; `deep` multiplies (the schemathesis and state-machine budgets live here too).
# The deep budgets keep the run over EMULATORS_DEEP_MIN_REQUESTS with some margin, in about a third of the time
# the earlier 300/25/5/150/520/40 budgets took; all_checks (14 checks per case) carries most of the count.
BUDGETS: dict[str, dict[str, int]] = {
    "ci": {"valid": 6, "broken": 2, "unauth": 1, "schemathesis": 4, "all_checks": 3, "machine": 4, "machine_steps": 12},
    "deep": {
        "valid": 100,
        "broken": 8,
        "unauth": 3,
        "schemathesis": 50,
        "all_checks": 175,
        "machine": 15,
        "machine_steps": 40,
    },
}
BUDGET: dict[str, int] = BUDGETS[PROFILE]

COUNTS: Counter[str] = Counter()
_DIR_ENV = "EMULATORS_PROPERTY_COUNTS"
# property tests whose call phase ran in this session (with xdist the controller sees the workers' reports)
_RAN: set[str] = set()


def count(api: str, n: int = 1) -> None:
    COUNTS[api] += n


# The controller of an xdist run never loads this conftest (only the workers collect tests/properties), so the
# controller's side -- the counts folder, which tests ran, the minimum and the summary -- is hooked in from
# tests/conftest.py: configure, note_ran, check_minimum, summary.
def configure(config: pytest.Config) -> None:
    if not os.environ.get(_DIR_ENV) and not hasattr(config, "workerinput"):
        os.environ[_DIR_ENV] = tempfile.mkdtemp(prefix="emulator-property-counts-")


def note_ran(report: pytest.TestReport) -> None:
    if report.when == "call" and report.nodeid.startswith("tests/properties/"):
        _RAN.add(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: Any) -> None:
    """Each process that ran property tests (an xdist worker, or the one process) writes its counts."""
    where = os.environ.get(_DIR_ENV)
    if where and COUNTS and Path(where).is_dir():
        worker = getattr(session.config, "workerinput", {}).get("workerid", "main")
        (Path(where) / f"{worker}-{os.getpid()}.json").write_text(json.dumps(dict(COUNTS)))


def check_minimum(session: pytest.Session) -> None:
    """`make test-deep` sets EMULATORS_DEEP_MIN_REQUESTS (50,000): fewer generated requests, or an API with
    none, fails the run (a budget cut by accident would otherwise pass unnoticed)."""
    if not hasattr(session.config, "workerinput") and _short_of_minimum(_totals()):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _totals() -> Counter[str]:
    total: Counter[str] = Counter()
    where = os.environ.get(_DIR_ENV)
    if where and Path(where).is_dir():
        for f in Path(where).glob("*.json"):
            total.update(json.loads(f.read_text()))
    return total or COUNTS


def _short_of_minimum(total: Counter[str]) -> str | None:
    wanted = int(os.environ.get("EMULATORS_DEEP_MIN_REQUESTS") or 0)
    # the minimum is about a run that generated requests: a --collect-only run, or a pytest subprocess (which
    # inherits the variable) that selected no property test, has nothing to count
    if not wanted or not _RAN:
        return None
    from .recipes import APIS

    missing = [api for api in APIS if not total.get(api)]
    if sum(total.values()) < wanted or missing:
        return f"{sum(total.values())} generated requests (at least {wanted} wanted); none for {missing or '-'}"
    return None


def summary(terminalreporter: Any, config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    total = _totals()
    if total:
        terminalreporter.section(f"generated requests (hypothesis profile {PROFILE})")
        for api, n in sorted(total.items()):
            terminalreporter.write_line(f"{api:12} {n:8d}")
        terminalreporter.write_line(f"{'total':12} {sum(total.values()):8d}")
    short = _short_of_minimum(total)
    if short:
        terminalreporter.write_line(f"test-deep: FAILED: {short}", red=True)
