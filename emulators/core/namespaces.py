"""Namespaces (`/__ns/<name>/...`): each its own World, bounded by a cap (Limits.max_namespaces).

Past the cap, policy `evict` (the default) drops the least recently *used* namespace (never the default
one) and logs it by name, with when it was last used and how many requests it had journaled; policy
`refuse` answers a new namespace with 503 in the API's envelope until one is reset or the server restarts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from .errors import EmulatorError
from .journal import _iso
from .world import World

log = logging.getLogger("emulators")


class NamespaceLimit(EmulatorError):
    status = 503
    default_message = "Too many namespaces"


class Namespaces:
    """Move-to-end on use keeps `worlds` (the app's) in least-recently-used order (the default "" stays first)."""

    def __init__(
        self, worlds: dict[str, World], new_world: Callable[[str], World], cap: int, policy: str = "evict"
    ) -> None:
        self.worlds = worlds
        self.new_world = new_world
        self.cap = max(cap, 1)
        self.policy = policy
        self.evicted = 0

    def get(self, name: str) -> World:
        worlds = self.worlds
        w = worlds.pop(name, None)
        if w is not None:
            worlds[name] = w  # most recently used now
            return w
        cap = self.cap
        if len(worlds) >= cap + 1:  # the cap counts namespaces besides the default one
            if self.policy == "refuse":
                raise NamespaceLimit(
                    f"Too many namespaces: at most {cap} may exist at once; reset or reuse one", namespace=name
                )
            oldest = next(k for k in worlds if k != "")
            gone = worlds.pop(oldest)
            self.evicted += 1
            log.warning(
                "namespace %r evicted (least recently used of %d; %d journaled requests, last at %s): "
                "its state starts again from the fixtures when next used",
                oldest,
                cap,
                len(gone.journal),
                _last(gone),
            )
        w = worlds[name] = self.new_world(name)
        default = worlds.get("")
        if default is not None and default.fixtures is w.fixtures:
            w.templates = default.templates  # the fixtures' state is built once, not once per namespace
        return w


def _last(world: World) -> str:
    entries = world.journal.entries(limit=1)
    if not entries:
        return "never"
    return _iso(entries[-1].time)
