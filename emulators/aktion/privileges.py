"""Who may do what: per-user agenda privileges, record permissions, and actions disabled by configuration.

Users (global store `users`): `privileges[agenda]` lists rights (View / New / Edit);
`record_permissions[agenda][right]` lists the record keys allowed (absent = all records).
Fixtures `settings.disabled_actions`: operationIds (or `project/<action>`) the install has disabled; such an
action answers as "Method disabled by configuration" (the help pages' Availability line, vendor facts C2.1, E5).
"""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call


def has_right(user: dict[str, Any], agenda: str, right: str) -> bool:
    return right in ((user.get("privileges") or {}).get(agenda) or [])


def record_allowed(user: dict[str, Any], agenda: str, right: str, key: str) -> bool:
    """Record permissions: `record_permissions[agenda][right]` lists the keys allowed (absent = all)."""
    allowed = ((user.get("record_permissions") or {}).get(agenda) or {}).get(right)
    if allowed is None:
        return True
    return key.lower() in {str(a).lower() for a in allowed}


def action_disabled(call: Call) -> bool:
    """Is this action listed in the fixtures' `settings.disabled_actions`?"""
    names = (call.world.fixtures.get("settings") or {}).get("disabled_actions")
    if not names or not isinstance(names, list):  # the usual install: nothing disabled
        return False
    wanted = call.operation_id.lower()
    return any(isinstance(n, str) and n.strip().rsplit("/", 1)[-1].lower() == wanted for n in names)
