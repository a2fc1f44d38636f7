"""Authentication as Bouwsoft does it (vendor-facts A1): header pairs, no Authorization header.

* data calls: `Clientnr` + `AccessToken` (names case-insensitive); the tenant is the Clientnr.
* GET /Authorize/AccessToken: `Clientnr` + `RefreshToken` -> a new AccessToken.
* GET /Authorize/RefreshToken: `appkey` -> an activation request; `appkey` + `requestid` -> the
  client's RefreshToken + an AccessToken once the request is approved (fixtures `apps.*.auto_approve`,
  or the control action `approveActivation`).
Global store tables: access_tokens, refresh_tokens, activation_requests.
"""

from __future__ import annotations

import math
import string
from datetime import UTC, datetime
from typing import Any

from emulators.core.call import Call
from emulators.core.errors import BadRequest, NotFound, Unauthorized
from emulators.core.expiry import prune_expired
from emulators.core.intparse import parse_digits

AUTH_OPS = frozenset({"getAccessToken", "getRefreshToken"})
TOKEN_ALPHABET = string.ascii_letters
VALID_UNTIL = "%Y-%m-%dT%H:%MZ"  # seed/A1.2: "2017-09-05T15:01Z"


def _clientnr(call: Call) -> int | None:
    raw = call.headers.get("clientnr")
    if raw is None:
        return None
    text = raw.strip()
    return int(text) if text.isdigit() and text.isascii() and len(text) < 10 else None


def authenticate(call: Call) -> None:
    """Pick the check by operation; set call.tenant (the Clientnr) and call.principal."""
    if call.operation_id == "getAccessToken":
        _refresh_token_auth(call)
    elif call.operation_id == "getRefreshToken":
        _appkey_auth(call)
    else:
        _access_token_auth(call)


def _access_token_auth(call: Call) -> None:
    clientnr = _clientnr(call)
    token = call.headers.get("accesstoken")
    if clientnr is None or not token:
        raise Unauthorized("Missing or invalid Clientnr or AccessToken header")
    rec = call.world.store(None).get("access_tokens", token.strip())
    if rec is None:
        raise Unauthorized("Invalid AccessToken")
    if int(rec["clientnr"]) != clientnr:
        raise Unauthorized("The AccessToken does not belong to this Clientnr")
    expires = rec.get("expires_at")
    if expires is not None and call.clock.time() >= float(expires):
        raise Unauthorized("The AccessToken has expired")
    call.tenant = str(clientnr)
    call.principal = clientnr


def _refresh_token_auth(call: Call) -> None:
    clientnr = _clientnr(call)
    token = call.headers.get("refreshtoken")
    rec = call.world.store(None).get("refresh_tokens", (token or "").strip()) if token else None
    if clientnr is None or rec is None or int(rec["clientnr"]) != clientnr:
        raise Unauthorized("Unknown Clientnr and RefreshToken combination")
    call.tenant = str(clientnr)
    call.principal = clientnr


def _appkey_auth(call: Call) -> None:
    appkey = (call.headers.get("appkey") or "").strip()
    if not appkey or appkey not in (call.world.fixtures.get("apps") or {}):
        raise Unauthorized("Unknown appkey")
    request_id = call.headers.get("requestid")
    request = None
    if request_id is not None:
        request = call.world.store(None).get("activation_requests", request_id.strip())
        if request is None or request["appkey"] != appkey:
            raise Unauthorized("Unknown requestid")
        if not request.get("approved"):
            raise Unauthorized("The request has not been authorized yet")
    call.principal = {"appkey": appkey, "request_id": request_id.strip() if request_id else None, "request": request}


# token issuing ------------------------------------------------------------------------------
TOKENS_PER_CLIENT = 100  # live minted access tokens kept per client (a client renews one about hourly)


def issue_access_token(call: Call, clientnr: int) -> tuple[str, str]:
    """A new AccessToken for `clientnr`: (token, ValidUntil). Expiry is on a whole minute."""
    minutes = float((call.world.fixtures.get("config") or {}).get("access_token_minutes", 60))
    expires = math.floor((call.clock.time() + minutes * 60) / 60) * 60
    token = call.ids.token(50, TOKEN_ALPHABET)
    tokens = call.world.store(None).table("access_tokens")
    prune_expired(tokens, call.clock.time())  # expired an hour ago: forgotten (core/expiry.py)
    if len(tokens) >= TOKENS_PER_CLIENT:
        _forget_oldest(tokens, clientnr, (call.world.fixtures.get("credentials") or {}).get("access_token"))
    tokens[token] = {"clientnr": clientnr, "expires_at": expires}
    return token, datetime.fromtimestamp(expires, UTC).strftime(VALID_UNTIL)


def _forget_oldest(tokens: dict[str, Any], clientnr: int, keep: Any) -> None:
    """At most TOKENS_PER_CLIENT minted access tokens per client: the oldest go first (SOURCE.md assumption);
    the fixtures' own access token is never among them."""
    mine = [k for k, rec in tokens.items() if k != keep and isinstance(rec, dict) and rec.get("clientnr") == clientnr]
    for key in mine[: max(len(mine) - TOKENS_PER_CLIENT + 1, 0)]:
        del tokens[key]


def client_info(world: Any, clientnr: int) -> dict[str, str]:
    info = (world.fixtures.get("clients") or {}).get(str(clientnr)) or {}
    return {
        "ServerIP": str(info.get("ServerIP", "127.0.0.1")),
        "ServerName": str(info.get("ServerName", "ra.bouwsoft.be")),
        "Layout": str(info.get("Layout", "B")),
    }


def credentials(fixtures: dict[str, Any]) -> dict[str, Any]:
    """GET /__emulator/credentials: the fixtures' ready-to-use client, tokens and appkey."""
    creds = fixtures.get("credentials") or {}
    return {
        "clientnr": creds.get("clientnr"),
        "refresh_token": creds.get("refresh_token"),
        "access_token": creds.get("access_token"),
        "appkey": creds.get("appkey"),
    }


def approve_activation(world: Any, body: Any) -> dict[str, Any]:
    """Control action `approveActivation`: {"RequestId": "...", "ClientNr": 115?} -> approved."""
    data = {str(k).lower(): v for k, v in (body or {}).items()} if isinstance(body, dict) else {}
    request_id = data.get("requestid")
    if not isinstance(request_id, str) or not request_id:
        raise BadRequest("RequestId is required")
    store = world.store(None)
    request = store.get("activation_requests", request_id)
    if request is None:
        raise NotFound(f"No activation request {request_id}")
    clientnr = data.get("clientnr", request.get("clientnr"))
    if isinstance(clientnr, str) and parse_digits(clientnr) is not None:
        clientnr = parse_digits(clientnr)
    if not isinstance(clientnr, int) or isinstance(clientnr, bool) or not world.has_tenant(str(clientnr)):
        raise BadRequest("ClientNr must be a known client number")
    store.put("activation_requests", request_id, {**request, "approved": True, "clientnr": clientnr})
    return {"RequestId": request_id, "ClientNr": clientnr, "approved": True}
