"""The request and response models: ProjectUpdateReq / ProjectCreateReq binding, the echo of a bound
request, ProjectGetResp and ProjectItemGetResp views of stored records."""

from __future__ import annotations

from typing import Any

from emulators.core.errors import Issue
from emulators.core.wording import shown

from .formats import parse_date, wire_date

# the order of the seed's JSON echo (BaseRespOfProjectUpdateReq.Request)
FIELDS = (
    "PersonIDResolver",
    "Code",
    "Name",
    "Type",
    "Name2",
    "Shortcut",
    "Code2",
    "Description",
    "PlannedFrom",
    "PlannedTo",
    "Started",
    "Finished",
    "Closed",
    "SuperiorProjectCode",
    "Street",
    "HouseNr",
    "City",
    "PostalCode",
    "PersonIDInCharge",
)
DATES = ("PlannedFrom", "PlannedTo", "Started", "Finished", "Closed")
# ProjectItemUpdateReq's members (the help page's ResourceModel), the order ProjectItemGetResp is rendered in
ITEM_FIELDS = ("Code", "Description", "Name", "Name2", "Shortcut", "Identifier", "Unit")


_DATE_SET = frozenset(DATES)
_SHAPE = tuple((name, name in _DATE_SET) for name in FIELDS)  # (field, is a date), in the echo's order


def bind(body: dict[str, Any]) -> dict[str, Any]:
    """The bound model: every field, strings as sent, dates as ms (None when absent/invalid)."""
    return bind_checked(body)[0]


def bind_checked(body: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    """The bound model and the issues of its dates (`date_issues`), in one pass over the fields."""
    model, _, issues = bind_wired(body)
    return model, issues


def bind_wired(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[Issue]]:
    """The bound model, its echo (`wire` of it) and the issues of its dates, in one pass over the fields."""
    out: dict[str, Any] = {}
    echo: dict[str, Any] = {}
    issues: list[Issue] = []
    get = body.get
    for name, is_date in _SHAPE:
        value = get(name)
        if not isinstance(value, str):
            out[name] = echo[name] = None
        elif is_date:
            ms = out[name] = parse_date(value)
            if ms is None:
                echo[name] = None
                if value:
                    issues.append(Issue("body", name, f"{shown(value)} is not a date", "pattern", value))
            else:
                echo[name] = wire_date(ms)
        else:
            out[name] = echo[name] = value
    return out, echo, issues


def date_issues(body: dict[str, Any]) -> list[Issue]:
    """Dates that match the format but name no real instant (2019-02-30, year 10000)."""
    return bind_checked(body)[1]


def echo_request(body: dict[str, Any]) -> dict[str, Any]:
    """The request as the vendor echoes it: the bound model re-serialized (dates as "/Date(ms)/")."""
    return wire(bind(body))


def wire(model: dict[str, Any]) -> dict[str, Any]:
    out = dict(model)
    for name in DATES:
        value = out.get(name)
        if value is not None:
            out[name] = wire_date(value)
    return out


def project_view(rec: dict[str, Any]) -> dict[str, Any]:
    """ProjectGetResp: the update model's fields plus TimeLastChange."""
    get = rec.get
    out = dict(zip(FIELDS, map(get, FIELDS), strict=True))
    for name in DATES:
        value = out[name]
        if value is not None:
            out[name] = wire_date(value)
    changed = get("TimeLastChange")
    out["TimeLastChange"] = wire_date(int(changed)) if changed is not None else None
    return out


def item_view(key: str, rec: dict[str, Any]) -> dict[str, Any]:
    """ProjectItemGetResp: the item's members (Code defaults to the record key)."""
    out = {name: rec.get(name) for name in ITEM_FIELDS}
    if out["Code"] is None:
        out["Code"] = key
    return out
