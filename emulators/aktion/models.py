"""Stored state of Aktion.NEXT and the request models (ProjectUpdateReq / ProjectCreateReq).

Global store (tenant-less): `users` {UserLogin: {ApiKey, tenant, privileges, record_permissions,
ip_filter, rate_policy}}, `tokens` {guid: {user, issued_at, expires_at}}.
Tenant store: `licence` {agendas: [...]}, `projects` {Code: record}, `project_types` {Name: record},
`persons` {PersonalID: record}. Project records keep the API's field names, dates as integer
milliseconds (UTC), plus `TimeLastChange` (ms), `ChangedBy` (UserLogin), `Deleted` (soft delete by
another user) and `DbDeniedUsers` (the database's own record ACL).
"""

from __future__ import annotations

from typing import Any

from emulators.core.errors import Issue
from emulators.core.store import Store
from emulators.core.wording import shown

from .formats import parse_date, wire_date

# the order of the seed's JSON echo (BaseRespOfProjectUpdateReq.Request)
FIELDS = ("PersonIDResolver", "Code", "Name", "Type", "Name2", "Shortcut", "Code2", "Description",
          "PlannedFrom", "PlannedTo", "Started", "Finished", "Closed", "SuperiorProjectCode", "Street",
          "HouseNr", "City", "PostalCode", "PersonIDInCharge")
DATES = ("PlannedFrom", "PlannedTo", "Started", "Finished", "Closed")
DEFAULT_TENANT = "default"


def bind(body: dict[str, Any]) -> dict[str, Any]:
    """The bound request model: every field, strings as sent, dates as ms (None when absent/invalid)."""
    out: dict[str, Any] = {}
    for name in FIELDS:
        value = body.get(name)
        if name in DATES:
            out[name] = parse_date(value) if isinstance(value, str) else None
        else:
            out[name] = value if isinstance(value, str) else None
    return out


def date_issues(body: dict[str, Any]) -> list[Issue]:
    """Dates that match the format but name no real instant (2019-02-30, year 10000)."""
    return [Issue("body", name, f"{shown(body[name])} is not a date", "pattern", body[name])
            for name in DATES if isinstance(body.get(name), str) and body[name] and parse_date(body[name]) is None]


def echo_request(body: dict[str, Any]) -> dict[str, Any]:
    """The request as the vendor echoes it: the bound model re-serialized (dates as "/Date(ms)/")."""
    return wire(bind(body))


def wire(model: dict[str, Any]) -> dict[str, Any]:
    return {k: (wire_date(v) if k in DATES and v is not None else v) for k, v in model.items()}


def project_view(rec: dict[str, Any]) -> dict[str, Any]:
    """ProjectGetResp: the update model's fields plus TimeLastChange."""
    out = wire({name: rec.get(name) for name in FIELDS})
    changed = rec.get("TimeLastChange")
    out["TimeLastChange"] = wire_date(int(changed)) if changed is not None else None
    return out


def find(store: Store, table: str, key: str | None) -> tuple[str, dict[str, Any]] | None:
    """Look a record up by its key the way SQL Server's default collation does (case-insensitive)."""
    if key is None:
        return None
    records = store.table(table)
    rec = records.get(key)
    if rec is not None:
        return key, rec
    low = key.lower()
    for k, r in records.items():
        if k.lower() == low:
            return k, r
    return None


def find_user(gstore: Store, login: str) -> tuple[str, dict[str, Any]] | None:
    return find(gstore, "users", login)


def has_right(user: dict[str, Any], agenda: str, right: str) -> bool:
    return right in ((user.get("privileges") or {}).get(agenda) or [])


def record_allowed(user: dict[str, Any], agenda: str, right: str, key: str) -> bool:
    """Record permissions: `record_permissions[agenda][right]` lists the keys allowed (absent = all)."""
    allowed = ((user.get("record_permissions") or {}).get(agenda) or {}).get(right)
    if allowed is None:
        return True
    return key.lower() in {str(a).lower() for a in allowed}


def licensed(store: Store, agenda: str) -> bool:
    licence = store.data.get("licence")
    if not isinstance(licence, dict):
        return True
    return agenda in (licence.get("agendas") or [])


def makes_cycle(store: Store, code: str, superior: str) -> bool:
    """Would `code` under `superior` close a loop in the project hierarchy?"""
    seen: set[str] = set()
    current: str | None = superior
    while current:
        low = current.lower()
        if low == code.lower():
            return True
        if low in seen:
            return False
        seen.add(low)
        hit = find(store, "projects", current)
        current = hit[1].get("SuperiorProjectCode") if hit else None
    return False


def code2_taken(store: Store, code: str, code2: str) -> bool:
    low = code2.lower()
    return any(str(r.get("Code2") or "").lower() == low and k.lower() != code.lower()
               for k, r in store.table("projects").items() if code2)


def _check(ok: bool, where: str, what: str) -> None:
    if not ok:
        from emulators.core.errors import BadRequest

        raise BadRequest(f"aktion state: {where} must be {what}")


def validate_state(state: Any) -> None:
    """PUT /__emulator/state: the shapes the auth hook and the handlers rely on."""
    _check(isinstance(state, dict), "the state", "an object")
    glob = state.get("global") or {}
    _check(isinstance(glob, dict), "global", "an object")
    users = glob.get("users") or {}
    _check(isinstance(users, dict), "global.users", "an object")
    for login, user in users.items():
        where = f"global.users.{login}"
        _check(isinstance(user, dict) and isinstance(user.get("ApiKey"), str), where, "an object with ApiKey")
        privileges = user.get("privileges") or {}
        _check(isinstance(privileges, dict) and all(isinstance(v, list) for v in privileges.values()),
               f"{where}.privileges", "an object of lists")
        perms = user.get("record_permissions") or {}
        _check(isinstance(perms, dict) and all(isinstance(v, dict) for v in perms.values()),
               f"{where}.record_permissions", "an object of objects")
        _check(user.get("ip_filter") is None or isinstance(user["ip_filter"], str), f"{where}.ip_filter",
               "a string or null")
        policy = user.get("rate_policy")
        _check(policy is None or (isinstance(policy, dict) and isinstance(policy.get("requests"), int)
                                  and isinstance(policy.get("per_seconds"), int | float)),
               f"{where}.rate_policy", "null or {requests: int, per_seconds: number}")
    tokens = glob.get("tokens") or {}
    _check(isinstance(tokens, dict), "global.tokens", "an object")
    for key, tok in tokens.items():
        _check(isinstance(tok, dict) and isinstance(tok.get("user"), str)
               and all(isinstance(tok.get(k), int | float) for k in ("issued_at", "expires_at")),
               f"global.tokens.{key}", "{user, issued_at, expires_at}")
    tenants = state.get("tenants") or {}
    _check(isinstance(tenants, dict), "tenants", "an object")
    for name, tenant in tenants.items():
        _check(isinstance(tenant, dict), f"tenants.{name}", "an object")
        for table in ("projects", "project_types", "persons"):
            records = tenant.get(table) or {}
            _check(isinstance(records, dict) and all(isinstance(r, dict) for r in records.values()),
                   f"tenants.{name}.{table}", "an object of objects")
        for code, rec in (tenant.get("projects") or {}).items():
            for field in (*DATES, "TimeLastChange"):
                _check(rec.get(field) is None or isinstance(rec[field], int), f"tenants.{name}.projects.{code}.{field}",
                       "integer milliseconds or null")
