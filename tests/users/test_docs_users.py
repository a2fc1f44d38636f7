"""The docs pages of HTTPS, stubs, latency, hot reload and MCP stay true: every ```python block whose first
line is `# test_<subject>_<what>.py` runs as its own pytest file."""

from __future__ import annotations

import re
from pathlib import Path

import h11
import httpcore
import pytest
import trustme
import uvicorn
from cryptography.hazmat.primitives.asymmetric import ec

pytest_plugins = ["pytester"]
# pytester's in-process runs drop the modules first imported during a run (tests/testing/test_docs.py):
# the network stack, and trustme's cryptography (two copies of its classes refuse each other's curves)
import_first = (httpcore, uvicorn, h11, trustme, ec)
DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ("tls", "stubs", "latency", "watch", "mcp")
EXAMPLES = {
    m.group(1): code
    for page in PAGES
    for code in re.findall(r"```python\n(.*?)```", (DOCS / f"{page}.md").read_text(encoding="utf-8"), flags=re.S)
    for m in [re.match(r"# (test_\w+)\.py\n", code)]
    if m
}


def test_docs_users_every_page_has_an_example() -> None:
    assert {name.split("_")[1] for name in EXAMPLES} == set(PAGES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_docs_users_example_runs(name: str, pytester: pytest.Pytester) -> None:
    if name.startswith("test_mcp_"):
        pytest.importorskip("mcp")
    pytester.makepyfile(**{name: EXAMPLES[name]})
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=1)
