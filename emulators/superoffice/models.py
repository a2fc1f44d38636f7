"""Stored Project records: turning a request body into a record (case-insensitive, lenient, references
resolved) and a record into the vendor's response carrier.

A stored record holds the ProjectEntity properties in PascalCase, nested carriers without their
TableRight/FieldProperties (those are added when rendering). Tables in a tenant store:
projects, associates, persons, project_statuses, project_types, project_member_types, link_targets,
sequences, settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulators.core.intparse import parse_int
from emulators.core.store import Store

from .dates import EMPTY_DATE, parse_so
from .errors import conversion_error
from .fields import (
    ARRAY_KINDS,
    LIST_ITEM,
    PROJECT,
    TEXT_LIMIT,
)

INT32 = (-(2**31), 2**31 - 1)
EMPTY_ITEM = {"Id": 0, "Value": "", "Tooltip": ""}


def _conv_error(value: Any, net_type: str, path: str) -> Exception:
    return conversion_error(value, net_type, path)


def lower_keys(obj: dict[str, Any]) -> dict[str, Any]:
    """Property names as clients send them (camelCase, PascalCase, any case) -> lower case."""
    try:
        return {k.lower(): v for k, v in obj.items()}  # decoded JSON and XML: every key is a str
    except AttributeError:
        return {str(k).lower(): v for k, v in obj.items()}


def to_int(value: Any, path: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        raise _conv_error(value, "System.Int32", path)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and parse_int(value) is not None:
        value = parse_int(value)
    if isinstance(value, int) and INT32[0] <= value <= INT32[1]:
        return value
    raise _conv_error(value, "System.Int32", path)


def to_str(value: Any, path: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str | int | float):
        return str(value)
    raise _conv_error(value, "System.String", path)


def to_bool(value: Any, path: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _conv_error(value, "System.Boolean", path)


def to_date(value: Any, path: str) -> str:
    if value is None or value == "":
        return EMPTY_DATE
    if isinstance(value, str):
        try:
            return parse_so(value)
        except ValueError:
            pass
    raise _conv_error(value, "System.DateTime", path)


def to_dict(value: Any, path: str) -> dict[str, str]:
    """A string dictionary; XML forms (<KeyValueOfstringstring><Key/><Value/>...) are accepted too."""
    if value is None or value == "":
        return {}
    if isinstance(value, dict) and len(value) == 1 and str(next(iter(value))).lower().startswith("keyvalueof"):
        value = next(iter(value.values()))
        value = value if isinstance(value, list) else [value]
    if isinstance(value, list):
        out: dict[str, str] = {}
        for pair in value:
            if isinstance(pair, dict):
                low = lower_keys(pair)
                if "key" in low:
                    out[to_str(low["key"], path)] = to_str(low.get("value"), f"{path}.{low['key']}")
        return out
    if isinstance(value, dict):
        for k, v in value.items():
            if type(v) is not str or type(k) is not str:
                return {str(k): to_str(v, f"{path}.{k}") for k, v in value.items()}
        return dict(value)  # already a string dictionary
    raise _conv_error(value, "System.Collections.Generic.Dictionary`2[System.String,System.String]", path)


def to_text(value: Any, path: str) -> str:
    return to_str(value, path)[:TEXT_LIMIT]


# a property kind -> its converter (any other kind converts as a string)
_CONVERTERS: dict[str, Any] = {
    "int": to_int,
    "bool": to_bool,
    "date": to_date,
    "dict": to_dict,
    "str": to_str,
    "text": to_text,
}


def scalar(kind: str, value: Any, path: str) -> Any:
    return _CONVERTERS.get(kind, to_str)(value, path)


def items_of(value: Any, path: str) -> list[dict[str, Any]]:
    """An array property: objects only (empty XML elements / nulls are skipped)."""
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise _conv_error(value, "System.Array", path)
    return [lower_keys(v) for v in value if isinstance(v, dict)]


def next_seq(store: Store, name: str, table: str | None = None, key: str | None = None) -> int:
    """The next number of a tenant sequence (fixtures give the start; never reuses an existing key)."""
    seqs = store.table("sequences")
    value = int(seqs.get(name, 1))
    if table is not None:
        existing = store.table(table)
        while str(value) in existing:
            value += 1
    seqs[name] = value + 1
    return value


@dataclass
class SaveContext:
    store: Store
    project_id: int
    existing: dict[str, Any] | None
    associate_id: int
    now: str


def associate(store: Store, associate_id: int) -> dict[str, Any] | None:
    rec = store.get("associates", associate_id)
    return dict(rec) if rec is not None else None


def _list_item(store: Store, table: str, value: Any, path: str) -> dict[str, Any]:
    """ProjectStatus / ProjectType: resolved by Id; an unknown or missing Id gives the empty item."""
    if not isinstance(value, dict):
        if value is None or value == "":
            return dict(EMPTY_ITEM)
        raise _conv_error(value, "SuperOffice.CRM.Services.ListItem", path)
    item_id = to_int(lower_keys(value).get("id"), f"{path}.Id")
    rec = store.get(table, item_id)
    return {k: rec.get(k, EMPTY_ITEM[k]) for k, _ in LIST_ITEM} if rec is not None else dict(EMPTY_ITEM)


def _associate_ref(ctx: SaveContext, value: Any, path: str) -> dict[str, Any] | None:
    """Associate: resolved by AssociateId; unknown or missing -> the authenticated associate."""
    if isinstance(value, dict):
        aid = to_int(lower_keys(value).get("associateid"), f"{path}.AssociateId")
        rec = associate(ctx.store, aid) if aid else None
        if rec is not None:
            return rec
    elif value not in (None, ""):
        raise _conv_error(value, "SuperOffice.CRM.Services.Associate", path)
    return associate(ctx.store, ctx.associate_id)


def _int32(value: Any) -> bool:
    return type(value) is int and INT32[0] <= value <= INT32[1]


def _members(ctx: SaveContext, value: Any, name: str) -> list[dict[str, Any]]:
    """ProjectMembers: a member needs a known PersonId (unknown persons are dropped); person details
    and the member type name come from the fixtures' lists; ids are kept for existing members.
    A member is built in MEMBER order (the renderer copies such a record in one update); a value already in
    its stored form skips its converter, and a path is only formatted for a refusal."""
    items = items_of(value, "ProjectMembers")
    if not items:
        return []
    old = {m.get("ProjectmemberId"): m for m in (ctx.existing or {}).get("ProjectMembers", [])}
    persons = ctx.store.table("persons")
    out = []
    for i, item in enumerate(items):
        get = item.get
        person_id = get("personid")
        if not _int32(person_id):
            person_id = to_int(person_id, f"ProjectMembers[{i}].PersonId")
        person = persons.get(str(person_id))
        if person is None:
            continue
        mid = get("projectmemberid")
        if not _int32(mid):
            mid = to_int(mid, f"ProjectMembers[{i}].ProjectmemberId")
        type_id = get("projectmembertypeid")
        if not _int32(type_id):
            type_id = to_int(type_id, f"ProjectMembers[{i}].ProjectMemberTypeId")
        mtype = ctx.store.get("project_member_types", type_id)
        comment = get("comment")
        comment = (comment if type(comment) is str else to_str(comment, f"ProjectMembers[{i}].Comment"))[:TEXT_LIMIT]
        prev = old.get(mid) if mid else None
        if prev is None:
            mid = next_seq(ctx.store, "ProjectmemberId")
            registered, updated = ctx.now, EMPTY_DATE
        else:
            changed = (
                prev.get("Comment") != comment
                or prev.get("ProjectMemberTypeId") != (type_id if mtype else 0)
                or prev.get("PersonId") != person["PersonId"]
            )
            registered = prev.get("Registered", EMPTY_DATE)
            updated = ctx.now if changed else prev.get("Updated", EMPTY_DATE)
        pget = person.get
        out.append(
            {
                "ProjectmemberId": mid,
                "ContactId": pget("ContactId", 0),
                "ProjectId": ctx.project_id,
                "ContactName": pget("ContactName", ""),
                "ContactDepartment": pget("ContactDepartment", ""),
                "ProjectName": name,
                "EmailId": pget("EmailId", 0),
                "EmailAddress": pget("EmailAddress", ""),
                "CountryId": pget("CountryId", 0),
                "Firstname": pget("Firstname", ""),
                "MiddleName": pget("MiddleName", ""),
                "Lastname": pget("Lastname", ""),
                "PersonId": person["PersonId"],
                "Mrmrs": pget("Mrmrs", ""),
                "ProjectMemberTypeName": mtype["Name"] if mtype else "",
                "Phone": pget("Phone", ""),
                "PhoneId": pget("PhoneId", 0),
                "ProjectMemberTypeId": type_id if mtype else 0,
                "EmailAddressName": pget("EmailAddressName", ""),
                "Comment": comment,
                "FullName": pget("FullName", ""),
                "Registered": registered,
                "Updated": updated,
                "EventParticipantStatus": "",
            }
        )
    return out


def _links(ctx: SaveContext, value: Any) -> list[dict[str, Any]]:
    """Links: the target (Id) must be a known link target (unknown targets are dropped)."""
    out = []
    for i, item in enumerate(items_of(value, "Links")):
        target = ctx.store.get("link_targets", to_int(item.get("id"), f"Links[{i}].Id"))
        if target is None:
            continue
        link_id = to_int(item.get("linkid"), f"Links[{i}].LinkId")
        if link_id <= 0:
            link_id = next_seq(ctx.store, "LinkId")
        out.append(
            {
                "EntityName": target.get("EntityName", ""),
                "Id": target["Id"],
                "Description": target.get("Description", ""),
                "ExtraInfo": target.get("ExtraInfo", ""),
                "LinkId": link_id,
            }
        )
    return out


def _url_text(item: dict[str, Any], key: str, i: int, name: str) -> str:
    value = item.get(key)
    return value if type(value) is str else to_str(value, f"Urls[{i}].{name}")


def _urls(value: Any) -> list[dict[str, Any]]:
    return [
        {
            "Value": _url_text(item, "value", i, "Value"),
            "StrippedValue": _url_text(item, "strippedvalue", i, "StrippedValue"),
            "Description": _url_text(item, "description", i, "Description"),
        }
        for i, item in enumerate(items_of(value, "Urls"))
    ]


# The scalar properties of a body, in PROJECT order, as one straight-line function compiled once from
# PROJECT (no loop, no per-property call for a value already in its stored form: a string for a string,
# an Int32 for an int, a bool for a bool). Everything else goes through its converter, which refuses what
# .NET would refuse; properties are read in PROJECT order, so the first refusal is the one .NET reports.
# The carrier and list properties are left None for build_record.
_FAST_FORMS = {
    "int": "v if type(v) is int and {lo} <= v <= {hi} else to_int(v, {name!r})",
    "str": "v if type(v) is str else to_str(v, {name!r})",
    "text": "(v if type(v) is str else to_str(v, {name!r}))[:{limit}]",
    "bool": "v if type(v) is bool else to_bool(v, {name!r})",
    "date": "to_date(v, {name!r})",
    "dict": "to_dict(v, {name!r})",
}


def _compile_scalars() -> Callable[[Callable[[str], Any]], dict[str, Any]]:
    lines = ["def _scalars(get):"]
    for i, (name, kind) in enumerate(PROJECT):
        form = _FAST_FORMS.get(kind)
        if form is not None:
            expr = form.format(lo=INT32[0], hi=INT32[1], name=name, limit=TEXT_LIMIT)
            lines += [f"    v = get({name.lower()!r})", f"    p{i} = {expr}"]
    values = [f"{name!r}: p{i}" if kind in _FAST_FORMS else f"{name!r}: None" for i, (name, kind) in enumerate(PROJECT)]
    lines.append("    return {" + ", ".join(values) + "}")
    scope: dict[str, Any] = {
        "to_int": to_int,
        "to_str": to_str,
        "to_bool": to_bool,
        "to_date": to_date,
        "to_dict": to_dict,
    }
    exec(compile("\n".join(lines), "<superoffice scalars>", "exec"), scope)  # source built above from PROJECT only
    fn: Callable[[Callable[[str], Any]], dict[str, Any]] = scope["_scalars"]
    return fn


_scalars = _compile_scalars()


def build_record(body: dict[str, Any], ctx: SaveContext) -> dict[str, Any]:
    """The record to store for a PUT/POST/PATCH body (whole-entity replacement, B3.1).

    Server-owned (values sent are ignored): ProjectId, CreatedDate, UpdatedDate, CreatedBy, UpdatedBy;
    ProjectNumber is allocated when empty."""
    low = lower_keys(body)
    get = low.get
    rec = _scalars(get)
    name_value = rec["Name"]
    rec["ProjectMembers"] = _members(ctx, get("projectmembers"), name_value)
    rec["Urls"] = _urls(get("urls"))
    rec["Links"] = _links(ctx, get("links"))
    rec["ProjectStatus"] = _list_item(ctx.store, "project_statuses", get("projectstatus"), "ProjectStatus")
    rec["ProjectType"] = _list_item(ctx.store, "project_types", get("projecttype"), "ProjectType")
    rec["Associate"] = _associate_ref(ctx, get("associate"), "Associate")
    old = ctx.existing
    rec["ProjectId"] = ctx.project_id
    rec["CreatedDate"] = old.get("CreatedDate", ctx.now) if old else ctx.now
    rec["UpdatedDate"] = ctx.now
    rec["CreatedBy"] = old.get("CreatedBy") if old else associate(ctx.store, ctx.associate_id)
    rec["UpdatedBy"] = associate(ctx.store, ctx.associate_id)
    if not rec["ProjectNumber"].strip():
        rec["ProjectNumber"] = (old or {}).get("ProjectNumber") or str(next_seq(ctx.store, "ProjectNumber"))
    return rec


def default_record(store: Store, associate_id: int, now_text: str, end_date: str) -> dict[str, Any]:
    """GET /Project/default (B8.2): ProjectId 0, a pre-allocated ProjectNumber, the tenant's defaults."""
    settings = store.table("settings")
    rec: dict[str, Any] = {}
    for name, kind in PROJECT:
        rec[name] = {"int": 0, "str": "", "text": "", "bool": False, "date": EMPTY_DATE, "dict": {}}.get(kind)
        if kind in ARRAY_KINDS:
            rec[name] = []
    me = associate(store, associate_id)
    type_rec = store.get("project_types", settings.get("default_project_type", 0))
    rec.update(
        ProjectNumber=str(next_seq(store, "ProjectNumber")),
        CreatedBy=me,
        UpdatedBy=None,
        Associate=me,
        ProjectStatus=dict(EMPTY_ITEM),
        ProjectType={k: type_rec.get(k, "") for k, _ in LIST_ITEM} if type_rec else dict(EMPTY_ITEM),
        EndDate=end_date,
        PublishTo="9999-12-31T23:59:59.9999999",
        UserDefinedFields=dict(settings.get("default_udef") or {}),
    )
    return rec
