"""The 12Build world's stored state: what the stores hold and how handlers reach it.

Tenant store (one per contractor company): projects, documents, files, documentGroups, workComponents,
invitations (with their messages), budgets, budgetRows, relations, companyClassificationSystems.
Global store: tokens, companies (the 12Build network), classificationSystems, chapters.
Config read from the fixtures: users, phases (product -> type -> phase name -> id), token lifetime.
"""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call

from .auth import can_see
from .errors import not_found
from .params import as_int

PHASE_NAMES = ("Calculatie", "Inkoop", "Uitvoering")
COUNTRIES = {
    "nl": "Nederland",
    "be": "België",
    "de": "Duitsland",
    "dk": "Danmark",
    "fr": "Frankrijk",
    "gb": "Verenigd Koninkrijk",
    "lu": "Luxemburg",
}
ID_STARTS = {
    "projects": 4000000,
    "documents": 6500000,
    "documentGroups": 6400000,
    "workComponents": 2000,
    "invitations": 1200000,
    "messages": 3000000,
    "budgets": 100,
    "budgetRows": 1000,
    "properties": 5000,
    "relations": 1,
    "companies": 8000000,
}


# ids --------------------------------------------------------------------------------------------
def new_id(call: Call, table: str, store_table: dict[str, Any] | None = None) -> int:
    existing = store_table if store_table is not None else call.store.table(table)
    while True:
        value = int(call.ids.next(table, start=ID_STARTS.get(table, 1000)))
        if str(value) not in existing:
            return value


def now(call: Call) -> int:
    return int(call.clock.time())


# records ----------------------------------------------------------------------------------------
def get_project(call: Call, project_id: Any) -> dict[str, Any]:
    pid = as_int(project_id)
    project = call.store.get("projects", pid) if pid is not None else None
    if project is None or not can_see(call, project):
        raise not_found("Project", project_id)
    result: dict[str, Any] = project
    return result


def get_record(call: Call, table: str, ident: Any, what: str) -> dict[str, Any]:
    key = as_int(ident)
    record = call.store.get(table, key) if key is not None else None
    if record is None:
        raise not_found(what, ident)
    result: dict[str, Any] = record
    return result


def company(call: Call, company_id: Any) -> dict[str, Any] | None:
    key = as_int(company_id)
    if key is None:
        return None
    found: dict[str, Any] | None = call.world.store(None).get("companies", key)
    return found


def work_component_project(call: Call, wc: dict[str, Any]) -> dict[str, Any] | None:
    found: dict[str, Any] | None = call.store.get("projects", wc.get("projectId"))
    return found
