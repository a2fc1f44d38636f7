"""The Project operations. One function per contract operationId; none touches HTTP.

Conditional requests (B2): GET honours If-Modified-Since (304); PUT, PATCH and DELETE honour
If-Unmodified-Since (412). Last-Modified is the record's last write on the emulator clock, in whole
seconds (the stored UpdatedDate), and strictly increasing per record: a write within the same second as the
previous one is stamped one second later, so a check against one Last-Modified passes once (SOURCE.md).
"""

from __future__ import annotations

import copy
from typing import Any

from emulators.core.call import Call, Reply, no_content
from emulators.core.errors import EmulatorError

from ..dates import add_days, http_date, now_so, parse_http_date, so_to_datetime
from ..errors import (
    DELETE_PRECONDITION,
    NO_ENTITY,
    PATCH_PRECONDITION,
    PUT_PRECONDITION,
    WEBAPI,
    bad_request,
    project_not_found,
)
from ..models import SaveContext, build_record, default_record, next_seq
from ..patch import apply_ops, check_ops, merge_to_ops
from ..render import apply_select, render_project

TABLE = "projects"
ROOT = "ProjectEntity"
MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"


# helpers -----------------------------------------------------------------------------------
def associate_id(call: Call) -> int:
    return int((call.principal or {}).get("associate_id", 0))


def links_base(call: Call) -> str:
    customer = call.scratch.get("customer_id")
    return f"{call.base_url}/{customer}" if customer else call.base_url


def _project_id(call: Call) -> int:
    return int(call.path_params["id"])


def _load(call: Call) -> dict[str, Any]:
    rec: dict[str, Any] | None = call.store.get(TABLE, _project_id(call))
    if rec is None:
        raise project_not_found(call.path_params["id"])
    return rec


def last_modified(call: Call, rec: dict[str, Any]) -> float:
    when = call.store.modified(TABLE, rec["ProjectId"])
    if when is not None:
        return float(int(when))
    dt = so_to_datetime(rec.get("UpdatedDate")) or so_to_datetime(rec.get("CreatedDate"))
    return dt.timestamp() if dt is not None else 0.0


def _check_unmodified(call: Call, rec: dict[str, Any], message: str) -> None:
    since = parse_http_date(call.headers.get("if-unmodified-since"))
    if since is not None and last_modified(call, rec) > since:
        raise EmulatorError(message, status=412, code="PreconditionFailedException", source=WEBAPI)


def entity_body(call: Call) -> dict[str, Any]:
    """The body as an entity; missing, empty, `null`, `{}` or not an object -> 400 (seed)."""
    body = call.body
    if not isinstance(body, dict) or not body:
        raise bad_request(NO_ENTITY)
    return body


def _reply(call: Call, rec: dict[str, Any], *, status: int = 200) -> Reply:
    body = apply_select(render_project(rec, links_base=links_base(call)), call.query.get("$select"))
    return Reply(
        status=status, body=body, xml_root=ROOT, headers={"Last-Modified": http_date(last_modified(call, rec))}
    )


def save(call: Call, body: dict[str, Any], project_id: int, existing: dict[str, Any] | None) -> dict[str, Any]:
    now_text, now_epoch = now_so(call.clock.now())
    ctx = SaveContext(call.store, project_id, existing, associate_id(call), now_text)
    rec = build_record(body, ctx)
    when = float(int(now_epoch))
    if existing is not None:  # strictly after the previous write (whole seconds, as Last-Modified shows it):
        when = max(when, last_modified(call, existing) + 1)  # two writes never share one validator
    call.store.put(TABLE, project_id, rec, when=when)
    return rec


# operations --------------------------------------------------------------------------------
def defaultProjectEntity(call: Call) -> Reply:
    """GET /Project/default (B8.2): a new entity with defaults, ProjectId 0, a pre-allocated ProjectNumber,
    TableRight URI, no _Links. Assumption: EndDate = now + the tenant's default project duration."""
    now = call.clock.now()
    days = int(call.store.table("settings").get("default_duration_days", 30))
    end_text, _ = now_so(add_days(now, days))
    now_text, now_epoch = now_so(now)
    rec = default_record(call.store, associate_id(call), now_text, end_text)
    body = render_project(rec, links_base=None, new=True)
    return Reply(body=body, xml_root=ROOT, headers={"Last-Modified": http_date(now_epoch)})


def getProjectEntity(call: Call) -> Reply:
    """GET /Project/{id}: 404 unknown; If-Modified-Since not older than the last write -> 304.
    `fk` is accepted; there are no foreign keys to load (not emulated)."""
    rec = _load(call)
    since = parse_http_date(call.headers.get("if-modified-since"))
    modified = last_modified(call, rec)
    if since is not None and modified <= since:
        return Reply(status=304, empty=True, headers={"Last-Modified": http_date(modified)})
    return _reply(call, rec)


def postProjectEntity(call: Call) -> Reply:
    """POST /Project: creates; 200 (not 201, B1.2) with the stored entity; ProjectId allocated;
    ProjectNumber allocated when empty."""
    body = entity_body(call)
    project_id = next_seq(call.store, "ProjectId", TABLE)
    rec = save(call, body, project_id, None)
    return _reply(call, rec)


def putProjectEntity(call: Call) -> Reply:
    """PUT /Project/{id}: replaces the whole entity (B3.1). 400 no entity, 404 unknown id, 412 when
    If-Unmodified-Since is older than the last update."""
    body = entity_body(call)
    rec = _load(call)
    _check_unmodified(call, rec, PUT_PRECONDITION)
    return _reply(call, save(call, body, rec["ProjectId"], rec))


def patchProjectEntity(call: Call) -> Reply:
    """PATCH /Project/{id}: JSON Patch or Merge Patch (see patch.py); 409 failed test; 412 "Update aborted ..." (E8).
    Deviation: 400 (bad patch / no body) is not on the PATCH page (E8 lists 200, 404, 409, 412); see SOURCE.md."""
    body = call.body
    if body is None or body == {} or body == []:
        raise bad_request(NO_ENTITY)
    rec = _load(call)
    _check_unmodified(call, rec, PATCH_PRECONDITION)
    patched = patched_copy(call, body, copy.deepcopy(rec))
    return _reply(call, save(call, patched, rec["ProjectId"], rec))


def patched_copy(call: Call, body: Any, doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` with the JSON Patch (a list) or Merge Patch (an object) in `body` applied; the media type must
    agree with the body's kind. Shared by the Project and ProjectMember PATCH operations."""
    if isinstance(body, list):
        if call.media_type == MERGE:
            raise bad_request("A merge patch must be a JSON object.", "JsonPatchException")
        ops = check_ops(body, doc)
    elif isinstance(body, dict):
        if call.media_type == JSON_PATCH:
            raise bad_request("A JSON Patch document must be an array of operations.", "JsonPatchException")
        ops = merge_to_ops(body, doc)
    else:
        raise bad_request(NO_ENTITY)
    return apply_ops(doc, ops)


def deleteProjectEntity(call: Call) -> Reply:
    """DELETE /Project/{id}: 204; 404 unknown; 412 when If-Unmodified-Since is older than the last update."""
    rec = _load(call)
    _check_unmodified(call, rec, DELETE_PRECONDITION)
    call.store.delete(TABLE, rec["ProjectId"])
    return no_content()


HANDLERS = {
    "defaultProjectEntity": defaultProjectEntity,
    "getProjectEntity": getProjectEntity,
    "postProjectEntity": postProjectEntity,
    "putProjectEntity": putProjectEntity,
    "patchProjectEntity": patchProjectEntity,
    "deleteProjectEntity": deleteProjectEntity,
}
