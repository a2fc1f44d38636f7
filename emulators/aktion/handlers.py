"""The Aktion.NEXT actions: login, project/updateProject, project/createProject, project/getProject,
project/getType, project/getAllProjects, project/getAllItems. Handlers are named after the contract's
operationIds; HANDLERS at the end maps each operationId to its function."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from emulators.core.call import Call, Reply
from emulators.core.errors import ValidationFailed
from emulators.core.spec import handler_table

from .binding import DATES, FIELDS, bind_wired, item_view, project_view
from .errors import EXEC_OK, SUCCESS, UNCHANGED, aktion_error, result
from .formats import ms_at, wire_date
from .models import SEQ_TABLE, changes_so_far, code2_taken, find, find_user, licensed, makes_cycle, token_seconds
from .privileges import has_right, record_allowed

PROJECTS = "Projects"
TYPES = "Projects.Project types"
ITEMS = "Projects.Items"  # the agenda named by getAllItems' 1240 text (its summary says "Project.Items")
PRUNE_TOKENS_AT = 1000


def _api_key_ok(key: str) -> bool:
    """A well-formed ApiKey is the Base64 text of 16 bytes (like the sample hDn/LFXIPESM036W+s7VKg==)."""
    try:
        return len(base64.b64decode(key, validate=True)) == 16
    except (binascii.Error, ValueError):
        return False


def login(call: Call) -> Reply:
    """POST login: a GUID token valid `settings.token_seconds` (20) seconds on the emulator clock.
    The answer is exactly LoginResp {Token, ExpireInSec, ExpireDate} (vendor facts E4: no Result member)."""
    body = call.body
    if not _api_key_ok(body["ApiKey"]):
        raise aktion_error(1004)
    gstore = call.world.store(None)
    hit = find_user(gstore, body["UserLogin"])
    if hit is None or hit[1].get("ApiKey") != body["ApiKey"]:
        raise aktion_error(1003)
    seconds = token_seconds(call.world.fixtures)
    now = call.clock.time()
    tokens = gstore.table("tokens")
    if len(tokens) >= PRUNE_TOKENS_AT:  # forget tokens expired more than an hour ago
        for k in [k for k, t in tokens.items() if not t.get("fixture") and float(t["expires_at"]) < now - 3600]:
            del tokens[k]
    token = call.ids.uuid()
    tokens[token] = {
        "user": hit[0],
        "issued_at": now,
        "expires_at": now + seconds,
        "issued_seq": changes_so_far(gstore),
    }
    return Reply(body={"Token": token, "ExpireInSec": seconds, "ExpireDate": wire_date(int((now + seconds) * 1000))})


def _bound(call: Call) -> dict[str, Any]:
    """The bound model; dates that do not convert are binding errors (400/1002) like the schema's."""
    req, echo, issues = bind_wired(call.body)
    if issues:
        raise ValidationFailed(issues[0].message, issues=issues)
    call.scratch["echo"] = echo
    return req


def _references(call: Call, req: dict[str, Any]) -> None:
    """404s: project type (1261), superior project (1281), persons (1100)."""
    store = call.store
    if req["Type"] is not None and find(store, "project_types", req["Type"]) is None:
        raise aktion_error(1261, req["Type"])
    if req["SuperiorProjectCode"] and find(store, "projects", req["SuperiorProjectCode"]) is None:
        raise aktion_error(1281, req["SuperiorProjectCode"])
    for field in ("PersonIDInCharge", "PersonIDResolver"):
        if req[field] and find(store, "persons", req[field]) is None:
            raise aktion_error(1100, req[field])


def _db_common(call: Call, req: dict[str, Any], right: str, code: str, *, new: bool = False) -> None:
    """Database outcomes shared by create and update: licence (8), agenda privilege (1),
    duplicity of Code (create) or Code2 (3) and hierarchy consistency (6)."""
    user = call.principal["user"]
    if not licensed(call.store, PROJECTS):
        raise aktion_error(8)
    if not has_right(user, PROJECTS, right):
        raise aktion_error(1)
    if new and find(call.store, "projects", code) is not None:
        raise aktion_error(3)
    if req["Code2"] and code2_taken(call.store, code, req["Code2"]):
        raise aktion_error(3)
    if req["SuperiorProjectCode"] and makes_cycle(call.store, code, req["SuperiorProjectCode"]):
        raise aktion_error(6)


_CHANGEABLE = tuple((name, name in DATES) for name in FIELDS if name != "Code")  # (field, is a date)


def _changes(rec: dict[str, Any], req: dict[str, Any]) -> dict[str, Any]:
    """Sent (non-null) fields whose value differs from the record; null means "leave unchanged"."""
    out: dict[str, Any] = {}
    get = rec.get
    for name, is_date in _CHANGEABLE:
        value = req[name]
        if value is None:
            continue
        stored = get(name) if is_date else (get(name) or "")
        if stored != value:
            out[name] = value
    return out


def _next_change(gstore: Any) -> int:
    seq = changes_so_far(gstore) + 1
    gstore.table(SEQ_TABLE)["changes"] = seq
    return seq


def _changed_since(rec: dict[str, Any], principal: dict[str, Any]) -> bool:
    """Changed after this token was issued ("already changed by another user", 4). By the change counter when
    both sides carry it, so a frozen clock (every instant equal) loses no update; else by milliseconds."""
    rec_seq, tok_seq = rec.get("ChangeSeq"), principal.get("issued_seq")
    if isinstance(rec_seq, int) and isinstance(tok_seq, int):
        return rec_seq > tok_seq
    changed_at = rec.get("TimeLastChange")
    # both in milliseconds through the same conversion: a change made in the instant a token was issued is
    # not later than it, whatever the microsecond rounding of datetime
    return changed_at is not None and int(changed_at) > ms_at(principal["issued_at"])


def updateProject(call: Call) -> Reply:
    """POST project/updateProject: partial update (null/absent fields stay as stored); 202 if nothing changes."""
    req = _bound(call)
    echo = call.scratch["echo"]
    principal = call.principal
    user, login_name = principal["user"], principal["login"]
    if not has_right(user, TYPES, "Edit"):
        raise aktion_error(1289, login_name)
    store = call.store
    hit = find(store, "projects", req["Code"])
    if hit is None:
        raise aktion_error(1281, req["Code"])
    key, rec = hit
    _references(call, req)
    if not record_allowed(user, PROJECTS, "Edit", key):
        raise aktion_error(1296, req["Code"])
    _db_common(call, req, "Edit", key)
    if login_name.lower() in {str(u).lower() for u in rec.get("DbDeniedUsers") or []}:
        raise aktion_error(2)
    if rec.get("Deleted"):
        raise aktion_error(5)
    if str(rec.get("ChangedBy") or "").lower() != login_name.lower() and _changed_since(rec, principal):
        raise aktion_error(4)
    changes = _changes(rec, req)
    if not changes:
        return Reply(status=202, body={"Result": result(UNCHANGED), "Request": echo})
    now = call.clock.time()
    updated = {
        **rec,
        **changes,
        "TimeLastChange": ms_at(call.clock.time()),
        "ChangedBy": login_name,
        "ChangeSeq": _next_change(call.world.store(None)),
    }
    store.put("projects", key, updated, when=now)
    return Reply(body={"Result": result(EXEC_OK), "Request": echo})


def createProject(call: Call) -> Reply:
    """POST project/createProject: Code, Name and Type required; an existing Code is a duplicity (3)."""
    req = _bound(call)
    echo = call.scratch["echo"]
    store = call.store
    _references(call, req)
    _db_common(call, req, "New", req["Code"], new=True)
    rec = {name: req[name] for name in FIELDS}
    rec.update(
        {
            "TimeLastChange": ms_at(call.clock.time()),
            "ChangedBy": call.principal["login"],
            "Deleted": False,
            "ChangeSeq": _next_change(call.world.store(None)),
        }
    )
    store.put("projects", req["Code"], rec, when=call.clock.time())
    return Reply(body={"Result": result(EXEC_OK), "Request": echo})


def getProject(call: Call) -> Reply:
    """GET project/getProject: the project with this Code as a (paged) list; deleted ones are not found."""
    user, login_name = call.principal["user"], call.principal["login"]
    if not (licensed(call.store, PROJECTS) and has_right(user, PROJECTS, "View")):
        raise aktion_error(1280, login_name)
    code = call.query["Code"]
    hit = find(call.store, "projects", code)
    if hit is None or hit[1].get("Deleted"):
        raise aktion_error(1281, code, operation="getProject")
    if not record_allowed(user, PROJECTS, "View", hit[0]):
        raise aktion_error(1297, code)
    items = [project_view(hit[1])]
    page, size = call.query.get("PageNumber"), call.query.get("PageSize")
    if page is not None and size:
        start = (max(int(page), 1) - 1) * int(size)
        items = items[start : start + int(size)]
    return Reply(body={"Result": result(SUCCESS["getProject"]), "Request": items})


def getType(call: Call) -> Reply:
    """GET project/getType: one project type by Name."""
    user, login_name = call.principal["user"], call.principal["login"]
    if not (licensed(call.store, TYPES) and has_right(user, TYPES, "View")):
        raise aktion_error(1260, login_name)
    name = call.query["Name"]
    hit = find(call.store, "project_types", name)
    if hit is None:
        raise aktion_error(1261, name, operation="getType")
    if not record_allowed(user, TYPES, "View", hit[0]):
        raise aktion_error(1269, name)
    rec = hit[1]
    changed = rec.get("TimeLastChange")
    body = {
        "Name": rec.get("Name", hit[0]),
        "Description": rec.get("Description"),
        "TimeLastChange": wire_date(int(changed)) if changed is not None else None,
    }
    return Reply(body={"Result": result(SUCCESS["getType"]), "Request": body})


def _page(call: Call, rows: list[Any], not_found: int) -> list[Any]:
    """PageNumber omitted: every row (E5/C2.2). Otherwise page PageNumber (1-based, 0 = 1) of PageSize rows
    (PageSize omitted or 0: one page holding every row); a page past the end is `not_found` with {0} = PageNumber."""
    page = call.query.get("PageNumber")
    if page is None:
        return rows
    size = int(call.query.get("PageSize") or 0) or max(len(rows), 1)
    start = (max(int(page), 1) - 1) * size
    chunk = rows[start : start + size]
    if not chunk and (rows or int(page) > 1):
        raise aktion_error(not_found, page)
    return chunk


def getAllProjects(call: Call) -> Reply:
    """GET project/getAllProjects (vendor facts E5): ProjectGetAllResp {Project: [ProjectGetResp...]}, ordered by
    Code; record permission View filters the list; deleted projects are left out; 1280 without View of Projects."""
    user, login_name = call.principal["user"], call.principal["login"]
    if not (licensed(call.store, PROJECTS) and has_right(user, PROJECTS, "View")):
        raise aktion_error(1280, login_name)
    rows = sorted(
        (
            (k, r)
            for k, r in call.store.table("projects").items()
            if not r.get("Deleted") and record_allowed(user, PROJECTS, "View", k)
        ),
        key=lambda kr: kr[0].lower(),
    )
    return Reply(body={"Project": [project_view(r) for _, r in _page(call, rows, 1281)]})


def getAllItems(call: Call) -> Reply:
    """GET project/getAllItems (getAllItems page beside E5): {ProjectItem: [ProjectItemGetResp...]}, ordered by
    Code; record permission View of Projects.Items filters the list; 1240 without View of Projects.Items."""
    user, login_name = call.principal["user"], call.principal["login"]
    if not (licensed(call.store, ITEMS) and has_right(user, ITEMS, "View")):
        raise aktion_error(1240, login_name)
    rows = sorted(
        (
            (k, r)
            for k, r in call.store.table("project_items").items()
            if isinstance(r, dict) and record_allowed(user, ITEMS, "View", k)
        ),
        key=lambda kr: kr[0].lower(),
    )
    return Reply(body={"ProjectItem": [item_view(k, r) for k, r in _page(call, rows, 1241)]})


HANDLERS = handler_table(
    {
        "login": login,
        "updateProject": updateProject,
        "createProject": createProject,
        "getProject": getProject,
        "getType": getType,
        "getAllProjects": getAllProjects,
        "getAllItems": getAllItems,
    }
)
