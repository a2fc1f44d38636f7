"""A World is everything one namespace owns: stores per tenant, clock, ids, journal, faults, stubs.

The default namespace is "" ; `/__ns/<name>/...` gets its own World, fresh from the fixtures.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Protocol

from .clock import Clock
from .faults import FaultRules
from .ids import Ids
from .journal import Journal
from .latency import Delay
from .outbound import Outbox
from .store import Observer, Store
from .templates import StateTemplates

GLOBAL = "_global"


class StateHooks(Protocol):
    """The part of an EmulatorSpec a World builds its stores with (spec.py sits above: its handlers take a
    Call, which holds a World)."""

    @property
    def tenants(self) -> Callable[[dict[str, Any]], list[str]] | None: ...
    @property
    def build_tenant(self) -> Callable[[dict[str, Any], str, Any], dict[str, Any] | None] | None: ...
    @property
    def build_global(self) -> Callable[[dict[str, Any], Any], dict[str, Any]] | None: ...
    @property
    def on_change(self) -> Callable[[Any, str | None, str, str, Any, Any], None] | None: ...


class World:
    def __init__(
        self,
        spec: StateHooks,
        fixtures: dict[str, Any],
        namespace: str = "",
        journal_size: int = 10_000,
        seed: int | str = 0,
        templates: StateTemplates | None = None,
    ) -> None:
        self.spec = spec
        self.fixtures = fixtures
        # the fixtures' state, built once and copied per store; shared with the next World of these fixtures
        self.templates = (
            templates if templates is not None and templates.fixtures is fixtures else StateTemplates(fixtures)
        )
        self._template_keys: frozenset[str] | None = None
        self.namespace = namespace
        self.clock = Clock()
        # when this World last started from the fixtures, on its clock: a fixture session token counts from it
        self.reset_at = self.clock.time()
        self.ids = Ids(seed)
        self.journal = Journal(journal_size)
        self.faults = FaultRules(seed)
        self.stubs = FaultRules(seed, prefix="s")
        self.latency: Delay | None = None  # every API request's delay unless a rule gives one (--latency)
        self._stores: dict[str, Store] = {}
        self.scratch: dict[str, Any] = {}  # per-world runtime data an API may keep (not dumped)
        self.outbox = Outbox(self.clock)  # outbound deliveries (webhooks): this namespace's own
        self.clock.listener = self.outbox.poke  # a moved clock may make scheduled retries due

    def _observer(self, key: str) -> Observer | None:
        """The API's change hook bound to this world and tenant (None: the API raises no events)."""
        hook = self.spec.on_change
        if hook is None:
            return None
        tenant = None if key == GLOBAL else key

        def observe(table: str, rkey: str, old: Any, new: Any) -> None:
            hook(self, tenant, table, rkey, old, new)

        return observe

    # stores --------------------------------------------------------------------
    def store(self, tenant: str | None) -> Store:
        """The store of `tenant` (None -> the tenant-less global store), built on first use."""
        key = GLOBAL if tenant is None else str(tenant)
        st = self._stores.get(key)
        if st is None:
            st = self._stores[key] = self._new_store(key)
        return st

    def has_tenant(self, tenant: str) -> bool:
        if str(tenant) in self._stores:
            return True
        return str(tenant) in self.tenant_keys()

    def tenant_keys(self) -> list[str]:
        if self.spec.tenants is not None:
            return [str(t) for t in self.spec.tenants(self.fixtures)]
        return [str(k) for k in (self.fixtures.get("tenants") or {})]

    def _new_store(self, key: str) -> Store:
        """The initial store of `key`: from its template for the fixtures' own tenants and the global store;
        any other tenant key is built afresh (so the templates stay bounded by the fixtures)."""
        keys = self._template_keys
        if keys is None:
            keys = self._template_keys = frozenset(self.tenant_keys()) | {GLOBAL}
        if key in keys:
            return self.templates.store(key, lambda: self._build_from_fixtures(key), self._observer(key))
        return Store(self._build_from_fixtures(key), self._observer(key))

    def _build_from_fixtures(self, key: str) -> dict[str, Any]:
        if key == GLOBAL:
            if self.spec.build_global is not None:
                return self.spec.build_global(self.fixtures, self)
            return copy.deepcopy(self.fixtures.get("global") or {})
        if self.spec.build_tenant is not None:
            data = self.spec.build_tenant(self.fixtures, key, self)
            return data if data is not None else {}
        tenants = self.fixtures.get("tenants") or {}
        raw = tenants.get(key)
        if raw is None:
            for k, v in tenants.items():
                if str(k) == key:
                    raw = v
                    break
        return copy.deepcopy(raw) if raw is not None else {}

    # control -------------------------------------------------------------------
    def reset(self) -> None:
        """State back to fixtures (lazily); journal, faults, stubs and clock cleared; ids reseeded."""
        if self.templates.fixtures is not self.fixtures:  # new fixtures (serve --watch): new templates
            self.templates = StateTemplates(self.fixtures)
            self._template_keys = None
        self._stores.clear()
        self.scratch.clear()
        self.clock.reset()
        self.reset_at = self.clock.time()
        self.ids.reset()
        self.journal.reset()
        self.faults.reset()
        self.outbox.reset()
        self.stubs.reset()

    def dump(self) -> dict[str, Any]:
        for key in self.tenant_keys():
            self.store(key)
        self.store(None)
        tenants = {k: s.dump() for k, s in self._stores.items() if k != GLOBAL}
        return {"tenants": tenants, "global": self._stores[GLOBAL].dump(), "ids": self.ids.state()}

    def load(self, state: dict[str, Any], *, events: bool = False) -> None:
        """Replace the state. With `events`, every record that differs from before is announced to the
        API's change hook as a write (created, changed, deleted), after the new state is in place."""
        before = self._stores if events and self.spec.on_change is not None else None
        if before is not None:
            for key in self.tenant_keys():
                self.store(key)
        self._stores = {
            str(k): Store(copy.deepcopy(v), self._observer(str(k))) for k, v in (state.get("tenants") or {}).items()
        }
        self._stores[GLOBAL] = Store(copy.deepcopy(state.get("global") or {}), self._observer(GLOBAL))
        if "ids" in state:
            self.ids.load(state["ids"])
        self.scratch.clear()
        if before is not None:
            self._announce(before)

    def _announce(self, before: dict[str, Store]) -> None:
        for key, store in self._stores.items():
            if store.observer is None:
                continue
            old_data = before[key].data if key in before else {}
            for table in sorted(set(old_data) | set(store.data)):
                old_t, new_t = old_data.get(table), store.data.get(table)
                if not isinstance(old_t, dict) and not isinstance(new_t, dict):
                    continue
                old_t = old_t if isinstance(old_t, dict) else {}
                new_t = new_t if isinstance(new_t, dict) else {}
                for rkey in list(dict.fromkeys([*old_t, *new_t])):
                    old, new = old_t.get(rkey), new_t.get(rkey)
                    if old != new:
                        store.observer(table, str(rkey), old, new)
