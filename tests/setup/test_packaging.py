"""Conventions: schemas current and shipped, licence/changelog/py.typed, runtime-only `make run`, the safe cache."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

from emulators.core import datafile
from emulators.core.paths import fixtures_path
from emulators.registry import APIS
from emulators.schemas import generate, schema, targets

ROOT = Path(__file__).parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("kind", "api"), targets())
def test_shipped_schema_matches_the_models(kind: str, api: str | None) -> None:
    assert schema(kind, api) == generate(kind, api), "run `python -m emulators.schemas` to regenerate"


@pytest.mark.parametrize("api", list(APIS))
def test_default_fixtures_validate_against_the_shipped_json_schema(api: str) -> None:
    data = yaml.safe_load(fixtures_path(api).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema("fixtures", api)).validate(data)


def test_fixtures_json_schema_rejects_a_typo() -> None:
    validator = jsonschema.Draft202012Validator(schema("fixtures", "bouwsoft"))
    assert not validator.is_valid({"tenants": {"115": {"projets": {}}}})


def test_license_changelog_and_py_typed_exist() -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert PYPROJECT["project"]["license"] == {"text": "MIT"}
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert (ROOT / "emulators" / "py.typed").is_file()


def test_runtime_dependencies_are_only_what_serving_needs() -> None:
    deps = [re.split(r"[<>=;\[ ]", d)[0].lower() for d in PYPROJECT["project"]["dependencies"]]
    assert not any("[" in d for d in PYPROJECT["project"]["dependencies"])  # no uvicorn[standard]
    assert {"uvicorn", "uvloop", "httptools"} <= set(deps)
    tooling = {
        "pytest",
        "pytest-xdist",
        "pytest-asyncio",
        "hypothesis",
        "schemathesis",
        "ruff",
        "mypy",
        "watchfiles",
        "websockets",
        "python-dotenv",
    }
    assert not tooling & set(deps)
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert any(d.startswith("pytest-asyncio") for d in extras["test"])
    assert any(d.startswith("anyio") for d in extras["test"])
    assert any(d.startswith("ruff") for d in extras["lint"])


def _make_dry_run(target: str, tmp_path: Path) -> str:
    out = subprocess.run(
        ["make", "-n", target, f"VENV={tmp_path / 'venv'}"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout


def test_make_run_installs_the_runtime_only(tmp_path: Path) -> None:
    installs = [line for line in _make_dry_run("run", tmp_path).splitlines() if "pip install" in line]
    assert any(line.rstrip().endswith("install -q -e .") for line in installs)
    assert not any("[test" in line or "[lint" in line for line in installs)


def test_make_test_adds_the_test_extra(tmp_path: Path) -> None:
    installs = [line for line in _make_dry_run("test", tmp_path).splitlines() if "pip install" in line]
    assert any("'.[test]'" in line for line in installs)


def test_readme_install_line_works_from_a_checkout() -> None:
    configuration = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert "pip install vendor-emulators" not in README + configuration
    assert "pip install /path/to/checkout" in README and "pip wheel --no-deps" in configuration


# the parse cache -------------------------------------------------------------------------------------------
def test_pickle_cache_is_gone() -> None:
    assert not (ROOT / "emulators" / "core" / "yamlcache.py").exists()
    for path in (ROOT / "emulators").rglob("*.py"):
        assert not re.search(r"^\s*import pickle|^\s*from pickle", path.read_text(encoding="utf-8"), re.M), path


def test_cache_files_are_json_and_a_poisoned_file_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATORS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EMULATORS_NO_CACHE", raising=False)
    src = tmp_path / "doc.yaml"
    src.write_text("a: 1\nb: [x, y]\n", encoding="utf-8")
    assert datafile.load_yaml(src) == {"a": 1, "b": ["x", "y"]}
    [cached] = list((tmp_path / "cache").iterdir())
    assert json.loads(cached.read_text(encoding="utf-8")) == {"a": 1, "b": ["x", "y"]}
    cached.write_bytes(b"\x80\x04\x95cos\nsystem\n(S'echo pwned'\ntR.")  # a pickle payload: just bad JSON
    assert datafile.load_yaml(src) == {"a": 1, "b": ["x", "y"]}


def test_cache_skips_documents_json_cannot_carry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATORS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EMULATORS_NO_CACHE", raising=False)
    src = tmp_path / "doc.yaml"
    src.write_text("115: 2026-01-02\n", encoding="utf-8")
    first = datafile.load_yaml(src)
    assert datafile.load_yaml(src) == first and not (tmp_path / "cache").exists()
