"""Authentication and tenant selection (vendor-facts B6, B7).

The tenant is the path's CustomerId (Online, e.g. /Cust12345/api/v1/...) or the onsite installation
(no prefix). Accepted, per tenant:
- `Basic` user:password -- onsite only ("not allowed in Online", B6.1)
- `SOTicket <ticket>` -- onsite and Online; on Online paths `SO-AppToken` must accompany it (B6.2)
- `Bearer <token>` -- an access token issued for that customer (B6.1, B6.5); expired -> 401
- no Authorization, but `X-XSRF-TOKEN` equal to the `XSRF-TOKEN` cookie of a live web session (B7.1)
The scheme keyword is case-insensitive. Anything else -> 401.
The credential tables live in the tenant-less store (fixtures `global`), so they reset and dump with the state.
"""

from __future__ import annotations

import contextvars
from typing import Any

from emulators.core.auth import decode_basic, parse_authorization
from emulators.core.call import Call
from emulators.core.errors import EmulatorError, RouteNotFound

from .errors import UNAUTHORIZED

# who is writing: the associate of the request being served (0 for control-plane state loads); the
# webhook events a write raises name it as ChangedByAssociateId
ACTOR: contextvars.ContextVar[int] = contextvars.ContextVar("superoffice_actor", default=0)


def onsite_tenant(fixtures: dict[str, Any]) -> str:
    return str(fixtures.get("onsite_tenant", "onsite"))


def tenant_keys(fixtures: dict[str, Any]) -> list[str]:
    return [str(k) for k in (fixtures.get("tenants") or {})]


def _deny(message: str = UNAUTHORIZED) -> EmulatorError:
    return EmulatorError(message, status=401, code="UnauthorizedAccessException")


def _resolve_tenant(call: Call) -> tuple[str, bool]:
    customer = call.path_params.get("CustomerId")
    fixtures = call.world.fixtures
    if customer is None:
        return onsite_tenant(fixtures), False
    online = [t for t in tenant_keys(fixtures) if t != onsite_tenant(fixtures)]
    match = next((t for t in online if t.lower() == str(customer).lower()), None)
    if match is None:
        # an unknown customer id has no WebAPI at all
        raise RouteNotFound(uri=call.path)
    return match, True


def _valid_for(rec: dict[str, Any], tenant: str) -> bool:
    tenants = rec.get("tenants")
    if tenants is None:
        return rec.get("tenant") == tenant
    return tenant in tenants


def authenticate(call: Call) -> None:
    tenant, online = _resolve_tenant(call)
    auth = call.world.store(None)
    now = call.clock.time()
    parsed = parse_authorization(call.headers.get("authorization"))
    raw = call.headers.get("authorization")
    principal: dict[str, Any] | None = None
    if parsed is not None:
        scheme, value = parsed
        if scheme == "basic":
            if online:
                raise _deny("Basic authentication is not allowed in SuperOffice Online.")
            pair = decode_basic(value)
            user = auth.get("users", pair[0]) if pair else None
            if pair is None or user is None or user.get("password") != pair[1] or not _valid_for(user, tenant):
                raise _deny()
            principal = {"scheme": "Basic", "associate_id": user["associate_id"], "user": pair[0]}
        elif scheme == "soticket":
            ticket = auth.get("tickets", value)
            if ticket is None or not _valid_for(ticket, tenant) or _expired(ticket, now):
                raise _deny()
            if online:
                app = call.headers.get("so-apptoken")
                if not app or auth.get("app_tokens", app.strip()) is None:
                    raise _deny("SO-AppToken must accompany the SOTicket in SuperOffice Online.")
            principal = {"scheme": "SOTicket", "associate_id": ticket["associate_id"]}
        elif scheme == "bearer":
            token = auth.get("access_tokens", value)
            if token is None or not _valid_for(token, tenant) or _expired(token, now):
                raise _deny()
            principal = {"scheme": "Bearer", "associate_id": token["associate_id"]}
        else:
            raise _deny()
    elif raw is not None and raw.strip():
        raise _deny()
    else:
        xsrf = call.headers.get("x-xsrf-token")
        cookie = call.cookies.get("XSRF-TOKEN")
        session = auth.get("web_sessions", xsrf) if xsrf else None
        if not xsrf or xsrf != cookie or session is None or not _valid_for(session, tenant):
            raise _deny()
        principal = {"scheme": "XSRF", "associate_id": session["associate_id"]}
    call.tenant = tenant
    call.principal = principal
    ACTOR.set(int(principal["associate_id"]))  # whose write raises the webhook events of this request
    call.scratch["online"] = online
    call.scratch["customer_id"] = call.path_params.get("CustomerId")


def _expired(rec: dict[str, Any], now: float) -> bool:
    expires = rec.get("expires_at")
    return expires is not None and now >= float(expires)


def credentials(fixtures: dict[str, Any]) -> dict[str, Any]:
    """GET /__emulator/credentials (keys fixed by the issue)."""
    creds = dict(fixtures.get("credentials") or {})
    return {
        "basic": creds.get("basic"),
        "ticket": creds.get("ticket"),
        "bearer": creds.get("bearer"),
        "app_token": creds.get("app_token"),
        "customer_id": creds.get("customer_id"),
    }
