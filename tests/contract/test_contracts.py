"""Every contract is valid OpenAPI 3.1, its examples validate, and it matches the handlers exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from emulators import build_app, registry
from emulators.core.contract import Contract, _resolve
from emulators.core.paths import contract_path
from emulators.core.validation import compile_schema
from emulators.testing.transport import client_for

ROOT = Path(__file__).resolve().parents[2]
APIS = registry.available()
ALL = [*APIS, "control"]


def _document(api: str) -> dict[str, Any]:
    with open(contract_path(api), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.mark.parametrize("api", ALL)
def test_contract_is_valid_openapi_31(api: str) -> None:
    doc = _document(api)
    assert str(doc["openapi"]).startswith("3.1")
    validate(json.loads(json.dumps(doc, default=str)))


def _examples(doc: dict[str, Any]) -> list[tuple[str, Any, dict[str, Any]]]:
    """(where, example value, schema) for every media-type example in requests and responses."""
    out = []
    resolved = _resolve(doc, doc)
    for path, item in resolved["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            bodies = [("request", (op.get("requestBody") or {}).get("content") or {})]
            bodies += [(f"response {s}", (r or {}).get("content") or {}) for s, r in op["responses"].items()]
            for label, content in bodies:
                for mt, media in content.items():
                    schema = (media or {}).get("schema")
                    if not schema or "json" not in mt:
                        continue
                    where = f"{method.upper()} {path} {label} {mt}"
                    if "example" in media:
                        out.append((where, media["example"], schema))
                    for name, ex in (media.get("examples") or {}).items():
                        if isinstance(ex, dict) and "value" in ex:
                            out.append((f"{where} [{name}]", ex["value"], schema))
    return out


@pytest.mark.parametrize("api", ALL)
def test_contract_examples_validate_against_their_schemas(api: str) -> None:
    doc = json.loads(json.dumps(_document(api), default=str))
    failures = []
    for where, value, schema in _examples(doc):
        issues = compile_schema(schema).issues(value, "example")
        if issues:
            failures.append(f"{where}: {issues[0].name}: {issues[0].message}")
    assert failures == []


@pytest.mark.parametrize("api", APIS)
def test_contract_operation_ids_equal_handlers(api: str) -> None:
    spec = registry.get(api)
    ops = set(Contract.load(spec.contract).operations)
    assert ops == set(spec.handlers), (
        f"only in contract: {ops - set(spec.handlers)}; only in handlers: {set(spec.handlers) - ops}"
    )


@pytest.mark.parametrize("api", APIS)
def test_contract_every_secured_operation_documents_401(api: str) -> None:
    contract = Contract.load(registry.get(api).contract)
    missing = [o.operation_id for o in contract.operations.values() if o.secured and "401" not in o.responses]
    assert missing == []


@pytest.mark.parametrize("api", APIS)
def test_contract_every_operation_with_a_body_documents_415_or_accepts_anything(api: str) -> None:
    contract = Contract.load(registry.get(api).contract)
    missing = [
        o.operation_id
        for o in contract.operations.values()
        if o.body_media and "*/*" not in o.body_media and "415" not in o.responses
    ]
    assert missing == []


@pytest.mark.parametrize("api", APIS)
def test_getContract_served_equals_file(api: str) -> None:
    with client_for(build_app(api)) as c:
        served = c.get("/__emulator/openapi.json").json()
    assert served == json.loads(json.dumps(_document(api), default=str))


@pytest.mark.parametrize("api", APIS)
def test_cli_contract_json_equals_file(api: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "emulators", "contract", api, "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == json.loads(json.dumps(_document(api), default=str))


@pytest.mark.parametrize("api", APIS)
def test_credentials_served_for_every_api(api: str) -> None:
    with client_for(build_app(api)) as c:
        creds = c.get("/__emulator/credentials").json()
    assert creds, f"{api}: GET /__emulator/credentials is empty"
