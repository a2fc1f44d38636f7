"""PUT /Projects/{id} and its actions, POST /Projects: every change answers `RecordChanges`.

RecordChanges = `id`, every field whose stored value changed (written or derived), and
`ts_lastupdate` (emulator clock) when anything changed.
"""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call, Reply
from emulators.core.errors import BadRequest, NotFound, ValidationFailed
from emulators.core.errors import Issue as KernelIssue

from .. import columns as cols
from ..errors import NOT_FOUND
from ..geo import geo_of
from ..models import changes, complete_project, next_project_id, next_unr, timestamp, today


def load_project(call: Call) -> tuple[str, dict[str, Any]]:
    key = str(call.path_params["id"])
    record = call.store.get("projects", key)
    if record is None:
        raise NotFound(NOT_FOUND)
    return key, record


def parse_columns(call: Call, text: str, *, creating: bool = False) -> dict[str, Any]:
    """The `columns` query value -> {field: value}; any broken rule -> one 400 listing them all."""
    try:
        planned = cols.plan(text)
    except cols.ColumnsSyntaxError as exc:
        raise ValidationFailed(
            str(exc), code="columns", issues=[KernelIssue("query", "columns", str(exc), "syntax")]
        ) from exc
    values, problems = cols.apply(planned, call.store, creating=creating)
    if problems:
        issues = [KernelIssue("query", f"columns/{p.field}", p.message, p.rule) for p in problems]
        raise ValidationFailed(problems[0].message, code="columns", issues=issues)
    return values


def derive(call: Call, record: dict[str, Any], written: dict[str, Any], calculate_distance: bool) -> None:
    """Fill the fields that follow from what was written (in place)."""
    store = call.store
    if "client_addressid" in written:
        addr = store.get("addresses", record["client_addressid"]) or {}
        record.update(
            client_name=addr.get("name", ""),
            client_telephone=addr.get("telephone1", ""),
            client_gsm=addr.get("gsm", ""),
            client_email=addr.get("email", ""),
            client_readonly=bool(addr.get("readonly", False)),
        )
    if "company_id" in written:
        record["company_name"] = (store.get("companies", record["company_id"]) or {}).get("name", "")
    geo = geo_of(call.world)
    if ("zipcode" in written or "countrycode" in written) and "state" not in written:
        state = geo.state(str(record["countrycode"]), str(record["zipcode"]))
        if state is not None:
            record["state"] = state
    if calculate_distance and "distance" not in written:
        company = store.get("companies", record["company_id"]) or {}
        here = geo.locate(str(record["countrycode"]), str(record["zipcode"]), str(record["address"]))
        there = geo.locate(
            str(company.get("countrycode", "")), str(company.get("zipcode", "")), str(company.get("address", ""))
        )
        km = geo.distance(there, here)
        if km is not None:
            record["distance"] = km


def commit(call: Call, key: str, old: dict[str, Any], new: dict[str, Any], status: int = 200) -> Reply:
    """Store `new` if it differs from `old`; answer RecordChanges."""
    changed = changes(old, new)
    if changed:
        new["ts_lastupdate"] = changed["ts_lastupdate"] = timestamp(call.clock)
        call.store.put("projects", key, new, when=call.clock.time())
    return Reply(status=status, body={"RecordChanges": [{"id": int(key), **changed}]})


# handlers ----------------------------------------------------------------------------------------
def updateProject(call: Call) -> Reply:
    """PUT /api/v1/Projects/{id}?columns=...&calculateDistance=... (seed examples 1-5)."""
    key, old = load_project(call)
    written = parse_columns(call, str(call.query["columns"]))
    new = {**old, **written}
    derive(call, new, written, bool(call.query.get("calculateDistance", False)))
    return commit(call, key, old, new)


def createProject(call: Call) -> Reply:
    """POST /api/v1/Projects?columns=... -> 201; client_addressid and company_id are Required."""
    written = parse_columns(call, str(call.query["columns"]), creating=True)
    key = str(next_project_id(call.store))
    blank = complete_project({})
    new = {**blank, **written, "date_created": today(call.clock), "active": True}
    derive(call, new, written, bool(call.query.get("calculateDistance", False)))
    return commit(call, key, blank, new, status=201)


def approveProject(call: Call) -> Reply:
    """PUT …/{id}/ApproveProject: approved, date_approved = today, the next unr if it has none.
    Approving an approved project changes nothing (200, RecordChanges holds only the id)."""
    key, old = load_project(call)
    new = dict(old)
    if not old.get("approved"):
        new["approved"] = True
        new["date_approved"] = today(call.clock)
        if not old.get("unr"):
            new["unr"] = next_unr(call.store)
    return commit(call, key, old, new)


def assignProjectGroup(call: Call) -> Reply:
    """PUT …/{id}/AssignGroup?group_id=N: list and group from the ProjectGroups record."""
    key, old = load_project(call)
    group = call.store.get("project_groups", call.query["group_id"])
    if group is None:
        raise BadRequest(f"There is no project group with id {call.query['group_id']}")
    return commit(call, key, old, {**old, "list": group["list_name"], "group": group["name"]})


def assignProjectList(call: Call) -> Reply:
    """PUT …/{id}/AssignList?list=NAME: list = the name as stored (upper case), group = ""."""
    key, old = load_project(call)
    wanted = str(call.query["list"]).strip().upper()
    match = next((r for r in call.store.values("project_lists") if str(r["name"]).upper() == wanted), None)
    if match is None:
        raise BadRequest(f"There is no project list {call.query['list']}")
    return commit(call, key, old, {**old, "list": match["name"], "group": ""})


def unassignProjectGroup(call: Call) -> Reply:
    """PUT …/{id}/UnAssignGroup: group = ""."""
    key, old = load_project(call)
    return commit(call, key, old, {**old, "group": ""})


def unassignProjectList(call: Call) -> Reply:
    """PUT …/{id}/UnAssignList: list = "" and group = ""."""
    key, old = load_project(call)
    return commit(call, key, old, {**old, "list": "", "group": ""})
