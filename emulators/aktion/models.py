"""Stored state of Aktion.NEXT: its shapes, lookups over it, and the check of a loaded state.

Global store (tenant-less): `users` {UserLogin: {ApiKey, tenant, privileges, record_permissions,
ip_filter, rate_policy}}, `tokens` {guid: {user, issued_at, expires_at}}.
Tenant store: `licence` {agendas: [...]}, `projects` {Code: record}, `project_types` {Name: record},
`persons` {PersonalID: record}, `project_items` {Code: {Code, Name, Name2, Shortcut, Identifier, Unit,
Description}}. Project records keep the API's field names, dates as integer
milliseconds (UTC), plus `TimeLastChange` (ms), `ChangedBy` (UserLogin), `Deleted` (soft delete by
another user) and `DbDeniedUsers` (the database's own record ACL).
"""

from __future__ import annotations

from typing import Any

from emulators.core.store import Store

from .binding import DATES

DEFAULT_TENANT = "default"


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
    return any(
        str(r.get("Code2") or "").lower() == low and k.lower() != code.lower()
        for k, r in store.table("projects").items()
        if code2
    )


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
        _check(
            isinstance(privileges, dict) and all(isinstance(v, list) for v in privileges.values()),
            f"{where}.privileges",
            "an object of lists",
        )
        perms = user.get("record_permissions") or {}
        _check(
            isinstance(perms, dict) and all(isinstance(v, dict) for v in perms.values()),
            f"{where}.record_permissions",
            "an object of objects",
        )
        _check(
            user.get("ip_filter") is None or isinstance(user["ip_filter"], str),
            f"{where}.ip_filter",
            "a string or null",
        )
        policy = user.get("rate_policy")
        _check(
            policy is None
            or (
                isinstance(policy, dict)
                and isinstance(policy.get("requests"), int)
                and isinstance(policy.get("per_seconds"), int | float)
            ),
            f"{where}.rate_policy",
            "null or {requests: int, per_seconds: number}",
        )
    tokens = glob.get("tokens") or {}
    _check(isinstance(tokens, dict), "global.tokens", "an object")
    for key, tok in tokens.items():
        _check(
            isinstance(tok, dict)
            and isinstance(tok.get("user"), str)
            and all(isinstance(tok.get(k), int | float) for k in ("issued_at", "expires_at")),
            f"global.tokens.{key}",
            "{user, issued_at, expires_at}",
        )
    tenants = state.get("tenants") or {}
    _check(isinstance(tenants, dict), "tenants", "an object")
    for name, tenant in tenants.items():
        _check(isinstance(tenant, dict), f"tenants.{name}", "an object")
        for table in ("projects", "project_types", "persons", "project_items"):
            records = tenant.get(table) or {}
            _check(
                isinstance(records, dict) and all(isinstance(r, dict) for r in records.values()),
                f"tenants.{name}.{table}",
                "an object of objects",
            )
        for code, rec in (tenant.get("projects") or {}).items():
            for field in (*DATES, "TimeLastChange"):
                _check(
                    rec.get(field) is None or isinstance(rec[field], int),
                    f"tenants.{name}.projects.{code}.{field}",
                    "integer milliseconds or null",
                )
