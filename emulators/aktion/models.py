"""Stored state of Aktion.NEXT: its shapes, lookups over it, and the check of a loaded state.

Global store (tenant-less): `users` {UserLogin: {ApiKey, tenant, privileges, record_permissions,
ip_filter, rate_policy}}, `tokens` {guid: {user, issued_at, expires_at, issued_seq}} (a fixture session
token holds only {user, fixture: true}: every reset issues it again), `__changes__` {"changes": n}: the
change counter (ChangeSeq).
Tenant store: `licence` {agendas: [...]}, `projects` {Code: record}, `project_types` {Name: record},
`persons` {PersonalID: record}, `project_items` {Code: {Code, Name, Name2, Shortcut, Identifier, Unit,
Description}}. Project records keep the API's field names, dates as integer
milliseconds (UTC), plus `TimeLastChange` (ms), `ChangedBy` (UserLogin), `Deleted` (soft delete by
another user) and `DbDeniedUsers` (the database's own record ACL).
"""

from __future__ import annotations

from typing import Any

from emulators.core.store import Store

DEFAULT_TENANT = "default"
SEQ_TABLE = "__changes__"  # {"changes": n}: the global store's change counter (ChangeSeq)


def changes_so_far(gstore: Store) -> int:
    """The world's change counter: every project write through the API takes the next number."""
    return int(gstore.table(SEQ_TABLE).get("changes", 0))


def token_seconds(fixtures: dict[str, Any]) -> int:
    """How long a token lives (`settings.token_seconds`, 20 by the seed)."""
    return int((fixtures.get("settings") or {}).get("token_seconds", 20))


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
