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


def bind(body: dict[str, Any]) -> dict[str, Any]:
    """The bound request model: every field, strings as sent, dates as ms (None when absent/invalid)."""
    out: dict[str, Any] = {}
    for name in FIELDS:
        value = body.get(name)
        if name in DATES:
            out[name] = parse_date(value) if isinstance(value, str) else None
        else:
            out[name] = value if isinstance(value, str) else None
    return out


def date_issues(body: dict[str, Any]) -> list[Issue]:
    """Dates that match the format but name no real instant (2019-02-30, year 10000)."""
    return [
        Issue("body", name, f"{shown(body[name])} is not a date", "pattern", body[name])
        for name in DATES
        if isinstance(body.get(name), str) and body[name] and parse_date(body[name]) is None
    ]


def echo_request(body: dict[str, Any]) -> dict[str, Any]:
    """The request as the vendor echoes it: the bound model re-serialized (dates as "/Date(ms)/")."""
    return wire(bind(body))


def wire(model: dict[str, Any]) -> dict[str, Any]:
    return {k: (wire_date(v) if k in DATES and v is not None else v) for k, v in model.items()}


def project_view(rec: dict[str, Any]) -> dict[str, Any]:
    """ProjectGetResp: the update model's fields plus TimeLastChange."""
    out = wire({name: rec.get(name) for name in FIELDS})
    changed = rec.get("TimeLastChange")
    out["TimeLastChange"] = wire_date(int(changed)) if changed is not None else None
    return out


def item_view(key: str, rec: dict[str, Any]) -> dict[str, Any]:
    """ProjectItemGetResp: the item's members (Code defaults to the record key)."""
    out = {name: rec.get(name) for name in ITEM_FIELDS}
    if out["Code"] is None:
        out["Code"] = key
    return out
