"""The ProjectMember resource (SuperOfficeDocs `docs/en/api/reference/restful/rest/ProjectMember/`): default, get,
create, save, PATCH, delete. A member lives inside its project (`ProjectEntity.ProjectMembers`): every write here
rebuilds the project's member list and stores it through entity.save, the one write path PUT /Project uses, so
both views always agree (and whatever watches project writes sees member writes too)."""

from __future__ import annotations

import copy
from typing import Any

from emulators.core.call import Call, Reply, no_content
from emulators.core.errors import EmulatorError

from ..dates import EMPTY_DATE
from ..errors import NO_ENTITY, SERVICES, bad_request, project_not_found
from ..fields import DEFAULT_RIGHT, FULL_RIGHT, MEMBER, MEMBER_FIELD_PROPERTIES
from ..models import lower_keys, to_int
from ..render import apply_select, carrier
from .entity import links_base, patched_copy, save

TABLE = "projects"
ROOT = "ProjectMember"


def member_not_found(member_id: Any) -> EmulatorError:
    """The Project pattern (B1.1) for members (assumption: the page shows 404 without a body)."""
    return EmulatorError(
        f"ProjectMember id {member_id} not found", status=404, code="SoNotFoundException", source=SERVICES
    )


def find_member(call: Call, member_id: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(project record, member) for a ProjectmemberId, or None."""
    if member_id <= 0:
        return None
    for rec in call.store.table(TABLE).values():
        for m in rec.get("ProjectMembers") or []:
            if int(m.get("ProjectmemberId") or 0) == member_id:
                return rec, m
    return None


def load_member(call: Call, member_id: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        mid = int(member_id)
    except (TypeError, ValueError):
        raise member_not_found(member_id) from None
    found = find_member(call, mid)
    if found is None:
        raise member_not_found(member_id)
    return found


def load_project_by_id(call: Call, project_id: Any) -> dict[str, Any]:
    try:
        pid = int(project_id)
    except (TypeError, ValueError):
        raise project_not_found(project_id) from None
    rec: dict[str, Any] | None = call.store.get(TABLE, pid)
    if rec is None:
        raise project_not_found(project_id)
    return rec


def write_members(call: Call, rec: dict[str, Any], members: list[dict[str, Any]]) -> dict[str, Any]:
    """Stores the project with this member list through the project's own write path; the stored project."""
    body = dict(rec)
    body["ProjectMembers"] = members
    return save(call, body, int(rec["ProjectId"]), rec)


def member_links(base: str, member_id: int) -> dict[str, str]:
    """As the Project's _Links (B9.7: absolute, trailing slash); the page's sample shows Self and Archive."""
    root = f"{base}/api/v1/ProjectMember/"
    return {"Self": f"{root}{member_id}/", "Archive": root}


def render_member(
    call: Call, member: dict[str, Any], project: dict[str, Any] | None = None, *, links: bool = True, new: bool = False
) -> dict[str, Any]:
    """The ProjectMember carrier; ProjectId and ProjectName are the containing project's (a stored member may
    carry other values from a seed sample, which the entity view replays as given)."""
    out = carrier(member, MEMBER, DEFAULT_RIGHT if new else FULL_RIGHT, MEMBER_FIELD_PROPERTIES)
    assert out is not None
    if project is not None:
        out["ProjectId"] = project.get("ProjectId", 0)
        out["ProjectName"] = project.get("Name", "")
    if links:
        out["_Links"] = member_links(links_base(call), int(member.get("ProjectmemberId") or 0))
    return out


def _reply(call: Call, member: dict[str, Any], *, links: bool = True) -> Reply:
    found = find_member(call, int(member.get("ProjectmemberId") or 0))
    project = found[0] if found else None
    body = apply_select(render_member(call, member, project, links=links), call.query.get("$select"))
    return Reply(body=body, xml_root=ROOT)


def default_member() -> dict[str, Any]:
    member: dict[str, Any] = {name: 0 if kind == "int" else "" for name, kind in MEMBER}
    member.update(Registered=EMPTY_DATE, Updated=EMPTY_DATE, EventParticipantStatus="")
    return member


def _person_id(call: Call, low: dict[str, Any]) -> int:
    pid = to_int(low.get("personid"), "PersonId")
    if call.store.get("persons", pid) is None:
        # assumption: the vendor's pages show no error for an unknown person; the emulator will not store one
        raise bad_request(f"Person id {pid} not found", "SoNotFoundException")
    return pid


def _after_write(rec: dict[str, Any], member_id: int) -> dict[str, Any]:
    for m in rec.get("ProjectMembers") or []:
        if int(m.get("ProjectmemberId") or 0) == member_id:
            return dict(m)
    raise bad_request("The project member could not be saved.")


def create_member(call: Call, body: dict[str, Any]) -> dict[str, Any]:
    """Adds a member to the project named by ProjectId; the stored member (new ProjectmemberId)."""
    low = lower_keys(body)
    rec = load_project_by_id(call, to_int(low.get("projectid"), "ProjectId"))
    person = _person_id(call, low)
    old_ids = {int(m.get("ProjectmemberId") or 0) for m in rec.get("ProjectMembers") or []}
    new = {
        "ProjectmemberId": 0,
        "PersonId": person,
        "ProjectMemberTypeId": low.get("projectmembertypeid", 0),
        "Comment": low.get("comment", ""),
    }
    stored = write_members(call, rec, [*copy.deepcopy(rec.get("ProjectMembers") or []), new])
    added = [m for m in stored.get("ProjectMembers") or [] if int(m.get("ProjectmemberId") or 0) not in old_ids]
    if not added:
        raise bad_request("The project member could not be saved.")
    return dict(added[-1])


def update_member(call: Call, member_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Replaces the member's person, type and comment (the fields a member owns); the stored member. A body
    naming another ProjectId moves the member there (assumption: as the vendor's ProjectId is writable)."""
    rec, member = load_member(call, member_id)
    low = lower_keys(body)
    target_id = to_int(low.get("projectid"), "ProjectId") if low.get("projectid") not in (None, "", 0) else 0
    changed = {
        "ProjectmemberId": member_id,
        "PersonId": _person_id(call, low) if "personid" in low else member.get("PersonId"),
        "ProjectMemberTypeId": low.get("projectmembertypeid", member.get("ProjectMemberTypeId", 0)),
        "Comment": low.get("comment", member.get("Comment", "")),
    }
    if target_id and target_id != int(rec["ProjectId"]):
        target = load_project_by_id(call, target_id)
        write_members(call, rec, [m for m in rec.get("ProjectMembers") or [] if m is not member])
        changed["ProjectmemberId"] = 0
        return create_member(call, {**changed, "ProjectId": target["ProjectId"]})
    members = [changed if m is member else m for m in rec.get("ProjectMembers") or []]
    return _after_write(write_members(call, rec, members), member_id)


def delete_member(call: Call, member_id: Any) -> None:
    rec, member = load_member(call, member_id)
    write_members(call, rec, [m for m in rec.get("ProjectMembers") or [] if m is not member])


# operations --------------------------------------------------------------------------------------
def defaultProjectMember(call: Call) -> Reply:
    """GET /ProjectMember/default: a new member carrier, ProjectmemberId 0 (no _Links, as Project default)."""
    return Reply(body=render_member(call, default_member(), links=False, new=True), xml_root=ROOT)


def getProjectMember(call: Call) -> Reply:
    """GET /ProjectMember/{id}: 404 for an unknown id."""
    _, member = load_member(call, call.path_params["id"])
    return _reply(call, member)


def _entity(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict) or not body:
        raise bad_request(NO_ENTITY)
    return body


def postProjectMember(call: Call) -> Reply:
    """POST /ProjectMember: a ProjectmemberId of 0 creates, another saves that member (the page: "creates a new
    ProjectMember or updates an existing one"; assumption for a non-zero id)."""
    body = _entity(call)
    mid = to_int(lower_keys(body).get("projectmemberid"), "ProjectmemberId")
    member = update_member(call, mid, body) if mid else create_member(call, body)
    return _reply(call, member)


def putProjectMember(call: Call) -> Reply:
    """PUT /ProjectMember/{id}: 404 unknown id; 400 without a body."""
    body = _entity(call)
    return _reply(call, update_member(call, int(call.path_params["id"]), body))


def patchProjectMember(call: Call) -> Reply:
    """PATCH /ProjectMember/{id}: JSON Patch or Merge Patch on the member carrier, then saved like PUT."""
    body = call.body
    if body is None or body == {} or body == []:
        raise bad_request(NO_ENTITY)
    rec, member = load_member(call, call.path_params["id"])
    doc = copy.deepcopy(member)
    doc["ProjectId"] = rec["ProjectId"]  # as GET shows it: the containing project
    patched = patched_copy(call, body, doc)
    return _reply(call, update_member(call, int(member["ProjectmemberId"]), patched))


def deleteProjectMember(call: Call) -> Reply:
    """DELETE /ProjectMember/{id}: 204; 404 unknown id."""
    delete_member(call, call.path_params["id"])
    return no_content()


HANDLERS = {
    "defaultProjectMember": defaultProjectMember,
    "getProjectMember": getProjectMember,
    "postProjectMember": postProjectMember,
    "putProjectMember": putProjectMember,
    "patchProjectMember": patchProjectMember,
    "deleteProjectMember": deleteProjectMember,
}
