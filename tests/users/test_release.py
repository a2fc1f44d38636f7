"""Release hygiene: version, changelog, metadata, shell completion."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import emulators

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_version_is_one_everywhere() -> None:
    assert PROJECT["version"] == emulators.__version__ == "0.2.0"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{emulators.__version__}] - " in changelog


def test_changelog_is_keep_a_changelog_without_internal_numbers() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[([^\]]+)\]", changelog, flags=re.M)
    assert versions[0] == "Unreleased" and versions[1:3] == ["0.2.0", "0.1.0"]
    assert not re.search(r"\bissues? #?\d+", changelog, flags=re.I)
    for heading in re.findall(r"^### (.+)$", changelog, flags=re.M):
        assert heading in ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")


def test_metadata_classifiers_and_urls() -> None:
    classifiers = set(PROJECT["classifiers"])
    assert {"Framework :: Pytest", "Typing :: Typed", "Programming Language :: Python :: 3.11"} <= classifiers
    assert PROJECT["requires-python"] == ">=3.11"
    assert {"Homepage", "Documentation", "Changelog", "Issues"} <= set(PROJECT["urls"])


def test_completion_bash_names_every_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "emulators", "completion", "bash"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    commands = re.search(r"^_shtab_emulators_subparsers=\((.*?)\)$", out.stdout, flags=re.M)
    assert commands is not None
    names = set(commands.group(1).split())
    assert {"serve", "list", "contract", "schema", "replay", "mcp", "completion"} <= names
    assert "--tls" in out.stdout and "--watch" in out.stdout and "--latency" in out.stdout
