"""Namespaces (`/__ns/<name>/...`): each its own World, bounded by a cap (Limits.max_namespaces).

Past the cap, policy `evict` (the default) drops the least recently *used* namespace (never the default
one) and logs it by name, with when it was last used and how many requests it had journaled; policy
`refuse` answers a new namespace with 503 in the API's envelope until one is reset or the server restarts.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .errors import EmulatorError

if TYPE_CHECKING:
    from .app import EmulatorApp
    from .world import World

log = logging.getLogger("emulators")


class NamespaceLimit(EmulatorError):
    status = 503
    default_message = "Too many namespaces"


class Namespaces:
    """Move-to-end on use keeps `app.worlds` in least-recently-used order (the default "" stays first)."""

    def __init__(self, app: EmulatorApp) -> None:
        self.app = app
        self.evicted = 0

    def get(self, name: str) -> World:
        worlds = self.app.worlds
        w = worlds.pop(name, None)
        if w is not None:
            worlds[name] = w  # most recently used now
            return w
        cap = max(self.app.limits.max_namespaces, 1)
        if len(worlds) >= cap + 1:  # the cap counts namespaces besides the default one
            if self.app.limits.namespace_policy == "refuse":
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
        w = worlds[name] = self.app._new_world(name)
        return w


def _last(world: World) -> str:
    entries = world.journal.entries(limit=1)
    if not entries:
        return "never"
    from .journal import _iso

    return _iso(entries[-1].time)
