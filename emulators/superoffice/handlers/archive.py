"""The OData archive operations: GET /Project (FindProject) and the project's Members, Contacts, Links,
Activities and Guide archives (Swagger; vendor-facts E6/E7). The query engine is odata.py."""

from __future__ import annotations

from typing import Any

from emulators.core.call import Call, Reply

from ..archives import (
    ACTIVITIES,
    CONTACTS,
    GUIDE,
    LINKS,
    MEMBER_PREFIX,
    MEMBERS,
    PROJECT_MEMBER,
    activity_rows,
    appointments_of,
    contact_rows,
    find_project,
    find_project_with_members,
    link_rows,
    member_rows,
    project_member_rows,
    project_row,
    with_members,
)
from ..errors import project_not_found
from ..odata import Archive, Context, Query, Row, run
from .entity import associate_id, links_base

TABLE = "projects"
XML_MEDIA = {"xml": "application/xml", "json": "application/json"}


def load_project(call: Call, param: str) -> dict[str, Any]:
    raw = call.path_params[param]
    try:
        project_id = int(raw)
    except (TypeError, ValueError):
        raise project_not_found(raw) from None
    rec: dict[str, Any] | None = call.store.get(TABLE, project_id)
    if rec is None:
        raise project_not_found(call.path_params[param])
    return rec


def _query(call: Call) -> Query:
    q = call.query
    safe = q.get("$jsonSafe")
    return Query(
        select=q.get("$select"),
        filter=q.get("$filter"),
        order_by=q.get("$orderBy"),
        top=q.get("$top"),
        skip=q.get("$skip"),
        mode=q.get("$mode"),
        json_safe=bool(safe),
    )


def _answer(call: Call, archive: Archive, rows: list[Row]) -> Reply:
    """Runs the query; `$format` (JSON/XML, any case) overrides Accept; other values leave Accept in charge."""
    ctx = Context(today=call.clock.now().date(), associate_id=associate_id(call))
    # the declared names (call.query also keeps the client's spelling, e.g. $TOP): the next page repeats them once
    params = {
        p.name: str(call.query[p.name]) for p in call.operation.params_in("query") if call.query.get(p.name) is not None
    }
    at = call.path.lower().find("/api/")
    path = call.path[at:] if at >= 0 else call.path
    body = run(archive, rows, _query(call), ctx, base=links_base(call), path=path, params=params)
    fmt = str(call.query.get("$format") or "").strip().lower()
    return Reply(body=body, media_type=XML_MEDIA.get(fmt), xml_root="ODataSlimResponse")


def getAll(call: Call) -> Reply:
    """GET /api/v1/Project: OData list over the stored projects, FindProject archive columns (E7)."""
    apps: dict[int, list[dict[str, Any]]] = {}
    for a in call.store.table("appointments").values():
        apps.setdefault(int(a.get("ProjectId") or 0), []).append(a)
    records = call.store.table(TABLE)
    rows = [project_row(rec, apps.get(int(rec["ProjectId"]), [])) for rec in records.values()]
    rows.sort(key=lambda r: int(r["projectId"] or 0))
    archive = find_project(call.store)
    asked = " ".join(str(call.query.get(k) or "") for k in ("$select", "$filter", "$orderBy")).lower()
    if MEMBER_PREFIX.lower() in asked:  # projectMember/<column>: one row per member (Project.http)
        archive = find_project_with_members(archive)
        rows = with_members(rows, {int(r["ProjectId"]): r for r in records.values()})
    return _answer(call, archive, rows)


def getAllMembers(call: Call) -> Reply:
    """GET /api/v1/ProjectMember: the ProjectMember archive over every project's members."""
    return _answer(call, PROJECT_MEMBER, project_member_rows(call.store))


def members(call: Call) -> Reply:
    """GET /Project/{id}/Members: one row per project member (EntityName person, PrimaryKey personId)."""
    return _answer(call, MEMBERS, member_rows(load_project(call, "id")))


def contacts(call: Call) -> Reply:
    """GET /Project/{id}/Contacts: the members' companies, then linked contacts (assumption: each once)."""
    return _answer(call, CONTACTS, contact_rows(load_project(call, "id")))


def links(call: Call) -> Reply:
    """GET /Project/{id}/Links: one row per link; EntityName is the linked entity's."""
    return _answer(call, LINKS, link_rows(load_project(call, "id")))


def activities(call: Call) -> Reply:
    """GET /Project/{id}/Activities: the project's appointments (fixtures table `appointments`)."""
    rec = load_project(call, "id")
    return _answer(call, ACTIVITIES, activity_rows(appointments_of(call.store, int(rec["ProjectId"]))))


def guide(call: Call) -> Reply:
    """GET /Project/{id}/Guide: the project's guided appointments (assumption: appointments with Guided true)."""
    rec = load_project(call, "id")
    apps = [a for a in appointments_of(call.store, int(rec["ProjectId"])) if a.get("Guided")]
    return _answer(call, GUIDE, activity_rows(apps))


HANDLERS = {
    "getAll": getAll,
    "members": members,
    "contacts": contacts,
    "links": links,
    "activities": activities,
    "guide": guide,
    "getAllMembers": getAllMembers,
}
