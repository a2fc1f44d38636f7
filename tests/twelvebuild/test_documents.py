"""Documents and document groups: upload, download byte for byte, list tree, soft delete, grouping, links."""

from __future__ import annotations

import base64

from .helpers import TB, error_of

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _upload(
    tb: TB, name: str = "tekening.png", data: bytes = PNG, project: str = "1234567", **params: str
) -> dict[str, str]:
    r = tb.post(f"/project/{project}", params, files={"file_contents": (name, data, "image/png")})
    assert r.status_code == 200, r.text
    body: dict[str, str] = r.json()
    return body


def test_createDocument_file_downloads_byte_for_byte() -> None:
    tb = TB()
    doc = _upload(tb)
    assert doc["name"] == "tekening"
    r = tb.get(f"/file/project/{doc['id']}")
    assert r.content == PNG
    assert r.headers["content-type"] == "image/png"
    assert 'filename="tekening.png"' in r.headers["content-disposition"]


def test_createDocument_metadata_in_getDocument() -> None:
    tb = TB()
    tb.client.post("/__emulator/clock", json={"set": "2026-01-02T03:04:05Z"})
    doc = _upload(tb, issueDate="1700000000", author="Jan", versionText="2f", externalData="EXT-1")
    body = tb.get(f"/document/{doc['id']}").json()
    assert body["size"] == str(len(PNG)) and body["extension"] == "png"
    assert body["ctime"] == "1767323045"
    assert (body["issueDate"], body["author"], body["versionText"]) == (1700000000, "Jan", "2f")
    assert body["uploadedViaApi"] is True and body["deleted"] is False
    assert body["fileUrl"] == f"file/project/{doc['id']}"
    assert doc["externalData"] == "EXT-1"


def test_createDocument_params_in_multipart_fields() -> None:
    tb = TB()
    r = tb.post(
        "/project/1234567", data={"externalData": "FORM-7"}, files={"file_contents": ("a.txt", b"hello", "text/plain")}
    )
    assert r.json()["externalData"] == "FORM-7"
    found = tb.get("/project/1234567/document/searchExternalData", {"externalData": "FORM-7"}).json()
    assert [d["id"] for d in found] == [r.json()["id"]]


def test_createDocument_without_file_is_400() -> None:
    r = TB().post("/project/1234567", {"externalData": "x"})
    err = error_of(r, 400, "InvalidParameter", "file_contents")
    assert err["message"] == "Parameter 'file_contents' is required"


def test_createDocument_path_creates_nested_groups() -> None:
    tb = TB()
    doc = _upload(tb, path="/folderA/folderAa/")
    groups = {g["name"]: g for g in tb.get("/project/1234567/document/group").json()}
    assert {"folderA", "folderAa"} <= set(groups)
    tree = tb.get("/project/1234567/document/list").json()
    folder_a = next(e for e in tree if e["name"] == "folderA")
    assert folder_a["documents"] == []
    assert folder_a["documentGroups"][0]["name"] == "folderAa"
    assert [d["id"] for d in folder_a["documentGroups"][0]["documents"]] == [doc["id"]]
    _upload(tb, name="b.png", path="/folderA/folderAa")
    assert len(tb.get("/project/1234567/document/group").json()) == len(groups)


def test_listDocument_unfiled_documents_come_first() -> None:
    tb = TB()
    doc = _upload(tb)
    first = tb.get("/project/1234567/document/list").json()[0]
    assert (first["id"], first["name"]) == (0, "")
    assert first["documents"][0]["id"] == doc["id"]
    assert first["documents"][0]["versioningGroup"] == f"~~~{doc['id']}"


def test_listDocument_filters_by_phase() -> None:
    tb = TB()
    doc = _upload(tb, phase="Inkoop")
    ids = [
        d["id"]
        for e in tb.get("/project/1234567/document/list", {"phaseName": "Inkoop"}).json()
        for d in e["documents"]
    ]
    assert ids == [doc["id"]]
    ids = [
        d["id"] for e in tb.get("/project/1234567/document/list", {"phaseId": "123456"}).json() for d in e["documents"]
    ]
    assert doc["id"] not in ids and "6448805" in ids


def test_setDocument_renames_and_redates() -> None:
    tb = TB()
    r = tb.put("/document/6448805", {"name": "handleiding", "sentDate": "1600000000", "externalData": "K2"})
    assert r.json()["name"] == "handleiding"
    body = tb.get("/document/6448805").json()
    assert (body["name"], body["sentDate"], body["externalData"]) == ("handleiding", 1600000000, "K2")
    assert tb.get("/project/1234567/document/searchExternalData", {"externalData": "KEY_990099"}).json() == []


def test_setDocument_bad_date_is_400() -> None:
    error_of(TB().put("/document/6448805", {"receiveDate": "yesterday"}), 400, "InvalidParameter", "receiveDate")


def test_removeDocument_is_a_soft_delete() -> None:
    tb = TB()
    assert tb.delete("/document/6448805").json()["deleted"] == "1"
    assert tb.get("/document/6448805").json()["deleted"] is True
    listed = tb.get("/project/1234567/document/list").json()[0]["documents"][0]
    assert listed["deleted"] == "1"
    error_of(tb.get("/file/project/6448805"), 404, "NotFound")


def test_getFile_wrong_document_type_is_404() -> None:
    error_of(TB().get("/file/attachment/6448805"), 404, "NotFound")


def test_getFile_message_attachment_is_a_pdf() -> None:
    tb = TB()
    r = tb.get("/file/messageGroup/1234568")
    assert r.headers["content-type"] == "application/pdf" and b"documentname2" in r.content
    assert 'filename="documentname2.pdf"' in r.headers["content-disposition"]
    assert tb.get("/file/attachment/1234567").status_code == 200
    error_of(tb.get("/file/common/1234567"), 404, "NotFound")


def test_getFile_fixture_document_is_a_pdf() -> None:
    r = TB().get("/file/project/6448805")
    assert r.content.startswith(b"%PDF-1.4") and b"gebruikershandleiding-ha-2" in r.content


def test_setExternalReference_replaces_the_same_type() -> None:
    tb = TB()
    tb.put("/document/6448805/externalreference", {"type": "erp", "referenceId": "A"})
    body = tb.put("/document/6448805/externalreference", {"type": "erp", "referenceId": "B"}).json()
    assert body == {
        "document": {"id": 6448805, "name": "gebruikershandleiding-ha-2"},
        "reference": {"type": "erp", "referenceId": "B"},
    }


def test_createDocumentGroup_nests_under_parentId() -> None:
    tb = TB()
    child = tb.post("/project/1234567/document/group", {"name": "sub2", "parentId": "6350571"}).json()[0]
    assert child["order"] == 1  # after sub1 (order 0)
    hgf = tb.get("/project/1234567/document/list").json()[0]
    assert [g["name"] for g in hgf["documentGroups"]] == ["sub1", "sub2"]


def test_createDocumentGroup_unknown_parent_is_400() -> None:
    r = TB().post("/project/1234567/document/group", {"name": "x", "parentId": "1234567"})
    assert error_of(r, 400, "InvalidParameter", "parentId")["message"] == "Unknown parent document group 1234567"


def test_createDocumentGroup_blank_name_breaks_pattern() -> None:
    r = TB().post("/project/1234567/document/group", {"name": "   "})
    error_of(r, 400, "InvalidParameter", "name")


def test_updateDocumentGroup_cannot_move_below_itself() -> None:
    r = TB().put("/document/group/6350571", {"parentId": "6350590"})
    assert error_of(r, 400, "InvalidParameter", "parentId")["message"] == (
        "A document group cannot be moved below itself"
    )


def test_updateDocumentGroup_moves_to_top_level() -> None:
    tb = TB()
    tb.put("/document/group/6350590", {"parentId": "6350571", "order": "5", "name": "sub-een"})
    assert tb.get("/document/group/6350590").json() == [
        {"id": 6350590, "projectId": 1234567, "name": "sub-een", "order": 5}
    ]


def test_deleteDocumentGroup_removes_subgroups_and_unfiles_documents() -> None:
    tb = TB()
    assert tb.delete("/document/group/6350571").status_code == 200
    error_of(tb.get("/document/group/6350590"), 404, "NotFound")
    tree = tb.get("/project/1234567/document/list").json()
    assert [(e["id"], [d["id"] for d in e["documents"]]) for e in tree] == [(0, ["6448805"])]


def test_addDocumentToDocumentGroup_raw_upload_with_put() -> None:
    tb = TB()
    r = tb.put(
        "/documents/groups/6350590/123457/notities.txt", content=b"regel 1\n", headers={"Content-Type": "text/plain"}
    )
    doc_id = r.json()["documentId"]
    assert tb.get(f"/file/project/{doc_id}").content == b"regel 1\n"
    sub1 = tb.get("/project/1234567/document/list").json()[0]["documentGroups"][0]
    assert str(doc_id) in [d["id"] for d in sub1["documents"]]
    assert tb.get(f"/document/{doc_id}").json()["name"] == "notities"


def test_addDocumentToDocumentGroup_existing_document_by_file_name() -> None:
    tb = TB()
    group = tb.post("/project/1234567/document/group", {"name": "Bestek"}).json()[0]["id"]
    assert tb.post(f"/documents/groups/{group}/123456/gebruikershandleiding-ha-2.pdf").json() == {"documentId": 6448805}
    tree = {e["name"]: e for e in tb.get("/project/1234567/document/list").json()}
    assert [d["id"] for d in tree["Bestek"]["documents"]] == ["6448805"]


def test_addDocumentToDocumentGroup_unknown_file_is_404() -> None:
    r = TB().post("/documents/groups/6350590/123456/bestaat-niet.pdf")
    error_of(r, 404, "NotFound")


def test_addDocumentToDocumentGroup_foreign_phase_is_400() -> None:
    r = TB().post("/documents/groups/6350590/123466/gebruikershandleiding-ha-2.pdf")
    error_of(r, 400, "InvalidParameter", "phaseId")


def test_updateDocumentGroupWorkCategory_php_brackets_and_clearing() -> None:
    tb = TB()
    r = tb.put("/document/group/1234567/links?workCategoryIds[]=44&workCategoryIds[]=60")
    assert r.json() == {"data": {"workCategoryIds": [44, 60]}}
    assert tb.put("/document/group/1234567/links").json() == {"data": {"workCategoryIds": []}}
    assert tb.get("/document/group/1234567/links").json() == {"data": {"workCategoryIds": []}}


def test_updateDocumentGroupWorkCategory_foreign_work_category_is_400() -> None:
    r = TB().put("/document/group/1234567/links", {"workCategoryIds": "43,1234567"})
    err = error_of(r, 400, "InvalidParameter", "workCategoryIds")
    assert err["message"] == "Unknown work category 1234567 for this project"


def test_createDocument_form_body_without_file_is_400() -> None:
    r = TB().post("/project/1234567", data={"externalData": "x"})
    error_of(r, 400, "InvalidParameter", "file_contents")


def test_addDocumentToDocumentGroup_json_file_is_stored_raw() -> None:
    tb = TB()
    raw = b'{"not": "parsed"'
    doc_id = tb.post(
        "/documents/groups/6350590/123456/data.json", content=raw, headers={"Content-Type": "application/json"}
    ).json()["documentId"]
    assert tb.get(f"/file/project/{doc_id}").content == raw


def test_setDocument_json_body_is_ignored() -> None:
    tb = TB()
    r = tb.put("/document/6448805", content=b'{"name": "x"}', headers={"Content-Type": "application/json"})
    assert r.json()["name"] == "gebruikershandleiding-ha-2"
