"""The registry is the one list: every registered API imports, `EMULATORS` is a consistent lazy Mapping, a broken
package is an error (never dropped), and every registered API is inside the reach of every shared test
(contract, property, fidelity, state machine), with its per-API knowledge in tests/<api>/shared.py."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from emulators import registry
from emulators.core.spec import EmulatorSpec
from emulators.fidelity import case_pattern
from tests.properties import recipes
from tests.properties.kit import ApiMachine, Recipe

ROOT = Path(__file__).resolve().parents[2]
# the shared test modules: each must run every registered API (its parametrised ids start with "[<api>")
SHARED = [
    "tests/contract/test_contracts.py",
    "tests/contract/test_completeness.py",
    "tests/contract/test_fidelity.py",
    "tests/contract/test_handler_statuses.py",
    "tests/properties/test_operations.py",
    "tests/properties/test_schemathesis.py",
    "tests/properties/test_state_machines.py",
]


@pytest.mark.parametrize("api", list(registry.APIS))
def test_registry_api_imports_with_its_spec(api: str) -> None:
    spec = registry.get(api)
    assert isinstance(spec, EmulatorSpec) and spec.name == api
    assert not hasattr(spec, "port"), f"{api}: the port lives in registry.APIS only"


def test_registry_emulators_is_a_consistent_mapping() -> None:
    emulators = registry.EMULATORS
    assert isinstance(emulators, Mapping)
    assert list(emulators) == list(emulators.keys()) == list(registry.APIS)
    assert len(emulators) == len(registry.APIS) == len(emulators.items()) == len(emulators.values())
    assert "bouwsoft" in emulators and "nope" not in emulators and 42 not in emulators
    assert [name for name, spec in emulators.items()] == [spec.name for spec in emulators.values()]
    assert emulators["twelvebuild"] is registry.get("twelvebuild")
    with pytest.raises(KeyError):
        emulators["nope"]
    assert emulators.get("nope") is None


def test_registry_available_is_every_registered_api() -> None:
    assert registry.available() == list(registry.APIS)


def test_registry_missing_package_is_an_error_not_a_silent_omission(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.APIS, "ghostapi", ("emulators.ghostapi", 8799))
    assert "ghostapi" in registry.EMULATORS and len(registry.EMULATORS) == 5
    with pytest.raises(
        registry.RegistryError,
        match=r"'ghostapi' is registered but its package emulators.ghostapi "
        r"does not import: ModuleNotFoundError",
    ):
        registry.available()


def test_registry_package_that_raises_on_import_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "broken_api_pkg.py").write_text("raise RuntimeError('half written')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(registry.APIS, "broken", ("broken_api_pkg", 8798))
    with pytest.raises(registry.RegistryError, match=r"'broken' .* does not import: RuntimeError: half written"):
        registry.available()
    with pytest.raises(registry.RegistryError):
        registry.EMULATORS["broken"]


def test_registry_package_without_emulator_spec_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.APIS, "nospec", ("emulators.core.errors", 8797))
    with pytest.raises(registry.RegistryError, match=r"emulators.core.errors holds no EMULATOR"):
        registry.get("nospec")


@pytest.mark.parametrize("api", list(registry.APIS))
def test_registry_api_has_shared_test_knowledge(api: str) -> None:
    module = recipes.shared(api)
    assert isinstance(module.RECIPE, Recipe) and module.RECIPE.api == api
    assert issubclass(module.MACHINE, ApiMachine) and module.MACHINE.api == api
    assert recipes.RECIPES[api] is module.RECIPE and recipes.MACHINES[api] is module.MACHINE


def test_registry_fifth_api_without_shared_knowledge_fails() -> None:
    with pytest.raises(LookupError, match=r"ghostapi is registered .* no tests/ghostapi/shared.py"):
        recipes.shared("ghostapi")


def test_registry_fidelity_report_knows_every_registered_api(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.APIS, "ghostapi", ("emulators.ghostapi", 8799))
    for api in registry.APIS:
        m = case_pattern().search(f"test_generated[{api}-getThing-valid]")
        assert m is not None and m["api"] == api and m["op"] == "getThing"


@pytest.mark.deep  # a pytest subprocess collecting the whole suite
def test_registry_every_api_is_in_every_shared_test() -> None:
    """Collects the shared modules: removing an API from one of them (a hard-coded list) fails here."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-o",
        "addopts=",
        "--collect-only",
        "-q",
        "-p",
        "no:randomly",
        "-p",
        "no:xdist",
        *SHARED,
    ]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    ids = [line for line in proc.stdout.splitlines() if "::" in line]
    missing = [
        f"{module}: {api}"
        for module in SHARED
        for api in registry.APIS
        if not any(i.startswith(module + "::") and f"[{api}" in i for i in ids)
    ]
    assert not missing, "registered APIs outside a shared test's reach: " + ", ".join(missing)
