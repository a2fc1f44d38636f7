"""The Agents API of Project: `POST /api/v1/Agents/Project/<Method>` (npm `@superoffice/webapi` src/ProjectAgent.ts;
SuperOfficeDocs `docs/en/api/reference/restful/agent/Project_Agent/`; vendor-facts F9).

A second binding of the REST operations, not a second implementation: each method moves its query parameter or
body properties to where the REST handler reads them and calls that handler, so auth, errors, 304/412, JSON and
XML are the REST operation's own. Body property names bind case-insensitively (the npm client sends camelCase).
Agents answer the carriers without `_Links` (the agent pages show ProjectEntity, not ProjectEntityWithLinks).
Methods with no return value answer 204 (F9). Which of the 55 methods are emulated: contracts/superoffice/SOURCE.md.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import replace
from typing import Any

from emulators.core.call import Call, Reply, no_content

from ..errors import NO_ENTITY, bad_request
from ..models import lower_keys, to_int
from . import entity, extras, image, members
from .archive import TABLE, load_project

# helpers -------------------------------------------------------------------------------------------


def _body(call: Call) -> dict[str, Any]:
    """The request object's properties, keys in lower case ({} for no body)."""
    body = call.body
    if isinstance(body, dict):
        return lower_keys(body)
    return {}


def _arg(call: Call, name: str, default: Any = None) -> Any:
    return _body(call).get(name.lower(), default)


def _int_arg(call: Call, name: str) -> int:
    return to_int(_arg(call, name, 0), name)


def _ids(value: Any, name: str) -> list[int]:
    """An array of ids from a JSON array, or an XML `<ArrayOfInt><int>..</int></ArrayOfInt>` body."""
    items = extras.array_body(value) if not isinstance(value, list) else value
    if items is None:
        if value in (None, ""):
            return []
        items = [value]
    return [to_int(v, f"{name}[{i}]") for i, v in enumerate(items)]


def _as(
    call: Call, *, path: dict[str, Any] | None = None, query: dict[str, Any] | None = None, body: Any = ...
) -> Call:
    """The same request as the REST handler expects it: its path parameters, query and body."""
    changes: dict[str, Any] = {"path_params": path or {}}
    if query is not None:
        changes["query"] = query
    if body is not ...:
        changes["body"] = body
    return replace(call, **changes)


def _no_links(reply: Reply) -> Reply:
    if isinstance(reply.body, dict):
        reply.body.pop("_Links", None)
    return reply


def _select(call: Call) -> dict[str, Any]:
    return {"$select": call.query["$select"]} if call.query.get("$select") else {}


# the entity ----------------------------------------------------------------------------------------


def agentCreateDefaultProjectEntity(call: Call) -> Reply:
    """CreateDefaultProjectEntity = GET /Project/default."""
    return entity.defaultProjectEntity(_as(call))


def agentGetProjectEntity(call: Call) -> Reply:
    """GetProjectEntity?projectEntityId= = GET /Project/{id} (404, If-Modified-Since 304)."""
    pid = call.query.get("projectEntityId")
    return _no_links(entity.getProjectEntity(_as(call, path={"id": pid}, query=_select(call))))


def agentSaveProjectEntity(call: Call) -> Reply:
    """SaveProjectEntity: ProjectId 0 (or none) = POST /Project; otherwise PUT /Project/{id} (404, 412)."""
    body = entity.entity_body(call)
    pid = to_int(lower_keys(body).get("projectid", 0), "ProjectId")
    if pid == 0:
        return _no_links(entity.postProjectEntity(_as(call, query={})))
    return _no_links(entity.putProjectEntity(_as(call, path={"id": pid}, query={})))


def agentDeleteProjectEntity(call: Call) -> Reply:
    """DeleteProjectEntity?ProjectEntityId= = DELETE /Project/{id} (404, 412)."""
    return entity.deleteProjectEntity(_as(call, path={"id": call.query.get("ProjectEntityId")}))


def agentGetProjectEntityWithoutMembers(call: Call) -> Reply:
    """GetProjectEntityWithoutMembers {ProjectId}: GET /Project/{id} with an empty ProjectMembers."""
    reply = _no_links(entity.getProjectEntity(_as(call, path={"id": _int_arg(call, "ProjectId")}, query={})))
    if isinstance(reply.body, dict):
        reply.body["ProjectMembers"] = []
    return reply


def agentSaveProjectEntityWithoutMembers(call: Call) -> Reply:
    """SaveProjectEntityWithoutMembers {ProjectEntity}: as SaveProjectEntity; the members sent are ignored and
    the stored ones kept."""
    sent = _arg(call, "ProjectEntity")
    if not isinstance(sent, dict) or not sent:
        raise bad_request(NO_ENTITY)
    body = {k: v for k, v in sent.items() if str(k).lower() != "projectmembers"}
    pid = to_int(lower_keys(body).get("projectid", 0), "ProjectId")
    if pid:
        body["ProjectMembers"] = load_project(_as(call, path={"id": pid}), "id").get("ProjectMembers") or []
    inner = _as(call, body=body)
    return agentSaveProjectEntity(inner)


def agentValidateProjectEntity(call: Call) -> Reply:
    """ValidateProjectEntity {ProjectEntity} = POST /Project/Validate."""
    return extras.validateProjectEntity(_as(call, body=_arg(call, "ProjectEntity")))


def agentSetCompleted(call: Call) -> Reply:
    """SetCompleted {ProjectId, IsCompleted}: the project's Completed, saved like a PUT; 204."""
    rec = load_project(_as(call, path={"id": _int_arg(call, "ProjectId")}), "id")
    flag = _arg(call, "IsCompleted", False)
    body = dict(rec, Completed=flag)
    entity.save(call, body, int(rec["ProjectId"]), rec)
    return no_content()


# the Project carrier (GET /Project/{id}/Simple) ----------------------------------------------------


def _simple(call: Call, project_id: int) -> dict[str, Any]:
    body: dict[str, Any] = extras.simple(_as(call, path={"id": project_id})).body
    return body


def _simples(call: Call, records: list[dict[str, Any]]) -> Reply:
    ids = sorted(int(r["ProjectId"]) for r in records)
    return Reply(body=[_simple(call, pid) for pid in ids], xml_root="ArrayOfProject")


def agentGetProject(call: Call) -> Reply:
    """GetProject?projectId= = GET /Project/{id}/Simple."""
    return extras.simple(_as(call, path={"id": call.query.get("projectId")}))


def agentGetProjectList(call: Call) -> Reply:
    """GetProjectList [ids]: the Project carriers of the known ids, in id order (unknown ids are left out;
    assumption)."""
    wanted = set(_ids(call.body, "projectIds"))
    return _simples(call, [r for r in call.store.table(TABLE).values() if int(r["ProjectId"]) in wanted])


def _my_person_id(call: Call) -> int:
    me = call.store.get("associates", entity.associate_id(call)) or {}
    return int(me.get("PersonId") or 0)


def _has_member(rec: dict[str, Any], field: str, value: int) -> bool:
    return bool(value) and any(int(m.get(field) or 0) == value for m in rec.get("ProjectMembers") or [])


def agentGetMyProjects(call: Call) -> Reply:
    """GetMyProjects {IncludeMemberProjects}: projects whose Associate is the caller, and with the flag also those
    where the caller's person is a member (the page's description)."""
    me = entity.associate_id(call)
    person = _my_person_id(call) if _arg(call, "IncludeMemberProjects", False) is True else 0
    found = [
        r
        for r in call.store.table(TABLE).values()
        if int((r.get("Associate") or {}).get("AssociateId") or 0) == me or _has_member(r, "PersonId", person)
    ]
    return _simples(call, found)


def agentGetMyMemberProjects(call: Call) -> Reply:
    """GetMyMemberProjects: projects where the caller's person is a member."""
    person = _my_person_id(call)
    return _simples(call, [r for r in call.store.table(TABLE).values() if _has_member(r, "PersonId", person)])


def agentGetProjectsFromPerson(call: Call) -> Reply:
    """GetProjectsFromPerson {PersonId}: projects where the person is a member."""
    person = _int_arg(call, "PersonId")
    return _simples(call, [r for r in call.store.table(TABLE).values() if _has_member(r, "PersonId", person)])


def agentGetProjectsFromContact(call: Call) -> Reply:
    """GetProjectsFromContact {ContactId}: projects with a member from that company."""
    contact = _int_arg(call, "ContactId")
    return _simples(call, [r for r in call.store.table(TABLE).values() if _has_member(r, "ContactId", contact)])


# sub-resources -------------------------------------------------------------------------------------


def agentHasGuide(call: Call) -> Reply:
    """HasGuide {ProjectId} = GET /Project/{projectId}/HasGuide."""
    return extras.hasGuide(_as(call, path={"projectId": _int_arg(call, "ProjectId")}))


def agentHasGuideActivities(call: Call) -> Reply:
    """HasGuideActivities {ProjectId}: as HasGuide (assumption: the guide's activities are the guided ones)."""
    return agentHasGuide(call)


def agentGetNextMilestone(call: Call) -> Reply:
    """GetNextMilestone {ProjectId} = GET /Project/{projectId}/NextMilestone."""
    return extras.getNextMilestone(_as(call, path={"projectId": _int_arg(call, "ProjectId")}))


def agentIsNumberValid(call: Call) -> Reply:
    """IsNumberValid {ContactId, Number} = GET /Project/{contactId}/IsNumberValid/{number}."""
    number = _arg(call, "Number", "")
    path = {"contactId": _int_arg(call, "ContactId"), "number": "" if number is None else str(number)}
    return extras.isNumberValid(_as(call, path=path))


def agentGetDuplicates(call: Call) -> Reply:
    """GetDuplicates {Name} = GET /Project/Duplicates/{name}."""
    name = _arg(call, "Name", "")
    return extras.getDuplicates(_as(call, path={"name": "" if name is None else str(name)}))


def agentGetDuplicateRules(call: Call) -> Reply:
    """GetDuplicateRules = GET /Project/DuplicateRules."""
    return extras.getDuplicateRules(_as(call))


def agentSetDuplicateRulesStatus(call: Call) -> Reply:
    """SetDuplicateRulesStatus {Rules} = PUT /Project/DuplicateRules (204)."""
    return extras.setDuplicateRulesStatus(_as(call, body=_arg(call, "Rules")))


def agentMerge(call: Call) -> Reply:
    """Merge {SourceProjectId, DestinationProjectId, ReplaceEmptyFieldsOnDestination} = POST
    /Project/{sourceProjectId}/MergeTo/{destinationProjectId} (204)."""
    path = {
        "sourceProjectId": _int_arg(call, "SourceProjectId"),
        "destinationProjectId": _int_arg(call, "DestinationProjectId"),
    }
    query = {"replaceEmptyFieldsOnDestination": _arg(call, "ReplaceEmptyFieldsOnDestination", False) is True}
    return extras.merge(_as(call, path=path, query=query))


def agentGetNextProjectStatus(call: Call) -> Reply:
    """GetNextProjectStatus {ProjectId}: the id of the status after the project's own in the tenant's status list
    (ordered by id); the first status when it has none or the last (assumption: the pages give no rule)."""
    rec = load_project(_as(call, path={"id": _int_arg(call, "ProjectId")}), "id")
    ids = sorted(int(k) for k in call.store.table("project_statuses"))
    current = int((rec.get("ProjectStatus") or {}).get("Id") or 0)
    later = [i for i in ids if i > current]
    return Reply(body=later[0] if later else (ids[0] if ids else 0), xml_root="int")


def agentGetProjectImage(call: Call) -> Reply:
    """GetProjectImage {ProjectId} = GET /Project/{projectId}/Image: the bytes for an octet-stream Accept (as the
    npm client asks), else the base64 text in JSON/XML (the agent page's Blob)."""
    reply = image.getImage(_as(call, path={"projectId": _int_arg(call, "ProjectId")}, query={}))
    accept = str(call.headers.get("accept") or "").lower()
    if "octet-stream" in accept or "image/" in accept or not isinstance(reply.body, bytes | bytearray):
        return reply
    return Reply(body=base64.b64encode(bytes(reply.body)).decode(), xml_root="base64Binary")


def agentSetProjectImage(call: Call) -> Reply:
    """SetProjectImage {ProjectId, Image (base64)} = PUT /Project/{projectId}/Image; 204."""
    raw = _arg(call, "Image", "")
    try:
        data = base64.b64decode(str(raw or ""), validate=True)
    except (binascii.Error, ValueError):
        raise bad_request("The image is not valid base64.") from None
    inner = replace(
        call,
        path_params={"projectId": _int_arg(call, "ProjectId")},
        body=data,
        raw_body=data,
        files={},
        media_type=None,
    )
    image.saveImage(inner)
    return no_content()


# members -------------------------------------------------------------------------------------------


def _member_reply(call: Call, member: dict[str, Any]) -> Reply:
    found = members.find_member(call, int(member.get("ProjectmemberId") or 0))
    body = members.render_member(call, member, found[0] if found else None, links=False)
    return Reply(body=body, xml_root="ProjectMember")


def _member_list(call: Call, found: list[tuple[dict[str, Any], dict[str, Any]]]) -> Reply:
    body = [members.render_member(call, m, rec, links=False) for rec, m in found]
    return Reply(body=body, xml_root="ArrayOfProjectMember")


def agentCreateDefaultProjectMember(call: Call) -> Reply:
    """CreateDefaultProjectMember = GET /ProjectMember/default."""
    return members.defaultProjectMember(_as(call))


def agentGetProjectMember(call: Call) -> Reply:
    """GetProjectMember?projectMemberId= = GET /ProjectMember/{id} (404)."""
    _, member = members.load_member(call, call.query.get("projectMemberId"))
    return _member_reply(call, member)


def agentSaveProjectMember(call: Call) -> Reply:
    """SaveProjectMember = POST /ProjectMember (ProjectmemberId 0 creates)."""
    return _no_links(members.postProjectMember(_as(call, query={})))


def agentDeleteProjectMember(call: Call) -> Reply:
    """DeleteProjectMember?ProjectMemberId= = DELETE /ProjectMember/{id} (404)."""
    return members.deleteProjectMember(_as(call, path={"id": call.query.get("ProjectMemberId")}))


def agentUpdateProjectMember(call: Call) -> Reply:
    """UpdateProjectMember {ProjectMember}: PUT /ProjectMember/{id} with the member's own id."""
    sent = _arg(call, "ProjectMember")
    if not isinstance(sent, dict) or not sent:
        raise bad_request(NO_ENTITY)
    mid = to_int(lower_keys(sent).get("projectmemberid", 0), "ProjectmemberId")
    return _member_reply(call, members.update_member(call, mid, sent))


def _members_arg(call: Call, name: str) -> list[dict[str, Any]]:
    value = _arg(call, name)
    items = value if isinstance(value, list) else extras.array_body(value) or []
    return [i for i in items if isinstance(i, dict)]


def agentAddProjectMembers(call: Call) -> Reply:
    """AddProjectMembers {ProjectEntityId, ProjectMembers}: each member created in that project; 204."""
    pid = _int_arg(call, "ProjectEntityId")
    members.load_project_by_id(call, pid)
    for sent in _members_arg(call, "ProjectMembers"):
        members.create_member(call, {**sent, "ProjectId": pid})
    return no_content()


def agentUpdateProjectMembers(call: Call) -> Reply:
    """UpdateProjectMembers {ProjectId, ProjectMembers}: members with an id of that project are saved, those
    without an id are added; 204."""
    pid = _int_arg(call, "ProjectId")
    members.load_project_by_id(call, pid)
    for sent in _members_arg(call, "ProjectMembers"):
        mid = to_int(lower_keys(sent).get("projectmemberid", 0), "ProjectmemberId")
        if mid:
            members.update_member(call, mid, sent)
        else:
            members.create_member(call, {**sent, "ProjectId": pid})
    return no_content()


def agentDeleteProjectMembers(call: Call) -> Reply:
    """DeleteProjectMembers {ProjectEntityId, MemberIds}: those members of that project are removed; 204."""
    rec = members.load_project_by_id(call, _int_arg(call, "ProjectEntityId"))
    gone = set(_ids(_arg(call, "MemberIds"), "MemberIds"))
    kept = [m for m in rec.get("ProjectMembers") or [] if int(m.get("ProjectmemberId") or 0) not in gone]
    members.write_members(call, rec, kept)
    return no_content()


def agentDeleteProjectMemberByIds(call: Call) -> Reply:
    """DeleteProjectMemberByIds {ProjectMemberIds}: each known member removed (unknown ids ignored); 204."""
    for mid in _ids(_arg(call, "ProjectMemberIds"), "ProjectMemberIds"):
        if members.find_member(call, mid) is not None:
            members.delete_member(call, mid)
    return no_content()


def agentGetProjectMembers(call: Call) -> Reply:
    """GetProjectMembers {ProjectId}: the project's members (404 for an unknown project)."""
    rec = members.load_project_by_id(call, _int_arg(call, "ProjectId"))
    return _member_list(call, [(rec, m) for m in rec.get("ProjectMembers") or []])


def agentGetProjectMembersById(call: Call) -> Reply:
    """GetProjectMembersById {ProjectMemberIds}: the known members, in the order asked."""
    found = []
    for mid in _ids(_arg(call, "ProjectMemberIds"), "ProjectMemberIds"):
        hit = members.find_member(call, mid)
        if hit is not None:
            found.append(hit)
    return _member_list(call, found)


def agentSaveProjectMembersFunctionAndComment(call: Call) -> Reply:
    """SaveProjectMembersFunctionAndComment {ProjectMemberIds, RoleId, Comment}: each member's type (function)
    and comment set; 204."""
    role = _int_arg(call, "RoleId")
    comment = _arg(call, "Comment", "")
    for mid in _ids(_arg(call, "ProjectMemberIds"), "ProjectMemberIds"):
        if members.find_member(call, mid) is not None:
            members.update_member(call, mid, {"ProjectMemberTypeId": role, "Comment": comment})
    return no_content()


HANDLERS = {
    "agentCreateDefaultProjectEntity": agentCreateDefaultProjectEntity,
    "agentGetProjectEntity": agentGetProjectEntity,
    "agentSaveProjectEntity": agentSaveProjectEntity,
    "agentDeleteProjectEntity": agentDeleteProjectEntity,
    "agentGetProjectEntityWithoutMembers": agentGetProjectEntityWithoutMembers,
    "agentSaveProjectEntityWithoutMembers": agentSaveProjectEntityWithoutMembers,
    "agentValidateProjectEntity": agentValidateProjectEntity,
    "agentSetCompleted": agentSetCompleted,
    "agentGetProject": agentGetProject,
    "agentGetProjectList": agentGetProjectList,
    "agentGetMyProjects": agentGetMyProjects,
    "agentGetMyMemberProjects": agentGetMyMemberProjects,
    "agentGetProjectsFromPerson": agentGetProjectsFromPerson,
    "agentGetProjectsFromContact": agentGetProjectsFromContact,
    "agentHasGuide": agentHasGuide,
    "agentHasGuideActivities": agentHasGuideActivities,
    "agentGetNextMilestone": agentGetNextMilestone,
    "agentIsNumberValid": agentIsNumberValid,
    "agentGetDuplicates": agentGetDuplicates,
    "agentGetDuplicateRules": agentGetDuplicateRules,
    "agentSetDuplicateRulesStatus": agentSetDuplicateRulesStatus,
    "agentMerge": agentMerge,
    "agentGetNextProjectStatus": agentGetNextProjectStatus,
    "agentGetProjectImage": agentGetProjectImage,
    "agentSetProjectImage": agentSetProjectImage,
    "agentCreateDefaultProjectMember": agentCreateDefaultProjectMember,
    "agentGetProjectMember": agentGetProjectMember,
    "agentSaveProjectMember": agentSaveProjectMember,
    "agentDeleteProjectMember": agentDeleteProjectMember,
    "agentUpdateProjectMember": agentUpdateProjectMember,
    "agentAddProjectMembers": agentAddProjectMembers,
    "agentUpdateProjectMembers": agentUpdateProjectMembers,
    "agentDeleteProjectMembers": agentDeleteProjectMembers,
    "agentDeleteProjectMemberByIds": agentDeleteProjectMemberByIds,
    "agentGetProjectMembers": agentGetProjectMembers,
    "agentGetProjectMembersById": agentGetProjectMembersById,
    "agentSaveProjectMembersFunctionAndComment": agentSaveProjectMembersFunctionAndComment,
}
