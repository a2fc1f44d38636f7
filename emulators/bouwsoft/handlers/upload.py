"""PUT or POST /Projects/{id}/Upload?folder=NAME: a multipart file kept in memory with the project.

PUT is the seed's form (seed 000); POST is listed on the vendor's POST Projects page (vendor-facts E2,
A2.5) and behaves the same.

Answer 201 with the seed's metadata shape; checksum = base64(SHA-256(bytes)). The seed prints
path_display, path_lower, id and rev as "" -- kept so (documented example).
"""

from __future__ import annotations

import base64
import hashlib
import re

from emulators.core.call import Call, Reply
from emulators.core.errors import BadRequest
from emulators.core.filenames import printable
from emulators.core.http import UploadedFile

from .projects import load_project

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # assumption: the vendor's limit is not documented
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")
UPLOAD_TIME = "%Y-%m-%dT%H:%M:%SZ"  # seed: "2026-05-07T09:18:28Z"


def _check_name(kind: str, name: str, *, allow_empty: bool = False) -> None:
    if name == "" and allow_empty:
        return
    if not name.strip() or _BAD_NAME.search(name) or ".." in name or name.strip() in (".",):
        raise BadRequest(f"Invalid {kind} name '{printable(name)}'")


def _the_file(call: Call) -> UploadedFile:
    f = call.files.get("file") or next(iter(call.files.values()), None)
    if f is None:
        raise BadRequest("No file was sent (multipart/form-data field 'file')")
    return f


def uploadProjectFile(call: Call) -> Reply:
    """PUT /api/v1/Projects/{id}/Upload -- 201 RecordChanges with the file's metadata."""
    key, _ = load_project(call)
    upload = _the_file(call)
    folder = str(call.query.get("folder", ""))
    _check_name("folder", folder, allow_empty=True)
    _check_name("file", upload.filename)
    stamp = call.clock.now().strftime(UPLOAD_TIME)
    checksum = base64.b64encode(hashlib.sha256(upload.data).digest()).decode("ascii")
    meta = {
        "name": upload.filename,
        "path_display": "",
        "path_lower": "",
        "id": "",
        "client_modified": stamp,
        "server_modified": stamp,
        "rev": "",
        "size": len(upload.data),
        "is_downloadable": True,
        "checksum": checksum,
    }
    call.store.put(
        "files",
        f"{key}/{folder}/{upload.filename}",
        {
            **meta,
            "project_id": int(key),
            "folder": folder,
            "content_type": upload.content_type,
            "data": base64.b64encode(upload.data).decode("ascii"),
        },
    )
    return Reply(status=201, body={"RecordChanges": [meta]})


def uploadProjectFileByPost(call: Call) -> Reply:
    """POST /api/v1/Projects/{id}/Upload -- the same upload as the PUT form (vendor-facts E2): 201 RecordChanges."""
    return uploadProjectFile(call)
