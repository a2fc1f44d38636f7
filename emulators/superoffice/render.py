"""Record -> the response carrier: TableRight and FieldProperties first, `_Links` last (B9.1, B9.7),
nested carriers with their own TableRight/FieldProperties (B9.3), and `$select` (B4.1)."""

from __future__ import annotations

import functools
from typing import Any

from .dates import EMPTY_DATE
from .fields import (
    ASSOCIATE,
    DEFAULT_RIGHT,
    FULL_RIGHT,
    LINK,
    LIST_ITEM,
    MEMBER,
    MEMBER_FIELD_PROPERTIES,
    PARTICIPANT_DEFAULT,
    PROJECT,
    PROJECT_FIELD_PROPERTIES,
    STATUS_FIELD_PROPERTIES,
    URL,
    _fp,
)
from .jsoncodec import share

share(MEMBER_FIELD_PROPERTIES)
share(STATUS_FIELD_PROPERTIES)

META = ("TableRight", "FieldProperties", "_Links")
_NAMES = {id(f): tuple(name for name, _ in f) for f in (MEMBER, ASSOCIATE, URL, LINK, LIST_ITEM)}
_EMPTY: dict[str, Any] = {"int": 0, "date": EMPTY_DATE, "bool": False, "str": "", "text": ""}


def _carrier(
    rec: dict[str, Any] | None, fields: list[tuple[str, str]], right: dict[str, Any] | None, props: dict[str, Any]
) -> dict[str, Any] | None:
    if rec is None:
        return None
    out: dict[str, Any] = {"TableRight": dict(right) if right is not None else None, "FieldProperties": props}
    names = _NAMES[id(fields)]
    if tuple(rec) == names:  # a record stored in the carrier's order (members, resolved references)
        out.update(rec)
        return out
    get = rec.get
    for name in names:
        out[name] = get(name)
    return out


def _field_properties(rec: dict[str, Any]) -> dict[str, Any]:
    """The entity's FieldProperties: the fixed table plus one entry per user-defined field. Shared
    between answers with the same user-defined keys (built once per key set): never mutate it."""
    return _field_properties_for(tuple(rec.get("UserDefinedFields") or ()))


@functools.lru_cache(maxsize=256)
def _field_properties_for(udef_keys: tuple[str, ...]) -> dict[str, Any]:
    props = dict(PROJECT_FIELD_PROPERTIES)
    for key in udef_keys:
        if not key.endswith((":DisplayText", ":DisplayTooltip")):
            props[f"UserDefinedFields.{key}"] = _fp("System.String", -1)
    return share(props)  # written from bytes encoded once (jsoncodec.py)


def project_links(base: str, project_id: int) -> dict[str, str]:
    """B9.7: absolute URLs with a trailing slash, built from the request's base URL (a fresh dict; the
    strings are built once per base and id)."""
    return dict(_project_links(base, project_id))


@functools.lru_cache(maxsize=4096)
def _project_links(base: str, project_id: int) -> dict[str, str]:
    root = f"{base}/api/v1/Project/"
    me = f"{root}{project_id}/"
    return {
        "Self": me,
        "Self.Simple": f"{me}Simple/",
        "UdefLayout": f"{root}UdefLayout/Published/",
        "Archive": root,
        "Archive.Activities": f"{me}Activities/",
        "Archive.Guide": f"{me}Guide/",
        "Archive.Members": f"{me}Members/",
        "Archive.Contacts": f"{me}Contacts/",
        "Archive.Links": f"{me}Links/",
    }


_DEFAULTED = {id(f): [(n, k) for n, k in f if k in ("dict", "participant")] for f in (MEMBER, ASSOCIATE)}


def carrier(
    rec: dict[str, Any] | None, fields: list[tuple[str, str]], right: dict[str, Any] | None, props: dict[str, Any]
) -> dict[str, Any] | None:
    """_carrier plus the Swagger-only properties' defaults: string dictionaries {} (Associate.ExtraFields /
    CustomFields), EventParticipantStatus NotAnEvent."""
    out = _carrier(rec, fields, right, props)
    if out is not None:
        for name, kind in _DEFAULTED[id(fields)]:
            if kind == "dict":
                out[name] = dict(out[name]) if isinstance(out[name], dict) else {}
            elif kind == "participant" and not out[name]:
                out[name] = PARTICIPANT_DEFAULT
    return out


# ProjectEntity rendering, compiled once from the property lists: one straight-line function per carrier
# kind and one for the entity, each a single dict display in the carrier's order (what `carrier` and
# `_carrier` build with a loop per property). Each answer gets its own dicts; the shared FieldProperties
# tables (jsoncodec.py) are the same objects in every answer.
def _compile(name: str, source: list[str], scope: dict[str, Any]) -> Any:
    exec(compile("\n".join(source), f"<superoffice {name}>", "exec"), scope)  # source built from fields.py only
    return scope[name]


def _carrier_source(name: str, fields: list[tuple[str, str]], right: str, props: str) -> list[str]:
    """`carrier` for one field list: None stays None; string dictionaries copied (else {}); an empty
    EventParticipantStatus is NotAnEvent."""
    values = []
    for field, kind in fields:
        if kind == "dict":
            values.append(f"{field!r}: dict(v) if isinstance(v := g({field!r}), dict) else {{}}")
        elif kind == "participant":
            values.append(f"{field!r}: g({field!r}) or PARTICIPANT_DEFAULT")
        else:
            values.append(f"{field!r}: g({field!r})")
    return [
        f"def {name}(rec):",
        "    if rec is None:",
        "        return None",
        "    g = rec.get",
        f"    return {{'TableRight': {right}, 'FieldProperties': {props}, " + ", ".join(values) + "}",
    ]


_FULL = repr(FULL_RIGHT)
_SCOPE: dict[str, Any] = {"PARTICIPANT_DEFAULT": PARTICIPANT_DEFAULT, "MEMBER_FP": MEMBER_FIELD_PROPERTIES}
_SCOPE["STATUS_FP"] = STATUS_FIELD_PROPERTIES
_render_member = _compile("_render_member", _carrier_source("_render_member", MEMBER, _FULL, "MEMBER_FP"), _SCOPE)
_render_associate = _compile("_render_associate", _carrier_source("_render_associate", ASSOCIATE, _FULL, "{}"), _SCOPE)
_render_url = _compile("_render_url", _carrier_source("_render_url", URL, "None", "{}"), _SCOPE)
_render_link = _compile("_render_link", _carrier_source("_render_link", LINK, "None", "{}"), _SCOPE)
_render_status = _compile("_render_status", _carrier_source("_render_status", LIST_ITEM, "None", "STATUS_FP"), _SCOPE)
_render_type = _compile("_render_type", _carrier_source("_render_type", LIST_ITEM, "None", "{}"), _SCOPE)

_NESTED_FORMS = {
    "members": "[_render_member(m) for m in g({name!r}) or []]",
    "urls": "[_render_url(u) for u in g({name!r}) or []]",
    "links": "[_render_link(x) for x in g({name!r}) or []]",
    "associate": "_render_associate(g({name!r}))",
    "status": "_render_status(g({name!r}))",
    "type": "_render_type(g({name!r}))",
    "dict": "dict(g({name!r}) or {{}})",
}


def _project_source() -> list[str]:
    """The entity's properties in PROJECT order: carriers and dictionaries rendered, a missing scalar given
    its empty value (properties added after a record was stored: EventId, StartDate)."""
    values = []
    for name, kind in PROJECT:
        if kind in _NESTED_FORMS:
            values.append(f"{name!r}: " + _NESTED_FORMS[kind].format(name=name))
        else:
            values.append(f"{name!r}: {_EMPTY[kind]!r} if (v := g({name!r})) is None else v")
    return [
        "def _render_entity(rec, right, props):",
        "    g = rec.get",
        "    return {'TableRight': right, 'FieldProperties': props, " + ", ".join(values) + "}",
    ]


_render_entity = _compile("_render_entity", _project_source(), _SCOPE)


def render_project(rec: dict[str, Any], *, links_base: str | None, new: bool = False) -> dict[str, Any]:
    """The ProjectEntity carrier (with `_Links` when links_base is given: ProjectEntityWithLinks), properties
    in PROJECT order after TableRight and FieldProperties."""
    right = dict(DEFAULT_RIGHT if new else FULL_RIGHT)
    out: dict[str, Any] = _render_entity(rec, right, _field_properties(rec))
    if links_base is not None:
        out["_Links"] = project_links(links_base, int(rec.get("ProjectId") or 0))
    return out


def parse_select(text: str | None) -> dict[str, Any] | None:
    """'name,department,category/id' -> {'name': {}, 'department': {}, 'category': {'id': {}}}."""
    if text is None or not text.strip():
        return None
    tree: dict[str, Any] = {}
    for part in text.split(","):
        node = tree
        segs = [s.strip().lower() for s in part.replace(".", "/").split("/") if s.strip()]
        for i, seg in enumerate(segs):
            if seg not in node:
                node[seg] = {}
            elif not node[seg] and i < len(segs) - 1:
                break  # the whole property is already selected
            node = node[seg]
    return tree


def _apply(obj: dict[str, Any], tree: dict[str, Any]) -> None:
    for key in list(obj):
        if key in META:
            continue
        sub = tree.get(key.lower())
        if sub is None:
            obj[key] = None
        elif sub:
            value = obj[key]
            if isinstance(value, dict):
                _apply(value, sub)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        _apply(item, sub)


def apply_select(carrier: dict[str, Any], select: str | None) -> dict[str, Any]:
    """B4.1: properties not named are nulled out (names case-insensitive; `a/b` selects inside a carrier).
    TableRight, FieldProperties and _Links stay."""
    tree = parse_select(select)
    if tree is not None:
        _apply(carrier, tree)
    return carrier
