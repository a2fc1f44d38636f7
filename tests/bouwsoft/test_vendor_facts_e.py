"""Bouwsoft behaviour from vendor-facts section E (issue 13 item 3) and A2.1.

E1: the error envelope {"RecordChanges":[{"Code","Description","Message","RequestId"}]};
E2: POST /Projects/{id}/Upload behaves like the PUT form;
A2.1: GET /Projects/{id}/image, note_html, note_plain, note_rtf answer from the stored project.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx

from emulators import build_app
from emulators.testing.transport import client_for

from .conftest import AUTH, CLIENT, REQUEST_ID, error_of, set_clock

PROJECTS = "/api/v1/Projects"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGM4w8AAAAJoAM0l4pxuAAAAAElFTkSuQmCC")


# E1 -----------------------------------------------------------------------------------------------
def test_updateProject_bad_columns_E1_envelope_400(client: httpx.Client) -> None:
    """E1: a 400 is {"RecordChanges":[{"Code":400,"Description":…,"Message":"Bad Request","RequestId":…}]}."""
    set_clock(client, "2025-02-12T14:26:20Z")
    r = client.put(f"{PROJECTS}/3320", params={"columns": "foo=1"}, headers=AUTH)
    assert r.status_code == 400
    body = r.json()
    rec = body["RecordChanges"][0]
    assert list(body) == ["RecordChanges"] and len(body["RecordChanges"]) == 1
    assert rec["Code"] == 400 and rec["Message"] == "Bad Request" and rec["Description"] == "Unknown field foo"
    # E1's RequestId layout <Clientnr>-<GUID>-<yymmdd>-<hhmmss>, ASCII hyphens, time from the emulator clock
    assert rec["RequestId"].startswith("115-") and rec["RequestId"].endswith("-250212-142620")
    assert REQUEST_ID.match(rec["RequestId"])


def test_getProject_every_error_status_E1_envelope(client: httpx.Client) -> None:
    """E1 generalised (inference, SOURCE.md assumption 1): 401, 404, 405, 415 in the same envelope, Code = status,
    Message = the reason phrase; the Descriptions stay the emulator's specific texts."""
    cases = [
        (
            client.get(f"{PROJECTS}/3320", headers={"Clientnr": CLIENT, "AccessToken": "nope"}),
            401,
            "Invalid AccessToken",
        ),
        (client.get(f"{PROJECTS}/999999", headers=AUTH), 404, "There is no record that has the requested id"),
        (client.delete(f"{PROJECTS}/3320", headers=AUTH), 405, "The HTTP method is not allowed for this API call"),
        (
            client.put(f"{PROJECTS}/3320/Upload", headers={**AUTH, "Content-Type": "application/json"}, content=b"{}"),
            415,
            None,
        ),
        (client.get("/api/v1/NoSuchResource", headers=AUTH), 404, "No such API call"),
    ]
    for r, status, description in cases:
        assert r.status_code == status, r.text
        got = error_of(r, clientnr=CLIENT)
        if description is not None:
            assert got == description


def test_getProject_without_clientnr_request_id_starts_with_0(client: httpx.Client) -> None:
    """E1: the RequestId starts with the Clientnr; a request naming none gets 0 (assumption)."""
    r = client.get(f"{PROJECTS}/3320")
    assert r.status_code == 401
    assert error_of(r, clientnr="0") == "Missing or invalid Clientnr or AccessToken header"


def test_render_error_request_id_reproducible_E1() -> None:
    """E1 RequestId GUIDs come from the seeded id source: two fresh emulators give the same ids."""
    ids = []
    for _ in range(2):
        with client_for(build_app("bouwsoft")) as c:
            set_clock(c, "2026-05-07T09:18:39Z")
            ids.append(
                [c.get(f"{PROJECTS}/99999{i}", headers=AUTH).json()["RecordChanges"][0]["RequestId"] for i in range(3)]
            )
    assert ids[0] == ids[1] and len(set(ids[0])) == 3


def test_injected_fault_E1_envelope_503(client: httpx.Client) -> None:
    """An injected status uses the vendor envelope (E1) with that status's reason phrase."""
    client.post("/__emulator/faults", json={"operation": "getProject", "status": 503, "times": 1})
    r = client.get(f"{PROJECTS}/3320", headers=AUTH)
    assert r.status_code == 503
    rec = r.json()["RecordChanges"][0]
    assert (rec["Code"], rec["Message"]) == (503, "Service Unavailable")


# E2 -----------------------------------------------------------------------------------------------
def _upload(client: httpx.Client, method: str, pid: int = 3320, **kw: Any) -> httpx.Response:
    return client.request(
        method,
        f"{PROJECTS}/{pid}/Upload",
        params={"folder": "testfolder"},
        headers=AUTH,
        files={"file": ("tptypeput.txt", b"hello bouwsoft", "text/plain")},
        **kw,
    )


def test_uploadProjectFileByPost_E2_same_as_put(client: httpx.Client) -> None:
    """E2: POST /Projects/{id}/Upload answers 201 RecordChanges exactly as the PUT form does."""
    set_clock(client, "2026-05-07T09:18:28Z")
    post = _upload(client, "POST")
    assert post.status_code == 201, post.text
    client.post("/__emulator/reset", headers={"Content-Type": "application/json"})
    set_clock(client, "2026-05-07T09:18:28Z")
    put = _upload(client, "PUT")
    assert put.status_code == 201
    assert post.json() == put.json()
    meta = post.json()["RecordChanges"][0]
    assert meta["name"] == "tptypeput.txt" and meta["size"] == 14 and meta["client_modified"] == "2026-05-07T09:18:28Z"


def test_uploadProjectFileByPost_E2_file_stored(client: httpx.Client) -> None:
    assert _upload(client, "POST").status_code == 201
    files = client.get("/__emulator/state").json()["tenants"]["115"]["files"]
    stored = files["3320/testfolder/tptypeput.txt"]
    assert base64.b64decode(stored["data"]) == b"hello bouwsoft" and stored["project_id"] == 3320


def test_uploadProjectFileByPost_E2_unknown_project_404(client: httpx.Client) -> None:
    r = _upload(client, "POST", pid=999999)
    assert r.status_code == 404 and error_of(r) == "There is no record that has the requested id"


def test_uploadProjectFileByPost_E2_no_file_400(client: httpx.Client) -> None:
    r = client.post(f"{PROJECTS}/3320/Upload", headers=AUTH, files={"other": (None, "x")})
    assert r.status_code == 400 and error_of(r) == "No file was sent (multipart/form-data field 'file')"


def test_uploadProjectFileByPost_E2_without_token_401(client: httpx.Client) -> None:
    r = client.post(f"{PROJECTS}/3320/Upload", files={"file": ("a.txt", b"x")})
    assert r.status_code == 401 and error_of(r) == "Missing or invalid Clientnr or AccessToken header"


# A2.1 -----------------------------------------------------------------------------------------------
def test_getProjectImage_A2_1_stored_bytes(client: httpx.Client) -> None:
    """A2.1: /Projects/{id}/image answers the stored image bytes with their media type."""
    r = client.get(f"{PROJECTS}/3320/image", headers=AUTH)
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/png" and r.content == PNG


def test_getProjectImage_A2_1_no_image_404(client: httpx.Client) -> None:
    r = client.get(f"{PROJECTS}/3321/image", headers=AUTH)
    assert r.status_code == 404 and error_of(r) == "There is no image for this project"


def test_getProjectImage_A2_1_unknown_project_404(client: httpx.Client) -> None:
    r = client.get(f"{PROJECTS}/999999/image", headers=AUTH)
    assert r.status_code == 404 and error_of(r) == "There is no record that has the requested id"


def test_getProjectNotePlain_A2_1_stored_text(client: httpx.Client) -> None:
    r = client.get(f"{PROJECTS}/3320/note_plain", headers=AUTH)
    assert r.status_code == 200 and r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.text == "Sleutel bij de buren (nr. 25).\nWerfkeet achteraan rechts."


def test_getProjectNoteHtml_A2_1_derived_from_plain(client: httpx.Client) -> None:
    r = client.get(f"{PROJECTS}/3320/note_html", headers=AUTH)
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.text == "<p>Sleutel bij de buren (nr. 25).</p><p>Werfkeet achteraan rechts.</p>"


def test_getProjectNoteRtf_A2_1_derived_from_plain(client: httpx.Client) -> None:
    r = client.get(f"{PROJECTS}/3320/note_rtf", headers=AUTH)
    assert r.status_code == 200 and r.headers["content-type"] == "application/rtf"
    assert r.text.startswith("{\\rtf1") and "Sleutel bij de buren (nr. 25).\\par\nWerfkeet" in r.text


def test_getProjectNoteHtml_A2_1_stored_formats_win(client: httpx.Client) -> None:
    assert client.get(f"{PROJECTS}/3321/note_html", headers=AUTH).text == "<p>Dakwerken gepland in <b>juni</b>.</p>"
    rtf = client.get(f"{PROJECTS}/3321/note_rtf", headers=AUTH).text
    assert rtf == "{\\rtf1\\ansi Dakwerken gepland in {\\b juni}.}"


def test_getProjectNotePlain_A2_1_no_note_empty_200(client: httpx.Client) -> None:
    for fmt in ("plain", "html", "rtf"):
        r = client.get(f"{PROJECTS}/3319/note_{fmt}", headers=AUTH)
        assert r.status_code == 200 and r.content == b""


def test_getProjectNoteHtml_A2_1_follows_stored_state(client: httpx.Client) -> None:
    """The notes answer from the stored project: a note loaded through the control plane is served, escaped."""
    state = client.get("/__emulator/state").json()
    state["tenants"]["115"]["project_media"]["3319"] = {"note_plain": "a < b & ü"}
    assert client.put("/__emulator/state", json=state).status_code in (200, 204)
    assert client.get(f"{PROJECTS}/3319/note_html", headers=AUTH).text == "<p>a &lt; b &amp; ü</p>"
    assert "\\u252?" in client.get(f"{PROJECTS}/3319/note_rtf", headers=AUTH).text


def test_getProjectNotePlain_A2_1_unknown_project_404(client: httpx.Client) -> None:
    r = client.get(f"{PROJECTS}/999999/note_plain", headers=AUTH)
    assert r.status_code == 404 and error_of(r) == "There is no record that has the requested id"


def test_getProjectImage_A2_1_without_token_401(client: httpx.Client) -> None:
    r = client.get(f"{PROJECTS}/3320/image")
    assert r.status_code == 401 and error_of(r, clientnr="0") == "Missing or invalid Clientnr or AccessToken header"


def test_getProjectImage_A2_1_other_client_cannot_see(client: httpx.Client) -> None:
    from .conftest import TOKEN_116

    r = client.get(f"{PROJECTS}/3320/image", headers={"Clientnr": "116", "AccessToken": TOKEN_116})
    assert r.status_code == 404


def test_getProjectImage_A2_1_garbage_state_never_crashes(client: httpx.Client) -> None:
    """A hand-edited state with broken media records: clean vendor answers, never a 500."""
    state = client.get("/__emulator/state").json()
    state["tenants"]["115"]["project_media"] = {"3321": "not an object"}
    r = client.put("/__emulator/state", json=state)  # a record that is not an object: refused (issue 14)
    assert r.status_code == 400 and "tenants.115.project_media.3321" in r.json()["error"]
    state["tenants"]["115"]["project_media"] = {
        "3320": {"image": {"data": "%%% not base64"}, "note_plain": 5},
        "3321": {"image": 5, "note_rtf": []},
        "3319": {"image": "x"},
    }
    assert client.put("/__emulator/state", json=state).status_code in (200, 204)
    for pid in (3319, 3320, 3321):
        r = client.get(f"{PROJECTS}/{pid}/image", headers=AUTH)
        assert r.status_code == 404 and error_of(r) == "There is no image for this project"
        for fmt in ("plain", "html", "rtf"):
            r = client.get(f"{PROJECTS}/{pid}/note_{fmt}", headers=AUTH)
            assert r.status_code == 200 and r.content == b""


def test_getProjectImage_A2_1_head_has_image_length(client: httpx.Client) -> None:
    """RFC 9110 §8.6 on a raw body: HEAD carries the image's Content-Length and Content-Type."""
    r = client.head(f"{PROJECTS}/3320/image", headers=AUTH)
    assert r.status_code == 200 and r.content == b""
    assert r.headers["content-length"] == str(len(PNG)) and r.headers["content-type"] == "image/png"


def test_fidelity_report_lists_issue13_bouwsoft_routes() -> None:
    """`emulators fidelity` counts the new routes with their sources' reasons, and the E1 feature row."""
    from emulators.fidelity import build_report

    rep = build_report("bouwsoft")
    ops = {op.operation_id: op for op in rep.operations}
    for name in (
        "uploadProjectFileByPost",
        "getProjectImage",
        "getProjectNoteHtml",
        "getProjectNotePlain",
        "getProjectNoteRtf",
    ):
        assert ops[name].status == "inferred" and ops[name].reason, name
    assert ops["uploadProjectFileByPost"].method == "POST" and ops["uploadProjectFileByPost"].path.endswith("/Upload")
    features = {f.name: f for f in rep.features}
    e1 = next(f for n, f in features.items() if n.startswith('Error body `{"RecordChanges"'))
    assert "E1" in e1.detail
