"""Project sub-resources answered from the stored world: Simple (E9), HasGuide, NextMilestone, ForeignKey,
Duplicates / DuplicateRules, MergeTo, IsNumberValid and Validate (Swagger; vendor reference pages, E6)."""

from __future__ import annotations

import copy
from typing import Any

from emulators.core.call import Call, Reply, no_content
from emulators.core.errors import EmulatorError

from ..archives import appointments_of
from ..dates import EMPTY_DATE
from ..errors import NO_ENTITY, bad_request, conversion_message
from ..fields import FULL_RIGHT, PROJECT
from ..models import lower_keys, scalar, to_int
from .archive import TABLE, load_project
from .entity import associate_id, save

STRING_KINDS = ("int", "str", "text", "bool", "date", "dict")


def array_body(body: Any) -> list[Any] | None:
    """An array request body; the XML form (`<ArrayOfX><X>..</X></ArrayOfX>` -> {"X": [...]}) is unwrapped."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and len(body) == 1:
        inner = next(iter(body.values()))
        if isinstance(inner, list):
            return inner
        if isinstance(inner, dict):
            return [inner]
    return None


def simple(call: Call) -> Reply:
    """GET /Project/{id}/Simple: the flat SuperOffice.CRM.Services.Project carrier (E9; read-only)."""
    rec = load_project(call, "id")
    urls = rec.get("Urls") or []
    url = urls[0] if urls else {}
    assoc = rec.get("Associate") or {}
    ptype = rec.get("ProjectType") or {}
    status = rec.get("ProjectStatus") or {}
    body = {
        "ProjectId": rec["ProjectId"],
        "Name": rec.get("Name", ""),
        "Description": rec.get("Description", ""),
        "URL": url.get("Value", ""),
        "Type": ptype.get("Value", ""),
        "AssociateId": assoc.get("AssociateId", 0),
        "AssociateFullName": assoc.get("FullName", ""),
        "TypeId": ptype.get("Id", 0),
        "Updated": rec.get("UpdatedDate") or EMPTY_DATE,
        "StatusId": status.get("Id", 0),
        "Status": status.get("Value", ""),
        "TextId": 0,
        "PublishTo": rec.get("PublishTo") or EMPTY_DATE,
        "PublishFrom": rec.get("PublishFrom") or EMPTY_DATE,
        "IsPublished": bool(rec.get("IsPublished")),
        "URLName": url.get("Description", ""),
        "ProjectNumber": rec.get("ProjectNumber", ""),
        "ActiveErpLinks": rec.get("ActiveErpLinks") or 0,
        "EventId": rec.get("EventId") or 0,
        "StartDate": rec.get("StartDate") or EMPTY_DATE,
        "TableRight": dict(FULL_RIGHT),
        "FieldProperties": {},
    }
    return Reply(body=body, xml_root="Project")


def hasGuide(call: Call) -> Reply:
    """GET /Project/{projectId}/HasGuide: true when the project has guided appointments.
    Assumption: an unknown project answers false (the page lists 200 only)."""
    pid = int(call.path_params["projectId"])
    return Reply(body=any(a.get("Guided") for a in appointments_of(call.store, pid)), xml_root="boolean")


def _appointment(a: dict[str, Any], project_name: str) -> dict[str, Any]:
    return {
        "AppointmentId": a.get("AppointmentId", 0),
        "StartDate": a.get("StartDate", EMPTY_DATE),
        "EndDate": a.get("EndDate", EMPTY_DATE),
        "Type": "inDiary",
        "Task": a.get("Task", ""),
        "AssociateFullName": a.get("AssociateName", ""),
        "ContactName": a.get("ContactName", ""),
        "Description": a.get("Description", ""),
        "PersonFullName": a.get("PersonFullName", ""),
        "PersonId": a.get("PersonId", 0),
        "ContactId": a.get("ContactId", 0),
        "ProjectId": a.get("ProjectId", 0),
        "ProjectName": project_name,
        "IsPublished": False,
        "AssociateId": a.get("AssociateId", 0),
        "Completed": "Completed" if a.get("Completed") else "NotStarted",
        "TaskType": "Appointment",
        "TableRight": dict(FULL_RIGHT),
        "FieldProperties": {},
    }


def getNextMilestone(call: Call) -> Reply:
    """GET /Project/{projectId}/NextMilestone: the earliest non-completed milestone appointment (Appointment
    carrier); null when there is none (assumption); 404 unknown project."""
    rec = load_project(call, "projectId")
    open_ones = [
        a for a in appointments_of(call.store, int(rec["ProjectId"])) if a.get("Milestone") and not a.get("Completed")
    ]
    if not open_ones:
        return Reply(body=None, xml_root="Appointment")
    return Reply(body=_appointment(open_ones[0], str(rec.get("Name", ""))), xml_root="Appointment")


def getAllForeignKeysOnEntity(call: Call) -> Reply:
    """GET /Project/{id}/ForeignKey: 'app.device.keyname' -> value pairs (fixtures table foreign_keys)."""
    rec = load_project(call, "id")
    keys = call.store.table("foreign_keys").get(str(rec["ProjectId"])) or {}
    return Reply(body={str(k): str(v) for k, v in keys.items()}, xml_root="StringDictionary")


# duplicates ----------------------------------------------------------------------------------------
def _rules(call: Call) -> list[dict[str, Any]]:
    return [dict(r) for _, r in sorted(call.store.table("duplicate_rules").items())]


def getDuplicateRules(call: Call) -> Reply:
    """GET /Project/DuplicateRules: the tenant's rules (fixtures) with their IsActive flags."""
    body = [{**r, "TableRight": None, "FieldProperties": {}} for r in _rules(call)]
    return Reply(body=body, xml_root="ArrayOfDuplicateRule")


def setDuplicateRulesStatus(call: Call) -> Reply:
    """PUT /Project/DuplicateRules: sets IsActive of the named rules (unknown names are ignored); 204."""
    body = array_body(call.body)
    if body is None:
        raise bad_request(NO_ENTITY)
    table = call.store.table("duplicate_rules")
    by_name = {str(r.get("Name", "")).lower(): k for k, r in table.items()}
    for item in body:
        if isinstance(item, dict):
            low = lower_keys(item)
            key = by_name.get(str(low.get("name", "")).lower())
            if key is not None:
                rule = dict(table[key])
                rule["IsActive"] = bool(scalar("bool", low.get("isactive"), "IsActive"))
                table[key] = rule
    return no_content()


def getDuplicates(call: Call) -> Reply:
    """GET /Project/Duplicates/{name}: projects matching the active rules. SameName: equal name, ignoring case
    and surrounding spaces; SimilarName: one name contains the other (assumption: the rules' semantics)."""
    name = str(call.path_params["name"]).strip().lower()
    out = []
    for rule in _rules(call):
        if not rule.get("IsActive"):
            continue
        for rec in sorted(call.store.table(TABLE).values(), key=lambda r: int(r["ProjectId"])):
            other = str(rec.get("Name", "")).strip().lower()
            hit = (
                other == name
                if rule.get("Name") == "SameName"
                else bool(name and other and (name in other or other in name))
            )
            if hit:
                out.append(
                    {
                        "RuleName": rule.get("Name", ""),
                        "SoPrimaryKey": rec["ProjectId"],
                        "EntryName": rec.get("Name", ""),
                        "EntryIdentifier": str(rec["ProjectId"]),
                        "RuleDisplayName": rule.get("DisplayName", ""),
                        "TableRight": None,
                        "FieldProperties": {},
                    }
                )
    return Reply(body=out, xml_root="ArrayOfDuplicateEntry")


# merge / number ------------------------------------------------------------------------------------
def _union(first: list[dict[str, Any]], second: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    seen = {tuple(item.get(k) for k in key) for item in first}
    out = list(first)
    for item in second:
        ident = tuple(item.get(k) for k in key)
        if ident not in seen:
            seen.add(ident)
            out.append(item)
    return out


def merge(call: Call) -> Reply:
    """POST /Project/{sourceProjectId}/MergeTo/{destinationProjectId}: members, links and urls of the source are
    added to the destination (each once), its appointments move over, and the source is deleted; with
    replaceEmptyFieldsOnDestination empty text/number fields of the destination take the source's. 204.
    404 when either project is unknown; 400 when both are the same project (assumption)."""
    src = load_project(call, "sourceProjectId")
    dst = load_project(call, "destinationProjectId")
    if src["ProjectId"] == dst["ProjectId"]:
        raise bad_request("A project cannot be merged into itself.")
    merged = copy.deepcopy(dst)
    merged["ProjectMembers"] = _union(
        merged.get("ProjectMembers") or [],
        [dict(m, ProjectId=dst["ProjectId"], ProjectName=dst.get("Name", "")) for m in src.get("ProjectMembers") or []],
        ("PersonId",),
    )
    merged["Links"] = _union(merged.get("Links") or [], src.get("Links") or [], ("EntityName", "Id"))
    merged["Urls"] = _union(merged.get("Urls") or [], src.get("Urls") or [], ("Value",))
    if call.query.get("replaceEmptyFieldsOnDestination"):
        for name, kind in PROJECT:
            fillable = kind in ("str", "text") or (kind == "int" and name != "ProjectId")
            if fillable and not merged.get(name) and src.get(name):
                merged[name] = src[name]
            elif kind == "dict":
                merged[name] = {**(src.get(name) or {}), **{k: v for k, v in (merged.get(name) or {}).items() if v}}
    save(call, merged, int(dst["ProjectId"]), dst)
    apps = call.store.table("appointments")
    for key, app in list(apps.items()):
        if int(app.get("ProjectId") or 0) == src["ProjectId"]:
            apps[key] = dict(app, ProjectId=dst["ProjectId"])
    call.store.delete(TABLE, src["ProjectId"])
    return no_content()


def isNumberValid(call: Call) -> Reply:
    """GET /Project/{contactId}/IsNumberValid/{number}: true when the number is not empty and no other project
    than {contactId} (the project the number is for; the Swagger's name) uses it (assumption)."""
    number = str(call.path_params["number"]).strip()
    me = int(call.path_params["contactId"])
    taken = any(
        str(r.get("ProjectNumber", "")).strip().lower() == number.lower() and int(r["ProjectId"]) != me
        for r in call.store.table(TABLE).values()
    )
    return Reply(body=bool(number) and not taken, xml_root="boolean")


# validate --------------------------------------------------------------------------------------------
def _check(kind: str, value: Any, path: str, errors: dict[str, str]) -> None:
    try:
        scalar(kind, value, path)
    except EmulatorError as exc:
        errors[path] = exc.message


def validateProjectEntity(call: Call) -> Reply:
    """POST /Project/Validate: the field checks PUT runs, reported as {property path: message}; {} when the
    entity would be saved. Nothing is stored. 400 when there is no entity (as PUT)."""
    body = call.body
    if not isinstance(body, dict) or not body:
        raise bad_request(NO_ENTITY)
    low = lower_keys(body)
    errors: dict[str, str] = {}
    for name, kind in PROJECT:
        if kind in STRING_KINDS and name.lower() in low:
            _check(kind, low[name.lower()], name, errors)
    for prop, fields in (
        ("projectmembers", ("PersonId", "ProjectmemberId", "ProjectMemberTypeId")),
        ("links", ("Id", "LinkId")),
    ):
        items = low.get(prop)
        if items is None or items == "":
            continue
        label = "ProjectMembers" if prop == "projectmembers" else "Links"
        if not isinstance(items, list | dict):
            errors[label] = conversion_message(items, label, "System.Array")
            continue
        for i, item in enumerate(items if isinstance(items, list) else [items]):
            if isinstance(item, dict):
                item_low = lower_keys(item)
                for f in fields:
                    if f.lower() in item_low:
                        try:
                            to_int(item_low[f.lower()], f"{label}[{i}].{f}")
                        except EmulatorError as exc:
                            errors[f"{label}[{i}].{f}"] = exc.message
    _ = associate_id(call)
    return Reply(body=errors, xml_root="StringDictionary")


HANDLERS = {
    "simple": simple,
    "hasGuide": hasGuide,
    "getNextMilestone": getNextMilestone,
    "getAllForeignKeysOnEntity": getAllForeignKeysOnEntity,
    "getDuplicateRules": getDuplicateRules,
    "setDuplicateRulesStatus": setDuplicateRulesStatus,
    "getDuplicates": getDuplicates,
    "merge": merge,
    "isNumberValid": isNumberValid,
    "validateProjectEntity": validateProjectEntity,
}
