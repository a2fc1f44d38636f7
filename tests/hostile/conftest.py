from __future__ import annotations

import re
from typing import Any

import httpx

from emulators.core.contract import Operation
from tests.properties.recipes import APIS, RECIPES, auth_parts, contract

from .tokens import python_tokens

__all__ = ["APIS", "assert_clean_4xx", "assert_healthy", "authed", "concrete_path"]


def concrete_path(api: str, op: Operation, fill: str = "1") -> str:
    return RECIPES[api].prefix + re.sub(r"\{[^}]+\}", fill, op.path)


def authed(api: str, client: httpx.Client, op: Operation) -> tuple[dict[str, str], dict[str, str]]:
    creds = RECIPES[api].creds(client)
    return auth_parts(op, creds, contract(api).document.get("security"))


def assert_clean_4xx(r: httpx.Response, what: str = "") -> None:
    assert 400 <= r.status_code < 500, f"{what}: {r.status_code} {r.text[:300]}"
    assert not python_tokens(r.content), f"{what}: {r.text[:300]}"
    assert r.headers.get("content-type", "").split(";")[0] in ("application/json", "application/xml", "text/xml"), (
        f"{what}: {r.headers.get('content-type')}"
    )


def assert_healthy(client: httpx.Client) -> None:
    """The server answers, and neither state nor journal (JSON and HAR) is poisoned."""
    assert client.get("/__emulator/health").status_code == 200
    for params in ({}, {"format": "har"}):
        r = client.get("/__emulator/requests", params=params)
        assert r.status_code == 200, r.text[:300]
        r.json()
    r = client.get("/__emulator/state")
    assert r.status_code == 200, r.text[:300]
    r.json()


def json_value(api: str) -> dict[str, Any]:
    return {"Name": "x"}
