"""PATCH /Project/{id}: JSON Patch and JSON Merge Patch (B3.2-B3.4)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import BASIC, ONSITE, assert_error, freeze

URL = f"{ONSITE}/421"


def patch(
    client: httpx.Client, body: Any, content_type: str = "application/json", headers: dict[str, str] | None = None
) -> httpx.Response:
    import json

    return client.patch(
        URL, headers={**BASIC, "Content-Type": content_type, **(headers or {})}, content=json.dumps(body).encode()
    )


def test_patchProjectEntity_json_patch_replace(client: httpx.Client) -> None:
    freeze(client)
    r = patch(client, [{"op": "replace", "path": "/Name", "value": "Patched"}], "application/json-patch+json")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["Name"] == "Patched" and body["UpdatedDate"] == "2026-01-15T10:00:00"
    assert body["Description"] == "Customer-focused intangible standardization"  # untouched
    assert body["ProjectMembers"][0]["ProjectName"] == "Patched"
    assert body["_Links"]["Self"].endswith("/api/v1/Project/421/")


def test_patchProjectEntity_plain_json_array_is_json_patch(client: httpx.Client) -> None:
    assert patch(client, [{"op": "replace", "path": "/Postit", "value": "x"}]).json()["Postit"] == "x"


def test_patchProjectEntity_path_case_insensitive_leading_slash_optional(client: httpx.Client) -> None:
    body = patch(
        client,
        [
            {"op": "replace", "path": "name", "value": "a"},
            {"op": "Replace", "path": "/POSTIT", "value": "b"},
            {"op": "replace", "path": "projectstatus/id", "value": 2},
        ],
    ).json()
    assert (body["Name"], body["Postit"]) == ("a", "b")
    assert body["ProjectStatus"]["Id"] == 2 and body["ProjectStatus"]["Value"] == "In Progress"


def test_patchProjectEntity_array_add_append_and_remove(client: httpx.Client) -> None:
    body = patch(
        client,
        [
            {"op": "add", "path": "/Urls/-", "value": {"value": "https://new.example"}},
            {"op": "remove", "path": "/Urls/0"},
            {"op": "add", "path": "ProjectMembers/-", "value": {"PersonId": 2}},
        ],
    ).json()
    assert [u["Value"] for u in body["Urls"]] == ["et", "https://new.example"]
    assert [m["PersonId"] for m in body["ProjectMembers"]] == [764, 2]
    assert body["ProjectMembers"][0]["ProjectmemberId"] == 943  # existing member kept its id


def test_patchProjectEntity_array_replace_whole(client: httpx.Client) -> None:
    body = patch(client, [{"op": "replace", "path": "/Urls", "value": [{"Value": "only"}]}]).json()
    assert [u["Value"] for u in body["Urls"]] == ["only"]


def test_patchProjectEntity_remove_scalar_resets_default(client: httpx.Client) -> None:
    body = patch(client, [{"op": "remove", "path": "/Description"}, {"op": "remove", "path": "ProjectType"}]).json()
    assert body["Description"] == "" and body["ProjectType"]["Id"] == 0


def test_patchProjectEntity_custom_fields_key(client: httpx.Client) -> None:
    body = patch(
        client,
        [
            {"op": "replace", "path": "/CustomFields/customfields1", "value": "v1"},
            {"op": "add", "path": "ExtraFields/x_foobar", "value": "fb"},
        ],
    ).json()
    assert body["CustomFields"] == {"CustomFields1": "v1", "CustomFields2": "voluptas"}
    assert body["ExtraFields"]["x_foobar"] == "fb"


def test_patchProjectEntity_test_op_passes(client: httpx.Client) -> None:
    r = patch(
        client,
        [{"op": "test", "path": "/name", "value": "Botsford-Crona"}, {"op": "replace", "path": "/name", "value": "ok"}],
    )
    assert r.status_code == 200 and r.json()["Name"] == "ok"


def test_patchProjectEntity_failed_test_409(client: httpx.Client) -> None:
    r = patch(
        client,
        [
            {"op": "test", "path": "/Name", "value": "Someone else"},
            {"op": "replace", "path": "/Name", "value": "never"},
        ],
    )
    assert_error(
        r,
        409,
        "JsonPatchTestFailedException",
        "The current value 'Botsford-Crona' at path 'Name' is not equal to the test value 'Someone else'.",
    )
    assert client.get(URL, headers=BASIC).json()["Name"] == "Botsford-Crona"


@pytest.mark.parametrize("op", ["move", "copy"])
def test_patchProjectEntity_move_copy_not_supported_400(client: httpx.Client, op: str) -> None:
    r = patch(client, [{"op": op, "from": "/Name", "path": "/Postit"}])
    assert_error(r, 400, "NotSupportedException", f"'{op}' is not supported")


def test_patchProjectEntity_unknown_op_400(client: httpx.Client) -> None:
    assert_error(
        patch(client, [{"op": "frobnicate", "path": "/Name", "value": 1}]),
        400,
        "JsonPatchException",
        "Invalid JsonPatch operation",
    )


def test_patchProjectEntity_unknown_path_400(client: httpx.Client) -> None:
    assert_error(
        patch(client, [{"op": "replace", "path": "/NoSuchField", "value": 1}]),
        400,
        "JsonPatchException",
        "The target location specified by path segment 'NoSuchField' was not found.",
    )


def test_patchProjectEntity_missing_value_400(client: httpx.Client) -> None:
    assert_error(patch(client, [{"op": "replace", "path": "/Name"}]), 400, "JsonPatchException", "no 'value'")


def test_patchProjectEntity_json_patch_type_with_object_400(client: httpx.Client) -> None:
    assert_error(
        patch(client, {"Name": "x"}, "application/json-patch+json"), 400, "JsonPatchException", "must be an array"
    )


def test_patchProjectEntity_merge_type_with_array_400(client: httpx.Client) -> None:
    assert_error(
        patch(client, [{"op": "replace", "path": "/Name", "value": "x"}], "application/merge-patch+json"),
        400,
        "JsonPatchException",
        "must be a JSON object",
    )


def test_patchProjectEntity_merge_patch_scalars_and_nested(client: httpx.Client) -> None:
    body = patch(
        client, {"name": "Merged", "completed": True, "projectType": {"id": 1}}, "application/merge-patch+json"
    ).json()
    assert body["Name"] == "Merged" and body["Completed"] is True
    assert body["ProjectType"]["Value"] == "Customer"
    assert body["Postit"] == "saepe"  # untouched


def test_patchProjectEntity_merge_patch_object_for_array_appends(client: httpx.Client) -> None:
    body = patch(client, {"Urls": {"Value": "appended"}}).json()
    assert [u["Value"] for u in body["Urls"]] == ["et", "et", "appended"]


def test_patchProjectEntity_merge_patch_array_replaces(client: httpx.Client) -> None:
    body = patch(client, {"urls": [{"value": "one"}], "Links": []}).json()
    assert [u["Value"] for u in body["Urls"]] == ["one"] and body["Links"] == []


def test_patchProjectEntity_merge_patch_dictionary_and_null(client: httpx.Client) -> None:
    body = patch(
        client,
        {"CustomFields": {"customfields1": "new", "CustomFields2": None, "x_more": "m"}, "Description": None},
        "application/merge-patch+json",
    ).json()
    assert body["CustomFields"] == {"CustomFields1": "new", "x_more": "m"}
    assert body["Description"] == ""


def test_patchProjectEntity_merge_patch_unknown_property_400(client: httpx.Client) -> None:
    assert_error(patch(client, {"NoSuchField": 1}), 400, "JsonPatchException")


def test_patchProjectEntity_if_unmodified_since_older_412(client: httpx.Client) -> None:
    r = patch(client, {"Name": "x"}, headers={"If-Unmodified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"})
    assert_error(r, 412, "PreconditionFailedException", "If-Unmodified-Since")


def test_patchProjectEntity_unknown_id_404(client: httpx.Client) -> None:
    r = client.patch(f"{ONSITE}/99999", headers=BASIC, json={"Name": "x"})
    assert_error(r, 404, "SoNotFoundException", "Project id 99999 not found")


def test_patchProjectEntity_empty_body_400(client: httpx.Client) -> None:
    assert_error(client.patch(URL, headers=BASIC), 400, "ArgumentException", "Entity to save is not in request body")


def test_patchProjectEntity_xml_415(client: httpx.Client) -> None:
    r = client.patch(URL, headers={**BASIC, "Content-Type": "application/xml"}, content=b"<a/>")
    assert_error(r, 415, "UnsupportedMediaTypeException", "application/xml")


def test_patchProjectEntity_select(client: httpx.Client) -> None:
    body = client.patch(f"{URL}?$select=name", headers=BASIC, json={"Name": "sel"}).json()
    assert body["Name"] == "sel" and body["Postit"] is None
