"""The PUT actions: ApproveProject, AssignGroup, AssignList, UnAssignGroup, UnAssignList, Upload."""

from __future__ import annotations

import base64
import hashlib

import httpx
import pytest

from .conftest import AUTH, error_of, project, put, set_clock


def test_approveProject_twice_changes_nothing(client: httpx.Client) -> None:
    assert put(client, "/3320/ApproveProject").status_code == 200
    before = project(client, 3320)
    r = put(client, "/3320/ApproveProject")
    assert r.status_code == 200
    assert r.json() == {"RecordChanges": [{"id": 3320}]}
    assert project(client, 3320) == before


def test_approveProject_keeps_existing_unr(client: httpx.Client) -> None:
    put(client, "/3320", columns="unr=1275")
    set_clock(client, "2026-05-07T09:18:39Z")
    change = put(client, "/3320/ApproveProject").json()["RecordChanges"][0]
    assert "unr" not in change and change["approved"] is True and change["date_approved"] == "2026-05-07"
    assert project(client, 3320)["unr"] == 1275


def test_approveProject_next_unr_follows_highest(client: httpx.Client) -> None:
    put(client, "/3319", columns="unr=5000")
    assert put(client, "/3320/ApproveProject").json()["RecordChanges"][0]["unr"] == 5001


def test_approveProject_unknown_project_404(client: httpx.Client) -> None:
    r = put(client, "/4242/ApproveProject")
    assert r.status_code == 404
    assert error_of(r) == "There is no record that has the requested id"


def test_assignProjectGroup_same_list_reports_only_group(client: httpx.Client) -> None:
    r = put(client, "/3320/AssignGroup", group_id="22")
    assert r.json()["RecordChanges"][0]["group"] == "Nieuwbouw woningen"
    assert "list" not in r.json()["RecordChanges"][0]


def test_assignProjectGroup_unknown_group_400(client: httpx.Client) -> None:
    before = project(client, 3320)
    r = put(client, "/3320/AssignGroup", group_id="999")
    assert r.status_code == 400
    assert error_of(r) == "There is no project group with id 999"
    assert project(client, 3320) == before


def test_assignProjectGroup_missing_group_id_400(client: httpx.Client) -> None:
    r = put(client, "/3320/AssignGroup")
    assert r.status_code == 400
    assert error_of(r) == "Invalid query parameter group_id: 'group_id' is a required property"


def test_assignProjectGroup_non_numeric_group_id_400(client: httpx.Client) -> None:
    r = put(client, "/3320/AssignGroup", group_id="abc")
    assert r.status_code == 400
    assert error_of(r) == "Invalid query parameter group_id: 'abc' is not of type 'integer'"


def test_assignProjectGroup_unknown_project_404(client: httpx.Client) -> None:
    r = put(client, "/4242/AssignGroup", group_id="34")
    assert r.status_code == 404
    assert error_of(r) == "There is no record that has the requested id"


def test_assignProjectList_stored_name_any_case(client: httpx.Client) -> None:
    r = put(client, "/3320/AssignList", list="algemeen")
    assert r.json()["RecordChanges"][0]["list"] == "ALGEMEEN"
    assert project(client, 3320)["group"] == ""


def test_assignProjectList_unknown_list_400(client: httpx.Client) -> None:
    before = project(client, 3320)
    r = put(client, "/3320/AssignList", list="NOPE")
    assert r.status_code == 400
    assert error_of(r) == "There is no project list NOPE"
    assert project(client, 3320) == before


def test_assignProjectList_missing_list_400(client: httpx.Client) -> None:
    r = put(client, "/3320/AssignList")
    assert r.status_code == 400
    assert error_of(r) == "Invalid query parameter list: 'list' is a required property"


def test_unassignProjectGroup_already_empty_no_change(client: httpx.Client) -> None:
    put(client, "/3320/UnAssignGroup")
    r = put(client, "/3320/UnAssignGroup")
    assert r.json() == {"RecordChanges": [{"id": 3320}]}


def test_unassignProjectGroup_unknown_project_404(client: httpx.Client) -> None:
    r = put(client, "/4242/UnAssignGroup")
    assert r.status_code == 404
    assert error_of(r) == "There is no record that has the requested id"


def test_unassignProjectList_stored(client: httpx.Client) -> None:
    put(client, "/3320/UnAssignList")
    rec = project(client, 3320)
    assert rec["list"] == "" and rec["group"] == ""


def test_unassignProjectList_unknown_project_404(client: httpx.Client) -> None:
    r = put(client, "/4242/UnAssignList")
    assert r.status_code == 404
    assert error_of(r) == "There is no record that has the requested id"


# Upload ------------------------------------------------------------------------------------------
def upload(
    client: httpx.Client,
    name: str = "plan.pdf",
    data: bytes = b"%PDF-1.4 demo",
    folder: str | None = "docs",
    pid: int = 3320,
) -> httpx.Response:
    params = {"folder": folder} if folder is not None else None
    return client.put(
        f"/api/v1/Projects/{pid}/Upload", params=params, headers=AUTH, files={"file": (name, data, "application/pdf")}
    )


def test_uploadProjectFile_kept_in_memory(client: httpx.Client) -> None:
    data = b"hello bouwsoft"
    r = upload(client, data=data)
    assert r.status_code == 201
    meta = r.json()["RecordChanges"][0]
    assert meta["size"] == len(data)
    assert meta["checksum"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    state = client.get("/__emulator/state").json()["tenants"]["115"]["files"]
    stored = state["3320/docs/plan.pdf"]
    assert base64.b64decode(stored["data"]) == data and stored["project_id"] == 3320


def test_uploadProjectFile_without_folder(client: httpx.Client) -> None:
    assert upload(client, folder=None).status_code == 201


def test_uploadProjectFile_no_file_400(client: httpx.Client) -> None:
    r = client.put(
        "/api/v1/Projects/3320/Upload", headers=AUTH, data={"note": "x"}, files={"other": (None, b"only a field")}
    )
    assert r.status_code == 400
    assert error_of(r) == "No file was sent (multipart/form-data field 'file')"


def test_uploadProjectFile_empty_body_400(client: httpx.Client) -> None:
    r = client.put("/api/v1/Projects/3320/Upload", headers={**AUTH, "Content-Type": "multipart/form-data; boundary=x"})
    assert r.status_code == 400


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b.txt", "a\\b.txt", ".."])
def test_uploadProjectFile_bad_file_name_400(client: httpx.Client, name: str) -> None:
    r = upload(client, name=name)
    assert r.status_code == 400
    assert error_of(r) == f"Invalid file name '{name}'"


def test_uploadProjectFile_control_character_in_name_400(client: httpx.Client) -> None:
    body = (
        b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="bad\x01name.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nhello\r\n--b0undary--\r\n"
    )
    r = client.put(
        "/api/v1/Projects/3320/Upload",
        content=body,
        headers={**AUTH, "Content-Type": "multipart/form-data; boundary=b0undary"},
    )
    assert r.status_code == 400
    assert error_of(r) == "Invalid file name 'bad\\x01name.txt'"


@pytest.mark.parametrize("folder", ["..", "a/b", "a\\b", "x..y"])
def test_uploadProjectFile_bad_folder_400(client: httpx.Client, folder: str) -> None:
    r = upload(client, folder=folder)
    assert r.status_code == 400
    assert error_of(r) == f"Invalid folder name '{folder}'"


def test_uploadProjectFile_unknown_project_404(client: httpx.Client) -> None:
    r = upload(client, pid=4242)
    assert r.status_code == 404
    assert error_of(r) == "There is no record that has the requested id"


def test_uploadProjectFile_too_large_413(client: httpx.Client) -> None:
    r = upload(client, data=b"x" * (10 * 1024 * 1024 + 1))
    assert r.status_code == 413
    assert error_of(r).startswith("Request body of ")


def test_uploadProjectFile_json_body_415(client: httpx.Client) -> None:
    r = client.put("/api/v1/Projects/3320/Upload", headers=AUTH, json={"file": "x"})
    assert r.status_code == 415
    assert error_of(r) == "Content-Type application/json is not supported"
