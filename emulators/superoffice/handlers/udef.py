"""The user-defined-field layout of Project (the UdefLayout family) and the CustomField list (Swagger; the vendor
reference pages, E6). State: tables `udef_layout` (working layout), `udef_published` (what clients see) and
`custom_fields` (FieldInfoBase), keyed by id / field name, seeded from the fixtures."""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call, Reply, no_content
from emulators.core.errors import EmulatorError
from emulators.core.intparse import is_digits, parse_int

from ..errors import NO_ENTITY, SERVICES, bad_request
from ..fields import FULL_RIGHT
from ..models import lower_keys, next_seq
from .extras import array_body

WORKING = "udef_layout"
PUBLISHED = "udef_published"
FIELD_TYPES = ("Number", "ShortText", "LongText", "Date", "UnlimitedDate", "Checkbox", "List", "Decimal")
INT_FIELDS = (
    "UDefFieldId",
    "ColumnId",
    "FieldHeight",
    "FieldLeft",
    "FieldTop",
    "FieldWidth",
    "LabelHeight",
    "LabelLeft",
    "LabelTop",
    "LabelWidth",
    "LastVersionId",
    "ListTableId",
    "Page1LineNo",
    "TabOrder",
    "TextLength",
    "UdefIdentity",
    "UDListDefinitionId",
    "Version",
)
BOOL_FIELDS = ("HideLabel", "IsIndexed", "IsMandatory", "IsReadOnly", "HasBeenPublished")
STR_FIELDS = (
    "FieldDefault",
    "FieldLabel",
    "FormatMask",
    "ProgId",
    "ShortLabel",
    "Tooltip",
    "TemplateVariableName",
    "MdoListName",
)


def _out(field: dict[str, Any]) -> dict[str, Any]:
    return {**field, "TableRight": dict(FULL_RIGHT), "FieldProperties": {}}


def _fields(call: Call, table: str) -> list[dict[str, Any]]:
    return sorted(
        (dict(f) for f in call.store.table(table).values()),
        key=lambda f: (int(f.get("Page1LineNo") or 0), int(f.get("UDefFieldId") or 0)),
    )


def _find(call: Call, table: str) -> tuple[str, dict[str, Any]]:
    """By ProgId or FieldLabel, ignoring case; 404 otherwise."""
    wanted = str(call.path_params["progidOrLabel"]).strip().lower()
    for key, f in call.store.table(table).items():
        if wanted in (str(f.get("ProgId", "")).lower(), str(f.get("FieldLabel", "")).lower()):
            return key, dict(f)
    raise EmulatorError(
        f"User-defined field '{call.path_params['progidOrLabel']}' not found",
        status=404,
        code="SoNotFoundException",
        source=SERVICES,
    )


def getUdefLayout(call: Call) -> Reply:
    """GET /Project/UdefLayout: the working (unpublished) layout."""
    return Reply(body=[_out(f) for f in _fields(call, WORKING)], xml_root="ArrayOfUserDefinedFieldInfo")


def getPublishedUdefLayout(call: Call) -> Reply:
    """GET /Project/UdefLayout/Published: the published layout (the `_Links.UdefLayout` target, B9.7)."""
    return Reply(body=[_out(f) for f in _fields(call, PUBLISHED)], xml_root="ArrayOfUserDefinedFieldInfo")


def getUdefFieldInfo(call: Call) -> Reply:
    """GET /Project/UdefLayout/{progidOrLabel}: one working field; 404 unknown."""
    return Reply(body=_out(_find(call, WORKING)[1]), xml_root="UserDefinedFieldInfo")


def getPublishedUdefFieldInfo(call: Call) -> Reply:
    """GET /Project/UdefLayout/Published/{progidOrLabel}: one published field; 404 unknown."""
    return Reply(body=_out(_find(call, PUBLISHED)[1]), xml_root="UserDefinedFieldInfo")


def _coerce(item: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    low = lower_keys(item)
    out = dict(base)
    for name in INT_FIELDS:
        if name.lower() in low and low[name.lower()] is not None:
            value = low[name.lower()]
            text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
            number = parse_int(text) if is_digits(text.removeprefix("-")) else None
            if number is None:
                raise bad_request(
                    f"Error converting value \"{value}\" to type 'System.Int32'. Path '{name}'.",
                    "JsonSerializationException",
                )
            out[name] = number
    for name in BOOL_FIELDS:
        if name.lower() in low and low[name.lower()] is not None:
            out[name] = (
                bool(low[name.lower()])
                if not isinstance(low[name.lower()], str)
                else (low[name.lower()].strip().lower() == "true")
            )
    for name in STR_FIELDS:
        if name.lower() in low and low[name.lower()] is not None:
            out[name] = str(low[name.lower()])
    for name, allowed in (("FieldType", FIELD_TYPES), ("Justification", ("Default", "Left", "Center", "Right"))):
        value = low.get(name.lower())
        if value is not None:
            match = next((a for a in allowed if a.lower() == str(value).lower()), None)
            if match is None:
                raise bad_request(
                    f"Requested value '{value}' was not found. Path '{name}'.", "JsonSerializationException"
                )
            out[name] = match
    return out


def _new_field(call: Call, field_type: str) -> dict[str, Any]:
    fid = next_seq(call.store, "UDefFieldId", WORKING)
    return {
        "UDefFieldId": fid,
        "ColumnId": fid,
        "FieldDefault": "",
        "FieldHeight": 0,
        "FieldLabel": "",
        "FieldLeft": 0,
        "FieldTop": 0,
        "FieldType": field_type,
        "FieldWidth": 0,
        "FormatMask": "",
        "HideLabel": False,
        "IsIndexed": False,
        "LabelHeight": 0,
        "LabelLeft": 0,
        "LabelTop": 0,
        "LabelWidth": 0,
        "LastVersionId": 0,
        "ListTableId": 0,
        "IsMandatory": False,
        "Type": "Project",
        "Page1LineNo": len(call.store.table(WORKING)) + 1,
        "ProgId": f"SuperOffice:{fid}",
        "IsReadOnly": False,
        "ShortLabel": "",
        "TabOrder": 0,
        "TextLength": 0,
        "Tooltip": "",
        "UdefIdentity": fid,
        "UDListDefinitionId": 0,
        "Justification": "Default",
        "Version": 0,
        "TemplateVariableName": "",
        "HasBeenPublished": False,
        "MdoListName": "",
    }


def addUdefField(call: Call) -> Reply:
    """POST /Project/UdefLayout?udefFieldType=: a new field of that type in the working layout."""
    field = _new_field(call, str(call.query["udefFieldType"]))
    call.store.table(WORKING)[str(field["UDefFieldId"])] = field
    return Reply(body=_out(field), xml_root="UserDefinedFieldInfo")


def saveUdefLayout(call: Call) -> Reply:
    """PUT /Project/UdefLayout: replaces the working layout with the given fields (known ids are updated, others
    are added with new ids); answers the saved layout. 400 when the body is not an array."""
    body = array_body(call.body)
    if body is None:
        raise bad_request(NO_ENTITY)
    table = call.store.table(WORKING)
    old = dict(table)
    new: dict[str, dict[str, Any]] = {}
    for item in body:
        if not isinstance(item, dict):
            continue
        fid = lower_keys(item).get("udeffieldid")
        base = old.get(str(fid)) if fid is not None else None
        if base is None or str(fid) in new:
            fresh = _new_field(call, "ShortText")
            field = _coerce(item, fresh)
            field.update(
                UDefFieldId=fresh["UDefFieldId"], UdefIdentity=fresh["UdefIdentity"], ColumnId=fresh["ColumnId"]
            )
            table[str(fresh["UDefFieldId"])] = field  # keeps next_seq from reusing the id
        else:
            field = _coerce(item, base)
        new[str(field["UDefFieldId"])] = field
    table.clear()
    table.update(new)
    return Reply(body=[_out(f) for f in _fields(call, WORKING)], xml_root="ArrayOfUserDefinedFieldInfo")


def deleteUdefFieldInfo(call: Call) -> Reply:
    """DELETE /Project/UdefLayout/{progidOrLabel}: removes the field from the working layout; 204; 404 unknown."""
    key, _ = _find(call, WORKING)
    del call.store.table(WORKING)[key]
    return no_content()


def changeFieldType(call: Call) -> Reply:
    """POST /Project/UdefLayout/{progidOrLabel}/ChangeTo/{fieldType}?isIndexed=: the changed working field."""
    key, field = _find(call, WORKING)
    field["FieldType"] = next(t for t in FIELD_TYPES if t.lower() == str(call.path_params["fieldType"]).lower())
    if call.query.get("isIndexed") is not None:
        field["IsIndexed"] = bool(call.query["isIndexed"])
    call.store.table(WORKING)[key] = field
    return Reply(body=_out(field), xml_root="UserDefinedFieldInfo")


def _strip(fields: list[dict[str, Any]], columns_only: bool) -> list[Any]:
    if columns_only:
        return sorted((f.get("UDefFieldId"), f.get("FieldType"), f.get("ColumnId")) for f in fields)
    return sorted(
        ((f.get("UDefFieldId"), sorted((k, str(v)) for k, v in f.items() if k != "HasBeenPublished")) for f in fields),
        key=lambda t: int(t[0] or 0),
    )


def detectUnpublishedChanges(call: Call) -> Reply:
    """GET /Project/UdefLayout/Changed?columnChangesOnly=: true when the working layout differs from the
    published one (with columnChangesOnly: only field ids, types and columns compared)."""
    only = bool(call.query.get("columnChangesOnly"))
    changed = _strip(_fields(call, WORKING), only) != _strip(_fields(call, PUBLISHED), only)
    return Reply(body=changed, xml_root="boolean")


def isPublishUdefLayoutActive(call: Call) -> Reply:
    """GET /Project/UdefLayout/Publish: whether a publish is running. Publishing is instant here: false."""
    return Reply(body=False, xml_root="boolean")


def publishUdefLayout(call: Call) -> Reply:
    """POST /Project/UdefLayout/Publish: the working layout becomes the published one; answers the new layout
    version (assumption: the int is the version number)."""
    settings = call.store.table("settings")
    version = int(settings.get("udef_version", 0)) + 1
    settings["udef_version"] = version
    working = call.store.table(WORKING)
    for key, f in list(working.items()):
        working[key] = dict(f, HasBeenPublished=True, Version=version)
    published = call.store.table(PUBLISHED)
    published.clear()
    published.update({k: dict(v) for k, v in working.items()})
    return Reply(body=version, xml_root="int")


def revertUdefLayout(call: Call) -> Reply:
    """POST /Project/UdefLayout/Revert: the working layout goes back to the published one; 204."""
    working = call.store.table(WORKING)
    working.clear()
    working.update({k: dict(v) for k, v in call.store.table(PUBLISHED).items()})
    return no_content()


def getCustomFieldInfoList(call: Call) -> Reply:
    """GET /Project/CustomField: FieldInfoBase of every custom field (extra + user-defined) of Project."""
    fields = [
        dict(f)
        for _, f in sorted(call.store.table("custom_fields").items(), key=lambda kv: int(kv[1].get("Rank") or 0))
    ]
    return Reply(body=fields, xml_root="ArrayOfFieldInfoBase")


def getCustomFieldInfo(call: Call) -> Reply:
    """GET /Project/CustomField/{fieldName}: one field by FieldName (case-insensitive); 404 unknown."""
    wanted = str(call.path_params["fieldName"]).strip().lower()
    for f in call.store.table("custom_fields").values():
        if str(f.get("FieldName", "")).lower() == wanted:
            return Reply(body=dict(f), xml_root="FieldInfoBase")
    raise EmulatorError(
        f"Custom field '{call.path_params['fieldName']}' not found",
        status=404,
        code="SoNotFoundException",
        source=SERVICES,
    )


HANDLERS = {
    "getUdefLayout": getUdefLayout,
    "saveUdefLayout": saveUdefLayout,
    "addUdefField": addUdefField,
    "getPublishedUdefLayout": getPublishedUdefLayout,
    "getUdefFieldInfo": getUdefFieldInfo,
    "deleteUdefFieldInfo": deleteUdefFieldInfo,
    "changeFieldType": changeFieldType,
    "getPublishedUdefFieldInfo": getPublishedUdefFieldInfo,
    "detectUnpublishedChanges": detectUnpublishedChanges,
    "isPublishUdefLayoutActive": isPublishUdefLayoutActive,
    "publishUdefLayout": publishUdefLayout,
    "revertUdefLayout": revertUdefLayout,
    "getCustomFieldInfoList": getCustomFieldInfoList,
    "getCustomFieldInfo": getCustomFieldInfo,
}
