"""Documents: createDocument (multipart file_contents), getDocument, setDocument, removeDocument (soft),
searchExternalData, listDocument (group tree), getFile (the stored bytes), setExternalReference."""

from __future__ import annotations

import base64
import mimetypes
from typing import Any

from emulators.core.call import Call, Reply
from emulators.core.filenames import content_disposition, safe_filename
from emulators.core.spec import Handler

from ..errors import bad, not_found
from ..models import get_project, get_record, new_id, now
from ..pdf import small_pdf
from ..phases import resolve_phase

DATE_FIELDS = ("issueDate", "receiveDate", "sentDate")
TEXT_FIELDS = ("specPage", "author", "kind", "statusText", "versionText", "externalData")


def brief(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(doc["id"]),
        "name": doc["name"],
        "extension": doc.get("extension", ""),
        "size": str(doc.get("size", "0")),
        "ctime": str(doc.get("ctime", "0")),
        "deleted": str(doc.get("deleted", "0")),
        "externalData": doc.get("externalData", ""),
    }


def listed(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(doc["id"]),
        "deleted": str(doc.get("deleted", "0")),
        "extension": doc.get("extension", ""),
        "name": doc["name"],
        "order": int(doc.get("order", 0)),
        "versioningGroup": f"~~~{doc['id']}",
        "size": str(doc.get("size", "0")),
        "ctime": str(doc.get("ctime", "0")),
        "externalData": doc.get("externalData", ""),
        "type": doc.get("type", "project"),
        "fileUrl": f"file/{doc.get('type', 'project')}/{doc['id']}",
    }


def full(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(doc["id"]),
        "type": doc.get("type", "project"),
        "deleted": str(doc.get("deleted")) == "1",
        "author": doc.get("author", ""),
        "color": bool(doc.get("color", False)),
        "contribute": int(doc.get("contribute", 0)),
        "extension": doc.get("extension", ""),
        "issueDate": int(doc.get("issueDate", 0)),
        "kind": doc.get("kind", ""),
        "name": doc["name"],
        "receiveDate": int(doc.get("receiveDate", 0)),
        "specPage": doc.get("specPage", ""),
        "statusText": doc.get("statusText", ""),
        "versionText": doc.get("versionText", ""),
        "size": str(doc.get("size", "0")),
        "duplex": bool(doc.get("duplex", True)),
        "ctime": str(doc.get("ctime", "0")),
        "sentDate": int(doc.get("sentDate", 0)),
        "externalData": doc.get("externalData", ""),
        "uploadedViaApi": bool(doc.get("uploadedViaApi", False)),
        "fileUrl": f"file/{doc.get('type', 'project')}/{doc['id']}",
    }


def split_name(filename: str) -> tuple[str, str]:
    base = filename.replace("\\", "/").rsplit("/", 1)[-1] or "document"
    if "." in base.strip(".") and not base.startswith("."):
        name, ext = base.rsplit(".", 1)
        return name, ext.lower()
    return base, ""


def ensure_path(call: Call, project_id: int, path: str) -> int | None:
    """'/folderA/folderAa/' -> the id of the nested document group, created where missing."""
    parts = [p.strip() for p in path.replace("\\", "/").split("/") if p.strip()]
    groups = call.store.table("documentGroups")
    parent: int | None = None
    for part in parts:
        found = next(
            (
                g
                for g in groups.values()
                if g.get("projectId") == project_id and g.get("parentId") == parent and g.get("name") == part
            ),
            None,
        )
        if found is None:
            gid = new_id(call, "documentGroups")
            siblings = [g for g in groups.values() if g.get("projectId") == project_id and g.get("parentId") == parent]
            found = {
                "id": gid,
                "projectId": project_id,
                "name": part,
                "parentId": parent,
                "order": max((int(g.get("order", 0)) for g in siblings), default=0) + (1 if siblings else 0),
                "workCategoryIds": [],
            }
            groups[str(gid)] = found
        parent = int(found["id"])
    return parent


def store_document(
    call: Call,
    project: dict[str, Any],
    filename: str,
    data: bytes,
    content_type: str,
    phase_id: int,
    group_id: int | None,
) -> dict[str, Any]:
    did = new_id(call, "documents")
    name, ext = split_name(safe_filename(filename))  # no CR/LF or control characters reach the store
    doc: dict[str, Any] = {
        "id": did,
        "projectId": project["id"],
        "phaseId": phase_id,
        "type": "project",
        "name": name,
        "extension": ext,
        "size": str(len(data)),
        "ctime": str(now(call)),
        "deleted": "0",
        "externalData": "",
        "order": 0,
        "groupIds": [group_id] if group_id is not None else [],
        "author": "",
        "kind": "",
        "issueDate": 0,
        "receiveDate": 0,
        "sentDate": 0,
        "specPage": "",
        "statusText": "",
        "versionText": "",
        "color": False,
        "contribute": 0,
        "duplex": True,
        "uploadedViaApi": True,
        "path": "",
        "references": [],
    }
    call.store.table("documents")[str(did)] = doc
    call.store.table("files")[str(did)] = {
        "content_type": content_type or _guess(ext),
        "data": base64.b64encode(data).decode("ascii"),
    }
    return doc


def _guess(ext: str) -> str:
    return mimetypes.types_map.get("." + ext.lower(), "application/octet-stream") if ext else "application/octet-stream"


def _apply(call: Call, doc: dict[str, Any]) -> None:
    for name in DATE_FIELDS:
        value = call.param_int(name)
        if value is not None:
            doc[name] = value
    for name in TEXT_FIELDS:
        value = call.param(name)
        if value is not None:
            doc[name] = str(value)


def createDocument(call: Call) -> Reply:
    """createDocument — multipart `file_contents`; `path` files it into (new) nested document groups."""
    project = get_project(call, call.path_params.get("projectId"))
    upload = call.files.get("file_contents")
    if upload is None:
        raise bad("file_contents", "Parameter 'file_contents' is required", location="file")
    phase_id = resolve_phase(call, project, "phase", "phaseId")
    path = call.param("path")
    group_id = ensure_path(call, project["id"], str(path)) if path else None
    doc = store_document(
        call, project, upload.filename or "document", upload.data, upload.content_type, phase_id, group_id
    )
    doc["path"] = str(path or "")
    _apply(call, doc)
    return Reply(body={"id": str(doc["id"]), "name": doc["name"], "externalData": doc["externalData"]})


def _document(call: Call, name: str) -> dict[str, Any]:
    doc = get_record(call, "documents", call.path_params.get(name), "Document")
    get_project(call, doc["projectId"])  # hidden project -> 404 as well
    return doc


def getDocument(call: Call) -> Reply:
    """getDocument — full metadata; deleted is a boolean here (seed)."""
    return Reply(body=full(_document(call, "id")))


def removeDocument(call: Call) -> Reply:
    """removeDocument — soft delete: the document stays listed with deleted "1"."""
    doc = _document(call, "id")
    doc["deleted"] = "1"
    body = brief(doc)
    body.pop("externalData")
    return Reply(body=body)


def setDocument(call: Call) -> Reply:
    """setDocument — rename / re-date / re-describe."""
    doc = _document(call, "id")
    name = call.param("name")
    if name is not None:
        if not str(name).strip():
            raise bad("name", "Parameter 'name' may not be empty")
        doc["name"] = str(name)
    _apply(call, doc)
    return Reply(body=brief(doc))


def searchExternalData(call: Call) -> Reply:
    """searchExternalData — documents of the project whose externalData equals the value."""
    project = get_project(call, call.path_params.get("projectId"))
    wanted = str(call.param("externalData", ""))
    docs = [
        d
        for d in call.store.values("documents")
        if d.get("projectId") == project["id"] and d.get("externalData", "") == wanted
    ]
    return Reply(body=[brief(d) for d in sorted(docs, key=lambda d: int(d["id"]))])


def _tree(groups: list[dict[str, Any]], docs: list[dict[str, Any]], parent: int | None) -> list[dict[str, Any]]:
    out = []
    children_of = [g for g in groups if g.get("parentId") == parent]
    for g in sorted(children_of, key=lambda g: (int(g.get("order", 0)), g["id"])):
        entry: dict[str, Any] = {
            "id": g["id"],
            "name": g["name"],
            "type": "project",
            "documents": [listed(d) for d in docs if g["id"] in (d.get("groupIds") or [])],
        }
        children = _tree(groups, docs, g["id"])
        if children:
            entry["documentGroups"] = children
        out.append(entry)
    return out


def listDocument(call: Call) -> Reply:
    """listDocument — the project's document-group tree with its documents (deleted ones included, marked).
    Assumption: documents in no group come first in an entry with id 0 and an empty name."""
    project = get_project(call, call.path_params.get("projectId"))
    docs = sorted(
        (d for d in call.store.values("documents") if d.get("projectId") == project["id"]),
        key=lambda d: (int(d.get("order", 0)), int(d["id"])),
    )
    if call.param("phaseId") not in (None, "") or call.param("phaseName") not in (None, ""):
        pid = resolve_phase(call, project, "phaseName", "phaseId")
        docs = [d for d in docs if d.get("phaseId") == pid]
    groups = [g for g in call.store.values("documentGroups") if g.get("projectId") == project["id"]]
    body = _tree(groups, docs, None)
    loose = [listed(d) for d in docs if not d.get("groupIds")]
    if loose:
        body.insert(0, {"id": 0, "name": "", "type": "project", "documents": loose})
    return Reply(body=body)


def _message_attachment(call: Call, kind: str, ident: str) -> dict[str, Any] | None:
    for inv in call.store.values("invitations"):
        for msg in inv.get("messages") or []:
            for att in [*(msg.get("attachments") or []), *(msg.get("workComponentAttachments") or [])]:
                if att.get("type") == kind and str(att.get("id")) == ident:
                    found: dict[str, Any] = att
                    return found
    return None


def getFile(call: Call) -> Reply:
    """getFile — the uploaded bytes, byte for byte (fixture documents: a small placeholder PDF). Types
    attachment / messageGroup / common: the attachments named in messages, as placeholder PDFs (assumption)."""
    kind, ident = str(call.path_params.get("documentType")), str(call.path_params.get("documentId"))
    if kind != "project":
        att = _message_attachment(call, kind, ident)
        if att is None:
            raise not_found("Document", ident)
        name = f"{att.get('name', 'document')}.{att.get('extension', 'pdf')}"
        return Reply(
            body=small_pdf(str(att.get("name", "")), [f"12Build emulator placeholder for {kind} {ident}"]),
            media_type="application/pdf",
            headers={"Content-Disposition": content_disposition(name)},
        )
    doc = get_record(call, "documents", call.path_params.get("documentId"), "Document")
    get_project(call, doc["projectId"])
    if call.path_params.get("documentType") != doc.get("type", "project") or str(doc.get("deleted")) == "1":
        raise not_found("Document", call.path_params.get("documentId"))
    stored = call.store.get("files", doc["id"])
    filename = f"{doc['name']}.{doc['extension']}" if doc.get("extension") else doc["name"]
    if stored is None:
        data = small_pdf(doc["name"], [f"12Build emulator placeholder for document {doc['id']}"])
        media = "application/pdf"
    else:
        data, media = base64.b64decode(stored["data"]), stored.get("content_type") or "application/octet-stream"
    return Reply(body=data, media_type=media, headers={"Content-Disposition": content_disposition(filename)})


def setExternalReference(call: Call) -> Reply:
    """setExternalReference — one reference per type on the document (a new one replaces the old)."""
    doc = _document(call, "documentId")
    ref = {"type": str(call.param("type", "")), "referenceId": str(call.param("referenceId", ""))}
    refs = [r for r in doc.get("references", []) if r.get("type") != ref["type"]]
    doc["references"] = [*refs, ref]
    return Reply(body={"document": {"id": doc["id"], "name": doc["name"]}, "reference": ref})


HANDLERS: dict[str, Handler] = {
    "createDocument": createDocument,
    "getDocument": getDocument,
    "removeDocument": removeDocument,
    "setDocument": setDocument,
    "searchExternalData": searchExternalData,
    "listDocument": listDocument,
    "getFile": getFile,
    "setExternalReference": setExternalReference,
}
