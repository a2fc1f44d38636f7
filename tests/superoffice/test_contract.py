"""The contract itself: valid OpenAPI 3.1, one handler per operation, examples fit their schemas."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from emulators.core.contract import Contract
from emulators.superoffice import EMULATOR

from .conftest import CONTRACT, contract


def test_contract_is_valid_openapi() -> None:
    validate(contract())


def test_contract_operations_equal_handlers() -> None:
    ops = Contract.load(CONTRACT).operations
    assert set(ops) == set(EMULATOR.handlers)


def test_contract_every_operation_documents_errors_in_the_envelope() -> None:
    for op in Contract.load(CONTRACT).operations.values():
        for status in ("401", "404", "500"):
            assert status in op.responses, (op.operation_id, status)
            schema = op.responses[status]["application/json"]
            assert schema is not None and schema["required"] == ["Error", "ErrorType", "ErrorMessage", "ErrorSource"]


def _schema(op: Any, status: str) -> dict[str, Any]:
    schema = op.responses[status]["application/json"]
    assert schema is not None
    return schema


def test_contract_seed_examples_validate() -> None:
    put = Contract.load(CONTRACT).operations["putProjectEntity"]
    raw = contract()["paths"]["/api/v1/Project/{id}"]["put"]
    for name, ex in raw["responses"]["200"]["content"]["application/json"]["examples"].items():
        errors = list(Draft202012Validator(_schema(put, "200")).iter_errors(ex["value"]))
        assert not errors, (name, errors[:1])
    for name, ex in raw["requestBody"]["content"]["application/json"]["examples"].items():
        errors = list(Draft202012Validator(put.body_media["application/json"]).iter_errors(ex["value"]))
        assert not errors, (name, errors[:1])
