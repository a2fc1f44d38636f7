"""Token authorization of every action but login: token (1000/1001), IP filter (1006/1007), rate (1008).

The token travels in the query (`?Token=`; ASP.NET binds the name case-insensitively) and is a GUID
(any .NET-parsable spelling: braces, upper case, no hyphens). It lives 20 s on the emulator clock.
IP filters and rate policies are per-user settings in the global store's `users` table:
  ip_filter:   "" / null = no filter; else entries separated by ";" "," or blanks, each "*", an address,
               a CIDR network ("10.0.0.0/8") or a range ("192.168.1.10-192.168.1.20")
  rate_policy: null = none; else {"requests": N, "per_seconds": S}: at most N accepted requests in any
               sliding window of S seconds (refused requests are not counted)
"""

from __future__ import annotations

import functools
import ipaddress
import re
import uuid
from typing import Any

from emulators.core.call import Call

from .errors import aktion_error, disabled_error
from .models import DEFAULT_TENANT, SEQ_TABLE, token_seconds
from .privileges import action_disabled

IpNet = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddr = ipaddress.IPv4Address | ipaddress.IPv6Address


def token_param(call: Call) -> str | None:
    for name, values in call.query_multi.items():
        if name.lower() == "token":
            return values[0]
    return None


def normalize_guid(value: str | None) -> str | None:
    if not value:
        return None
    if len(value) <= 64:  # a GUID in any .NET spelling is at most 38 characters (plus blanks): memoised
        return _guid_memo(value)
    return _guid(value)


def _guid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None


_guid_memo = functools.lru_cache(maxsize=1024)(_guid)


def parse_ip_filter(text: str) -> list[tuple[IpAddr, IpAddr]] | None:
    """The filter as address ranges; None when it cannot be parsed (memoised per text: a user's filter
    is parsed once, not on every request)."""
    ranges = _ip_filter_memo(text)
    return list(ranges) if ranges is not None else None


@functools.lru_cache(maxsize=256)
def _ip_filter_memo(text: str) -> tuple[tuple[IpAddr, IpAddr], ...] | None:
    ranges = _parse_ip_filter(text)
    return tuple(ranges) if ranges is not None else None


def _parse_ip_filter(text: str) -> list[tuple[IpAddr, IpAddr]] | None:
    ranges: list[tuple[IpAddr, IpAddr]] = []
    for entry in (e for e in re.split(r"[;,\s]+", text.strip()) if e):
        try:
            if entry == "*":
                for net_all in ("0.0.0.0/0", "::/0"):
                    every = ipaddress.ip_network(net_all)
                    ranges.append((every[0], every[-1]))
            elif "/" in entry:
                net: IpNet = ipaddress.ip_network(entry, strict=False)
                ranges.append((net[0], net[-1]))
            elif "-" in entry:
                lo, hi = (ipaddress.ip_address(p.strip()) for p in entry.split("-", 1))
                if lo.version != hi.version or lo > hi:  # type: ignore[operator]
                    return None
                ranges.append((lo, hi))
            else:
                addr = ipaddress.ip_address(entry)
                ranges.append((addr, addr))
        except ValueError:
            return None
    return ranges


def ip_allowed(ranges: list[tuple[IpAddr, IpAddr]], client_ip: str) -> bool:
    try:
        addr = ipaddress.ip_address(client_ip)
    except ValueError:
        return False
    mapped = getattr(addr, "ipv4_mapped", None)
    if mapped is not None:
        addr = mapped
    return any(lo.version == addr.version and lo <= addr <= hi for lo, hi in ranges)  # type: ignore[operator]


def check_rate(call: Call, login: str, policy: Any, now: float) -> None:
    if not isinstance(policy, dict):
        return
    try:
        limit, window = int(policy["requests"]), float(policy["per_seconds"])
    except (KeyError, TypeError, ValueError):
        return
    hits: dict[str, list[float]] = call.world.scratch.setdefault("aktion_rate", {})
    recent = [t for t in hits.get(login.lower(), []) if now - t < window]
    if len(recent) >= limit:
        hits[login.lower()] = recent
        raise aktion_error(1008, login)
    recent.append(now)
    hits[login.lower()] = recent


def authenticate(call: Call) -> None:
    if action_disabled(call):  # the install's configuration applies before the token is looked at
        raise disabled_error()
    raw = token_param(call)
    key = normalize_guid(raw)
    gstore = call.world.store(None)
    rec = gstore.get("tokens", key) if key else None
    user = gstore.get("users", rec.get("user")) if rec else None
    if rec is None or user is None:
        raise aktion_error(1000, raw or "")
    if rec.get("fixture") is True:
        issued_at, expires_at, issued_seq = fixture_issue(call)
    else:
        issued_at, expires_at, issued_seq = float(rec["issued_at"]), float(rec["expires_at"]), rec.get("issued_seq")
    now = call.clock.time()
    if now >= expires_at:
        raise aktion_error(1001, raw)
    ip_filter = user.get("ip_filter")
    if ip_filter:
        ranges = parse_ip_filter(str(ip_filter))
        if ranges is None:
            raise aktion_error(1007, ip_filter)
        if not ip_allowed(ranges, call.client_ip):
            raise aktion_error(1006, call.client_ip)
    check_rate(call, rec["user"], user.get("rate_policy"), now)
    call.principal = {
        "login": rec["user"],
        "user": user,
        "token": key,
        "issued_at": issued_at,
        "issued_seq": issued_seq,
    }
    call.tenant = str(user.get("tenant") or DEFAULT_TENANT)


def fixture_issue(call: Call) -> tuple[float, float, int]:
    """A fixture session token (`fixture: true` in the fixtures' `global.tokens`, an assumption: SOURCE.md)
    is issued again by every reset, as if its user logged in then: (issued at, expires at, the change
    counter at issue), counted from the World's reset on the emulator clock, so expiry applies as to any."""
    fixtures = call.world.fixtures
    issued_at = call.world.reset_at
    seq = (((fixtures.get("global") or {}).get(SEQ_TABLE)) or {}).get("changes", 0)
    return issued_at, issued_at + token_seconds(fixtures), int(seq)


def credentials(fixtures: dict[str, Any]) -> dict[str, Any]:
    """GET /__emulator/credentials: the fixtures' `settings.credentials_user` and its ApiKey."""
    login_name = (fixtures.get("settings") or {}).get("credentials_user", "John.Doo")
    user = ((fixtures.get("global") or {}).get("users") or {}).get(login_name) or {}
    return {"UserLogin": login_name, "ApiKey": user.get("ApiKey")}
