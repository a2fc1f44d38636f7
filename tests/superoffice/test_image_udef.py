"""The project image (Image / Imageinfo) and the UdefLayout / CustomField family (Swagger; reference pages, E6)."""

from __future__ import annotations

import httpx

from .conftest import BASIC, ONSITE, assert_error

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
GIF = b"GIF89a" + b"\x01" * 10


def test_getImage_none_404_or_clear_pixel(client: httpx.Client) -> None:
    assert_error(
        client.get(f"{ONSITE}/414/Image", headers=BASIC), 404, "SoNotFoundException", "No image on this project"
    )
    r = client.get(f"{ONSITE}/414/Image?ifBlank=ClearPixel", headers=BASIC)
    assert r.status_code == 200 and r.headers["content-type"] == "image/gif" and r.content.startswith(b"GIF89a")


def test_saveImage_stores_and_returns_bytes(client: httpx.Client) -> None:
    r = client.put(f"{ONSITE}/414/Image", headers={**BASIC, "Content-Type": "image/png"}, content=PNG)
    assert r.status_code == 200
    blob_id = r.json()
    assert isinstance(blob_id, int) and blob_id > 0
    got = client.get(f"{ONSITE}/414/Image", headers={**BASIC, "Accept": "image/png"})
    assert got.status_code == 200 and got.content == PNG and got.headers["content-type"] == "image/png"
    assert client.get(f"{ONSITE}/414", headers=BASIC).json()["HasImage"] is True
    info = client.get(f"{ONSITE}/414/Imageinfo", headers=BASIC).json()
    assert (info["BlobId"], info["BlobSize"], info["MimeType"]) == (blob_id, len(PNG), "image/png")
    assert info["CreatedBy"]["AssociateId"] == 5


def test_saveImage_POST_multipart(client: httpx.Client) -> None:
    r = client.post(f"{ONSITE}/421/Image", headers=BASIC, files={"image": ("logo.gif", GIF, "image/gif")})
    assert r.status_code == 200, r.text
    got = client.get(f"{ONSITE}/421/Image", headers=BASIC)
    assert got.content == GIF and got.headers["content-type"] == "image/gif"


def test_saveImage_empty_body_400(client: httpx.Client) -> None:
    r = client.put(f"{ONSITE}/414/Image", headers={**BASIC, "Content-Type": "image/png"}, content=b"")
    assert_error(r, 400, "ArgumentException", "Image bitmap is missing from body.")


def test_saveImage_wrong_content_type_415(client: httpx.Client) -> None:
    r = client.put(f"{ONSITE}/414/Image", headers={**BASIC, "Content-Type": "text/plain"}, content=b"hello")
    assert_error(r, 415, "UnsupportedMediaTypeException")


def test_deleteImageContent_clears_image(client: httpx.Client) -> None:
    client.put(f"{ONSITE}/414/Image", headers={**BASIC, "Content-Type": "image/png"}, content=PNG)
    assert client.delete(f"{ONSITE}/414/Image", headers=BASIC).status_code == 204
    assert client.get(f"{ONSITE}/414/Image", headers=BASIC).status_code == 404
    assert client.get(f"{ONSITE}/414", headers=BASIC).json()["HasImage"] is False


def test_putImageInfo_updates_description(client: httpx.Client) -> None:
    client.put(f"{ONSITE}/414/Image", headers={**BASIC, "Content-Type": "image/png"}, content=PNG)
    r = client.put(
        f"{ONSITE}/414/ImageInfo?projectId=414", headers=BASIC, json={"Description": "Logo", "ExtraInfo": "v2"}
    )
    assert r.status_code == 200 and (r.json()["Description"], r.json()["ExtraInfo"]) == ("Logo", "v2")
    assert client.get(f"{ONSITE}/414", headers=BASIC).json()["ImageDescription"] == "Logo"
    assert_error(
        client.put(f"{ONSITE}/414/ImageInfo", headers=BASIC, json={}),
        400,
        "ArgumentException",
        "Entity to save is not in request body",
    )
    assert_error(
        client.put(f"{ONSITE}/abc/ImageInfo", headers=BASIC, json={"Description": "x"}), 404, "SoNotFoundException"
    )


def test_getImageInfo_without_image_blob_id_0(client: httpx.Client) -> None:
    info = client.get(f"{ONSITE}/421/Imageinfo", headers=BASIC).json()
    assert info["BlobId"] == 0 and info["BlobSize"] == 0 and info["Description"] == "Balanced object-oriented challenge"


def test_udef_layout_working_publish_revert(client: httpx.Client) -> None:
    base = f"{ONSITE}/UdefLayout"
    assert [f["ProgId"] for f in client.get(base, headers=BASIC).json()] == ["SuperOffice:1", "SuperOffice:2"]
    assert client.get(f"{base}/Changed", headers=BASIC).json() is False
    new = client.post(f"{base}?udefFieldType=Date", headers=BASIC).json()
    assert new["FieldType"] == "Date" and new["HasBeenPublished"] is False
    assert new["ProgId"] == f"SuperOffice:{new['UDefFieldId']}"
    assert client.get(f"{base}/Changed", headers=BASIC).json() is True
    assert len(client.get(f"{base}/Published", headers=BASIC).json()) == 2
    assert client.post(f"{base}/Revert", headers=BASIC).status_code == 204
    assert len(client.get(base, headers=BASIC).json()) == 2
    client.post(f"{base}?udefFieldType=Checkbox", headers=BASIC)
    assert client.get(f"{base}/Publish", headers=BASIC).json() is False
    version = client.post(f"{base}/Publish", headers=BASIC).json()
    assert version == 1
    published = client.get(f"{base}/Published", headers=BASIC).json()
    assert [f["FieldType"] for f in published] == ["ShortText", "LongText", "Checkbox"]
    assert all(f["HasBeenPublished"] for f in published)


def test_udef_field_by_progid_or_label_change_delete(client: httpx.Client) -> None:
    base = f"{ONSITE}/UdefLayout"
    assert client.get(f"{base}/projectlongtext", headers=BASIC).json()["ProgId"] == "SuperOffice:2"
    assert client.get(f"{base}/Published/SUPEROFFICE:1", headers=BASIC).json()["FieldLabel"] == "projectshorttext"
    changed = client.post(f"{base}/SuperOffice:1/ChangeTo/Number?isIndexed=true", headers=BASIC).json()
    assert changed["FieldType"] == "Number" and changed["IsIndexed"] is True
    assert client.get(f"{base}/Published/SuperOffice:1", headers=BASIC).json()["FieldType"] == "ShortText"
    assert client.delete(f"{base}/SuperOffice:2", headers=BASIC).status_code == 204
    assert_error(
        client.get(f"{base}/SuperOffice:2", headers=BASIC),
        404,
        "SoNotFoundException",
        "User-defined field 'SuperOffice:2' not found",
    )
    assert_error(client.delete(f"{base}/nope", headers=BASIC), 404, "SoNotFoundException")


def test_saveUdefLayout_updates_and_adds(client: httpx.Client) -> None:
    r = client.put(
        f"{ONSITE}/UdefLayout",
        headers=BASIC,
        json=[{"UDefFieldId": 1, "FieldLabel": "Short text"}, {"FieldLabel": "Brand new", "FieldType": "list"}],
    )
    assert r.status_code == 200
    body = r.json()
    assert [(f["FieldLabel"], f["FieldType"]) for f in body] == [("Short text", "ShortText"), ("Brand new", "List")]
    assert_error(
        client.put(f"{ONSITE}/UdefLayout", headers=BASIC, json=[{"FieldType": "Hologram"}]),
        400,
        "JsonSerializationException",
        "Requested value 'Hologram' was not found.",
    )


def test_addUdefField_bad_type_400(client: httpx.Client) -> None:
    r = client.post(f"{ONSITE}/UdefLayout?udefFieldType=Hologram", headers=BASIC)
    assert_error(r, 400, "ArgumentException", "The value 'Hologram' is not valid for udefFieldType.")


def test_customField_list_and_one(client: httpx.Client) -> None:
    fields = client.get(f"{ONSITE}/CustomField", headers=BASIC).json()
    assert [f["FieldName"] for f in fields] == ["SuperOffice:1", "SuperOffice:2"]
    assert client.get(f"{ONSITE}/CustomField/superoffice:2", headers=BASIC).json()["FieldType"] == "LongText"
    assert_error(
        client.get(f"{ONSITE}/CustomField/x_nope", headers=BASIC),
        404,
        "SoNotFoundException",
        "Custom field 'x_nope' not found",
    )


def test_udef_columns_join_the_archive(client: httpx.Client) -> None:
    r = client.get(
        ONSITE, params={"$select": "projectUdef/SuperOffice:2", "$filter": "projectId eq 414"}, headers=BASIC
    )
    assert r.json()["value"][0]["projectUdef/SuperOffice:2"] == "Dena Mueller"


def test_getUdefLayout_xml_items_named_after_their_carrier(client: httpx.Client) -> None:
    r = client.get(f"{ONSITE}/UdefLayout", headers={**BASIC, "Accept": "application/xml"})
    assert r.status_code == 200
    assert r.text.startswith('<?xml version="1.0" encoding="utf-8"?><ArrayOfUserDefinedFieldInfo')
    assert r.text.count("<UserDefinedFieldInfo>") == 2
