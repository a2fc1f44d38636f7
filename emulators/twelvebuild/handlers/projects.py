"""Projects and their phases: addProject, listProjects, listProjectsByType, getProject, updateProject,
removeProject, close/openProject, close/openProjectPhase, listPhases, listProjectPhases."""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call, Reply
from emulators.core.errors import Forbidden
from emulators.core.intparse import is_digits, parse_digits
from emulators.core.spec import Handler

from ..auth import can_see, user
from ..errors import bad
from ..models import COUNTRIES, PHASE_NAMES, get_project, new_id
from ..params import as_int
from ..phases import phase_table, project_phases, resolve_phase

TEXT_FIELDS = (
    "calcNumber",
    "status",
    "workNumber",
    "address_1",
    "address_2",
    "zip",
    "city",
    "country",
    "client",
    "manager",
    "architect",
    "constructor",
    "calculator",
    "inkoper",
    "werkvoorbereider",
    "plannedStart",
    "plannedComplete",
    "deadlineDate",
    "reason",
    "questionsDate",
    "questionsTime",
    "updateDate",
    "updateTime",
    "tenderDate",
    "inspectionDate",
    "externalUrl",
    "externalProgram",
    "sharePointSiteId",
    "sharePointSiteWebUrl",
    "allowSharePointSiteSelection",
    "autodeskHubId",
    "autodeskProjectId",
    "allowAutodeskSiteSelection",
)
LIST_FIELDS = ("classificationSystems", "buildingSectors", "buildingActivities", "buildingFunctions")
DETAIL_FIELDS = ("calcNumber", "workNumber", "address_1", "address_2", "zip", "city", "countryCode", "country")
PEOPLE = ("client", "manager", "architect", "constructor", "calculator", "inkoper", "werkvoorbereider")


def _product(value: Any) -> str:
    """`^tender|none$` is an ungrouped alternation: 'tender...' or '...none' pass; read it the same way."""
    text = str(value or "tender").strip()
    return "none" if text.endswith("none") and not text.startswith("tender") else "tender"


def _require_manager(call: Call, what: str) -> None:
    if not user(call).get("groupManager"):
        raise Forbidden(f"{what} requires groupmanager access")


def _is_active(project: dict[str, Any]) -> bool:
    return len(project.get("closedPhases") or []) < len(PHASE_NAMES)


def list_item(call: Call, project: dict[str, Any]) -> dict[str, Any]:
    phases = project_phases(call, project)
    return {
        "id": str(project["id"]),
        "name": project["name"],
        "calcNumber": project.get("calcNumber", ""),
        "workNumber": project.get("workNumber", ""),
        "companyId": str(call.tenant),
        "city": project.get("city", ""),
        "type": project.get("type", "default"),
        "phaseName": project.get("phaseName", "Calculatie"),
        "phaseId": phases.get(project.get("phaseName", "Calculatie"), 0),
        "active": _is_active(project),
    }


_TEXT_SET = frozenset(TEXT_FIELDS)
_LIST_SET = frozenset(LIST_FIELDS)


def _sent(call: Call) -> set[str]:
    """The names a request carries (path, query, form, declared headers): a name in none of them is a
    `call.param` of None, so only these are looked up."""
    return {*call.path_params, *call.query, *call.form, *call.header_params}


def _apply_fields(call: Call, project: dict[str, Any]) -> None:
    sent = _sent(call)
    if not sent.isdisjoint(_TEXT_SET):
        for name in TEXT_FIELDS:
            if name in sent:
                value = call.param(name)
                if value is not None:
                    project[name] = str(value)
    if not sent.isdisjoint(_LIST_SET):
        for name in LIST_FIELDS:
            if name in sent:
                value = call.param(name)
                if value is not None:
                    project[name] = [x.strip() for x in str(value).split(",") if x.strip()]
    code = call.param("countryCode")
    if code is not None:
        project["countryCode"] = str(code).lower()
        if call.param("country") is None:
            project["country"] = COUNTRIES.get(project["countryCode"], project["countryCode"].upper())
    group = call.param("companyGroupId")
    if group is not None:
        digits = "".join(ch for ch in str(group) if is_digits(ch))  # `^\d+` accepts '5abc'
        project["companyGroupId"] = parse_digits(digits) or 0
    if call.param("phaseId") is not None or call.param("phase") is not None:
        pid = resolve_phase(call, project)
        project["phaseName"] = next(n for n, i in project_phases(call, project).items() if i == pid)


def addProject(call: Call) -> Reply:
    """addProject — product none requires group-manager rights (403); companyGroupId > 0 hides the project."""
    product = _product(call.param("product"))
    if product == "none":
        _require_manager(call, "product none")
    projects = call.store.table("projects")
    pid = new_id(call, "projects")
    project: dict[str, Any] = {
        "id": pid,
        "name": str(call.param("name")),
        "product": product,
        "type": "default",
        "companyGroupId": 0,
        "phaseName": "Calculatie",
        "closedPhases": [],
        "status": "unknown",
        "countryCode": "nl",
        "country": "Nederland",
        **{k: "" for k in DETAIL_FIELDS if k not in ("countryCode", "country")},
        **{k: "" for k in PEOPLE},
    }
    _apply_fields(call, project)
    projects[str(pid)] = project
    return Reply(body={"id": pid, "name": project["name"]})


def _visible(call: Call, product: str, ptype: str, active: Any) -> list[dict[str, Any]]:
    out = []
    for project in call.store.values("projects"):
        if project.get("product", "tender") != product or not can_see(call, project):
            continue
        if ptype != "all" and project.get("type", "default") != ptype:
            continue
        if active is not None and _is_active(project) != str(active).strip().endswith("1"):
            continue
        out.append(project)
    out.sort(key=lambda p: int(p["id"]))
    return out


def listProjects(call: Call) -> Reply:
    """listProjects — default-type projects of a product (tender unless product=none, which needs a group
    manager); active=0|1 filters; page/pageSize paginate (default: everything)."""
    product = _product(call.param("product"))
    if product == "none":
        _require_manager(call, "product none")
    items = _visible(call, product, "default", call.param("active"))
    size = call.param("pageSize")
    if size is not None:
        page = call.param("page") or 1
        items = items[(page - 1) * size : page * size]
    return Reply(body=[list_item(call, p) for p in items])


def listProjectsByType(call: Call) -> Reply:
    """listProjectsByType — type default|template|all of product tender; active filters."""
    raw = str(call.path_params.get("type", "default"))
    ptype = "default" if raw.startswith("default") else "all" if raw.endswith("all") else "template"
    return Reply(body=[list_item(call, p) for p in _visible(call, "tender", ptype, call.param("active"))])


def getProject(call: Call) -> Reply:
    """getProject — the documented fields; userActivity is accepted but adds nothing (not emulated)."""
    project = get_project(call, call.path_params.get("projectId"))
    phases = phase_table(call).get(project.get("product", "tender"), {}).get(project.get("type", "default"), {})
    get = project.get
    body = {"id": str(project["id"]), "name": project["name"]}
    for k in DETAIL_FIELDS:
        body[k] = str(get(k, ""))
    body["phaseId"] = str(phases.get(get("phaseName", "Calculatie"), 0))
    for k in PEOPLE:
        body[k] = str(get(k, ""))
    return Reply(body=body)


def updateProject(call: Call) -> Reply:
    """updateProject — answers an array (seed quirk) with id, name and status."""
    project = get_project(call, call.path_params.get("projectId"))
    name = call.param("name")
    if name is not None:
        project["name"] = str(name)
    _apply_fields(call, project)
    return Reply(body=[{"id": project["id"], "name": project["name"], "status": project.get("status", "unknown")}])


def removeProject(call: Call) -> Reply:
    """removeProject — group managers only, and only projects with product none (else 403); cascades."""
    project = get_project(call, call.path_params.get("projectId"))
    _require_manager(call, "removeProject")
    if project.get("product") != "none":
        raise Forbidden("only projects with product none can be deleted")
    pid = project["id"]
    store = call.store
    wc_ids = {wc["id"] for wc in store.values("workComponents") if wc.get("projectId") == pid}
    budget_ids = {b["id"] for b in store.values("budgets") if b.get("projectId") == pid}
    for table, test in (
        ("documents", lambda r: r.get("projectId") == pid),
        ("documentGroups", lambda r: r.get("projectId") == pid),
        ("workComponents", lambda r: r.get("projectId") == pid),
        ("invitations", lambda r: r.get("workComponentId") in wc_ids),
        ("budgets", lambda r: r.get("projectId") == pid),
        ("budgetRows", lambda r: r.get("budgetId") in budget_ids),
    ):
        for key in [k for k, r in store.table(table).items() if test(r)]:
            store.delete(table, key)
            if table == "documents":
                store.table("files").pop(key, None)
    store.delete("projects", pid)
    return Reply(status=200, empty=True)


def _closed_reply(project: dict[str, Any]) -> Reply:
    closed = [n for n in PHASE_NAMES if n in project["closedPhases"]]
    return Reply(body=[{"id": project["id"], "name": project["name"], "closedPhases": closed}])


def _open_reply(project: dict[str, Any]) -> Reply:
    opened = [n for n in PHASE_NAMES if n not in project["closedPhases"]]
    return Reply(body=[{"id": project["id"], "name": project["name"], "openPhases": opened}])


def closeProject(call: Call) -> Reply:
    """closeProject — closes every phase; answers [{id, name, closedPhases}]."""
    project = get_project(call, call.path_params.get("projectId"))
    project["closedPhases"] = list(PHASE_NAMES)
    return _closed_reply(project)


def openProject(call: Call) -> Reply:
    """openProject — opens every phase; answers [{id, name, openPhases}]."""
    project = get_project(call, call.path_params.get("projectId"))
    project["closedPhases"] = []
    return _open_reply(project)


def _phases_named(call: Call, project: dict[str, Any]) -> list[str]:
    phases = project_phases(call, project)
    raw_ids = call.param("phaseId")
    if raw_ids not in (None, ""):
        names = []
        for part in str(raw_ids).split(","):
            pid = as_int(part)
            name = next((n for n, i in phases.items() if i == pid), None)
            if name is None:
                raise bad("phaseId", f"Unknown phaseId {part.strip()} for this project")
            names.append(name)
        return names
    raw = call.param("phase")
    if raw in (None, ""):
        raise bad("phase", "Parameter 'phase' or 'phaseId' is required")
    parts = [p.strip() for p in str(raw).split(",") if p.strip()]
    return list(PHASE_NAMES) if "All" in parts else [p for p in PHASE_NAMES if p in parts]


def closeProjectPhase(call: Call) -> Reply:
    """closeProjectPhase — phase names (All allowed) or phaseIds, comma separated; answers all closed phases."""
    project = get_project(call, call.path_params.get("projectId"))
    names = _phases_named(call, project)
    project["closedPhases"] = [n for n in PHASE_NAMES if n in project["closedPhases"] or n in names]
    return _closed_reply(project)


def openProjectPhase(call: Call) -> Reply:
    """openProjectPhase — the reverse; answers all open phases."""
    project = get_project(call, call.path_params.get("projectId"))
    names = _phases_named(call, project)
    project["closedPhases"] = [n for n in project["closedPhases"] if n not in names]
    return _open_reply(project)


def listPhases(call: Call) -> Reply:
    """listPhases — [{product: {type: {phaseName: phaseId}}}] (reading of the seed's placeholder sample)."""
    return Reply(body=[phase_table(call)])


def listProjectPhases(call: Call) -> Reply:
    """listProjectPhases — the same table restricted to the project's product and type."""
    project = get_project(call, call.path_params.get("projectId"))
    phases = project_phases(call, project)
    return Reply(body=[{project.get("product", "tender"): {project.get("type", "default"): phases}}])


__all__ = [
    "addProject",
    "closeProject",
    "closeProjectPhase",
    "getProject",
    "listPhases",
    "listProjectPhases",
    "listProjects",
    "listProjectsByType",
    "openProject",
    "openProjectPhase",
    "removeProject",
    "updateProject",
]


HANDLERS: dict[str, Handler] = {
    "addProject": addProject,
    "listProjects": listProjects,
    "listProjectsByType": listProjectsByType,
    "getProject": getProject,
    "updateProject": updateProject,
    "removeProject": removeProject,
    "closeProject": closeProject,
    "openProject": openProject,
    "closeProjectPhase": closeProjectPhase,
    "openProjectPhase": openProjectPhase,
    "listPhases": listPhases,
    "listProjectPhases": listProjectPhases,
}
