"""README.md (its "For CI and QA" section) stays true: its example tests run (per API; skipped when the API
is missing) and its example scenario is valid."""

from __future__ import annotations

import re
from pathlib import Path

import h11
import httpcore
import pytest
import uvicorn
import yaml

from emulators.scenarios.scenario import parse
from emulators.testing.harness import EmulatorUnavailable, resolve_spec

pytest_plugins = ["pytester"]
# pytester's in-process runs drop modules first imported during the run; httpx imports httpcore lazily,
# so import the network stack here, or later tests see two copies of httpcore's exception classes
import_network_stack = (httpcore, uvicorn, h11)
DOC = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```(python|yaml)\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
EXAMPLES = {
    m.group(1): code
    for lang, code in BLOCKS
    if lang == "python"
    for m in [re.match(r"# (test_(\w+?)_example)\.py\n", code)]
    if m
}


QA_EXAMPLES = {
    m.group(1): code
    for lang, code in BLOCKS
    if lang == "python"
    for m in [re.match(r"# (test_qa_\w+)\.py\n", code)]
    if m
}


@pytest.mark.parametrize("name", sorted(QA_EXAMPLES))
def test_docs_qa_example_runs(name: str, pytester: pytest.Pytester) -> None:
    """The record / proxy / parity / HAR / Postman / verification examples of the CI and QA section."""
    pytester.makepyfile(**{name: QA_EXAMPLES[name]})
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_docs_have_the_qa_examples() -> None:
    assert sorted(QA_EXAMPLES) == ["test_qa_har_and_postman", "test_qa_parity", "test_qa_proxy", "test_qa_verify"]


def test_docs_have_one_example_per_api() -> None:
    assert sorted(EXAMPLES) == sorted(
        f"test_{api}_example" for api in ("bouwsoft", "superoffice", "aktion", "twelvebuild")
    )


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_docs_example_runs(name: str, pytester: pytest.Pytester) -> None:
    api = name.split("_")[1]
    try:
        resolve_spec(api)
    except EmulatorUnavailable as exc:
        pytest.skip(str(exc))
    pytester.makepyfile(**{name: EXAMPLES[name]})
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_docs_scenario_example_is_valid() -> None:
    scenarios = [code for lang, code in BLOCKS if lang == "yaml" and code.startswith("name:")]
    assert scenarios
    for text in scenarios:
        assert parse(text, "README.md").steps
        assert yaml.safe_load(text)["emulator"] == "bouwsoft"


def test_docs_scenario_example_replays(tmp_path: Path) -> None:
    from emulators.scenarios.runner import Runner

    text = next(code for lang, code in BLOCKS if lang == "yaml" and code.startswith("name:"))
    text = text.replace("fixtures: my-fixtures.yaml", "").replace("state: state.json", "")
    lines: list[str] = []
    result = Runner(out=lines.append).run(parse(text, "docs.yaml", tmp_path))
    if result.outcome == "skipped":
        pytest.skip(result.message)
    assert result.outcome == "passed", "\n".join(lines)
