"""Every API of emulators/registry.py holds to the package convention of docs/writing-an-emulator.md §1,
so the next API is held to it too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from emulators import registry
from emulators.core.call import Call, Reply
from emulators.core.contract import Contract
from emulators.core.spec import HandlerTable, handler_table
from tests.contract import layering

ROOT = Path(__file__).resolve().parents[2]
APIS = list(registry.APIS)


@pytest.mark.parametrize("api", APIS)
def test_package_files_are_where_the_convention_puts_them(api: str) -> None:
    wanted = [
        f"contracts/{api}/openapi.yaml",
        f"contracts/{api}/SOURCE.md",
        f"contracts/{api}/FIDELITY.md",
        f"fixtures/{api}/default.yaml",
        f"emulators/{api}/__init__.py",
        f"emulators/{api}/auth.py",
        f"emulators/{api}/errors.py",
        f"emulators/{api}/models.py",
        f"emulators/{api}/fixtures_model.py",
        f"tests/{api}/shared.py",
    ]
    assert [p for p in wanted if not (ROOT / p).exists()] == []
    handlers = ROOT / "emulators" / api
    assert (handlers / "handlers.py").exists() or (handlers / "handlers" / "__init__.py").exists()
    grab_bags = [p.name for p in handlers.rglob("*.py") if p.stem in ("utils", "helpers", "util", "misc")]
    assert grab_bags == []


@pytest.mark.parametrize("api", APIS)
def test_package_init_holds_the_spec_and_nothing_else(api: str) -> None:
    """Imports, constants the spec is built from, and `EMULATOR`: no function, class or logic."""
    tree = ast.parse((ROOT / "emulators" / api / "__init__.py").read_text(encoding="utf-8"))
    other = []
    assigned = []
    for node in tree.body[1:]:  # after the docstring
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets):
            assigned += [t.id for t in node.targets if isinstance(t, ast.Name)]
            continue
        other.append(f"line {node.lineno}: {type(node).__name__}")
    assert other == []
    assert "EMULATOR" in assigned


@pytest.mark.parametrize("api", APIS)
def test_package_spec_follows_the_convention(api: str) -> None:
    spec = registry.get(api)
    assert spec.name == api
    assert not hasattr(spec, "port")  # the port lives in registry.APIS
    assert isinstance(spec.handlers, HandlerTable), "handlers are built by core.spec.handler_table(...)"
    assert sorted(spec.handlers) == sorted(Contract.load(spec.contract).operations)
    assert spec.render_error.__module__ == f"emulators.{api}.errors"
    assert spec.authenticate is not None and spec.authenticate.__module__ == f"emulators.{api}.auth"
    # fixture files and PUT /__emulator/state are validated by these models, the one path
    assert spec.fixtures_model == f"emulators.{api}.fixtures_model"


@pytest.mark.parametrize("api", APIS)
def test_package_handlers_are_named_after_their_operationIds(api: str) -> None:
    """`<operationId>Alt` (an alternative method of the same operation) is served by `<operationId>`."""
    spec = registry.get(api)
    misnamed = {
        op: fn.__name__
        for op, fn in spec.handlers.items()
        if fn.__name__ != op and not (op.endswith("Alt") and fn.__name__ == op.removesuffix("Alt"))
    }
    assert misnamed == {}


@pytest.mark.parametrize("api", APIS)
def test_package_imports_only_the_kernel_face_and_no_other_api(api: str) -> None:
    package = f"emulators.{api}"
    assert [b for b in layering.breaches(ROOT) if b.startswith(package)] == []


def test_handler_table_refuses_a_duplicate_operationId() -> None:
    def listThings(call: Call) -> Reply:
        raise AssertionError

    with pytest.raises(ValueError) as refused:
        handler_table({"listThings": listThings}, {"listThings": listThings})
    assert str(refused.value) == "operationId 'listThings' has two handlers"
