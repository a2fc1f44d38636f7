"""The package docstring's example runs as a doctest, and docs/in-process.md's example test passes."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import emulators

pytest_plugins = ["pytester"]
DOC = Path(__file__).resolve().parents[2] / "docs" / "in-process.md"


def test_package_docstring_example_runs_as_a_doctest() -> None:
    result = doctest.testmod(emulators, verbose=False, report=True)
    assert result.attempted >= 6 and result.failed == 0


def _blocks() -> dict[str, str]:
    found = re.findall(r"```python\n(# (test_\w+)\.py\n.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    return {name: body for body, name in found}


def test_in_process_doc_has_its_example() -> None:
    assert list(_blocks()) == ["test_in_process_own_client"]


@pytest.mark.parametrize("name", sorted(_blocks()))
def test_in_process_doc_example_runs(name: str, pytester: pytest.Pytester) -> None:
    pytester.makepyfile(**{name: _blocks()[name]})
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-q", "-W", "ignore")
    result.assert_outcomes(passed=3)
