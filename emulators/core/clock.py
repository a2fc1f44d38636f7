"""The emulator's clock: real time plus an offset, or frozen. The only source of time."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime


def parse_iso(value: str) -> datetime:
    """ISO 8601 with or without offset/Z; naive values are taken as UTC."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


class Clock:
    """`now()` is wall time shifted by `offset`; when frozen it stands still at `frozen_at`."""

    __slots__ = ("_frozen_at", "_offset", "listener")

    def __init__(self) -> None:
        self._offset = 0.0
        self._frozen_at: float | None = None
        self.listener: Callable[[], None] | None = None  # told when the clock moves (scheduled deliveries)

    def _moved(self) -> None:
        if self.listener is not None:
            self.listener()

    def time(self) -> float:
        """Seconds since the epoch, as the emulator sees them."""
        if self._frozen_at is not None:
            return self._frozen_at
        return time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def advance(self, seconds: float) -> None:
        if self._frozen_at is not None:
            self._frozen_at += seconds
        else:
            self._offset += seconds
        self._moved()

    def set(self, when: datetime | str) -> None:
        dt = parse_iso(when) if isinstance(when, str) else when
        target = dt.timestamp()
        if self._frozen_at is not None:
            self._frozen_at = target
        else:
            self._offset = target - time.time()
        self._moved()

    def freeze(self, frozen: bool = True) -> None:
        if frozen and self._frozen_at is None:
            self._frozen_at = self.time()
        elif not frozen and self._frozen_at is not None:
            self._offset = self._frozen_at - time.time()
            self._frozen_at = None
        self._moved()

    def reset(self) -> None:
        self._offset = 0.0
        self._frozen_at = None
        self._moved()

    def as_dict(self) -> dict[str, object]:
        return {"now": self.now().isoformat().replace("+00:00", "Z"), "frozen": self.frozen}
