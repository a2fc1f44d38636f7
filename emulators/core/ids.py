"""A seedable id source: counters, GUIDs and hex tokens that repeat for the same seed."""

from __future__ import annotations

import random
import uuid

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


class Ids:
    def __init__(self, seed: int | str = 0) -> None:
        self.seed = seed
        self._rng = random.Random(seed)
        self._counters: dict[str, int] = {}

    def reset(self) -> None:
        self._rng = random.Random(self.seed)
        self._counters.clear()

    def next(self, name: str, start: int = 1) -> int:
        """The next integer of the counter `name` (first value `start`)."""
        value = self._counters.get(name, start - 1) + 1
        self._counters[name] = value
        return value

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def hex(self, length: int) -> str:
        return self.token(length, "0123456789abcdef")

    def token(self, length: int = 32, alphabet: str = ALNUM) -> str:
        """`length` characters of `alphabet`, drawn exactly as `random.choice` draws them (the same
        `getrandbits` calls, so the same tokens for the same seed) without its per-character call."""
        n = len(alphabet)
        if not n:
            raise IndexError("Cannot choose from an empty sequence")
        bits, getrandbits = n.bit_length(), self._rng.getrandbits
        out = []
        for _ in range(length):
            r = getrandbits(bits)
            while r >= n:
                r = getrandbits(bits)
            out.append(alphabet[r])
        return "".join(out)

    def random(self) -> float:
        return self._rng.random()

    def state(self) -> dict[str, int]:
        return dict(self._counters)

    def load(self, counters: dict[str, int]) -> None:
        self._counters = {str(k): int(v) for k, v in counters.items()}
