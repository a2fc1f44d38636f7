"""Per-API knowledge the generated tests need, and nothing else: how to get credentials, which ids exist,
what the vendor's validation error looks like. Everything else is read from the served contract.

Confirmed against each API's contract `securitySchemes` and its auth module:
  bouwsoft     headers Clientnr + AccessToken (RefreshToken for getAccessToken, appkey for getRefreshToken),
               values from GET /__emulator/credentials
  superoffice  Authorization: Basic tje0:Tje0 (onsite, no prefix)
  aktion       POST /api/login {"UserLogin", "ApiKey"} -> Token, sent as the `Token` query parameter (20 s life)
  twelvebuild  GET /tokens?login=&apiKey= -> token, sent as the X-Auth-Token header
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from emulators import build_app, registry
from emulators.core.contract import Contract, Operation
from emulators.testing.transport import client_for

APIS = ["bouwsoft", "superoffice", "aktion", "twelvebuild"]

# scheme name -> (in, header/query name, value)
Creds = dict[str, tuple[str, str, str]]


def _bouwsoft_creds(c: httpx.Client) -> Creds:
    cr = c.get("/__emulator/credentials").json()
    return {
        "Clientnr": ("header", "Clientnr", str(cr["clientnr"])),
        "AccessToken": ("header", "AccessToken", cr["access_token"]),
        "RefreshToken": ("header", "RefreshToken", cr["refresh_token"]),
        "appkey": ("header", "appkey", cr["appkey"]),
    }


def _superoffice_creds(c: httpx.Client) -> Creds:
    cr = c.get("/__emulator/credentials").json()["basic"]
    raw = base64.b64encode(f"{cr['user']}:{cr['password']}".encode()).decode()
    return {"basic": ("header", "Authorization", f"Basic {raw}")}


def _aktion_creds(c: httpx.Client) -> Creds:
    cr = c.get("/__emulator/credentials").json()
    r = c.post("/api/login", json={"UserLogin": cr["UserLogin"], "ApiKey": cr["ApiKey"]})
    assert r.status_code == 200, r.text
    return {"token": ("query", "Token", r.json()["Token"])}


def _twelvebuild_creds(c: httpx.Client) -> Creds:
    cr = c.get("/__emulator/credentials").json()
    r = c.get("/tokens", params={"login": cr["login"], "apiKey": cr["apiKey"]})
    assert r.status_code == 200, r.text
    return {"token": ("header", "X-Auth-Token", r.json()["token"])}


def _superoffice_route_miss(status: int, body: Any) -> bool:
    """ASP.NET Web API route constraint `{id:int}`: an id that is no int32 matches no route -> 404
    HttpResponseException "No HTTP resource was found that matches the request URI" (what the emulator serves)."""
    return status == 404 and isinstance(body, dict) and body.get("ErrorType") == "HttpResponseException"


def _bouwsoft_validation(status: int, body: Any) -> bool:
    """vendor-facts E1: {"RecordChanges":[{"Code":400,"Description","Message":"Bad Request","RequestId"}]}."""
    recs = body.get("RecordChanges") if isinstance(body, dict) else None
    rec = recs[0] if isinstance(recs, list) and len(recs) == 1 and isinstance(recs[0], dict) else {}
    return status == 400 and rec.get("Code") == 400 and rec.get("Message") == "Bad Request" \
        and isinstance(rec.get("Description"), str)


def _superoffice_validation(status: int, body: Any) -> bool:
    return status == 400 and isinstance(body, dict) and bool(body.get("Message") or body.get("message")
                                                            or body.get("Error") or body.get("error"))


def _aktion_validation(status: int, body: Any) -> bool:
    return status == 400 and isinstance(body, dict) and (body.get("Result") or {}).get("Code") == 1002


def _twelvebuild_validation(status: int, body: Any) -> bool:
    err = body.get("error") if isinstance(body, dict) else None
    return status == 400 and isinstance(err, dict) and err.get("code") == 400


@dataclass(frozen=True)
class Recipe:
    api: str
    prefix: str  # the path prefix generated requests use
    tenant: str  # the tenant whose records feed id parameters
    creds: Callable[[httpx.Client], Creds]
    is_validation_error: Callable[[int, Any], bool]  # the vendor's answer to a broken constraint
    # per location: another answer the vendor gives instead (e.g. a route constraint), documented as a quirk
    location_answers: dict[str, Callable[[int, Any], bool]] = field(default_factory=dict)
    # (where, kind) breakages the vendor does not treat as errors, each with the documented reason
    not_errors: dict[tuple[str, str], str] = field(default_factory=dict)


RECIPES: dict[str, Recipe] = {
    "bouwsoft": Recipe("bouwsoft", "", "115", _bouwsoft_creds, _bouwsoft_validation),
    "superoffice": Recipe("superoffice", "", "onsite", _superoffice_creds, _superoffice_validation,
                          location_answers={"path": _superoffice_route_miss}),
    "aktion": Recipe("aktion", "/api", "default", _aktion_creds, _aktion_validation,
                     not_errors={("body", "type"): "contract x-binding: Newtonsoft binds JSON numbers/booleans to "
                                                   "string properties, so a number where a string is declared is "
                                                   "no error"}),
    "twelvebuild": Recipe("twelvebuild", "", "1234567", _twelvebuild_creds, _twelvebuild_validation),
}


def contract(api: str) -> Contract:
    return Contract.load(registry.get(api).contract)


def new_client(api: str) -> httpx.Client:
    return client_for(build_app(api))


def auth_parts(op: Operation, creds: Creds, global_security: Any) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, query) satisfying the first security requirement of `op` that `creds` can meet."""
    security = op.raw.get("security", global_security)
    for requirement in security or []:
        if requirement and all(name in creds for name in requirement):
            headers: dict[str, str] = {}
            query: dict[str, str] = {}
            for name in requirement:
                where, key, value = creds[name]
                (headers if where == "header" else query)[key] = value
            return headers, query
    return {}, {}


def id_pool(client: httpx.Client, recipe: Recipe) -> list[str]:
    """Every key of every table of the recipe's tenant and of the global store: ids that exist now."""
    state = client.get("/__emulator/state").json()
    pool: set[str] = set()
    for store in ((state.get("tenants") or {}).get(recipe.tenant) or {}, state.get("global") or {}):
        for table in store.values():
            if isinstance(table, dict):
                pool.update(str(k) for k in table)
    return sorted(pool)


def business_state(client: httpx.Client, recipe: Recipe) -> Any:
    """The tenant's records (tokens, journal and clock excluded): what a rejected request must not change."""
    state = client.get("/__emulator/state").json()
    return (state.get("tenants") or {}).get(recipe.tenant)
