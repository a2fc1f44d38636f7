"""The archives behind the OData routes: FindProject (GET /api/v1/Project) and the project's sub-archives
(Members, Contacts, Links, Activities, Guide), with the vendor's archive column names.

Column names of FindProject: SuperOfficeDocs/superoffice-docs `docs/api/archive-providers/reference/findproject.md`
("Supported Columns"). Only the columns the stored state can answer are emulated (see SOURCE.md). The sub-archive
columns follow the same naming style (assumption; their providers' pages were not read).
"""

from __future__ import annotations

from typing import Any

from emulators.core.store import Store

from .odata import Archive, Column, Row

EMPTY = "0001-01-01T00:00:00"


def _cols(spec: str) -> list[Column]:
    """'name:kind name:kind ...' -> columns."""
    out = []
    for part in spec.split():
        name, kind = part.rsplit(":", 1)
        out.append(Column(name, kind))
    return out


FIND_PROJECT = Archive(
    entity="project",
    key="projectId",
    columns=_cols(
        "completed:bool projectId:int name:string number:string type:list status:list associateId:associate "
        "hasInfoText:bool text:string description:string updatedBy:associate updatedDate:date "
        "registeredBy:associate registeredDate:date hasGuide:bool nextMilestone:date endDate:date "
        "activeErpLinks:bool projectPublish/isPublished:bool projectPublish/publishedFrom:date "
        "projectPublish/publishedTo:date projectEvent/isExternalEvent:bool projectEvent/eventDate:date "
        "projectUrl/URLAddress:string projectUrl/URLDescription:string "
        "projectAssociate/fullName:string projectAssociate/personId:int projectAssociate/associateDbId:associate "
        "projectAssociate/assocName:associate projectAssociate/assocTooltip:string projectAssociate/assocType:list "
        "projectAssociate/ejUserId:int projectAssociate/userName:string "
        "NumberOfActivities:int NumberOfNotCompletedActivities:int LastActivity:date LastCompletedActivity:date "
        "LastDoByActivity:date"
    ),
    default=["projectId", "name", "number", "type", "status", "associateId", "endDate", "completed"],
)
# projectUdef/<progid> columns are added per tenant from the udef layout (udef_columns)

MEMBERS = Archive(
    entity="person",
    key="personId",
    columns=_cols(
        "projectMemberId:int personId:int fullName:string firstName:string middleName:string "
        "lastName:string mrMrs:string contactId:int contactName:string contactDepartment:string "
        "personEmail:string phone:string projectMemberType:list comment:string registered:date "
        "updated:date projectId:int"
    ),
    default=["personId", "fullName", "contactName", "projectMemberType", "comment"],
)
CONTACTS = Archive(
    entity="contact",
    key="contactId",
    columns=_cols("contactId:int name:string department:string source:string"),
    default=["contactId", "name", "department"],
)
LINKS = Archive(
    entity="link",
    key="linkId",
    columns=_cols("linkId:int id:int entityName:string description:string extraInfo:string"),
    default=["linkId", "entityName", "id", "description"],
)
ACTIVITIES = Archive(
    entity="appointment",
    key="appointmentId",
    columns=_cols(
        "appointmentId:int date:date endDate:date type:list text:string completed:bool "
        "associateId:associate contactId:int personId:int projectId:int milestone:bool guided:bool"
    ),
    default=["appointmentId", "date", "type", "text", "completed", "associateId"],
)
GUIDE = Archive(
    entity="appointment",
    key="appointmentId",
    columns=ACTIVITIES.columns,
    default=["appointmentId", "date", "type", "text", "completed", "guided"],
)


def _assoc(value: Any) -> tuple[int, str]:
    if not isinstance(value, dict):
        return (0, "")
    return (int(value.get("AssociateId") or 0), str(value.get("Name") or ""))


def _item(value: Any) -> tuple[int, str]:
    if not isinstance(value, dict):
        return (0, "")
    return (int(value.get("Id") or 0), str(value.get("Value") or ""))


def appointments_of(store: Store, project_id: int) -> list[dict[str, Any]]:
    apps = [a for a in store.table("appointments").values() if int(a.get("ProjectId") or 0) == project_id]
    return sorted(apps, key=lambda a: (str(a.get("StartDate") or ""), int(a.get("AppointmentId") or 0)))


def _dated(apps: list[dict[str, Any]], *, completed: bool | None) -> str:
    dates = [
        str(a.get("StartDate") or EMPTY) for a in apps if completed is None or bool(a.get("Completed")) == completed
    ]
    return max(dates) if dates else EMPTY


def project_row(rec: dict[str, Any], apps: list[dict[str, Any]]) -> Row:
    assoc = rec.get("Associate") if isinstance(rec.get("Associate"), dict) else {}
    urls = rec.get("Urls") or []
    first_url = urls[0] if urls and isinstance(urls[0], dict) else {}
    row: Row = {
        "completed": bool(rec.get("Completed")),
        "projectId": rec.get("ProjectId"),
        "name": rec.get("Name"),
        "number": rec.get("ProjectNumber"),
        "type": _item(rec.get("ProjectType")),
        "status": _item(rec.get("ProjectStatus")),
        "associateId": _assoc(assoc),
        "hasInfoText": bool(rec.get("Description")),
        "text": rec.get("Description"),
        "description": rec.get("Description"),
        "updatedBy": _assoc(rec.get("UpdatedBy")),
        "updatedDate": rec.get("UpdatedDate"),
        "registeredBy": _assoc(rec.get("CreatedBy")),
        "registeredDate": rec.get("CreatedDate"),
        "hasGuide": any(a.get("Guided") for a in apps),
        "nextMilestone": rec.get("NextMilestoneDate"),
        "endDate": rec.get("EndDate"),
        "activeErpLinks": bool(rec.get("ActiveErpLinks")),
        "projectPublish/isPublished": bool(rec.get("IsPublished")),
        "projectPublish/publishedFrom": rec.get("PublishFrom"),
        "projectPublish/publishedTo": rec.get("PublishTo"),
        "projectEvent/isExternalEvent": bool(rec.get("EventId")),
        "projectEvent/eventDate": rec.get("PublishEventDate"),
        "projectUrl/URLAddress": first_url.get("Value", ""),
        "projectUrl/URLDescription": first_url.get("Description", ""),
        "projectAssociate/fullName": (assoc or {}).get("FullName", ""),
        "projectAssociate/personId": (assoc or {}).get("PersonId", 0),
        "projectAssociate/associateDbId": _assoc(assoc),
        "projectAssociate/assocName": _assoc(assoc),
        "projectAssociate/assocTooltip": (assoc or {}).get("Tooltip", ""),
        "projectAssociate/assocType": (0, str((assoc or {}).get("Type", ""))),
        "projectAssociate/ejUserId": (assoc or {}).get("EjUserId", 0),
        "projectAssociate/userName": (assoc or {}).get("UserName", ""),
        "NumberOfActivities": len(apps),
        "NumberOfNotCompletedActivities": sum(1 for a in apps if not a.get("Completed")),
        "LastActivity": _dated(apps, completed=None),
        "LastCompletedActivity": _dated(apps, completed=True),
        "LastDoByActivity": _dated(apps, completed=False),
    }
    for key, value in (rec.get("UserDefinedFields") or {}).items():
        if not key.endswith((":DisplayText", ":DisplayTooltip")):
            row[f"projectUdef/{key}"] = value
    return row


def find_project(store: Store) -> Archive:
    """FindProject plus a `projectUdef/<progid>` string column per udef field of the tenant's layout."""
    progids = [str(f.get("ProgId")) for f in store.table("udef_layout").values() if f.get("ProgId")]
    if not progids:
        return FIND_PROJECT
    extra = [Column(f"projectUdef/{p}", "string") for p in progids]
    return Archive(FIND_PROJECT.entity, FIND_PROJECT.key, FIND_PROJECT.columns + extra, FIND_PROJECT.default)


def find_project_with_members(archive: Archive) -> Archive:
    return Archive(archive.entity, archive.key, archive.columns + PROJECT_MEMBER_COLUMNS, archive.default)


def member_rows(rec: dict[str, Any]) -> list[Row]:
    return [
        {
            "projectMemberId": m.get("ProjectmemberId"),
            "personId": m.get("PersonId"),
            "fullName": m.get("FullName"),
            "firstName": m.get("Firstname"),
            "middleName": m.get("MiddleName"),
            "lastName": m.get("Lastname"),
            "mrMrs": m.get("Mrmrs"),
            "contactId": m.get("ContactId"),
            "contactName": m.get("ContactName"),
            "contactDepartment": m.get("ContactDepartment"),
            "personEmail": m.get("EmailAddress"),
            "phone": m.get("Phone"),
            "projectMemberType": (int(m.get("ProjectMemberTypeId") or 0), str(m.get("ProjectMemberTypeName") or "")),
            "comment": m.get("Comment"),
            "registered": m.get("Registered"),
            "updated": m.get("Updated"),
            "projectId": rec.get("ProjectId"),
        }
        for m in rec.get("ProjectMembers") or []
    ]


def contact_rows(rec: dict[str, Any]) -> list[Row]:
    """The companies of the project's members, then the contacts it links to (each once)."""
    seen: dict[int, Row] = {}
    for m in rec.get("ProjectMembers") or []:
        cid = int(m.get("ContactId") or 0)
        if cid and cid not in seen:
            seen[cid] = {
                "contactId": cid,
                "name": m.get("ContactName", ""),
                "department": m.get("ContactDepartment", ""),
                "source": "member",
            }
    for link in rec.get("Links") or []:
        cid = int(link.get("Id") or 0)
        if str(link.get("EntityName", "")).lower() == "contact" and cid and cid not in seen:
            seen[cid] = {"contactId": cid, "name": link.get("Description", ""), "department": "", "source": "link"}
    return list(seen.values())


def link_rows(rec: dict[str, Any]) -> list[Row]:
    return [
        {
            "linkId": link.get("LinkId"),
            "id": link.get("Id"),
            "entityName": link.get("EntityName"),
            "description": link.get("Description"),
            "extraInfo": link.get("ExtraInfo"),
            "_entity": str(link.get("EntityName") or "link"),
        }
        for link in rec.get("Links") or []
    ]


def activity_rows(apps: list[dict[str, Any]]) -> list[Row]:
    return [
        {
            "appointmentId": a.get("AppointmentId"),
            "date": a.get("StartDate"),
            "endDate": a.get("EndDate"),
            "type": (int(a.get("TaskId") or 0), str(a.get("Task") or "")),
            "text": a.get("Description"),
            "completed": bool(a.get("Completed")),
            "associateId": (int(a.get("AssociateId") or 0), str(a.get("AssociateName") or "")),
            "contactId": a.get("ContactId", 0),
            "personId": a.get("PersonId", 0),
            "projectId": a.get("ProjectId"),
            "milestone": bool(a.get("Milestone")),
            "guided": bool(a.get("Guided")),
        }
        for a in apps
    ]


# the ProjectMember archive (docs/en/api/archive-providers/reference/projectmember.md): the member columns, the
# member's project (`project/...`) and person (`person/...`); only the columns the stored state answers
_MEMBER_OWN = (
    "projectMemberId:int projectId:int contactId:int personId:int function:list hasInfoText:bool textId:int "
    "infoText:string"
)
PROJECT_MEMBER = Archive(
    entity="projectMember",
    key="projectMemberId",
    columns=_cols(
        _MEMBER_OWN + " project/completed:bool project/projectId:int project/name:string project/number:string "
        "project/type:list project/status:list project/associateId:associate project/endDate:date "
        "person/personId:int person/firstName:string person/lastName:string person/middleName:string "
        "person/fullName:string person/contactId:int person/mrMrs:string person/email/emailAddress:string"
    ),
    default=["projectMemberId", "projectId", "contactId", "personId"],  # assumption: the page names no default
)
# FindProject's `projectMember/<column>` columns (SuperOffice/RESTful-HTTP-Queries src/Project.http selects
# projectMember/contactId and projectMember/personId): one row per member when any of them is asked for
MEMBER_PREFIX = "projectMember/"
PROJECT_MEMBER_COLUMNS = [Column(MEMBER_PREFIX + c.name, c.kind) for c in _cols(_MEMBER_OWN)]


def _member_own(rec: dict[str, Any], m: dict[str, Any]) -> Row:
    comment = str(m.get("Comment") or "")
    return {
        "projectMemberId": m.get("ProjectmemberId"),
        "projectId": rec.get("ProjectId"),
        "contactId": m.get("ContactId"),
        "personId": m.get("PersonId"),
        "function": (int(m.get("ProjectMemberTypeId") or 0), str(m.get("ProjectMemberTypeName") or "")),
        "hasInfoText": bool(comment),
        "textId": 0,
        "infoText": comment,
    }


def project_member_rows(store: Store) -> list[Row]:
    """One row per member of every project, by ProjectmemberId."""
    out: list[Row] = []
    for rec in store.table("projects").values():
        project = project_row(rec, [])
        for m in rec.get("ProjectMembers") or []:
            row = _member_own(rec, m)
            for name in ("completed", "projectId", "name", "number", "type", "status", "associateId", "endDate"):
                row[f"project/{name}"] = project[name]
            row.update(
                {
                    "person/personId": m.get("PersonId"),
                    "person/firstName": m.get("Firstname"),
                    "person/lastName": m.get("Lastname"),
                    "person/middleName": m.get("MiddleName"),
                    "person/fullName": m.get("FullName"),
                    "person/contactId": m.get("ContactId"),
                    "person/mrMrs": m.get("Mrmrs"),
                    "person/email/emailAddress": m.get("EmailAddress"),
                }
            )
            out.append(row)
    out.sort(key=lambda r: int(r["projectMemberId"] or 0))
    return out


def with_members(rows: list[Row], records: dict[int, dict[str, Any]]) -> list[Row]:
    """FindProject rows joined with their members: a project with n members gives n rows (one without members
    gives one row whose member columns are empty; assumption: the archive joins like a left outer join)."""
    out: list[Row] = []
    for row in rows:
        rec = records.get(int(row["projectId"] or 0)) or {}
        members = rec.get("ProjectMembers") or []
        if not members:
            out.append({**row, **{c.name: None for c in PROJECT_MEMBER_COLUMNS}})
            continue
        for m in members:
            out.append({**row, **{MEMBER_PREFIX + k: v for k, v in _member_own(rec, m).items()}})
    return out
