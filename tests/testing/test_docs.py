"""README.md and docs/*.md stay true: every example runs, every scenario example is valid, the fidelity
tables equal contracts/<api>/FIDELITY.md, and the README keeps its shape.

A ```python block whose first line is `# test_<name>.py` is a self-contained pytest file, run with pytester;
one whose first line is `# <name>.py` is a script that must exit 0; any other python block must compile.
A ```yaml block holding `steps` is a scenario and must validate. `python tests/testing/test_docs.py`
rewrites docs/fidelity.md's copies of the FIDELITY.md files."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import h11
import httpcore
import pytest
import trustme
import uvicorn
import yaml

from emulators import registry
from emulators.core.contract import Contract
from emulators.fidelity import _fidelity_md_features
from emulators.scenarios.scenario import parse
from emulators.testing.harness import EmulatorUnavailable, resolve_spec

pytest_plugins = ["pytester"]
# pytester's in-process runs drop modules first imported during the run; httpx imports httpcore lazily,
# so import the network stack here, or later tests see two copies of httpcore's exception classes
import_network_stack = (httpcore, uvicorn, h11, trustme)  # trustme: its cryptography classes, once
ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]
FIDELITY_DOC = ROOT / "docs" / "fidelity.md"
APIS = ("bouwsoft", "superoffice", "aktion", "twelvebuild")


def _blocks() -> list[tuple[str, str, str]]:
    """(file relative to the root, language, code) of every python / yaml block."""
    out = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for lang, code in re.findall(r"^```(python|yaml)\n(.*?)^```", text, flags=re.S | re.M):
            out.append((str(doc.relative_to(ROOT)), lang, code))
    return out


BLOCKS = _blocks()
NAMED = [
    (m.group(1), where, code)
    for where, lang, code in BLOCKS
    if lang == "python"
    for m in [re.match(r"# (\w+)\.py\n", code)]
    if m
]
TESTS = {name: code for name, _, code in NAMED if name.startswith("test_")}
SCRIPTS = {name: code for name, _, code in NAMED if not name.startswith("test_")}
FRAGMENTS = [(where, code) for where, lang, code in BLOCKS if lang == "python" and not re.match(r"# \w+\.py\n", code)]
SCENARIOS = [
    (where, code)
    for where, lang, code in BLOCKS
    if lang == "yaml"
    for docs in [list(yaml.safe_load_all(code))]
    if len(docs) == 1 and isinstance(docs[0], dict) and "steps" in docs[0]
]


def test_docs_example_names_are_unique() -> None:
    assert [n for n, c in Counter(name for name, _, _ in NAMED).items() if c > 1] == []


def test_docs_keep_their_examples() -> None:
    """The examples other pages and users point at stay: one per API and the QA ones."""
    expected = {f"test_{api}_example" for api in APIS} | {
        "test_qa_har_and_postman",
        "test_qa_parity",
        "test_qa_proxy",
        "test_qa_verify",
        "test_readme_example",
    }
    assert expected <= set(TESTS)
    assert "in_process_example" in SCRIPTS


def _skip_unless_installed(code: str) -> None:
    for api in APIS:
        if re.search(rf"\b{api}_(emulator|server)\b|\"{api}\"", code):
            try:
                resolve_spec(api)
            except EmulatorUnavailable as exc:
                pytest.skip(str(exc))


@pytest.mark.parametrize("name", sorted(TESTS))
def test_docs_example_runs(name: str, pytester: pytest.Pytester) -> None:
    _skip_unless_installed(TESTS[name])
    pytester.makepyfile(**{name: TESTS[name]})
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=len(re.findall(r"^(?:async )?def test_", TESTS[name], flags=re.M)))


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_docs_script_runs(name: str, pytester: pytest.Pytester) -> None:
    _skip_unless_installed(SCRIPTS[name])
    script = pytester.makepyfile(**{name: SCRIPTS[name]})
    result = pytester.runpython(script)
    assert result.ret == 0, "\n".join(result.errlines)


def test_docs_fragments_compile() -> None:
    for where, code in FRAGMENTS:
        compile(code, where, "exec")


def test_docs_scenario_examples_are_valid() -> None:
    assert any(where == "docs/scenarios.md" for where, _ in SCENARIOS)
    for where, text in SCENARIOS:
        assert parse(text, where).steps, where


def test_docs_scenario_example_replays(tmp_path: Path) -> None:
    from emulators.scenarios.runner import Runner

    text = next(code for where, code in SCENARIOS if where == "docs/scenarios.md")
    assert yaml.safe_load(text)["emulator"] == "bouwsoft"
    text = text.replace("fixtures: my-fixtures.yaml", "").replace("state: state.json", "")
    lines: list[str] = []
    result = Runner(out=lines.append).run(parse(text, "docs.yaml", tmp_path))
    if result.outcome == "skipped":
        pytest.skip(result.message)
    assert result.outcome == "passed", "\n".join(lines)


# the README's shape ---------------------------------------------------------------------------------------


def test_readme_is_short_with_the_two_commands_on_its_first_screen() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 250
    first_screen = "\n".join(lines[:40])
    assert "make run" in first_screen and "make test" in first_screen


def test_docs_links_resolve() -> None:
    for doc in [*DOCS, ROOT / "ARCHITECTURE.md"]:
        for target in re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.relative_to(ROOT)} links {target}"


def test_docs_headings_carry_no_issue_numbers() -> None:
    for doc in [*DOCS, ROOT / "ARCHITECTURE.md"]:
        for line in doc.read_text(encoding="utf-8").splitlines():
            assert not (line.startswith("#") and re.search(r"\bissues? #?\d+", line, re.I)), line


def test_make_help_lists_every_target() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = {t for line in re.findall(r"^\.PHONY:(.*)$", makefile, re.M) for t in line.split()}
    described = set(re.findall(r"^([a-z][a-z-]*):.*## ", makefile, re.M))
    assert phony - {"install", "install-test"} <= described and "help" in described


# fidelity tables ------------------------------------------------------------------------------------------


def _fidelity_copy(api: str) -> str:
    text = FIDELITY_DOC.read_text(encoding="utf-8")
    begin, end = rf"<!-- BEGIN contracts/{api}/FIDELITY.md[^>]*-->\n", rf"<!-- END contracts/{api}/FIDELITY.md -->"
    m = re.search(begin + "(.*?)" + end, text, re.S)
    assert m, f"docs/fidelity.md has no copy of contracts/{api}/FIDELITY.md"
    return m.group(1)


@pytest.mark.parametrize("api", APIS)
def test_docs_fidelity_table_equals_the_contracts_file(api: str) -> None:
    source = (ROOT / "contracts" / api / "FIDELITY.md").read_text(encoding="utf-8")
    assert _fidelity_copy(api) == source, "run `python tests/testing/test_docs.py` to copy it again"


def test_readme_fidelity_summary_counts_the_fidelity_files() -> None:
    rows = {
        cells[0].strip("`"): cells[2:]
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
        for cells in [[c.strip() for c in line.strip().strip("|").split("|")]]
        if len(cells) == 6 and cells[0].strip("`") in APIS
    }
    assert sorted(rows) == sorted(APIS)
    for api in APIS:
        spec = registry.get(api)
        counts = Counter(item.status for item in _fidelity_md_features(api, Path(spec.contract)))
        operations = len(Contract.load(spec.contract).operations)
        expected = [str(operations), *(str(counts[s]) for s in ("documented", "inferred", "not emulated"))]
        assert rows[api] == expected, (
            f"README's fidelity summary for {api}: operations, documented, inferred, not emulated"
        )


def sync_fidelity_copies() -> None:
    """Rewrite docs/fidelity.md's copies of contracts/<api>/FIDELITY.md."""
    text = FIDELITY_DOC.read_text(encoding="utf-8")
    for api in APIS:
        source = (ROOT / "contracts" / api / "FIDELITY.md").read_text(encoding="utf-8")
        begin, end = rf"<!-- BEGIN contracts/{api}/FIDELITY.md[^>]*-->\n", rf"<!-- END contracts/{api}/FIDELITY.md -->"
        m = re.search(f"({begin}).*?({end})", text, re.S)
        if m:
            text = text[: m.start()] + m.group(1) + source + m.group(2) + text[m.end() :]
    FIDELITY_DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sync_fidelity_copies()
    sys.exit(0)
