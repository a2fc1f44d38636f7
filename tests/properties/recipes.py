"""The shared tests' view of the registered APIs: `RECIPES` / `MACHINES` come from each API's own
`tests/<api>/shared.py` (types in kit.py), found through `emulators.registry`. Everything else is read from the
served contract.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import httpx

from emulators import build_app, registry
from emulators.core.contract import Contract, Operation
from emulators.testing.transport import client_for

from .kit import ApiMachine, Creds, Recipe

__all__ = [
    "APIS",
    "MACHINES",
    "RECIPES",
    "ApiMachine",
    "Creds",
    "Recipe",
    "auth_parts",
    "business_state",
    "contract",
    "id_pool",
    "new_client",
    "shared",
]


def shared(api: str) -> ModuleType:
    """tests/<api>/shared.py of a registered API (its RECIPE and MACHINE)."""
    try:
        return importlib.import_module(f"tests.{api}.shared")
    except ModuleNotFoundError as exc:
        if exc.name != f"tests.{api}.shared" and exc.name != f"tests.{api}":
            raise
        raise LookupError(
            f"{api} is registered in emulators/registry.py but has no tests/{api}/shared.py "
            "(RECIPE and MACHINE for the shared tests)"
        ) from exc


APIS: list[str] = list(registry.APIS)
RECIPES: dict[str, Recipe] = {api: shared(api).RECIPE for api in APIS}
MACHINES: dict[str, type[ApiMachine]] = {api: shared(api).MACHINE for api in APIS}


def contract(api: str) -> Contract:
    return Contract.load(registry.get(api).contract)


def new_client(api: str) -> httpx.Client:
    return client_for(build_app(api))


def auth_parts(op: Operation, creds: Creds, global_security: Any) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, query) satisfying the first security requirement of `op` that `creds` can meet."""
    security = op.raw.get("security", global_security)
    for requirement in security or []:
        if requirement and all(name in creds for name in requirement):
            headers: dict[str, str] = {}
            query: dict[str, str] = {}
            for name in requirement:
                where, key, value = creds[name]
                (headers if where == "header" else query)[key] = value
            return headers, query
    return {}, {}


def id_pool(client: httpx.Client, recipe: Recipe) -> list[str]:
    """Every key of every table of the recipe's tenant and of the global store: ids that exist now."""
    state = client.get("/__emulator/state").json()
    pool: set[str] = set()
    for store in ((state.get("tenants") or {}).get(recipe.tenant) or {}, state.get("global") or {}):
        for table in store.values():
            if isinstance(table, dict):
                pool.update(str(k) for k in table)
    return sorted(pool)


def business_state(client: httpx.Client, recipe: Recipe) -> Any:
    """The tenant's records (tokens, journal and clock excluded): what a rejected request must not change."""
    state = client.get("/__emulator/state").json()
    return (state.get("tenants") or {}).get(recipe.tenant)
