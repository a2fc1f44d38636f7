"""Every status a handler can raise is documented for its operation.

Static: each API package's functions are read with `ast`; a function's statuses are those of the kernel error
classes it constructs (`NotFound(...)` -> 404, ...), the `status=NNN` literals it passes, and - transitively -
those of the package functions it calls by name. A handler (function named like its operationId) must
document each of them. Statuses a vendor helper computes from a table (no literal) escape this scan; the
generated-request properties (never a 5xx under strict mode, which turns an undocumented status into a 500)
cover those dynamically.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

import pytest

from emulators import registry
from emulators.core import errors
from emulators.core.contract import Contract

from .known_status_gaps import HANDLER_STATUS_GAPS

KERNEL_STATUS = {
    name: str(cls.status)
    for name, cls in vars(errors).items()
    if isinstance(cls, type) and issubclass(cls, errors.EmulatorError) and cls is not errors.EmulatorError
}
# raised by the pipeline, not by handlers: documented separately (test_contracts / test_completeness)
NOT_FROM_HANDLERS = {
    "RouteNotFound",
    "MethodNotAllowed",
    "HandlerCrashed",
    "ResponseContractViolation",
    "InjectedFault",
    "InternalError",
}


def _functions(api: str) -> dict[str, ast.FunctionDef]:
    pkg = Path(importlib.import_module(registry.APIS[api][0]).__file__ or "").parent
    out: dict[str, ast.FunctionDef] = {}
    for path in sorted(pkg.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                out.setdefault(node.name, node)
    return out


def _direct(fn: ast.FunctionDef) -> tuple[set[str], set[str]]:
    """(statuses constructed in `fn`, names of functions it calls)."""
    statuses: set[str] = set()
    calls: set[str] = set()
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        name = (
            node.func.id
            if isinstance(node.func, ast.Name)
            else node.func.attr
            if isinstance(node.func, ast.Attribute)
            else ""
        )
        if name in KERNEL_STATUS and name not in NOT_FROM_HANDLERS:
            statuses.add(KERNEL_STATUS[name])
        for kw in node.keywords:
            if (
                kw.arg == "status"
                and isinstance(kw.value, ast.Constant)
                and isinstance(kw.value.value, int)
                and kw.value.value >= 400
                and name not in ("Reply", "ErrorBody")
            ):
                statuses.add(str(kw.value.value))
        if name:
            calls.add(name)
    return statuses, calls


def handler_statuses(api: str) -> dict[str, set[str]]:
    funcs = _functions(api)
    direct = {name: _direct(fn) for name, fn in funcs.items()}
    memo: dict[str, set[str]] = {}

    def closure(name: str, seen: frozenset[str]) -> set[str]:
        if name in memo:
            return memo[name]
        statuses, calls = direct[name]
        out = set(statuses)
        for callee in calls:
            if callee in direct and callee not in seen and callee != "render_error":
                out |= closure(callee, seen | {callee})
        if not seen - {name}:
            memo[name] = out
        return out

    ops = Contract.load(registry.get(api).contract).operations
    return {op: closure(op, frozenset({op})) for op in ops if op in direct}


def _cases() -> list[Any]:
    out = []
    for api in registry.available():
        for op, statuses in handler_statuses(api).items():
            for status in sorted(statuses):
                reason = HANDLER_STATUS_GAPS.get((api, op, status))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                out.append(pytest.param(api, op, status, id=f"{api}-{op}-{status}", marks=marks))
    return out


@pytest.mark.parametrize(("api", "operation_id", "status"), _cases())
def test_handler_raised_status_is_documented(api: str, operation_id: str, status: str) -> None:
    responses = Contract.load(registry.get(api).contract).operations[operation_id].responses
    assert status in responses or "default" in responses, (
        f"{operation_id} can raise {status}; documents {sorted(responses)}"
    )


def test_handler_status_scan_finds_statuses() -> None:
    found = {api: sum(len(s) for s in handler_statuses(api).values()) for api in registry.available()}
    assert all(found.values()), found
