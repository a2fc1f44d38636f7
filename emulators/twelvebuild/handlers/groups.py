"""Document groups: list/create/get/update/delete (nesting through parentId), addDocumentToDocumentGroup,
and the groups' work-category links."""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call, Reply
from emulators.core.spec import Handler

from ..errors import bad, not_found
from ..models import get_project, get_record, new_id
from ..params import as_int, id_list
from ..phases import project_phases
from .documents import split_name, store_document


def view(group: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": group["id"],
        "projectId": group["projectId"],
        "name": group["name"],
        "order": int(group.get("order", 0)),
    }


def _group(call: Call) -> dict[str, Any]:
    group = get_record(call, "documentGroups", call.path_params.get("documentGroupId"), "Document group")
    get_project(call, group["projectId"])
    return group


def _descendants(call: Call, group_id: int) -> set[int]:
    groups = call.store.values("documentGroups")
    found: set[int] = set()
    todo = [group_id]
    while todo:
        current = todo.pop()
        for g in groups:
            if g.get("parentId") == current and g["id"] not in found:
                found.add(g["id"])
                todo.append(g["id"])
    return found


def _parent(call: Call, project_id: int, own_id: int | None = None) -> tuple[bool, int | None]:
    raw = call.param("parentId")
    if raw in (None, ""):
        return False, None
    pid = as_int(raw)
    parent = call.store.get("documentGroups", pid) if pid is not None else None
    if parent is None or parent.get("projectId") != project_id:
        raise bad("parentId", f"Unknown parent document group {raw}")
    if own_id is not None and (pid == own_id or pid in _descendants(call, own_id)):
        raise bad("parentId", "A document group cannot be moved below itself")
    return True, pid


def listDocumentGroups(call: Call) -> Reply:
    """listDocumentGroups — every group of the project, flat, by order."""
    project = get_project(call, call.path_params.get("projectId"))
    groups = [g for g in call.store.values("documentGroups") if g.get("projectId") == project["id"]]
    return Reply(body=[view(g) for g in sorted(groups, key=lambda g: (int(g.get("order", 0)), g["id"]))])


def createDocumentGroup(call: Call) -> Reply:
    """createDocumentGroup — answers an array with the new group (seed quirk); order defaults to last + 1."""
    project = get_project(call, call.path_params.get("projectId"))
    _, parent = _parent(call, project["id"])
    groups = call.store.table("documentGroups")
    order = call.param_int("order")
    if order is None:
        siblings = [
            int(g.get("order", 0))
            for g in groups.values()
            if g.get("projectId") == project["id"] and g.get("parentId") == parent
        ]
        order = max(siblings) + 1 if siblings else 1
    gid = new_id(call, "documentGroups")
    group = {
        "id": gid,
        "projectId": project["id"],
        "name": str(call.param("name")),
        "order": order,
        "parentId": parent,
        "workCategoryIds": [],
    }
    groups[str(gid)] = group
    return Reply(body=[view(group)])


def getDocumentGroup(call: Call) -> Reply:
    """getDocumentGroup — an array with the one group (seed quirk)."""
    return Reply(body=[view(_group(call))])


def updateDocumentGroup(call: Call) -> Reply:
    """updateDocumentGroup — rename, re-order or move (parentId) a group."""
    group = _group(call)
    name = call.param("name")
    if name is not None:
        group["name"] = str(name)
    given, parent = _parent(call, group["projectId"], group["id"])
    if given:
        group["parentId"] = parent
    order = call.param_int("order")
    if order is not None:
        group["order"] = order
    return Reply(body=[view(group)])


def deleteDocumentGroup(call: Call) -> Reply:
    """deleteDocumentGroup — the group and its sub-groups; documents stay (unfiled). Empty body."""
    group = _group(call)
    gone = {group["id"], *_descendants(call, group["id"])}
    for gid in gone:
        call.store.delete("documentGroups", gid)
    for doc in call.store.values("documents"):
        if any(g in gone for g in doc.get("groupIds") or []):
            doc["groupIds"] = [g for g in doc["groupIds"] if g not in gone]
    return Reply(status=200, empty=True)


def _upload(call: Call) -> tuple[bytes, str] | None:
    if call.files:
        upload = call.files.get("file_contents") or next(iter(call.files.values()))
        return upload.data, upload.content_type
    if call.raw_body and call.media_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return call.raw_body, call.media_type or "application/octet-stream"
    return None


def addDocumentToDocumentGroup(call: Call) -> Reply:
    """addDocumentToDocumentGroup — assumption: a body (raw bytes or a multipart file) uploads a new document
    called fileName into the group; without a body the project's existing document of that file name
    (name or name.extension) is added to the group (a document may sit in several groups)."""
    group = _group(call)
    project = get_project(call, group["projectId"])
    phase_id = as_int(call.path_params.get("phaseId"))
    if phase_id not in project_phases(call, project).values():
        raise bad("phaseId", f"Unknown phaseId {call.path_params.get('phaseId')} for this project", location="path")
    file_name = str(call.path_params.get("fileName", ""))
    upload = _upload(call)
    if upload is not None:
        doc = store_document(call, project, file_name, upload[0], upload[1], int(phase_id or 0), group["id"])
        return Reply(body={"documentId": doc["id"]})
    name, ext = split_name(file_name)
    for doc in sorted(call.store.values("documents"), key=lambda d: -int(d["id"])):
        if doc.get("projectId") != project["id"] or str(doc.get("deleted")) == "1":
            continue
        if doc["name"] == file_name or (doc["name"] == name and doc.get("extension", "") == ext):
            if group["id"] not in doc.setdefault("groupIds", []):
                doc["groupIds"].append(group["id"])
            return Reply(body={"documentId": doc["id"]})
    raise not_found("Document", file_name)


def getDocumentGroupWorkCategoryLinks(call: Call) -> Reply:
    """getDocumentGroupWorkCategoryLinks — {"data": {"workCategoryIds": [...]}}."""
    group = _group(call)
    return Reply(body={"data": {"workCategoryIds": list(group.get("workCategoryIds") or [])}})


def updateDocumentGroupWorkCategory(call: Call) -> Reply:
    """updateDocumentGroupWorkCategory — replaces the links (absent parameter: no links); every id must be a
    work category (work component) of the group's project."""
    group = _group(call)
    ids = id_list(call, "workCategoryIds") or []
    for wid in ids:
        wc = call.store.get("workComponents", wid)
        if wc is None or wc.get("projectId") != group["projectId"]:
            raise bad("workCategoryIds", f"Unknown work category {wid} for this project")
    group["workCategoryIds"] = list(dict.fromkeys(ids))
    return Reply(body={"data": {"workCategoryIds": group["workCategoryIds"]}})


HANDLERS: dict[str, Handler] = {
    "listDocumentGroups": listDocumentGroups,
    "createDocumentGroup": createDocumentGroup,
    "getDocumentGroup": getDocumentGroup,
    "updateDocumentGroup": updateDocumentGroup,
    "deleteDocumentGroup": deleteDocumentGroup,
    "addDocumentToDocumentGroup": addDocumentToDocumentGroup,
    "getDocumentGroupWorkCategoryLinks": getDocumentGroupWorkCategoryLinks,
    "updateDocumentGroupWorkCategory": updateDocumentGroupWorkCategory,
}
