"""Work components, invitations and the communication views over them."""

from __future__ import annotations

from .helpers import TB, error_of


def _invite(tb: TB, wc: int | str = 1234567, company: str = "1", phase: str = "123456", **extra: str) -> dict:
    r = tb.post("/invitation", {"workComponentId": str(wc), "phaseId": phase, "companyId": company, **extra})
    assert r.status_code == 200, r.text
    body: dict = r.json()
    return body


def _communication(tb: TB, project: str = "1234567", phase: str = "123456", **params: str) -> dict[int, list]:
    body = tb.get(f"/project/{project}/communication/{phase}/list", params).json()
    return {wc["id"]: wc["communication"] for wc in body}


def test_addWorkComponent_codes_come_from_stabu_chapters() -> None:
    tb = TB()
    wid = tb.post(
        "/work-component",
        {"projectId": "1234567", "name": "Metselwerk", "stabuChapterIds": "532", "externalData": "MG-9"},
    ).json()["workComponentId"]
    wc = next(w for w in tb.get("/project/1234567/communication/123456/list").json() if w["id"] == wid)
    assert wc == {
        "id": wid,
        "name": "Metselwerk",
        "externalData": "MG-9",
        "codeIds": [532],
        "codes": "22",
        "communication": [],
    }


def test_addWorkComponent_unknown_chapter_is_400() -> None:
    r = TB().post("/work-component", {"projectId": "1234567", "name": "X", "stabuChapterIds": "531,999"})
    assert error_of(r, 400, "InvalidParameter", "stabuChapterIds")["message"] == "Unknown stabu chapter 999"


def test_addWorkComponent_name_pattern_rejects_symbols() -> None:
    r = TB().post("/work-component", {"projectId": "1234567", "name": "Dak \u2602"})
    error_of(r, 400, "InvalidParameter", "name")


def test_updateWorkComponent_changes_name_and_chapters() -> None:
    tb = TB()
    tb.put("/work-component/1234567", {"name": "Beton", "stabuChapterIds[]": "531"})
    wc = tb.get("/project/1234567/communication/123456/list").json()[0]
    assert (wc["name"], wc["codeIds"], wc["codes"]) == ("Beton", [531], "21")


def test_deleteWorkComponent_drops_its_invitations() -> None:
    tb = TB()
    assert tb.delete("/work-component/1234567").json() == {}
    error_of(tb.get("/invitation/1122334"), 404, "NotFound")
    assert tb.get("/project/1234567/communication/123456/list").json() == []


def test_addInvitation_shows_in_listCommunication() -> None:
    tb = TB()
    inv = _invite(tb)
    assert inv["status"] == "unknown" and inv["specialistId"] == 1 and inv["phaseId"] == 123456
    entry = next(c for c in _communication(tb)[1234567] if c["id"] == inv["id"])
    assert entry["specialistId"] == "1" and entry["status"] == "unknown" and entry["statusChanges"] == []
    assert entry["specialist"]["name"] == "Specialist R Us"
    assert entry["specialist"]["phoneWithPrefix"] == "+31612341234"


def test_addInvitation_records_a_request_message() -> None:
    tb = TB()
    inv = _invite(tb)
    messages = tb.get(f"/project/1234567/communication/{inv['id']}").json()
    assert len(messages) == 1
    msg = messages[0]
    assert (msg["type"], msg["subject"], msg["companyName"]) == ("request", "Offerteaanvraag", "Specialist R Us")
    assert msg["sender"] == {"contactName": "Sender name", "email": "sender@12build.com"}
    assert msg["receivers"] == [{"contactName": "Specialist R Us", "email": "info@specialist-r-us.nl"}]


def test_addInvitation_unknown_status_is_400() -> None:
    r = TB().post(
        "/invitation", {"workComponentId": "1234567", "phaseId": "123456", "companyId": "1", "status": "maybe"}
    )
    error_of(r, 400, "InvalidParameter", "status")


def test_addInvitation_phase_of_another_product_is_400() -> None:
    r = TB().post("/invitation", {"workComponentId": "1234567", "phaseId": "123466", "companyId": "1"})
    assert error_of(r, 400, "InvalidParameter", "phaseId")["message"] == "Unknown phaseId 123466 for this project"


def test_addInvitation_twice_is_400() -> None:
    tb = TB()
    _invite(tb)
    r = tb.post("/invitation", {"workComponentId": "1234567", "phaseId": "123456", "companyId": "1"})
    error_of(r, 400, "InvalidParameter", "companyId")


def test_updateInvitation_status_change_is_recorded() -> None:
    tb = TB()
    tb.client.post("/__emulator/clock", json={"set": "2026-03-01T12:00:00Z"})
    inv = _invite(tb, status="calculating")
    assert tb.put(f"/invitation/{inv['id']}", {"status": "offer"}).json()["status"] == "offer"
    entry = next(c for c in _communication(tb)[1234567] if c["id"] == inv["id"])
    assert entry["statusChanges"] == [{"changeDate": "1772366400", "oldStatus": "calculating", "newStatus": "offer"}]
    assert entry["dateOfferReceived"] == "1772366400"
    messages = tb.get(f"/project/1234567/communication/{inv['id']}").json()
    assert [(m["type"], m["subType"], m["subject"]) for m in messages] == [
        ("request", "", "Offerteaanvraag"),
        ("response", "offer", "Offerte"),
    ]
    assert tb.get(f"/invitation/{inv['id']}").json()["status"] == "offer"


def test_updateInvitation_same_status_changes_nothing() -> None:
    tb = TB()
    tb.put("/invitation/1122334", {"status": "offer"})
    assert len(_communication(tb)[1234567][0]["statusChanges"]) == 1


def test_deleteInvitation_then_getInvitation_is_404() -> None:
    tb = TB()
    tb.delete("/invitation/1122334")
    error_of(tb.get("/invitation/1122334"), 404, "NotFound")
    assert _communication(tb)[1234567] == []


def test_listCommunication_syncChecked_filter() -> None:
    tb = TB()
    _invite(tb)  # syncChecked "0"
    assert [c["id"] for c in _communication(tb, syncChecked="1")[1234567]] == [1122334]
    assert len(_communication(tb)[1234567]) == 2


def test_listCommunication_other_phase_is_empty() -> None:
    assert _communication(TB(), phase="123457") == {1234567: []}


def test_listCommunication_phaseName_wins_over_path() -> None:
    assert _communication(TB(), phase="123457", phaseName="Calculatie")[1234567][0]["id"] == 1122334


def test_getCommunication_of_another_project_is_404() -> None:
    error_of(TB().get("/project/123/communication/1122334"), 404, "NotFound")


def test_getMessagePdf_of_a_new_message() -> None:
    tb = TB()
    inv = _invite(tb)
    msg_id = tb.get(f"/project/1234567/communication/{inv['id']}").json()[0]["id"]
    r = tb.get(f"/message/{msg_id}/pdf")
    assert r.headers["content-type"] == "application/pdf"
    assert b"Offerteaanvraag" in r.content and r.content.startswith(b"%PDF-")


def test_getMessagePdf_unknown_message_is_404() -> None:
    assert error_of(TB().get("/message/42/pdf"), 404, "NotFound")["message"] == "Message 42 not found"


def test_getMessagePdf_xref_table_points_at_the_objects() -> None:
    """A structurally valid PDF: startxref -> xref table whose offsets each land on 'n 0 obj'."""
    pdf = TB().get("/message/1234567/pdf").content
    start = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[start : start + 4] == b"xref"
    lines = pdf[start:].split(b"\n")
    count = int(lines[1].split()[1])
    for n, entry in enumerate(lines[3 : 2 + count], start=1):
        offset = int(entry.split()[0])
        assert pdf[offset:].startswith(f"{n} 0 obj".encode())
    assert b"/Root 1 0 R" in pdf and pdf.rstrip().endswith(b"%%EOF")
