"""Auth helpers shared by the APIs: Authorization parsing and an expiring token book.

Each API decides what is valid in its own `authenticate` hook; these are the building blocks.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from .store import Store


def parse_authorization(value: str | None) -> tuple[str, str] | None:
    """'Basic dGplMDpUamUw' -> ('basic', 'dGplMDpUamUw'); the scheme keyword is case-insensitive."""
    if not value:
        return None
    parts = value.strip().split(None, 1)
    if len(parts) != 2:
        return None
    return parts[0].lower(), parts[1].strip()


def decode_basic(credentials: str) -> tuple[str, str] | None:
    try:
        text = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if ":" not in text:
        return None
    user, password = text.split(":", 1)
    return user, password


@dataclass
class TokenState:
    token: str
    expires_at: float | None
    data: dict[str, Any]

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at


class TokenBook:
    """Tokens kept in a store table (so they are dumped, loaded and reset with the state)."""

    def __init__(self, store: Store, table: str = "tokens") -> None:
        self.store = store
        self.table = table

    def issue(self, token: str, expires_at: float | None, **data: Any) -> TokenState:
        self.store.put(self.table, token, {"expires_at": expires_at, **data})
        return TokenState(token, expires_at, data)

    def find(self, token: str | None) -> TokenState | None:
        if not token:
            return None
        rec = self.store.get(self.table, token)
        if rec is None:
            return None
        data = {k: v for k, v in rec.items() if k != "expires_at"}
        return TokenState(token, rec.get("expires_at"), data)

    def live(self, now: float, **match: Any) -> TokenState | None:
        """A not-yet-expired token whose data matches `match` (for "same token until it expires")."""
        for token, rec in self.store.table(self.table).items():
            if all(rec.get(k) == v for k, v in match.items()):
                state = TokenState(token, rec.get("expires_at"), {k: v for k, v in rec.items() if k != "expires_at"})
                if not state.expired(now):
                    return state
        return None
