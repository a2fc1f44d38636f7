"""The process-wide journal budget: every journal of every app and namespace in this process together keeps at
most `limit` bytes (Limits.journal_total_budget, 256 MiB by default), on top of each journal's own budget.

Past it, the oldest entries of the least recently written journals go first (a journal is "used" when an entry
is sealed in it), so 10,000 namespaces cannot hold 10,000 x 16 MiB. A journal that is garbage-collected (its
namespace evicted, its app dropped) gives its bytes back.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from typing import Protocol

TOTAL_BUDGET = 256 * 1024 * 1024


class Trimmable(Protocol):
    def drop_oldest(self) -> bool: ...  # False when it has nothing left it may drop


class JournalBudget:
    def __init__(self, limit: int = TOTAL_BUDGET) -> None:
        self.limit = limit
        self.total = 0
        self._bytes: OrderedDict[int, int] = OrderedDict()  # journal key -> bytes, least recently used first
        self._refs: dict[int, weakref.ref[Trimmable]] = {}
        self._next = 0

    def join(self, journal: Trimmable) -> int:
        self._next += 1
        key = self._next
        self._bytes[key] = 0
        self._refs[key] = weakref.ref(journal)
        weakref.finalize(journal, self.leave, key)
        return key

    def leave(self, key: int) -> None:
        self.total -= self._bytes.pop(key, 0)
        self._refs.pop(key, None)

    def charge(self, key: int, delta: int) -> None:
        """`delta` bytes more (or fewer) kept by journal `key`."""
        if key in self._bytes:
            self._bytes[key] += delta
            self.total += delta

    def used(self, key: int) -> None:
        bytes_ = self._bytes
        if key in bytes_:
            bytes_.move_to_end(key)

    def trim(self) -> int:
        """Drop oldest entries of the least recently used journals until the total fits; the journal just
        written (the most recently used) goes last, and each keeps its newest entry. Returns how many went."""
        dropped = 0
        for key in list(self._bytes):
            if self.total <= self.limit:
                break
            journal = self._refs[key]() if key in self._refs else None
            if journal is None:
                self.leave(key)
                continue
            while self.total > self.limit and self._bytes.get(key, 0) > 0 and journal.drop_oldest():
                dropped += 1
        return dropped


PROCESS = JournalBudget()
