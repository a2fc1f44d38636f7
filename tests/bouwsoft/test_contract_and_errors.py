"""The contract (valid OpenAPI 3.1, in step with the field table and the handlers), the fixtures,
and the error envelope for 500s (fault injection, unexpected errors) and unknown routes."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from emulators import build_app
from emulators.bouwsoft import EMULATOR
from emulators.bouwsoft.fields import PROJECT_FIELDS
from emulators.bouwsoft.models import build_tenant
from emulators.core.app import load_fixtures
from emulators.core.call import Call, Reply
from emulators.core.contract import _resolve
from emulators.testing.transport import client_for

from .conftest import AUTH, error_of

DOC: dict[str, Any] = yaml.safe_load(EMULATOR.contract.read_text(encoding="utf-8"))
RESOLVED: dict[str, Any] = _resolve(DOC, DOC)


def schema(name: str) -> dict[str, Any]:
    s: dict[str, Any] = RESOLVED["components"]["schemas"][name]
    return s


def test_contract_is_valid_openapi() -> None:
    validate(DOC)


def test_contract_operations_equal_handlers() -> None:
    ops = {op["operationId"] for item in DOC["paths"].values() for op in item.values() if isinstance(op, dict)}
    assert ops == set(EMULATOR.handlers)


def test_contract_project_schema_follows_field_table() -> None:
    props = schema("Project")["properties"]
    assert list(props) == ["id", *(f.name for f in PROJECT_FIELDS)]
    for f in PROJECT_FIELDS:
        meta = props[f.name]["x-bouwsoft-field"]
        assert (meta["typeName"], meta["length"], meta["required"], meta["writeable"], meta["link"] or "") == (
            f.type_name,
            f.length,
            f.required,
            f.writeable,
            f.link,
        )
        if f.type_name == "tpString" and f.length:
            assert props[f.name]["maxLength"] == f.length


def test_contract_examples_validate() -> None:
    count = 0
    for item in RESOLVED["paths"].values():
        for op in item.values():
            for resp in op["responses"].values():
                for media in (resp.get("content") or {}).values():
                    examples = [media["example"]] if "example" in media else []
                    examples += [e["value"] for e in (media.get("examples") or {}).values()]
                    for ex in examples:
                        Draft202012Validator(media["schema"]).validate(ex)
                        count += 1
    assert count >= 12


def test_contract_every_operation_documents_errors() -> None:
    for item in DOC["paths"].values():
        for op in item.values():
            assert {"401", "500"} <= set(op["responses"]), op["operationId"]


def test_fixtures_projects_validate_against_contract() -> None:
    fixtures = load_fixtures(None, EMULATOR.fixtures)
    validator = Draft202012Validator(schema("Project"))
    for tenant in fixtures["tenants"]:
        data = build_tenant(fixtures, tenant, None)
        assert data is not None
        for key, rec in data["projects"].items():
            validator.validate({"id": int(key), **rec})


# errors ------------------------------------------------------------------------------------------
def test_updateProject_injected_fault_500_in_envelope(client: httpx.Client) -> None:
    rule = client.post("/__emulator/faults", json={"operation": "updateProject", "status": 500, "times": 1})
    assert rule.status_code == 201
    r = client.put("/api/v1/Projects/3320", params={"columns": "unr=5"}, headers=AUTH)
    assert r.status_code == 500
    assert error_of(r) == "What you sent can't be processed"
    assert client.put("/api/v1/Projects/3320", params={"columns": "unr=5"}, headers=AUTH).status_code == 200


def test_updateProject_fault_after_write_is_stored(client: httpx.Client) -> None:
    client.post("/__emulator/faults", json={"operation": "updateProject", "status": 500, "when": "after"})
    r = client.put("/api/v1/Projects/3320", params={"columns": "unr=77"}, headers=AUTH)
    assert r.status_code == 500
    assert error_of(r) == "What you sent can't be processed"
    client.delete("/__emulator/faults", headers={"Content-Type": "application/json"})
    assert client.get("/api/v1/Projects/3320", headers=AUTH).json()["Records"][0]["unr"] == 77


def test_getProject_unexpected_error_500_in_envelope() -> None:
    def crash(call: Call) -> Reply:
        raise RuntimeError("boom")

    spec = dataclasses.replace(EMULATOR, handlers={**EMULATOR.handlers, "getProject": crash})
    with client_for(build_app(spec, strict=True)) as c:
        r = c.get("/api/v1/Projects/3320", headers=AUTH)
    assert r.status_code == 500
    assert error_of(r) == "What you sent can't be processed"


def test_unknown_route_404_in_envelope(client: httpx.Client) -> None:
    r = client.get("/api/v1/Nothing", headers=AUTH)
    assert r.status_code == 404
    assert error_of(r) == "No such API call"


def test_deleteProject_not_offered_405(client: httpx.Client) -> None:
    r = client.delete("/api/v1/Projects/3320", headers=AUTH)
    assert r.status_code == 405
    assert error_of(r) == "The HTTP method is not allowed for this API call"


def test_health_names_bouwsoft(client: httpx.Client) -> None:
    assert client.get("/__emulator/health").json() == {"status": "ok", "emulator": "bouwsoft"}


def test_reset_restores_fixtures(client: httpx.Client) -> None:
    client.put("/api/v1/Projects/3320", params={"columns": "unr=5"}, headers=AUTH)
    client.post("/__emulator/reset", headers={"Content-Type": "application/json"})
    assert client.get("/api/v1/Projects/3320", headers=AUTH).json()["Records"][0]["unr"] == 0


def test_state_roundtrip(client: httpx.Client) -> None:
    client.put("/api/v1/Projects/3320", params={"columns": "unr=5"}, headers=AUTH)
    state = client.get("/__emulator/state").json()
    client.post("/__emulator/reset", headers={"Content-Type": "application/json"})
    assert client.put("/__emulator/state", json=state).status_code == 200
    assert client.get("/api/v1/Projects/3320", headers=AUTH).json()["Records"][0]["unr"] == 5
