"""GET /Authorize/AccessToken and GET /Authorize/RefreshToken (vendor-facts A1.1-A1.5); the checks that
run before them are in ../auth.py."""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call, Reply
from emulators.core.errors import Unauthorized

from ..auth import TOKEN_ALPHABET, client_info, issue_access_token


def getAccessToken(call: Call) -> Reply:
    """GET /api/v1/Authorize/AccessToken -- a fresh AccessToken (the RefreshToken does not rotate)."""
    clientnr = int(call.principal)
    token, valid_until = issue_access_token(call, clientnr)
    info = client_info(call.world, clientnr)
    return Reply(
        body={
            "AccessToken": token,
            "ServerIP": info["ServerIP"],
            "ServerName": info["ServerName"],
            "Layout": info["Layout"],
            "ValidUntil": valid_until,
        }
    )


def getRefreshToken(call: Call) -> Reply:
    """GET /api/v1/Authorize/RefreshToken -- start an activation, or collect its tokens once approved."""
    principal: dict[str, Any] = call.principal
    store = call.world.store(None)
    app = (call.world.fixtures.get("apps") or {})[principal["appkey"]]
    if principal["request"] is None:
        request_id = call.ids.uuid()
        store.put(
            "activation_requests",
            request_id,
            {
                "appkey": principal["appkey"],
                "clientnr": int(app.get("clientnr", 0)) or None,
                "approved": bool(app.get("auto_approve")),
                "refresh_token": None,
            },
        )
        template = str(
            (call.world.fixtures.get("config") or {}).get(
                "activation_request_url", "https://charon.bouwsoft.be/activate?requestid={RequestId}"
            )
        )
        return Reply(body={"RequestId": request_id, "RequestURL": template.replace("{RequestId}", request_id)})
    request = principal["request"]
    if request.get("clientnr") is None:
        raise Unauthorized("The request has not been authorized for a client")
    clientnr = int(request["clientnr"])
    refresh = request.get("refresh_token")
    if not refresh:
        refresh = call.ids.token(50, TOKEN_ALPHABET)
        store.put("refresh_tokens", refresh, {"clientnr": clientnr})
        store.put("activation_requests", principal["request_id"], {**request, "refresh_token": refresh})
    token, valid_until = issue_access_token(call, clientnr)
    return Reply(
        body={
            "ClientNr": clientnr,
            "RefreshToken": refresh,
            "AccessToken": token,
            "ServerName": client_info(call.world, clientnr)["ServerName"],
            "ValidUntil": valid_until,
        }
    )
