"""Completeness beyond test_contracts.py: statuses the kernel raises on its own are documented, and every
fixture record, read back through the API, is a body its contract schema accepts."""

from __future__ import annotations

from typing import Any

import pytest

from emulators import build_app, registry
from emulators.core.contract import Contract, Operation
from emulators.testing.transport import client_for
from tests.properties.recipes import APIS, RECIPES, auth_parts, id_pool

# (api, operationId) -> why the case fails (the owner fixes the contract, then removes the entry)
UNDOCUMENTED_400: dict[tuple[str, str], str] = {}


def _ops(api: str) -> list[Operation]:
    return list(Contract.load(registry.get(api).contract).operations.values())


def _cases() -> list[Any]:
    out = []
    for api in APIS:
        for op in _ops(api):
            reason = UNDOCUMENTED_400.get((api, op.operation_id))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(api, op.operation_id, id=f"{api}-{op.operation_id}", marks=marks))
    return out


@pytest.mark.parametrize(("api", "operation_id"), _cases())
def test_contract_documents_the_kernel_400(api: str, operation_id: str) -> None:
    """Validation (ValidationFailed / MalformedBody) and control characters (BadCharacters) are 400s the
    kernel raises before any handler: every operation can produce one, so every operation documents it
    (or a `default` response)."""
    op = Contract.load(registry.get(api).contract).operations[operation_id]
    assert "400" in op.responses or "default" in op.responses


def _read_ops(api: str) -> list[tuple[Operation, str]]:
    """GET operations whose one required input (besides credentials) is an id: (operation, parameter)."""
    out = []
    cred_names = {"token", "x-auth-token", "authorization", "clientnr", "accesstoken"}
    for op in _ops(api):
        required = [p for p in op.params if p.required and p.name.lower() not in cred_names]
        if op.method == "GET" and len(required) == 1 and required[0].location in ("path", "query"):
            out.append((op, required[0].name))
    return out


@pytest.mark.parametrize("api", APIS)
def test_fixture_records_read_back_validate_against_the_contract(api: str) -> None:
    recipe = RECIPES[api]
    client = client_for(build_app(api))
    creds = recipe.creds(client)
    security = Contract.load(registry.get(api).contract).document.get("security")
    ids = id_pool(client, recipe)
    found = 0
    for op, param in _read_ops(api):
        headers, query = auth_parts(op, creds, security)
        param_in = next(p.location for p in op.params if p.name == param)
        for key in ids:
            path = op.path.replace("{" + param + "}", key) if param_in == "path" else op.path
            params = {**query, **({param: key} if param_in == "query" else {})}
            r = client.get(recipe.prefix + path, headers=headers, params=params)
            # strict mode (tests/conftest.py) turns a body outside the schema or an undocumented status into 500
            assert r.status_code < 500, f"{api} {op.operation_id}({key}): {r.status_code} {r.text[:300]}"
            found += r.status_code == 200
    assert found, f"{api}: no fixture record could be read back"
