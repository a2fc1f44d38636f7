"""Shared set-up for the SuperOffice tests: an in-process app per test, credentials, the seeds' samples
(read from the contract's examples, which hold them verbatim)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from emulators import build_app
from emulators.testing.transport import client_for

CONTRACT = Path(__file__).resolve().parents[2] / "contracts" / "superoffice" / "openapi.yaml"
BASIC = {"Authorization": "Basic " + base64.b64encode(b"tje0:Tje0").decode()}
TICKET = "7T:dGplMDtUamUwOzEyMzQ1Njc4OTA="
APP_TOKEN = "a7f3c2e9b1d84f6e9c0d5b2a8e4f1c3d"
BEARER = {"Authorization": "Bearer 8A:Cust12345.AXRrCITpPBvQX3UbIohb"}
ONLINE = "/Cust12345/api/v1/Project"
ONSITE = "/api/v1/Project"


def contract() -> dict[str, Any]:
    with open(CONTRACT, encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def seed_sample(seed: str, kind: str) -> dict[str, Any]:
    """kind 'request' or 'response'; seed '001' or '003'."""
    put = contract()["paths"]["/api/v1/Project/{id}"]["put"]
    if kind == "request":
        examples = put["requestBody"]["content"]["application/json"]["examples"]
    else:
        examples = put["responses"]["200"]["content"]["application/json"]["examples"]
    value: dict[str, Any] = examples[f"seed{seed}"]["value"]
    return value


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with client_for(build_app("superoffice", strict=True), base_url="https://www.example.com") as c:
        yield c


def freeze(client: httpx.Client, iso: str = "2026-01-15T10:00:00Z") -> None:
    assert client.post("/__emulator/clock", json={"freeze": True}).status_code == 200
    assert client.post("/__emulator/clock", json={"set": iso}).status_code == 200


def advance(client: httpx.Client, seconds: float) -> None:
    assert client.post("/__emulator/clock", json={"advance_seconds": seconds}).status_code == 200


def assert_error(r: httpx.Response, status: int, error_type: str, message: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    assert set(body) == {"Error", "ErrorType", "ErrorMessage", "ErrorSource"}
    assert body["Error"] is True
    assert body["ErrorType"] == error_type, body
    if message is not None:
        assert message in body["ErrorMessage"], body
    return body
