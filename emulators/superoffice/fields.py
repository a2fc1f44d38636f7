"""The carriers' property lists (seed tables; Swagger types) and their FieldProperties (vendor-facts B9).

Order matters: responses list properties in this order, after TableRight/FieldProperties (B9.1).
"""

from __future__ import annotations

from typing import Any

# kinds: int, str, text (<= 2047 significant characters), bool, date, dict, members, urls, links,
#        associate, status, type, participant (ProjectMember.EventParticipantStatus, server-owned)
PROJECT: list[tuple[str, str]] = [
    ("ProjectId", "int"),
    ("Name", "str"),
    ("ProjectNumber", "str"),
    ("ProjectMembers", "members"),
    ("Urls", "urls"),
    ("CreatedDate", "date"),
    ("UpdatedDate", "date"),
    ("Description", "text"),
    ("Postit", "text"),
    ("CreatedBy", "associate"),
    ("UpdatedBy", "associate"),
    ("Associate", "associate"),
    ("ProjectStatus", "status"),
    ("ProjectType", "type"),
    ("HasImage", "bool"),
    ("ImageDescription", "str"),
    ("ActiveStatusMonitorId", "int"),
    ("Links", "links"),
    ("ActiveLinks", "int"),
    ("Completed", "bool"),
    ("NextMilestoneDate", "date"),
    ("NmdAppointmentId", "int"),
    ("EndDate", "date"),
    ("ActiveErpLinks", "int"),
    ("EventId", "int"),
    ("StartDate", "date"),
    ("UserDefinedFields", "dict"),
    ("ExtraFields", "dict"),
    ("CustomFields", "dict"),
    ("PublishEventDate", "date"),
    ("PublishTo", "date"),
    ("PublishFrom", "date"),
    ("IsPublished", "bool"),
]
PROJECT_KIND = dict(PROJECT)
PROJECT_LOWER = {name.lower(): name for name, _ in PROJECT}

MEMBER: list[tuple[str, str]] = [
    ("ProjectmemberId", "int"),
    ("ContactId", "int"),
    ("ProjectId", "int"),
    ("ContactName", "str"),
    ("ContactDepartment", "str"),
    ("ProjectName", "str"),
    ("EmailId", "int"),
    ("EmailAddress", "str"),
    ("CountryId", "int"),
    ("Firstname", "str"),
    ("MiddleName", "str"),
    ("Lastname", "str"),
    ("PersonId", "int"),
    ("Mrmrs", "str"),
    ("ProjectMemberTypeName", "str"),
    ("Phone", "str"),
    ("PhoneId", "int"),
    ("ProjectMemberTypeId", "int"),
    ("EmailAddressName", "str"),
    ("Comment", "str"),
    ("FullName", "str"),
    ("Registered", "date"),
    ("Updated", "date"),
    ("EventParticipantStatus", "participant"),
]
# what a member copies from the person it references
PERSON_COPY = [
    "ContactId",
    "ContactName",
    "ContactDepartment",
    "EmailId",
    "EmailAddress",
    "CountryId",
    "Firstname",
    "MiddleName",
    "Lastname",
    "Mrmrs",
    "Phone",
    "PhoneId",
    "EmailAddressName",
    "FullName",
]
URL: list[tuple[str, str]] = [("Value", "str"), ("StrippedValue", "str"), ("Description", "str")]
LINK: list[tuple[str, str]] = [
    ("EntityName", "str"),
    ("Id", "int"),
    ("Description", "str"),
    ("ExtraInfo", "str"),
    ("LinkId", "int"),
]
ASSOCIATE: list[tuple[str, str]] = [
    ("AssociateId", "int"),
    ("Name", "str"),
    ("PersonId", "int"),
    ("Rank", "int"),
    ("Tooltip", "str"),
    ("Type", "str"),
    ("GroupIdx", "int"),
    ("FullName", "str"),
    ("FormalName", "str"),
    ("Deleted", "bool"),
    ("EjUserId", "int"),
    ("UserName", "str"),
    ("ExtraFields", "dict"),
    ("CustomFields", "dict"),
]
LIST_ITEM: list[tuple[str, str]] = [("Id", "int"), ("Value", "str"), ("Tooltip", "str")]
ARRAY_KINDS = {"members": MEMBER, "urls": URL, "links": LINK}
CARRIER_KINDS = {"associate": ASSOCIATE, "status": LIST_ITEM, "type": LIST_ITEM}
XML_ITEM = {"ProjectMembers": "ProjectMember", "Urls": "EntityElement", "Links": "Link"}
DICT_PROPS = {"UserDefinedFields", "ExtraFields", "CustomFields"}
PARTICIPANT_DEFAULT = "NotAnEvent"  # Swagger enum NotAnEvent, NotReacted, ReactedNo, ReactedYes, Show, NoShow
TEXT_LIMIT = 2047  # "max 2047 significant characters" (seed)


def _fp(field_type: str, length: int, mandatory: str | None = None) -> dict[str, Any]:
    right = (
        {"Mask": "Update, UIHintMandatory", "Reason": f"[SR_MANDATORY_FIELD_{mandatory}]"}
        if mandatory
        else {"Mask": "Update", "Reason": ""}
    )
    return {"FieldRight": right, "FieldType": field_type, "FieldLength": length}


# B9.2: a real capture of GET /Project/1 (types and lengths as the real service reports them)
PROJECT_FIELD_PROPERTIES: dict[str, Any] = {
    "ProjectId": _fp("System.Int32", 4),
    "Name": _fp("System.String", 219, "2817"),
    "ProjectNumber": _fp("System.String", 49, "2818"),
    "CreatedDate": _fp("System.DateTime", 16),
    "UpdatedDate": _fp("System.DateTime", 16),
    "ActiveLinks": _fp("System.UInt32", 4),
    "NextMilestoneDate": _fp("System.DateTime", 16),
    "NmdAppointmentId": _fp("System.Int32", 4),
    "EndDate": _fp("System.DateTime", 16),
    "ActiveErpLinks": _fp("System.Int32", 4),
    "ProjectMembers": _fp("SuperOffice.CRM.Services.ProjectMember[]", 0, "2817"),
    "Description": _fp("System.String", 2047),
    "Postit": _fp("System.String", 2047),
    "CreatedBy": _fp("SuperOffice.CRM.Services.Associate", 4),
    "UpdatedBy": _fp("SuperOffice.CRM.Services.Associate", 4),
    "Associate": _fp("SuperOffice.CRM.Services.Associate", 4, "2821"),
    "ProjectStatus": _fp("SuperOffice.CRM.Services.ProjectStatus", 4),
    "ProjectType": _fp("SuperOffice.CRM.Services.ProjectType", 4, "2819"),
    "HasImage": _fp("System.Boolean", 0, "2817"),
    "ImageDescription": _fp("System.String", 254, "2817"),
    "ActiveStatusMonitorId": _fp("System.String", 0, "2817"),
    "Links": _fp("System.Int32", 4),
    "Completed": _fp("System.Boolean", 2),
    "Urls": _fp("SuperOffice.CRM.Services.EntityElement[]", 0),
}
MEMBER_FIELD_PROPERTIES: dict[str, Any] = {
    "ProjectId": _fp("System.Int32", 4),
    "ProjectName": _fp("System.String", 219, "2817"),
    "ContactId": _fp("System.Int32", 4),
    "ContactName": _fp("System.String", 219, "1281"),
    "ContactDepartment": _fp("System.String", 219),
    "PersonId": _fp("System.Int32", 4),
    "FirstName": _fp("System.String", 99, "1539"),
    "MiddleName": _fp("System.String", 99),
    "Lastname": _fp("System.String", 99),
    "PhoneId": _fp("System.Int32", 4),
    "Phone": _fp("System.String", 239),
    "EmailId": _fp("System.Int32", 4),
    "EmailAddress": _fp("System.String", 239),
    "EmailRank": _fp("System.Int16", 2),
    "TypeId": _fp("System.Int32", 4),
    "Function": _fp("System.String", 239),
    "CountryId": _fp("System.Int32", 4),
    "MrMrs": _fp("System.String", 239),
    "EmailName": _fp("System.String", 254),
    "Comment": _fp("System.String", 2047),
    "ProjectMemberId": _fp("System.Int32", 4),
}
STATUS_FIELD_PROPERTIES: dict[str, Any] = {
    "ProjStatusId": _fp("System.Int32", 4),
    "Value": _fp("System.String", 239),
    "Tooltip": _fp("System.String", 254),
}
FULL_RIGHT = {"Mask": "FULL", "Reason": ""}
DEFAULT_RIGHT = {"Mask": "URI", "Reason": ""}  # B8.2: a new entity from /default
