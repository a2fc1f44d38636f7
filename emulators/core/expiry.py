"""Pruning expired credentials, so token tables stay bounded however many logins a run makes.

A token is forgotten GRACE_SECONDS (emulator clock) after it expired: until then the API can still say
"expired" (rather than "unknown") as the vendor does for a token a client just held. Pruning runs every
PRUNE_EVERY insertions, so its cost per login is constant.
"""

from __future__ import annotations

from typing import Any

GRACE_SECONDS = 3600.0
PRUNE_EVERY = 256


def prune_expired(
    table: dict[str, Any], now: float, *, field: str = "expires_at", grace: float = GRACE_SECONDS, force: bool = False
) -> int:
    """Drop records whose `field` lies more than `grace` seconds in the past; returns how many went."""
    if not force and (len(table) == 0 or len(table) % PRUNE_EVERY):
        return 0
    cutoff = now - grace
    dead = []
    for key, rec in table.items():
        try:
            expires = rec.get(field) if isinstance(rec, dict) else None
            if expires is not None and float(expires) < cutoff:
                dead.append(key)
        except (TypeError, ValueError):
            continue
    for key in dead:
        del table[key]
    return len(dead)
