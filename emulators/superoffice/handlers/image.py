"""The project image: GET/PUT/POST/DELETE /Project/{projectId}/Image and the blob info at /Imageinfo
(Swagger; v1ProjectEntity_GetImage.md and siblings, E6). The bytes are kept base64-encoded in the tenant store
(table `images`, so GET /__emulator/state can dump them); HasImage follows the stored image."""

from __future__ import annotations

import base64
from typing import Any

from emulators.core.call import Call, Reply, no_content
from emulators.core.errors import EmulatorError

from ..dates import EMPTY_DATE, now_so
from ..errors import NO_ENTITY, SERVICES, bad_request
from ..fields import ASSOCIATE, FULL_RIGHT
from ..models import associate, lower_keys, next_seq, to_str
from ..render import carrier
from .archive import TABLE, load_project
from .entity import associate_id

IMAGES = "images"
MISSING = "Image bitmap is missing from body."  # Swagger 400 description
# a 1x1 transparent GIF for ifBlank=ClearPixel (and the other non-Null ifBlank values: assumption)
CLEAR_PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
SIGNATURES = (
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


def _sniff(data: bytes, declared: str | None) -> str:
    for magic, mime in SIGNATURES:
        if data.startswith(magic):
            return mime
    return declared if declared and declared.startswith("image/") else "application/octet-stream"


def getImage(call: Call) -> Reply:
    """GET /Project/{projectId}/Image: the stored bytes as stored; w/h/type are accepted, no scaling or conversion
    (not emulated). No image: 404, or a clear pixel when ifBlank is given and not Null."""
    rec = load_project(call, "projectId")
    img = call.store.table(IMAGES).get(str(rec["ProjectId"]))
    if img is None:
        blank = str(call.query.get("ifBlank") or "Null")
        if blank.lower() == "null":
            raise EmulatorError("No image on this project", status=404, code="SoNotFoundException", source=SERVICES)
        return Reply(body=CLEAR_PIXEL, media_type="image/gif")
    return Reply(body=base64.b64decode(img["data"]), media_type=img["MimeType"])


def _image_bytes(call: Call) -> tuple[bytes, str | None]:
    if call.files:
        upload = next(iter(call.files.values()))
        return upload.data, upload.content_type
    raw = call.body if isinstance(call.body, bytes | bytearray) else call.raw_body
    return bytes(raw or b""), call.media_type


def saveImage(call: Call) -> Reply:
    """PUT /Project/{projectId}/Image (image/png, jpeg, gif, tiff or multipart/form-data): stores the image and
    answers its blob id; 400 "Image bitmap is missing from body." for an empty body; 404 unknown project."""
    rec = load_project(call, "projectId")
    data, declared = _image_bytes(call)
    if not data:
        raise bad_request(MISSING)
    images = call.store.table(IMAGES)
    key = str(rec["ProjectId"])
    now, _ = now_so(call.clock.now())
    old = images.get(key)
    blob_id = int(old["BlobId"]) if old else next_seq(call.store, "BlobId")
    images[key] = {
        "BlobId": blob_id,
        "MimeType": _sniff(data, declared),
        "data": base64.b64encode(data).decode(),
        "CreatedDate": old["CreatedDate"] if old else now,
        "UpdatedDate": now,
        "AssociateId": associate_id(call),
        "ExtraInfo": old.get("ExtraInfo", "") if old else "",
    }
    _set_has_image(call, rec, True)
    return Reply(body=blob_id, xml_root="int")


def saveImage_POST(call: Call) -> Reply:
    """POST /Project/{projectId}/Image: as PUT."""
    return saveImage(call)


def deleteImageContent(call: Call) -> Reply:
    """DELETE /Project/{projectId}/Image: removes the image (204 also when there was none); 404 unknown project."""
    rec = load_project(call, "projectId")
    call.store.table(IMAGES).pop(str(rec["ProjectId"]), None)
    _set_has_image(call, rec, False)
    return no_content()


def _set_has_image(call: Call, rec: dict[str, Any], flag: bool) -> None:
    if bool(rec.get("HasImage")) != flag:  # the image is not an entity update: Last-Modified stays
        call.store.put(
            TABLE, rec["ProjectId"], dict(rec, HasImage=flag), when=call.store.modified(TABLE, rec["ProjectId"])
        )


def _blob(call: Call, rec: dict[str, Any]) -> dict[str, Any]:
    img = call.store.table(IMAGES).get(str(rec["ProjectId"]))
    who = associate(call.store, int(img["AssociateId"])) if img else None
    size = len(base64.b64decode(img["data"])) if img else 0
    by = carrier(who, ASSOCIATE, FULL_RIGHT, {}) if who else None
    return {
        "BlobId": img["BlobId"] if img else 0,
        "BlobSize": size,
        "Description": rec.get("ImageDescription", ""),
        "ExtraInfo": img.get("ExtraInfo", "") if img else "",
        "IsEncrypted": False,
        "IsZipped": False,
        "MimeType": img["MimeType"] if img else "",
        "OriginalSize": size,
        "CreatedDate": img["CreatedDate"] if img else EMPTY_DATE,
        "UpdatedDate": img["UpdatedDate"] if img else EMPTY_DATE,
        "CreatedBy": by,
        "UpdatedBy": by,
        "ConceptualType": "image" if img else "",
        "TableRight": dict(FULL_RIGHT),
        "FieldProperties": {},
    }


def getImageInfo(call: Call) -> Reply:
    """GET /Project/{id}/Imageinfo: the image's BlobEntity (BlobId 0 when there is no image: assumption)."""
    return Reply(body=_blob(call, load_project(call, "id")), xml_root="BlobEntity")


def putImageInfo(call: Call) -> Reply:
    """PUT /Project/{id}/ImageInfo?projectId=: updates Description (the project's ImageDescription) and ExtraInfo
    of the image blob; 400 when there is no body. The project is `projectId` when given, else {id}."""
    body = call.body
    if not isinstance(body, dict) or not body:
        raise bad_request(NO_ENTITY)
    pid = call.query.get("projectId")
    if pid is None:
        pid = call.path_params["id"]
    call.path_params["_image_project"] = pid
    rec = load_project(call, "_image_project")
    low = lower_keys(body)
    if "description" in low:
        rec = dict(rec, ImageDescription=to_str(low["description"], "Description")[:254])
        call.store.put(TABLE, rec["ProjectId"], rec, when=call.store.modified(TABLE, rec["ProjectId"]))
    img = call.store.table(IMAGES).get(str(rec["ProjectId"]))
    if img is not None and "extrainfo" in low:
        call.store.table(IMAGES)[str(rec["ProjectId"])] = dict(img, ExtraInfo=to_str(low["extrainfo"], "ExtraInfo"))
    return Reply(body=_blob(call, rec), xml_root="BlobEntity")


HANDLERS = {
    "getImage": getImage,
    "saveImage": saveImage,
    "saveImage_POST": saveImage_POST,
    "deleteImageContent": deleteImageContent,
    "getImageInfo": getImageInfo,
    "putImageInfo": putImageInfo,
}
