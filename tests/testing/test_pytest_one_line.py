"""Under pytest a user's mistake is the one line the CLI prints (issue 28): a marker typo, a missing or
invalid fixtures file, a refused fault rule or clock setting, an unknown API; pytest runs in a subprocess."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = """
import pytest

@pytest.mark.emulator_fixtures(bousoft="bad.yaml")
def test_marker_typo(bouwsoft_emulator):
    pass

@pytest.mark.emulator_fixtures(bouwsoft="missing.yaml")
def test_missing_file(bouwsoft_emulator):
    pass

@pytest.mark.emulator_fixtures(bouwsoft="bad.yaml")
def test_bad_file(bouwsoft_emulator):
    pass

def test_fault(bouwsoft_emulator):
    bouwsoft_emulator.faults.add(status=99, pathh="/x")

def test_clock(bouwsoft_emulator):
    bouwsoft_emulator.clock.set("tomorrow")

def test_unknown_api(make_emulator):
    make_emulator("bousoft")
"""
BAD_FIXTURES = "credentials:\n  clientnr: 115\n"

EXPECTED = {
    "ERROR at setup of test_marker_typo": "emulator_fixtures: unknown emulator 'bousoft'; did you mean `bouwsoft`? "
    "(known: bouwsoft, superoffice, aktion, twelvebuild)",
    "ERROR at setup of test_missing_file": "emulator_fixtures: fixtures file 'missing.yaml' not found "
    "(relative to the test file)",
    "ERROR at setup of test_bad_file": "{dir}/bad.yaml:2: credentials.refresh_token: required field missing",
    "test_fault": "fault rule refused (400): pathh: Additional properties are not allowed ('pathh' was unexpected); "
    "did you mean `path`?; status: 99 is less than the minimum of 100",
    "test_clock": "clock refused (400): set: not an ISO 8601 date-time between years 1 and 9999: tomorrow",
    "test_unknown_api": "unknown emulator 'bousoft'; did you mean `bouwsoft`? "
    "(known: bouwsoft, superoffice, aktion, twelvebuild, or a module with EMULATOR)",
}


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-W", "ignore", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _sections(out: str) -> dict[str, list[str]]:
    """pytest's report sections (`____ name ____`) and their non-empty lines."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in out.splitlines():
        head = re.fullmatch(r"_{3,} (.+?) _{3,}", line)
        if head:
            current = sections.setdefault(head.group(1), [])
        elif re.fullmatch(r"=+ .* =+", line):
            current = None
        elif current is not None and line.strip():
            current.append(line)
    return sections


def test_pytest_reports_each_user_mistake_in_exactly_one_line(tmp_path: Path) -> None:
    (tmp_path / "test_mistakes.py").write_text(TESTS, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(BAD_FIXTURES, encoding="utf-8")
    run = _pytest(tmp_path)
    sections = _sections(run.stdout)
    for name, line in EXPECTED.items():
        assert sections.get(name) == [line.format(dir=tmp_path)], run.stdout
    assert "3 failed, 3 errors" in run.stdout


@pytest.mark.parametrize(
    ("option", "line"),
    [
        (
            "--emulator-fixtures=bousoft=x.yaml",
            "ERROR: --emulator-fixtures 'bousoft=x.yaml': unknown emulator 'bousoft'; did you mean `bouwsoft`? "
            "(known: bouwsoft, superoffice, aktion, twelvebuild)",
        ),
        (
            "--emulator-fixtures=bouwsoft",
            "ERROR: --emulator-fixtures 'bouwsoft': expected API=PATH (e.g. bouwsoft=fixtures.yaml)",
        ),
    ],
)
def test_pytest_refuses_a_bad_plugin_option_in_one_line(tmp_path: Path, option: str, line: str) -> None:
    (tmp_path / "test_ok.py").write_text("def test_ok():\n    pass\n", encoding="utf-8")
    run = _pytest(tmp_path, option)
    assert run.returncode == 4
    assert [x for x in run.stderr.splitlines() if x.strip()] == [line]
